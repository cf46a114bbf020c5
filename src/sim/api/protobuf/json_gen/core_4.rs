// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the core group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::core::v1::Sysctl {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "value", &self.value, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::SeccompProfile {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        ptr(&mut o, "localhostProfile", &self.localhost_profile, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::AppArmorProfile {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        ptr(&mut o, "localhostProfile", &self.localhost_profile, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeAffinity {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "requiredDuringSchedulingIgnoredDuringExecution",
            &self.required_during_scheduling_ignored_during_execution,
            true,
        );
        list(
            &mut o,
            "preferredDuringSchedulingIgnoredDuringExecution",
            &self.preferred_during_scheduling_ignored_during_execution,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodAffinity {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(
            &mut o,
            "requiredDuringSchedulingIgnoredDuringExecution",
            &self.required_during_scheduling_ignored_during_execution,
            true,
        );
        list(
            &mut o,
            "preferredDuringSchedulingIgnoredDuringExecution",
            &self.preferred_during_scheduling_ignored_during_execution,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodAntiAffinity {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(
            &mut o,
            "requiredDuringSchedulingIgnoredDuringExecution",
            &self.required_during_scheduling_ignored_during_execution,
            true,
        );
        list(
            &mut o,
            "preferredDuringSchedulingIgnoredDuringExecution",
            &self.preferred_during_scheduling_ignored_during_execution,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PodDnsConfigOption {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        ptr(&mut o, "value", &self.value, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceClaim {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "request", &self.request, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerState {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "waiting", &self.waiting, true);
        ptr(&mut o, "running", &self.running, true);
        ptr(&mut o, "terminated", &self.terminated, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VolumeMountStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        val(&mut o, "mountPath", &self.mount_path, false);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "recursiveReadOnly", &self.recursive_read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerUser {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "linux", &self.linux, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ResourceStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        list(&mut o, "resources", &self.resources, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ContainerExtendedResourceRequest {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "containerName", &self.container_name, false);
        val(&mut o, "resourceName", &self.resource_name, false);
        val(&mut o, "requestName", &self.request_name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ConfigMapNodeConfigSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "namespace", &self.namespace, false);
        val(&mut o, "name", &self.name, false);
        val(&mut o, "uid", &self.uid, true);
        val(&mut o, "resourceVersion", &self.resource_version, true);
        val(&mut o, "kubeletConfigKey", &self.kubelet_config_key, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::DaemonEndpoint {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "Port", &self.port, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSwapStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "capacity", &self.capacity, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeRuntimeHandlerFeatures {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "recursiveReadOnlyMounts",
            &self.recursive_read_only_mounts,
            true,
        );
        ptr(&mut o, "userNamespaces", &self.user_namespaces, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ClientIpConfig {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "timeoutSeconds", &self.timeout_seconds, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::LoadBalancerIngress {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, true);
        val(&mut o, "hostname", &self.hostname, true);
        ptr(&mut o, "ipMode", &self.ip_mode, true);
        list(&mut o, "ports", &self.ports, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::GcePersistentDiskVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "pdName", &self.pd_name, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "partition", &self.partition, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::AwsElasticBlockStoreVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeID", &self.volume_id, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "partition", &self.partition, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::HostPathVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "path", &self.path, false);
        ptr(&mut o, "type", &self.r#type, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::GlusterfsPersistentVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "endpoints", &self.endpoints, false);
        val(&mut o, "path", &self.path, false);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(
            &mut o,
            "endpointsNamespace",
            &self.endpoints_namespace,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NfsVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "server", &self.server, false);
        val(&mut o, "path", &self.path, false);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::RbdPersistentVolumeSource {
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

impl Json for pb::api::core::v1::IscsiPersistentVolumeSource {
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

impl Json for pb::api::core::v1::CinderPersistentVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeID", &self.volume_id, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "secretRef", &self.secret_ref, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::CephFsPersistentVolumeSource {
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

impl Json for pb::api::core::v1::FcVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "targetWWNs", &self.target_ww_ns, true);
        ptr(&mut o, "lun", &self.lun, true);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        list(&mut o, "wwids", &self.wwids, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::FlockerVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "datasetName", &self.dataset_name, true);
        val(&mut o, "datasetUUID", &self.dataset_uuid, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::FlexPersistentVolumeSource {
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

impl Json for pb::api::core::v1::AzureFilePersistentVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "secretName", &self.secret_name, false);
        val(&mut o, "shareName", &self.share_name, false);
        val(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "secretNamespace", &self.secret_namespace, false);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::VsphereVirtualDiskVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumePath", &self.volume_path, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "storagePolicyName", &self.storage_policy_name, true);
        val(&mut o, "storagePolicyID", &self.storage_policy_id, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::QuobyteVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "registry", &self.registry, false);
        val(&mut o, "volume", &self.volume, false);
        val(&mut o, "readOnly", &self.read_only, true);
        val(&mut o, "user", &self.user, true);
        val(&mut o, "group", &self.group, true);
        val(&mut o, "tenant", &self.tenant, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::AzureDiskVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "diskName", &self.disk_name, false);
        val(&mut o, "diskURI", &self.disk_uri, false);
        ptr(&mut o, "cachingMode", &self.caching_mode, true);
        ptr(&mut o, "fsType", &self.fs_type, true);
        ptr(&mut o, "readOnly", &self.read_only, true);
        ptr(&mut o, "kind", &self.kind, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PhotonPersistentDiskVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "pdID", &self.pd_id, false);
        val(&mut o, "fsType", &self.fs_type, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::PortworxVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "volumeID", &self.volume_id, false);
        val(&mut o, "fsType", &self.fs_type, true);
        val(&mut o, "readOnly", &self.read_only, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::ScaleIoPersistentVolumeSource {
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

impl Json for pb::api::core::v1::LocalVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "path", &self.path, false);
        ptr(&mut o, "fsType", &self.fs_type, true);
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::StorageOsPersistentVolumeSource {
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

impl Json for pb::api::core::v1::CSIPersistentVolumeSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "driver", &self.driver, false);
        val(&mut o, "volumeHandle", &self.volume_handle, false);
        val(&mut o, "readOnly", &self.read_only, true);
        val(&mut o, "fsType", &self.fs_type, true);
        map(&mut o, "volumeAttributes", &self.volume_attributes, true);
        ptr(
            &mut o,
            "controllerPublishSecretRef",
            &self.controller_publish_secret_ref,
            true,
        );
        ptr(
            &mut o,
            "nodeStageSecretRef",
            &self.node_stage_secret_ref,
            true,
        );
        ptr(
            &mut o,
            "nodePublishSecretRef",
            &self.node_publish_secret_ref,
            true,
        );
        ptr(
            &mut o,
            "controllerExpandSecretRef",
            &self.controller_expand_secret_ref,
            true,
        );
        ptr(
            &mut o,
            "nodeExpandSecretRef",
            &self.node_expand_secret_ref,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::core::v1::NodeSelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(
            &mut o,
            "nodeSelectorTerms",
            &self.node_selector_terms,
            false,
        );
        Value::Object(o)
    }
}
