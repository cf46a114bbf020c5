// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the discovery group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::discovery::v1::EndpointSlice {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        val(&mut o, "addressType", &self.address_type, false);
        list(&mut o, "endpoints", &self.endpoints, false);
        list(&mut o, "ports", &self.ports, false);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::Endpoint {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "addresses", &self.addresses, false);
        obj(&mut o, "conditions", &self.conditions);
        ptr(&mut o, "hostname", &self.hostname, true);
        ptr(&mut o, "targetRef", &self.target_ref, true);
        map(
            &mut o,
            "deprecatedTopology",
            &self.deprecated_topology,
            true,
        );
        ptr(&mut o, "nodeName", &self.node_name, true);
        ptr(&mut o, "zone", &self.zone, true);
        ptr(&mut o, "hints", &self.hints, true);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::EndpointPort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "name", &self.name, true);
        ptr(&mut o, "protocol", &self.protocol, true);
        ptr(&mut o, "port", &self.port, true);
        ptr(&mut o, "appProtocol", &self.app_protocol, true);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::EndpointConditions {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "ready", &self.ready, true);
        ptr(&mut o, "serving", &self.serving, true);
        ptr(&mut o, "terminating", &self.terminating, true);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::EndpointHints {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "forZones", &self.for_zones, true);
        list(&mut o, "forNodes", &self.for_nodes, true);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::ForZone {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::discovery::v1::ForNode {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}
