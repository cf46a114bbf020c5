// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the networking group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::networking::v1::Ingress {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressClass {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "ingressClassName", &self.ingress_class_name, true);
        ptr(&mut o, "defaultBackend", &self.default_backend, true);
        list(&mut o, "tls", &self.tls, true);
        list(&mut o, "rules", &self.rules, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "loadBalancer", &self.load_balancer);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressClassSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "controller", &self.controller, true);
        ptr(&mut o, "parameters", &self.parameters, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicySpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "podSelector", &self.pod_selector);
        list(&mut o, "ingress", &self.ingress, true);
        list(&mut o, "egress", &self.egress, true);
        list(&mut o, "policyTypes", &self.policy_types, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressBackend {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "service", &self.service, true);
        ptr(&mut o, "resource", &self.resource, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressTls {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "hosts", &self.hosts, true);
        val(&mut o, "secretName", &self.secret_name, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "host", &self.host, true);
        inline(&mut o, &self.ingress_rule_value);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressLoadBalancerStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "ingress", &self.ingress, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressClassParametersReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "apiGroup", &self.a_pi_group, true);
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "scope", &self.scope, false);
        ptr(&mut o, "namespace", &self.namespace, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicyIngressRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "ports", &self.ports, true);
        list(&mut o, "from", &self.from, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicyEgressRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "ports", &self.ports, true);
        list(&mut o, "to", &self.to, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressServiceBackend {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "port", &self.port);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressRuleValue {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "http", &self.http, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressLoadBalancerIngress {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "ip", &self.ip, true);
        val(&mut o, "hostname", &self.hostname, true);
        list(&mut o, "ports", &self.ports, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicyPort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "protocol", &self.protocol, true);
        ptr(&mut o, "port", &self.port, true);
        ptr(&mut o, "endPort", &self.end_port, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::NetworkPolicyPeer {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "podSelector", &self.pod_selector, true);
        ptr(&mut o, "namespaceSelector", &self.namespace_selector, true);
        ptr(&mut o, "ipBlock", &self.ip_block, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::ServiceBackendPort {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "number", &self.number, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::HttpIngressRuleValue {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "paths", &self.paths, false);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IngressPortStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "port", &self.port, false);
        val(&mut o, "protocol", &self.protocol, false);
        ptr(&mut o, "error", &self.error, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::IpBlock {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "cidr", &self.cidr, false);
        list(&mut o, "except", &self.except, true);
        Value::Object(o)
    }
}

impl Json for pb::api::networking::v1::HttpIngressPath {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "path", &self.path, true);
        ptr(&mut o, "pathType", &self.path_type, false);
        obj(&mut o, "backend", &self.backend);
        Value::Object(o)
    }
}
