// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the rbac group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::rbac::v1::Role {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "rules", &self.rules, false);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::RoleBinding {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "subjects", &self.subjects, true);
        obj(&mut o, "roleRef", &self.role_ref);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::ClusterRole {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "rules", &self.rules, false);
        ptr(&mut o, "aggregationRule", &self.aggregation_rule, true);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::ClusterRoleBinding {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        list(&mut o, "subjects", &self.subjects, true);
        obj(&mut o, "roleRef", &self.role_ref);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::PolicyRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "verbs", &self.verbs, false);
        list(&mut o, "apiGroups", &self.api_groups, true);
        list(&mut o, "resources", &self.resources, true);
        list(&mut o, "resourceNames", &self.resource_names, true);
        list(&mut o, "nonResourceURLs", &self.non_resource_ur_ls, true);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::Subject {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "apiGroup", &self.api_group, true);
        val(&mut o, "name", &self.name, false);
        val(&mut o, "namespace", &self.namespace, true);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::RoleRef {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "apiGroup", &self.api_group, false);
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        Value::Object(o)
    }
}

impl Json for pb::api::rbac::v1::AggregationRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(
            &mut o,
            "clusterRoleSelectors",
            &self.cluster_role_selectors,
            true,
        );
        Value::Object(o)
    }
}
