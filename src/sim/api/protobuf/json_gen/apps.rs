// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the apps group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::apps::v1::Deployment {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::ReplicaSet {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSet {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DaemonSet {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::ControllerRevision {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "data", &self.data);
        val(&mut o, "revision", &self.revision, false);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DeploymentSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "replicas", &self.replicas, true);
        ptr(&mut o, "selector", &self.selector, false);
        obj(&mut o, "template", &self.template);
        obj(&mut o, "strategy", &self.strategy);
        val(&mut o, "minReadySeconds", &self.min_ready_seconds, true);
        ptr(
            &mut o,
            "revisionHistoryLimit",
            &self.revision_history_limit,
            true,
        );
        val(&mut o, "paused", &self.paused, true);
        ptr(
            &mut o,
            "progressDeadlineSeconds",
            &self.progress_deadline_seconds,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DeploymentStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        val(&mut o, "replicas", &self.replicas, true);
        val(&mut o, "updatedReplicas", &self.updated_replicas, true);
        val(&mut o, "readyReplicas", &self.ready_replicas, true);
        val(&mut o, "availableReplicas", &self.available_replicas, true);
        val(
            &mut o,
            "unavailableReplicas",
            &self.unavailable_replicas,
            true,
        );
        ptr(
            &mut o,
            "terminatingReplicas",
            &self.terminating_replicas,
            true,
        );
        list(&mut o, "conditions", &self.conditions, true);
        ptr(&mut o, "collisionCount", &self.collision_count, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::ReplicaSetSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "replicas", &self.replicas, true);
        val(&mut o, "minReadySeconds", &self.min_ready_seconds, true);
        ptr(&mut o, "selector", &self.selector, false);
        obj(&mut o, "template", &self.template);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::ReplicaSetStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "replicas", &self.replicas, false);
        val(
            &mut o,
            "fullyLabeledReplicas",
            &self.fully_labeled_replicas,
            true,
        );
        val(&mut o, "readyReplicas", &self.ready_replicas, true);
        val(&mut o, "availableReplicas", &self.available_replicas, true);
        ptr(
            &mut o,
            "terminatingReplicas",
            &self.terminating_replicas,
            true,
        );
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "replicas", &self.replicas, true);
        ptr(&mut o, "selector", &self.selector, false);
        obj(&mut o, "template", &self.template);
        list(
            &mut o,
            "volumeClaimTemplates",
            &self.volume_claim_templates,
            true,
        );
        val(&mut o, "serviceName", &self.service_name, false);
        val(
            &mut o,
            "podManagementPolicy",
            &self.pod_management_policy,
            true,
        );
        obj(&mut o, "updateStrategy", &self.update_strategy);
        ptr(
            &mut o,
            "revisionHistoryLimit",
            &self.revision_history_limit,
            true,
        );
        val(&mut o, "minReadySeconds", &self.min_ready_seconds, true);
        ptr(
            &mut o,
            "persistentVolumeClaimRetentionPolicy",
            &self.persistent_volume_claim_retention_policy,
            true,
        );
        ptr(&mut o, "ordinals", &self.ordinals, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        val(&mut o, "replicas", &self.replicas, false);
        val(&mut o, "readyReplicas", &self.ready_replicas, true);
        val(&mut o, "currentReplicas", &self.current_replicas, true);
        val(&mut o, "updatedReplicas", &self.updated_replicas, true);
        val(&mut o, "currentRevision", &self.current_revision, true);
        val(&mut o, "updateRevision", &self.update_revision, true);
        ptr(&mut o, "collisionCount", &self.collision_count, true);
        list(&mut o, "conditions", &self.conditions, true);
        val(&mut o, "availableReplicas", &self.available_replicas, false);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DaemonSetSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "selector", &self.selector, false);
        obj(&mut o, "template", &self.template);
        obj(&mut o, "updateStrategy", &self.update_strategy);
        val(&mut o, "minReadySeconds", &self.min_ready_seconds, true);
        ptr(
            &mut o,
            "revisionHistoryLimit",
            &self.revision_history_limit,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DaemonSetStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "currentNumberScheduled",
            &self.current_number_scheduled,
            false,
        );
        val(
            &mut o,
            "numberMisscheduled",
            &self.number_misscheduled,
            false,
        );
        val(
            &mut o,
            "desiredNumberScheduled",
            &self.desired_number_scheduled,
            false,
        );
        val(&mut o, "numberReady", &self.number_ready, false);
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        val(
            &mut o,
            "updatedNumberScheduled",
            &self.updated_number_scheduled,
            true,
        );
        val(&mut o, "numberAvailable", &self.number_available, true);
        val(&mut o, "numberUnavailable", &self.number_unavailable, true);
        ptr(&mut o, "collisionCount", &self.collision_count, true);
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DeploymentStrategy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, true);
        ptr(&mut o, "rollingUpdate", &self.rolling_update, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DeploymentCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastUpdateTime", &self.last_update_time);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::ReplicaSetCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetUpdateStrategy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, true);
        ptr(&mut o, "rollingUpdate", &self.rolling_update, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetPersistentVolumeClaimRetentionPolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "whenDeleted", &self.when_deleted, true);
        val(&mut o, "whenScaled", &self.when_scaled, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetOrdinals {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "start", &self.start, false);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::StatefulSetCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DaemonSetUpdateStrategy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, true);
        ptr(&mut o, "rollingUpdate", &self.rolling_update, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::DaemonSetCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::RollingUpdateDeployment {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "maxUnavailable", &self.max_unavailable, true);
        ptr(&mut o, "maxSurge", &self.max_surge, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::RollingUpdateStatefulSetStrategy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "partition", &self.partition, true);
        ptr(&mut o, "maxUnavailable", &self.max_unavailable, true);
        Value::Object(o)
    }
}

impl Json for pb::api::apps::v1::RollingUpdateDaemonSet {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "maxUnavailable", &self.max_unavailable, true);
        ptr(&mut o, "maxSurge", &self.max_surge, true);
        Value::Object(o)
    }
}
