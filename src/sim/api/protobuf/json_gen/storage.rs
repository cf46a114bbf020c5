// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the storage group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::storage::v1::StorageClass {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        val(&mut o, "provisioner", &self.provisioner, false);
        map(&mut o, "parameters", &self.parameters, true);
        ptr(&mut o, "reclaimPolicy", &self.reclaim_policy, true);
        list(&mut o, "mountOptions", &self.mount_options, true);
        ptr(
            &mut o,
            "allowVolumeExpansion",
            &self.allow_volume_expansion,
            true,
        );
        ptr(&mut o, "volumeBindingMode", &self.volume_binding_mode, true);
        list(&mut o, "allowedTopologies", &self.allowed_topologies, true);
        Value::Object(o)
    }
}
