// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::PersistentVolumeClaimStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "phase", &self.phase, true);
        list(&mut o, "accessModes", &self.access_modes, true);
        map(&mut o, "capacity", &self.capacity, true);
        list(&mut o, "conditions", &self.conditions, true);
        map(
            &mut o,
            "allocatedResources",
            &self.allocated_resources,
            true,
        );
        map(
            &mut o,
            "allocatedResourceStatuses",
            &self.allocated_resource_statuses,
            true,
        );
        ptr(
            &mut o,
            "currentVolumeAttributesClassName",
            &self.current_volume_attributes_class_name,
            true,
        );
        ptr(
            &mut o,
            "modifyVolumeStatus",
            &self.modify_volume_status,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "capacity", &self.capacity, true);
        inline(&mut o, &self.persistent_volume_source);
        list(&mut o, "accessModes", &self.access_modes, true);
        ptr(&mut o, "claimRef", &self.claim_ref, true);
        val(
            &mut o,
            "persistentVolumeReclaimPolicy",
            &self.persistent_volume_reclaim_policy,
            true,
        );
        val(&mut o, "storageClassName", &self.storage_class_name, true);
        list(&mut o, "mountOptions", &self.mount_options, true);
        ptr(&mut o, "volumeMode", &self.volume_mode, true);
        ptr(&mut o, "nodeAffinity", &self.node_affinity, true);
        ptr(
            &mut o,
            "volumeAttributesClassName",
            &self.volume_attributes_class_name,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "phase", &self.phase, true);
        val(&mut o, "message", &self.message, true);
        val(&mut o, "reason", &self.reason, true);
        ptr(
            &mut o,
            "lastPhaseTransitionTime",
            &self.last_phase_transition_time,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LocalObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceQuotaSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "hard", &self.hard, true);
        list(&mut o, "scopes", &self.scopes, true);
        ptr(&mut o, "scopeSelector", &self.scope_selector, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceQuotaStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "hard", &self.hard, true);
        map(&mut o, "used", &self.used, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LimitRangeSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "limits", &self.limits, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TopologySelectorTerm {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(
            &mut o,
            "matchLabelExpressions",
            &self.match_label_expressions,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Volume {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        inline(&mut o, &self.volume_source);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Container {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "image", &self.image, true);
        list(&mut o, "command", &self.command, true);
        list(&mut o, "args", &self.args, true);
        val(&mut o, "workingDir", &self.working_dir, true);
        list(&mut o, "ports", &self.ports, true);
        list(&mut o, "envFrom", &self.env_from, true);
        list(&mut o, "env", &self.env, true);
        obj(&mut o, "resources", &self.resources);
        list(&mut o, "resizePolicy", &self.resize_policy, true);
        ptr(&mut o, "restartPolicy", &self.restart_policy, true);
        list(
            &mut o,
            "restartPolicyRules",
            &self.restart_policy_rules,
            true,
        );
        list(&mut o, "volumeMounts", &self.volume_mounts, true);
        list(&mut o, "volumeDevices", &self.volume_devices, true);
        ptr(&mut o, "livenessProbe", &self.liveness_probe, true);
        ptr(&mut o, "readinessProbe", &self.readiness_probe, true);
        ptr(&mut o, "startupProbe", &self.startup_probe, true);
        ptr(&mut o, "lifecycle", &self.lifecycle, true);
        val(
            &mut o,
            "terminationMessagePath",
            &self.termination_message_path,
            true,
        );
        val(
            &mut o,
            "terminationMessagePolicy",
            &self.termination_message_policy,
            true,
        );
        val(&mut o, "imagePullPolicy", &self.image_pull_policy, true);
        ptr(&mut o, "securityContext", &self.security_context, true);
        val(&mut o, "stdin", &self.stdin, true);
        val(&mut o, "stdinOnce", &self.stdin_once, true);
        val(&mut o, "tty", &self.tty, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EphemeralContainer {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.ephemeral_container_common);
        val(
            &mut o,
            "targetContainerName",
            &self.target_container_name,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodSecurityContext {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "seLinuxOptions", &self.se_linux_options, true);
        ptr(&mut o, "windowsOptions", &self.windows_options, true);
        ptr(&mut o, "runAsUser", &self.run_as_user, true);
        ptr(&mut o, "runAsGroup", &self.run_as_group, true);
        ptr(&mut o, "runAsNonRoot", &self.run_as_non_root, true);
        list(
            &mut o,
            "supplementalGroups",
            &self.supplemental_groups,
            true,
        );
        ptr(
            &mut o,
            "supplementalGroupsPolicy",
            &self.supplemental_groups_policy,
            true,
        );
        ptr(&mut o, "fsGroup", &self.fs_group, true);
        list(&mut o, "sysctls", &self.sysctls, true);
        ptr(
            &mut o,
            "fsGroupChangePolicy",
            &self.fs_group_change_policy,
            true,
        );
        ptr(&mut o, "seccompProfile", &self.seccomp_profile, true);
        ptr(&mut o, "appArmorProfile", &self.app_armor_profile, true);
        ptr(
            &mut o,
            "seLinuxChangePolicy",
            &self.se_linux_change_policy,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Affinity {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "nodeAffinity", &self.node_affinity, true);
        ptr(&mut o, "podAffinity", &self.pod_affinity, true);
        ptr(&mut o, "podAntiAffinity", &self.pod_anti_affinity, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Toleration {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, true);
        val(&mut o, "operator", &self.operator, true);
        val(&mut o, "value", &self.value, true);
        val(&mut o, "effect", &self.effect, true);
        ptr(&mut o, "tolerationSeconds", &self.toleration_seconds, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::HostAlias {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, false);
        list(&mut o, "hostnames", &self.hostnames, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodDnsConfig {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "nameservers", &self.nameservers, true);
        list(&mut o, "searches", &self.searches, true);
        list(&mut o, "options", &self.options, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodReadinessGate {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "conditionType", &self.condition_type, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TopologySpreadConstraint {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "maxSkew", &self.max_skew, false);
        val(&mut o, "topologyKey", &self.topology_key, false);
        val(&mut o, "whenUnsatisfiable", &self.when_unsatisfiable, false);
        ptr(&mut o, "labelSelector", &self.label_selector, true);
        ptr(&mut o, "minDomains", &self.min_domains, true);
        ptr(
            &mut o,
            "nodeAffinityPolicy",
            &self.node_affinity_policy,
            true,
        );
        ptr(&mut o, "nodeTaintsPolicy", &self.node_taints_policy, true);
        list(&mut o, "matchLabelKeys", &self.match_label_keys, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodOs {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodSchedulingGate {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodResourceClaim {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "resourceClaimName", &self.resource_claim_name, true);
        ptr(
            &mut o,
            "resourceClaimTemplateName",
            &self.resource_claim_template_name,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceRequirements {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "limits", &self.limits, true);
        map(&mut o, "requests", &self.requests, true);
        list(&mut o, "claims", &self.claims, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastProbeTime", &self.last_probe_time);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::HostIp {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodIp {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "state", &self.state);
        obj(&mut o, "lastState", &self.last_state);
        val(&mut o, "ready", &self.ready, false);
        val(&mut o, "restartCount", &self.restart_count, false);
        val(&mut o, "image", &self.image, false);
        val(&mut o, "imageID", &self.image_id, false);
        val(&mut o, "containerID", &self.container_id, true);
        ptr(&mut o, "started", &self.started, true);
        map(
            &mut o,
            "allocatedResources",
            &self.allocated_resources,
            true,
        );
        ptr(&mut o, "resources", &self.resources, true);
        list(&mut o, "volumeMounts", &self.volume_mounts, true);
        ptr(&mut o, "user", &self.user, true);
        list(
            &mut o,
            "allocatedResourcesStatus",
            &self.allocated_resources_status,
            true,
        );
        ptr(&mut o, "stopSignal", &self.stop_signal, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodResourceClaimStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "resourceClaimName", &self.resource_claim_name, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodExtendedResourceClaimStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "requestMappings", &self.request_mappings, false);
        val(
            &mut o,
            "resourceClaimName",
            &self.resource_claim_name,
            false,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Taint {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, false);
        val(&mut o, "value", &self.value, true);
        val(&mut o, "effect", &self.effect, false);
        ptr(&mut o, "timeAdded", &self.time_added, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeConfigSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "configMap", &self.config_map, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastHeartbeatTime", &self.last_heartbeat_time);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeAddress {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "address", &self.address, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeDaemonEndpoints {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "kubeletEndpoint", &self.kubelet_endpoint);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSystemInfo {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "machineID", &self.machine_id, false);
        val(&mut o, "systemUUID", &self.system_uuid, false);
        val(&mut o, "bootID", &self.boot_id, false);
        val(&mut o, "kernelVersion", &self.kernel_version, false);
        val(&mut o, "osImage", &self.os_image, false);
        val(
            &mut o,
            "containerRuntimeVersion",
            &self.container_runtime_version,
            false,
        );
        val(&mut o, "kubeletVersion", &self.kubelet_version, false);
        val(&mut o, "kubeProxyVersion", &self.kube_proxy_version, false);
        val(&mut o, "operatingSystem", &self.operating_system, false);
        val(&mut o, "architecture", &self.architecture, false);
        ptr(&mut o, "swap", &self.swap, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerImage {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "names", &self.names, false);
        val(&mut o, "sizeBytes", &self.size_bytes, true);
        Value::Object(o)
    }
}
