// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::Pod {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Node {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Event {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "involvedObject", &self.involved_object);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        obj(&mut o, "source", &self.source);
        obj(&mut o, "firstTimestamp", &self.first_timestamp);
        obj(&mut o, "lastTimestamp", &self.last_timestamp);
        val(&mut o, "count", &self.count, true);
        val(&mut o, "type", &self.r#type, true);
        obj(&mut o, "eventTime", &self.event_time);
        ptr(&mut o, "series", &self.series, true);
        val(&mut o, "action", &self.action, true);
        ptr(&mut o, "related", &self.related, true);
        val(
            &mut o,
            "reportingComponent",
            &self.reporting_component,
            false,
        );
        val(&mut o, "reportingInstance", &self.reporting_instance, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Namespace {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Service {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Endpoints {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "subsets", &self.subsets, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMap {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        ptr(&mut o, "immutable", &self.immutable, true);
        map(&mut o, "data", &self.data, true);
        bytes_map(&mut o, "binaryData", &self.binary_data, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Secret {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        ptr(&mut o, "immutable", &self.immutable, true);
        bytes_map(&mut o, "data", &self.data, true);
        map(&mut o, "stringData", &self.string_data, true);
        val(&mut o, "type", &self.r#type, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeClaim {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolume {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ServiceAccount {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "secrets", &self.secrets, true);
        list(&mut o, "imagePullSecrets", &self.image_pull_secrets, true);
        ptr(
            &mut o,
            "automountServiceAccountToken",
            &self.automount_service_account_token,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceQuota {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LimitRange {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Binding {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "target", &self.target);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "volumes", &self.volumes, true);
        list(&mut o, "initContainers", &self.init_containers, true);
        list(&mut o, "containers", &self.containers, false);
        list(
            &mut o,
            "ephemeralContainers",
            &self.ephemeral_containers,
            true,
        );
        val(&mut o, "restartPolicy", &self.restart_policy, true);
        ptr(
            &mut o,
            "terminationGracePeriodSeconds",
            &self.termination_grace_period_seconds,
            true,
        );
        ptr(
            &mut o,
            "activeDeadlineSeconds",
            &self.active_deadline_seconds,
            true,
        );
        val(&mut o, "dnsPolicy", &self.dns_policy, true);
        map(&mut o, "nodeSelector", &self.node_selector, true);
        val(
            &mut o,
            "serviceAccountName",
            &self.service_account_name,
            true,
        );
        val(&mut o, "serviceAccount", &self.service_account, true);
        ptr(
            &mut o,
            "automountServiceAccountToken",
            &self.automount_service_account_token,
            true,
        );
        val(&mut o, "nodeName", &self.node_name, true);
        val(&mut o, "hostNetwork", &self.host_network, true);
        val(&mut o, "hostPID", &self.host_pid, true);
        val(&mut o, "hostIPC", &self.host_ipc, true);
        ptr(
            &mut o,
            "shareProcessNamespace",
            &self.share_process_namespace,
            true,
        );
        ptr(&mut o, "securityContext", &self.security_context, true);
        list(&mut o, "imagePullSecrets", &self.image_pull_secrets, true);
        val(&mut o, "hostname", &self.hostname, true);
        val(&mut o, "subdomain", &self.subdomain, true);
        ptr(&mut o, "affinity", &self.affinity, true);
        val(&mut o, "schedulerName", &self.scheduler_name, true);
        list(&mut o, "tolerations", &self.tolerations, true);
        list(&mut o, "hostAliases", &self.host_aliases, true);
        val(&mut o, "priorityClassName", &self.priority_class_name, true);
        ptr(&mut o, "priority", &self.priority, true);
        ptr(&mut o, "dnsConfig", &self.dns_config, true);
        list(&mut o, "readinessGates", &self.readiness_gates, true);
        ptr(&mut o, "runtimeClassName", &self.runtime_class_name, true);
        ptr(
            &mut o,
            "enableServiceLinks",
            &self.enable_service_links,
            true,
        );
        ptr(&mut o, "preemptionPolicy", &self.preemption_policy, true);
        map(&mut o, "overhead", &self.overhead, true);
        list(
            &mut o,
            "topologySpreadConstraints",
            &self.topology_spread_constraints,
            true,
        );
        ptr(
            &mut o,
            "setHostnameAsFQDN",
            &self.set_hostname_as_fqdn,
            true,
        );
        ptr(&mut o, "os", &self.os, true);
        ptr(&mut o, "hostUsers", &self.host_users, true);
        list(&mut o, "schedulingGates", &self.scheduling_gates, true);
        list(&mut o, "resourceClaims", &self.resource_claims, true);
        ptr(&mut o, "resources", &self.resources, true);
        ptr(&mut o, "hostnameOverride", &self.hostname_override, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        val(&mut o, "phase", &self.phase, true);
        list(&mut o, "conditions", &self.conditions, true);
        val(&mut o, "message", &self.message, true);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "nominatedNodeName", &self.nominated_node_name, true);
        val(&mut o, "hostIP", &self.host_ip, true);
        list(&mut o, "hostIPs", &self.host_ips, true);
        val(&mut o, "podIP", &self.pod_ip, true);
        list(&mut o, "podIPs", &self.pod_ips, true);
        ptr(&mut o, "startTime", &self.start_time, true);
        list(
            &mut o,
            "initContainerStatuses",
            &self.init_container_statuses,
            true,
        );
        list(&mut o, "containerStatuses", &self.container_statuses, true);
        val(&mut o, "qosClass", &self.qos_class, true);
        list(
            &mut o,
            "ephemeralContainerStatuses",
            &self.ephemeral_container_statuses,
            true,
        );
        val(&mut o, "resize", &self.resize, true);
        list(
            &mut o,
            "resourceClaimStatuses",
            &self.resource_claim_statuses,
            true,
        );
        ptr(
            &mut o,
            "extendedResourceClaimStatus",
            &self.extended_resource_claim_status,
            true,
        );
        map(
            &mut o,
            "allocatedResources",
            &self.allocated_resources,
            true,
        );
        ptr(&mut o, "resources", &self.resources, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "podCIDR", &self.pod_cidr, true);
        list(&mut o, "podCIDRs", &self.pod_cid_rs, true);
        val(&mut o, "providerID", &self.provider_id, true);
        val(&mut o, "unschedulable", &self.unschedulable, true);
        list(&mut o, "taints", &self.taints, true);
        ptr(&mut o, "configSource", &self.config_source, true);
        val(&mut o, "externalID", &self.external_id, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "capacity", &self.capacity, true);
        map(&mut o, "allocatable", &self.allocatable, true);
        val(&mut o, "phase", &self.phase, true);
        list(&mut o, "conditions", &self.conditions, true);
        list(&mut o, "addresses", &self.addresses, true);
        obj(&mut o, "daemonEndpoints", &self.daemon_endpoints);
        obj(&mut o, "nodeInfo", &self.node_info);
        list(&mut o, "images", &self.images, true);
        list(&mut o, "volumesInUse", &self.volumes_in_use, true);
        list(&mut o, "volumesAttached", &self.volumes_attached, true);
        ptr(&mut o, "config", &self.config, true);
        list(&mut o, "runtimeHandlers", &self.runtime_handlers, true);
        ptr(&mut o, "features", &self.features, true);
        list(&mut o, "declaredFeatures", &self.declared_features, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "kind", &self.kind, true);
        val(&mut o, "namespace", &self.namespace, true);
        val(&mut o, "name", &self.name, true);
        val(&mut o, "uid", &self.uid, true);
        val(&mut o, "apiVersion", &self.api_version, true);
        val(&mut o, "resourceVersion", &self.resource_version, true);
        val(&mut o, "fieldPath", &self.field_path, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EventSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "component", &self.component, true);
        val(&mut o, "host", &self.host, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EventSeries {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "count", &self.count, true);
        obj(&mut o, "lastObservedTime", &self.last_observed_time);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NamespaceSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "finalizers", &self.finalizers, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NamespaceStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "phase", &self.phase, true);
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ServiceSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "ports", &self.ports, true);
        map(&mut o, "selector", &self.selector, true);
        val(&mut o, "clusterIP", &self.cluster_ip, true);
        list(&mut o, "clusterIPs", &self.cluster_ips, true);
        val(&mut o, "type", &self.r#type, true);
        list(&mut o, "externalIPs", &self.external_ips, true);
        val(&mut o, "sessionAffinity", &self.session_affinity, true);
        val(&mut o, "loadBalancerIP", &self.load_balancer_ip, true);
        list(
            &mut o,
            "loadBalancerSourceRanges",
            &self.load_balancer_source_ranges,
            true,
        );
        val(&mut o, "externalName", &self.external_name, true);
        val(
            &mut o,
            "externalTrafficPolicy",
            &self.external_traffic_policy,
            true,
        );
        val(
            &mut o,
            "healthCheckNodePort",
            &self.health_check_node_port,
            true,
        );
        val(
            &mut o,
            "publishNotReadyAddresses",
            &self.publish_not_ready_addresses,
            true,
        );
        ptr(
            &mut o,
            "sessionAffinityConfig",
            &self.session_affinity_config,
            true,
        );
        list(&mut o, "ipFamilies", &self.ip_families, true);
        ptr(&mut o, "ipFamilyPolicy", &self.ip_family_policy, true);
        ptr(
            &mut o,
            "allocateLoadBalancerNodePorts",
            &self.allocate_load_balancer_node_ports,
            true,
        );
        ptr(&mut o, "loadBalancerClass", &self.load_balancer_class, true);
        ptr(
            &mut o,
            "internalTrafficPolicy",
            &self.internal_traffic_policy,
            true,
        );
        ptr(
            &mut o,
            "trafficDistribution",
            &self.traffic_distribution,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ServiceStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "loadBalancer", &self.load_balancer);
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EndpointSubset {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "addresses", &self.addresses, true);
        list(&mut o, "notReadyAddresses", &self.not_ready_addresses, true);
        list(&mut o, "ports", &self.ports, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeClaimSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "accessModes", &self.access_modes, true);
        ptr(&mut o, "selector", &self.selector, true);
        obj(&mut o, "resources", &self.resources);
        val(&mut o, "volumeName", &self.volume_name, true);
        ptr(&mut o, "storageClassName", &self.storage_class_name, true);
        ptr(&mut o, "volumeMode", &self.volume_mode, true);
        ptr(&mut o, "dataSource", &self.data_source, true);
        ptr(&mut o, "dataSourceRef", &self.data_source_ref, true);
        ptr(
            &mut o,
            "volumeAttributesClassName",
            &self.volume_attributes_class_name,
            true,
        );
        Value::Object(o)
    }
}
