// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the coordination group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::coordination::v1::Lease {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::coordination::v1::LeaseSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "holderIdentity", &self.holder_identity, true);
        ptr(
            &mut o,
            "leaseDurationSeconds",
            &self.lease_duration_seconds,
            true,
        );
        ptr(&mut o, "acquireTime", &self.acquire_time, true);
        ptr(&mut o, "renewTime", &self.renew_time, true);
        ptr(&mut o, "leaseTransitions", &self.lease_transitions, true);
        ptr(&mut o, "strategy", &self.strategy, true);
        ptr(&mut o, "preferredHolder", &self.preferred_holder, true);
        Value::Object(o)
    }
}
