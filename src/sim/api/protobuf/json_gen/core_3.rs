// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::AttachedVolume {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "devicePath", &self.device_path, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeConfigStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "assigned", &self.assigned, true);
        ptr(&mut o, "active", &self.active, true);
        ptr(&mut o, "lastKnownGood", &self.last_known_good, true);
        val(&mut o, "error", &self.error, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeRuntimeHandler {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "features", &self.features, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeFeatures {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "supplementalGroupsPolicy",
            &self.supplemental_groups_policy,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NamespaceCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ServicePort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "protocol", &self.protocol, true);
        ptr(&mut o, "appProtocol", &self.app_protocol, true);
        val(&mut o, "port", &self.port, false);
        obj(&mut o, "targetPort", &self.target_port);
        val(&mut o, "nodePort", &self.node_port, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SessionAffinityConfig {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "clientIP", &self.client_ip, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LoadBalancerStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "ingress", &self.ingress, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EndpointAddress {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, false);
        val(&mut o, "hostname", &self.hostname, true);
        ptr(&mut o, "nodeName", &self.node_name, true);
        ptr(&mut o, "targetRef", &self.target_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EndpointPort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "port", &self.port, false);
        val(&mut o, "protocol", &self.protocol, true);
        ptr(&mut o, "appProtocol", &self.app_protocol, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeResourceRequirements {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "limits", &self.limits, true);
        map(&mut o, "requests", &self.requests, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TypedLocalObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "apiGroup", &self.api_group, false);
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TypedObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "apiGroup", &self.api_group, false);
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "namespace", &self.namespace, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeClaimCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastProbeTime", &self.last_probe_time);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ModifyVolumeStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "targetVolumeAttributesClassName",
            &self.target_volume_attributes_class_name,
            true,
        );
        val(&mut o, "status", &self.status, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "gcePersistentDisk", &self.gce_persistent_disk, true);
        ptr(
            &mut o,
            "awsElasticBlockStore",
            &self.aws_elastic_block_store,
            true,
        );
        ptr(&mut o, "hostPath", &self.host_path, true);
        ptr(&mut o, "glusterfs", &self.glusterfs, true);
        ptr(&mut o, "nfs", &self.nfs, true);
        ptr(&mut o, "rbd", &self.rbd, true);
        ptr(&mut o, "iscsi", &self.iscsi, true);
        ptr(&mut o, "cinder", &self.cinder, true);
        ptr(&mut o, "cephfs", &self.cephfs, true);
        ptr(&mut o, "fc", &self.fc, true);
        ptr(&mut o, "flocker", &self.flocker, true);
        ptr(&mut o, "flexVolume", &self.flex_volume, true);
        ptr(&mut o, "azureFile", &self.azure_file, true);
        ptr(&mut o, "vsphereVolume", &self.vsphere_volume, true);
        ptr(&mut o, "quobyte", &self.quobyte, true);
        ptr(&mut o, "azureDisk", &self.azure_disk, true);
        ptr(
            &mut o,
            "photonPersistentDisk",
            &self.photon_persistent_disk,
            true,
        );
        ptr(&mut o, "portworxVolume", &self.portworx_volume, true);
        ptr(&mut o, "scaleIO", &self.scale_io, true);
        ptr(&mut o, "local", &self.local, true);
        ptr(&mut o, "storageos", &self.storageos, true);
        ptr(&mut o, "csi", &self.csi, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeNodeAffinity {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "required", &self.required, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ScopeSelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "matchExpressions", &self.match_expressions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LimitRangeItem {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        map(&mut o, "max", &self.max, true);
        map(&mut o, "min", &self.min, true);
        map(&mut o, "default", &self.default, true);
        map(&mut o, "defaultRequest", &self.default_request, true);
        map(
            &mut o,
            "maxLimitRequestRatio",
            &self.max_limit_request_ratio,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodTemplateSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::TopologySelectorLabelRequirement {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, false);
        list(&mut o, "values", &self.values, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "hostPath", &self.host_path, true);
        ptr(&mut o, "emptyDir", &self.empty_dir, true);
        ptr(&mut o, "gcePersistentDisk", &self.gce_persistent_disk, true);
        ptr(
            &mut o,
            "awsElasticBlockStore",
            &self.aws_elastic_block_store,
            true,
        );
        ptr(&mut o, "gitRepo", &self.git_repo, true);
        ptr(&mut o, "secret", &self.secret, true);
        ptr(&mut o, "nfs", &self.nfs, true);
        ptr(&mut o, "iscsi", &self.iscsi, true);
        ptr(&mut o, "glusterfs", &self.glusterfs, true);
        ptr(
            &mut o,
            "persistentVolumeClaim",
            &self.persistent_volume_claim,
            true,
        );
        ptr(&mut o, "rbd", &self.rbd, true);
        ptr(&mut o, "flexVolume", &self.flex_volume, true);
        ptr(&mut o, "cinder", &self.cinder, true);
        ptr(&mut o, "cephfs", &self.cephfs, true);
        ptr(&mut o, "flocker", &self.flocker, true);
        ptr(&mut o, "downwardAPI", &self.downward_api, true);
        ptr(&mut o, "fc", &self.fc, true);
        ptr(&mut o, "azureFile", &self.azure_file, true);
        ptr(&mut o, "configMap", &self.config_map, true);
        ptr(&mut o, "vsphereVolume", &self.vsphere_volume, true);
        ptr(&mut o, "quobyte", &self.quobyte, true);
        ptr(&mut o, "azureDisk", &self.azure_disk, true);
        ptr(
            &mut o,
            "photonPersistentDisk",
            &self.photon_persistent_disk,
            true,
        );
        ptr(&mut o, "projected", &self.projected, true);
        ptr(&mut o, "portworxVolume", &self.portworx_volume, true);
        ptr(&mut o, "scaleIO", &self.scale_io, true);
        ptr(&mut o, "storageos", &self.storageos, true);
        ptr(&mut o, "csi", &self.csi, true);
        ptr(&mut o, "ephemeral", &self.ephemeral, true);
        ptr(&mut o, "image", &self.image, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerPort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "hostPort", &self.host_port, true);
        val(&mut o, "containerPort", &self.container_port, false);
        val(&mut o, "protocol", &self.protocol, true);
        val(&mut o, "hostIP", &self.host_ip, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EnvFromSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "prefix", &self.prefix, true);
        ptr(&mut o, "configMapRef", &self.config_map_ref, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EnvVar {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "value", &self.value, true);
        ptr(&mut o, "valueFrom", &self.value_from, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerResizePolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "resourceName", &self.resource_name, false);
        val(&mut o, "restartPolicy", &self.restart_policy, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerRestartRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "action", &self.action, true);
        ptr(&mut o, "exitCodes", &self.exit_codes, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeMount {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "recursiveReadOnly", &self.recursive_read_only, true);
        val(&mut o, "mountPath", &self.mount_path, false);
        val(&mut o, "subPath", &self.sub_path, true);
        ptr(&mut o, "mountPropagation", &self.mount_propagation, true);
        val(&mut o, "subPathExpr", &self.sub_path_expr, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeDevice {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "devicePath", &self.device_path, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Probe {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.handler);
        val(
            &mut o,
            "initialDelaySeconds",
            &self.initial_delay_seconds,
            true,
        );
        val(&mut o, "timeoutSeconds", &self.timeout_seconds, true);
        val(&mut o, "periodSeconds", &self.period_seconds, true);
        val(&mut o, "successThreshold", &self.success_threshold, true);
        val(&mut o, "failureThreshold", &self.failure_threshold, true);
        ptr(
            &mut o,
            "terminationGracePeriodSeconds",
            &self.termination_grace_period_seconds,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Lifecycle {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "postStart", &self.post_start, true);
        ptr(&mut o, "preStop", &self.pre_stop, true);
        ptr(&mut o, "stopSignal", &self.stop_signal, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecurityContext {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "capabilities", &self.capabilities, true);
        ptr(&mut o, "privileged", &self.privileged, true);
        ptr(&mut o, "seLinuxOptions", &self.se_linux_options, true);
        ptr(&mut o, "windowsOptions", &self.windows_options, true);
        ptr(&mut o, "runAsUser", &self.run_as_user, true);
        ptr(&mut o, "runAsGroup", &self.run_as_group, true);
        ptr(&mut o, "runAsNonRoot", &self.run_as_non_root, true);
        ptr(
            &mut o,
            "readOnlyRootFilesystem",
            &self.read_only_root_filesystem,
            true,
        );
        ptr(
            &mut o,
            "allowPrivilegeEscalation",
            &self.allow_privilege_escalation,
            true,
        );
        ptr(&mut o, "procMount", &self.proc_mount, true);
        ptr(&mut o, "seccompProfile", &self.seccomp_profile, true);
        ptr(&mut o, "appArmorProfile", &self.app_armor_profile, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EphemeralContainerCommon {
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

impl Json for pb::api::core::v1::SeLinuxOptions {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "user", &self.user, true);
        val(&mut o, "role", &self.role, true);
        val(&mut o, "type", &self.r#type, true);
        val(&mut o, "level", &self.level, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::WindowsSecurityContextOptions {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "gmsaCredentialSpecName",
            &self.gmsa_credential_spec_name,
            true,
        );
        ptr(
            &mut o,
            "gmsaCredentialSpec",
            &self.gmsa_credential_spec,
            true,
        );
        ptr(&mut o, "runAsUserName", &self.run_as_user_name, true);
        ptr(&mut o, "hostProcess", &self.host_process, true);
        Value::Object(o)
    }
}
