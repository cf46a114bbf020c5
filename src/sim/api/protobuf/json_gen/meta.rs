// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the meta group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::apimachinery::pkg::apis::meta::v1::DeleteOptions {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "gracePeriodSeconds",
            &self.grace_period_seconds,
            true,
        );
        ptr(&mut o, "preconditions", &self.preconditions, true);
        ptr(&mut o, "orphanDependents", &self.orphan_dependents, true);
        ptr(&mut o, "propagationPolicy", &self.propagation_policy, true);
        list(&mut o, "dryRun", &self.dry_run, true);
        ptr(
            &mut o,
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            &self.ignore_store_read_error_with_cluster_breaking_potential,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::ObjectMeta {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, true);
        val(&mut o, "generateName", &self.generate_name, true);
        val(&mut o, "namespace", &self.namespace, true);
        val(&mut o, "selfLink", &self.self_link, true);
        val(&mut o, "uid", &self.uid, true);
        val(&mut o, "resourceVersion", &self.resource_version, true);
        val(&mut o, "generation", &self.generation, true);
        zero_time(&mut o, "creationTimestamp", &self.creation_timestamp);
        ptr(&mut o, "deletionTimestamp", &self.deletion_timestamp, true);
        ptr(
            &mut o,
            "deletionGracePeriodSeconds",
            &self.deletion_grace_period_seconds,
            true,
        );
        map(&mut o, "labels", &self.labels, true);
        map(&mut o, "annotations", &self.annotations, true);
        list(&mut o, "ownerReferences", &self.owner_references, true);
        list(&mut o, "finalizers", &self.finalizers, true);
        list(&mut o, "managedFields", &self.managed_fields, true);
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::Preconditions {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "uid", &self.uid, true);
        ptr(&mut o, "resourceVersion", &self.resource_version, true);
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::OwnerReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "apiVersion", &self.api_version, false);
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        val(&mut o, "uid", &self.uid, false);
        ptr(&mut o, "controller", &self.controller, true);
        ptr(
            &mut o,
            "blockOwnerDeletion",
            &self.block_owner_deletion,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::ManagedFieldsEntry {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "manager", &self.manager, true);
        val(&mut o, "operation", &self.operation, true);
        val(&mut o, "apiVersion", &self.api_version, true);
        ptr(&mut o, "time", &self.time, true);
        val(&mut o, "fieldsType", &self.fields_type, true);
        ptr(&mut o, "fieldsV1", &self.fields_v1, true);
        val(&mut o, "subresource", &self.subresource, true);
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::Condition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, false);
        val(&mut o, "message", &self.message, false);
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::LabelSelector {
    fn json(&self) -> Value {
        let mut o = Map::new();
        map(&mut o, "matchLabels", &self.match_labels, true);
        list(&mut o, "matchExpressions", &self.match_expressions, true);
        Value::Object(o)
    }
}

impl Json for pb::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "key", &self.key, false);
        val(&mut o, "operator", &self.operator, false);
        list(&mut o, "values", &self.values, true);
        Value::Object(o)
    }
}
