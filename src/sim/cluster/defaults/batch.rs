//! batch/v1 defaults (`SetDefaults_Job`, `SetDefaults_CronJob`, and the
//! templates they hold). A CronJob's jobTemplate gets its pod template's
//! defaults only; the Job defaults come when its Job is created.

use serde_json::{Value, json};

use super::core::pod_template;
use super::{object_at, or_set};

pub fn job(j: &mut Value) {
    let spec = object_at(j, "spec");
    if spec.get("completions").is_none_or(Value::is_null)
        && spec.get("parallelism").is_none_or(Value::is_null)
    {
        spec["completions"] = json!(1);
        spec["parallelism"] = json!(1);
    }
    or_set(spec, "parallelism", json!(1));
    if spec.get("backoffLimit").is_none_or(Value::is_null) {
        let limit = if spec["backoffLimitPerIndex"].is_null() {
            6
        } else {
            i64::from(i32::MAX)
        };
        spec["backoffLimit"] = json!(limit);
    }
    let template_labels = spec["template"]["metadata"]["labels"].clone();
    or_set(spec, "completionMode", json!("NonIndexed"));
    or_set(spec, "suspend", json!(false));
    if spec.get("podReplacementPolicy").is_none_or(Value::is_null) {
        let policy = if spec["podFailurePolicy"].is_null() {
            "TerminatingOrFailed"
        } else {
            "Failed"
        };
        spec["podReplacementPolicy"] = json!(policy);
    }
    or_set(spec, "manualSelector", json!(false));
    pod_template(object_at(spec, "template"));
    if template_labels.is_object()
        && j["metadata"]["labels"]
            .as_object()
            .is_none_or(|l| l.is_empty())
    {
        j["metadata"]["labels"] = template_labels;
    }
}

pub fn cron_job(cj: &mut Value) {
    let spec = object_at(cj, "spec");
    if spec["concurrencyPolicy"].as_str().is_none_or(str::is_empty) {
        spec["concurrencyPolicy"] = json!("Allow");
    }
    or_set(spec, "suspend", json!(false));
    or_set(spec, "successfulJobsHistoryLimit", json!(3));
    or_set(spec, "failedJobsHistoryLimit", json!(1));
    let job_template = object_at(spec, "jobTemplate");
    object_at(job_template, "metadata");
    pod_template(object_at(object_at(job_template, "spec"), "template"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_runs_once_unless_told() {
        let mut j = json!({ "metadata": { "name": "m" }, "spec": { "backoffLimit": 2, "template": { "spec": { "restartPolicy": "Never", "containers": [] } } } });
        job(&mut j);
        let spec = &j["spec"];
        assert_eq!(spec["completions"], 1);
        assert_eq!(spec["parallelism"], 1);
        assert_eq!(spec["backoffLimit"], 2);
        assert_eq!(spec["completionMode"], "NonIndexed");
        assert_eq!(spec["suspend"], false);
        assert_eq!(spec["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(spec["manualSelector"], false);
        assert_eq!(spec["template"]["spec"]["restartPolicy"], "Never");
        assert_eq!(spec["template"]["spec"]["dnsPolicy"], "ClusterFirst");
    }

    #[test]
    fn parallel_jobs_keep_completions_unset_and_back_off_six_times() {
        let mut j = json!({ "spec": { "parallelism": 3, "template": {} } });
        job(&mut j);
        assert!(j["spec"].get("completions").is_none());
        assert_eq!(j["spec"]["parallelism"], 3);
        assert_eq!(j["spec"]["backoffLimit"], 6);
        let mut j = json!({ "spec": { "backoffLimitPerIndex": 1, "podFailurePolicy": { "rules": [] }, "template": {} } });
        job(&mut j);
        assert_eq!(j["spec"]["backoffLimit"], i64::from(i32::MAX));
        assert_eq!(j["spec"]["podReplacementPolicy"], "Failed");
    }

    #[test]
    fn a_job_takes_its_templates_labels_when_it_has_none() {
        let mut j = json!({ "metadata": {}, "spec": { "template": { "metadata": { "labels": { "app": "m" } } } } });
        job(&mut j);
        assert_eq!(j["metadata"]["labels"], json!({ "app": "m" }));
    }

    #[test]
    fn a_cronjob_gets_its_policies_and_template_but_no_job_defaults() {
        let mut cj = json!({ "spec": { "schedule": "0 3 * * *", "jobTemplate": { "spec": { "template": { "spec": { "containers": [ { "name": "r", "image": "r:3" } ] } } } } } });
        cron_job(&mut cj);
        let spec = &cj["spec"];
        assert_eq!(spec["concurrencyPolicy"], "Allow");
        assert_eq!(spec["suspend"], false);
        assert_eq!(spec["successfulJobsHistoryLimit"], 3);
        assert_eq!(spec["failedJobsHistoryLimit"], 1);
        assert_eq!(spec["jobTemplate"]["metadata"], json!({}));
        assert_eq!(
            spec["jobTemplate"]["spec"]["template"]["metadata"],
            json!({})
        );
        assert!(spec["jobTemplate"]["spec"].get("completions").is_none());
        assert_eq!(
            spec["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["resources"],
            json!({})
        );
    }
}
