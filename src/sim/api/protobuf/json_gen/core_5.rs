// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::ScopedResourceSelectorRequirement {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "scopeName", &self.scope_name, false);
        val(&mut o, "operator", &self.operator, false);
        list(&mut o, "values", &self.values, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EmptyDirVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "medium", &self.medium, true);
        ptr(&mut o, "sizeLimit", &self.size_limit, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::GitRepoVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "repository", &self.repository, false);
        val(&mut o, "revision", &self.revision, true);
        val(&mut o, "directory", &self.directory, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecretVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "secretName", &self.secret_name, true);
        list(&mut o, "items", &self.items, true);
        ptr(&mut o, "defaultMode", &self.default_mode, true);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::IscsiVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "targetPortal", &self.target_portal, false);
        val(&mut o, "iqn", &self.iqn, false);
        val(&mut o, "lun", &self.lun, false);
        val(&mut o, "iscsiInterface", &self.iscsi_interface, true);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        list(&mut o, "portals", &self.portals, true);
        val(&mut o, "chapAuthDiscovery", &self.chap_auth_discovery, true);
        val(&mut o, "chapAuthSession", &self.chap_auth_session, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        ptr(&mut o, "initiatorName", &self.initiator_name, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::GlusterfsVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "endpoints", &self.endpoints, false);
        val(&mut o, "path", &self.path, false);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeClaimVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "claimName", &self.claim_name, false);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::RbdVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "monitors", &self.monitors, false);
        val(&mut o, "image", &self.image, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "pool", &self.pool, true);
        val(&mut o, "user", &self.user, true);
        val(&mut o, "keyring", &self.keyring, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::FlexVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "driver", &self.driver, false);
        val(&mut o, "fsType", &self.fs_type, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        val(&mut o, "readOnly", &self.read_only, true);
        map(&mut o, "options", &self.options, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::CinderVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeID", &self.volume_id, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::CephFsVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "monitors", &self.monitors, false);
        val(&mut o, "path", &self.path, true);
        val(&mut o, "user", &self.user, true);
        val(&mut o, "secretFile", &self.secret_file, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::DownwardAPIVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "items", &self.items, true);
        ptr(&mut o, "defaultMode", &self.default_mode, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::AzureFileVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "secretName", &self.secret_name, false);
        val(&mut o, "shareName", &self.share_name, false);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMapVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        list(&mut o, "items", &self.items, true);
        ptr(&mut o, "defaultMode", &self.default_mode, true);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ProjectedVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "sources", &self.sources, false);
        ptr(&mut o, "defaultMode", &self.default_mode, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ScaleIoVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "gateway", &self.gateway, false);
        val(&mut o, "system", &self.system, false);
        ptr(&mut o, "secretRef", &self.secret_ref, false);
        val(&mut o, "sslEnabled", &self.ssl_enabled, true);
        val(&mut o, "protectionDomain", &self.protection_domain, true);
        val(&mut o, "storagePool", &self.storage_pool, true);
        val(&mut o, "storageMode", &self.storage_mode, true);
        val(&mut o, "volumeName", &self.volume_name, true);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::StorageOsVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeName", &self.volume_name, true);
        val(&mut o, "volumeNamespace", &self.volume_namespace, true);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::CSIVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "driver", &self.driver, false);
        ptr(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "fsType", &self.fs_type, true);
        map(&mut o, "volumeAttributes", &self.volume_attributes, true);
        ptr(
            &mut o,
            "nodePublishSecretRef",
            &self.node_publish_secret_ref,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EphemeralVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "volumeClaimTemplate",
            &self.volume_claim_template,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ImageVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "reference", &self.reference, true);
        val(&mut o, "pullPolicy", &self.pull_policy, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMapEnvSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecretEnvSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::EnvVarSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "fieldRef", &self.field_ref, true);
        ptr(&mut o, "resourceFieldRef", &self.resource_field_ref, true);
        ptr(&mut o, "configMapKeyRef", &self.config_map_key_ref, true);
        ptr(&mut o, "secretKeyRef", &self.secret_key_ref, true);
        ptr(&mut o, "fileKeyRef", &self.file_key_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerRestartRuleOnExitCodes {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "operator", &self.operator, true);
        list(&mut o, "values", &self.values, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ProbeHandler {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "exec", &self.exec, true);
        ptr(&mut o, "httpGet", &self.http_get, true);
        ptr(&mut o, "tcpSocket", &self.tcp_socket, true);
        ptr(&mut o, "grpc", &self.grpc, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LifecycleHandler {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "exec", &self.exec, true);
        ptr(&mut o, "httpGet", &self.http_get, true);
        ptr(&mut o, "tcpSocket", &self.tcp_socket, true);
        ptr(&mut o, "sleep", &self.sleep, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::Capabilities {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "add", &self.add, true);
        list(&mut o, "drop", &self.drop, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PreferredSchedulingTerm {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "weight", &self.weight, false);
        obj(&mut o, "preference", &self.preference);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodAffinityTerm {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "labelSelector", &self.label_selector, true);
        list(&mut o, "namespaces", &self.namespaces, true);
        val(&mut o, "topologyKey", &self.topology_key, false);
        ptr(&mut o, "namespaceSelector", &self.namespace_selector, true);
        list(&mut o, "matchLabelKeys", &self.match_label_keys, true);
        list(&mut o, "mismatchLabelKeys", &self.mismatch_label_keys, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::WeightedPodAffinityTerm {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "weight", &self.weight, false);
        obj(&mut o, "podAffinityTerm", &self.pod_affinity_term);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerStateWaiting {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerStateRunning {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "startedAt", &self.started_at);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerStateTerminated {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "exitCode", &self.exit_code, false);
        val(&mut o, "signal", &self.signal, true);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        obj(&mut o, "startedAt", &self.started_at);
        obj(&mut o, "finishedAt", &self.finished_at);
        val(&mut o, "containerID", &self.container_id, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LinuxContainerUser {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "uid", &self.uid, false);
        val(&mut o, "gid", &self.gid, false);
        list(
            &mut o,
            "supplementalGroups",
            &self.supplemental_groups,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceHealth {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "resourceID", &self.resource_id, false);
        val(&mut o, "health", &self.health, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PortStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "port", &self.port, false);
        val(&mut o, "protocol", &self.protocol, false);
        ptr(&mut o, "error", &self.error, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecretReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "namespace", &self.namespace, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSelectorTerm {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "matchExpressions", &self.match_expressions, true);
        list(&mut o, "matchFields", &self.match_fields, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::KeyToPath {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, false);
        val(&mut o, "path", &self.path, false);
        ptr(&mut o, "mode", &self.mode, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::DownwardAPIVolumeFile {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "path", &self.path, false);
        ptr(&mut o, "fieldRef", &self.field_ref, true);
        ptr(&mut o, "resourceFieldRef", &self.resource_field_ref, true);
        ptr(&mut o, "mode", &self.mode, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeProjection {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "secret", &self.secret, true);
        ptr(&mut o, "downwardAPI", &self.downward_api, true);
        ptr(&mut o, "configMap", &self.config_map, true);
        ptr(
            &mut o,
            "serviceAccountToken",
            &self.service_account_token,
            true,
        );
        ptr(
            &mut o,
            "clusterTrustBundle",
            &self.cluster_trust_bundle,
            true,
        );
        ptr(&mut o, "podCertificate", &self.pod_certificate, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PersistentVolumeClaimTemplate {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ObjectFieldSelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "apiVersion", &self.api_version, true);
        val(&mut o, "fieldPath", &self.field_path, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceFieldSelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "containerName", &self.container_name, true);
        val(&mut o, "resource", &self.resource, false);
        obj(&mut o, "divisor", &self.divisor);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMapKeySelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        val(&mut o, "key", &self.key, false);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SecretKeySelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        inline(&mut o, &self.local_object_reference);
        val(&mut o, "key", &self.key, false);
        ptr(&mut o, "optional", &self.optional, true);
        Value::Object(o)
    }
}
