// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the policy group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::policy::v1::PodDisruptionBudget {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::policy::v1::Eviction {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        ptr(&mut o, "deleteOptions", &self.delete_options, true);
        Value::Object(o)
    }
}

impl Json for pb::api::policy::v1::PodDisruptionBudgetSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "minAvailable", &self.min_available, true);
        ptr(&mut o, "selector", &self.selector, true);
        ptr(&mut o, "maxUnavailable", &self.max_unavailable, true);
        ptr(
            &mut o,
            "unhealthyPodEvictionPolicy",
            &self.unhealthy_pod_eviction_policy,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::policy::v1::PodDisruptionBudgetStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        map(&mut o, "disruptedPods", &self.disrupted_pods, true);
        val(
            &mut o,
            "disruptionsAllowed",
            &self.disruptions_allowed,
            false,
        );
        val(&mut o, "currentHealthy", &self.current_healthy, false);
        val(&mut o, "desiredHealthy", &self.desired_healthy, false);
        val(&mut o, "expectedPods", &self.expected_pods, false);
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}
