// @generated: part of json_gen.rs (tests/fixtures/protobuf/gen), the
// messages of the batch group; do not edit.

use k8s_pb as pb;
use serde_json::{Map, Value};

use super::super::json::*;

impl Json for pb::api::batch::v1::Job {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::CronJob {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        obj(&mut o, "status", &self.status);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::JobSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "parallelism", &self.parallelism, true);
        ptr(&mut o, "completions", &self.completions, true);
        ptr(
            &mut o,
            "activeDeadlineSeconds",
            &self.active_deadline_seconds,
            true,
        );
        ptr(&mut o, "podFailurePolicy", &self.pod_failure_policy, true);
        ptr(&mut o, "successPolicy", &self.success_policy, true);
        ptr(&mut o, "backoffLimit", &self.backoff_limit, true);
        ptr(
            &mut o,
            "backoffLimitPerIndex",
            &self.backoff_limit_per_index,
            true,
        );
        ptr(&mut o, "maxFailedIndexes", &self.max_failed_indexes, true);
        ptr(&mut o, "selector", &self.selector, true);
        ptr(&mut o, "manualSelector", &self.manual_selector, true);
        obj(&mut o, "template", &self.template);
        ptr(
            &mut o,
            "ttlSecondsAfterFinished",
            &self.ttl_seconds_after_finished,
            true,
        );
        ptr(&mut o, "completionMode", &self.completion_mode, true);
        ptr(&mut o, "suspend", &self.suspend, true);
        ptr(
            &mut o,
            "podReplacementPolicy",
            &self.pod_replacement_policy,
            true,
        );
        ptr(&mut o, "managedBy", &self.managed_by, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::JobStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "conditions", &self.conditions, true);
        ptr(&mut o, "startTime", &self.start_time, true);
        ptr(&mut o, "completionTime", &self.completion_time, true);
        val(&mut o, "active", &self.active, true);
        val(&mut o, "succeeded", &self.succeeded, true);
        val(&mut o, "failed", &self.failed, true);
        ptr(&mut o, "terminating", &self.terminating, true);
        val(&mut o, "completedIndexes", &self.completed_indexes, true);
        ptr(&mut o, "failedIndexes", &self.failed_indexes, true);
        ptr(
            &mut o,
            "uncountedTerminatedPods",
            &self.uncounted_terminated_pods,
            true,
        );
        ptr(&mut o, "ready", &self.ready, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::CronJobSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "schedule", &self.schedule, false);
        ptr(&mut o, "timeZone", &self.time_zone, true);
        ptr(
            &mut o,
            "startingDeadlineSeconds",
            &self.starting_deadline_seconds,
            true,
        );
        val(&mut o, "concurrencyPolicy", &self.concurrency_policy, true);
        ptr(&mut o, "suspend", &self.suspend, true);
        obj(&mut o, "jobTemplate", &self.job_template);
        ptr(
            &mut o,
            "successfulJobsHistoryLimit",
            &self.successful_jobs_history_limit,
            true,
        );
        ptr(
            &mut o,
            "failedJobsHistoryLimit",
            &self.failed_jobs_history_limit,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::CronJobStatus {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "active", &self.active, true);
        ptr(&mut o, "lastScheduleTime", &self.last_schedule_time, true);
        ptr(
            &mut o,
            "lastSuccessfulTime",
            &self.last_successful_time,
            true,
        );
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::PodFailurePolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "rules", &self.rules, false);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::SuccessPolicy {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "rules", &self.rules, false);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::JobCondition {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        obj(&mut o, "lastProbeTime", &self.last_probe_time);
        obj(&mut o, "lastTransitionTime", &self.last_transition_time);
        val(&mut o, "reason", &self.reason, true);
        val(&mut o, "message", &self.message, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::UncountedTerminatedPods {
    fn json(&self) -> Value {
        let mut o = Map::new();
        list(&mut o, "succeeded", &self.succeeded, true);
        list(&mut o, "failed", &self.failed, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::JobTemplateSpec {
    fn json(&self) -> Value {
        let mut o = Map::new();
        obj(&mut o, "metadata", &self.metadata);
        obj(&mut o, "spec", &self.spec);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::PodFailurePolicyRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "action", &self.action, false);
        ptr(&mut o, "onExitCodes", &self.on_exit_codes, true);
        list(&mut o, "onPodConditions", &self.on_pod_conditions, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::SuccessPolicyRule {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "succeededIndexes", &self.succeeded_indexes, true);
        ptr(&mut o, "succeededCount", &self.succeeded_count, true);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::PodFailurePolicyOnExitCodesRequirement {
    fn json(&self) -> Value {
        let mut o = Map::new();
        ptr(&mut o, "containerName", &self.container_name, true);
        val(&mut o, "operator", &self.operator, false);
        list(&mut o, "values", &self.values, false);
        Value::Object(o)
    }
}

impl Json for pb::api::batch::v1::PodFailurePolicyOnPodConditionsPattern {
    fn json(&self) -> Value {
        let mut o = Map::new();
        val(&mut o, "type", &self.r#type, false);
        val(&mut o, "status", &self.status, false);
        Value::Object(o)
    }
}
