// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the authentication group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::authentication::v1::TokenRequest {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::authentication::v1::TokenRequestSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "audiences", &self.audiences, false);
        ptr(&mut o, "expirationSeconds", &self.expiration_seconds, false);
        ptr(&mut o, "boundObjectRef", &self.bound_object_ref, false);
        Value::Object(o)
    }
}

impl Json for pb::api::authentication::v1::TokenRequestStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "token", &self.token, false);
        obj(&mut o, "expirationTimestamp", &self.expiration_timestamp);
        Value::Object(o)
    }
}

impl Json for pb::api::authentication::v1::BoundObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "kind", &self.kind, true);
        val(&mut o, "apiVersion", &self.api_version, true);
        val(&mut o, "name", &self.name, true);
        val(&mut o, "uid", &self.u_id, true);
        Value::Object(o)
    }
}
