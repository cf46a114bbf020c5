// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the scheduling group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::scheduling::v1::PriorityClass {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        val(&mut o, "value", &self.value, false);
        val(&mut o, "globalDefault", &self.global_default, true);
        val(&mut o, "description", &self.description, true);
        ptr(&mut o, "preemptionPolicy", &self.preemption_policy, true);
        Value::Object(o)
    }
}
