// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the autoscaling group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::autoscaling::v1::HorizontalPodAutoscaler {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::Scale {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HorizontalPodAutoscaler {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::HorizontalPodAutoscalerSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "scaleTargetRef", &self.scale_target_ref);
        ptr(&mut o, "minReplicas", &self.min_replicas, true);
        val(&mut o, "maxReplicas", &self.max_replicas, false);
        ptr(
            &mut o,
            "targetCPUUtilizationPercentage",
            &self.target_cpu_utilization_percentage,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::HorizontalPodAutoscalerStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        ptr(&mut o, "lastScaleTime", &self.last_scale_time, true);
        val(&mut o, "currentReplicas", &self.current_replicas, false);
        val(&mut o, "desiredReplicas", &self.desired_replicas, false);
        ptr(
            &mut o,
            "currentCPUUtilizationPercentage",
            &self.current_cpu_utilization_percentage,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::ScaleSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "replicas", &self.replicas, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::ScaleStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "replicas", &self.replicas, false);
        val(&mut o, "selector", &self.selector, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HorizontalPodAutoscalerSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "scaleTargetRef", &self.scale_target_ref);
        ptr(&mut o, "minReplicas", &self.min_replicas, true);
        val(&mut o, "maxReplicas", &self.max_replicas, false);
        list(&mut o, "metrics", &self.metrics, true);
        ptr(&mut o, "behavior", &self.behavior, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HorizontalPodAutoscalerStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "observedGeneration",
            &self.observed_generation,
            true,
        );
        ptr(&mut o, "lastScaleTime", &self.last_scale_time, true);
        val(&mut o, "currentReplicas", &self.current_replicas, true);
        val(&mut o, "desiredReplicas", &self.desired_replicas, false);
        list(&mut o, "currentMetrics", &self.current_metrics, false);
        list(&mut o, "conditions", &self.conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v1::CrossVersionObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        val(&mut o, "apiVersion", &self.api_version, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::CrossVersionObjectReference {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "kind", &self.kind, false);
        val(&mut o, "name", &self.name, false);
        val(&mut o, "apiVersion", &self.api_version, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::MetricSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        ptr(&mut o, "object", &self.object, true);
        ptr(&mut o, "pods", &self.pods, true);
        ptr(&mut o, "resource", &self.resource, true);
        ptr(&mut o, "containerResource", &self.container_resource, true);
        ptr(&mut o, "external", &self.external, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HorizontalPodAutoscalerBehavior {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "scaleUp", &self.scale_up, true);
        ptr(&mut o, "scaleDown", &self.scale_down, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::MetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        ptr(&mut o, "object", &self.object, true);
        ptr(&mut o, "pods", &self.pods, true);
        ptr(&mut o, "resource", &self.resource, true);
        ptr(&mut o, "containerResource", &self.container_resource, true);
        ptr(&mut o, "external", &self.external, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HorizontalPodAutoscalerCondition {
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

impl Json for pb::api::autoscaling::v2::ObjectMetricSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "describedObject", &self.described_object);
        obj(&mut o, "target", &self.target);
        obj(&mut o, "metric", &self.metric);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::PodsMetricSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metric", &self.metric);
        obj(&mut o, "target", &self.target);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ResourceMetricSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "target", &self.target);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ContainerResourceMetricSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "target", &self.target);
        val(&mut o, "container", &self.container, false);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ExternalMetricSource {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metric", &self.metric);
        obj(&mut o, "target", &self.target);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HpaScalingRules {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(
            &mut o,
            "stabilizationWindowSeconds",
            &self.stabilization_window_seconds,
            true,
        );
        ptr(&mut o, "selectPolicy", &self.select_policy, true);
        list(&mut o, "policies", &self.policies, true);
        ptr(&mut o, "tolerance", &self.tolerance, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ObjectMetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metric", &self.metric);
        obj(&mut o, "current", &self.current);
        obj(&mut o, "describedObject", &self.described_object);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::PodsMetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metric", &self.metric);
        obj(&mut o, "current", &self.current);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ResourceMetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "current", &self.current);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ContainerResourceMetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        obj(&mut o, "current", &self.current);
        val(&mut o, "container", &self.container, false);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::ExternalMetricStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metric", &self.metric);
        obj(&mut o, "current", &self.current);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::MetricTarget {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        ptr(&mut o, "value", &self.value, true);
        ptr(&mut o, "averageValue", &self.average_value, true);
        ptr(
            &mut o,
            "averageUtilization",
            &self.average_utilization,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::MetricIdentifier {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "name", &self.name, false);
        ptr(&mut o, "selector", &self.selector, true);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::HpaScalingPolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "value", &self.value, false);
        val(&mut o, "periodSeconds", &self.period_seconds, false);
        Value::Object(o)
    }
}

impl Json for pb::api::autoscaling::v2::MetricValueStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "value", &self.value, true);
        ptr(&mut o, "averageValue", &self.average_value, true);
        ptr(
            &mut o,
            "averageUtilization",
            &self.average_utilization,
            true,
        );
        Value::Object(o)
    }
}
