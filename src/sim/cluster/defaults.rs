//! What the API server fills in on create (its defaulting and its
//! strategies' `PrepareForCreate`), as kube-apiserver v1.37.2 answered in
//! `tests/controlplane`: applied to objects written through the API, made
//! by the controllers (they write through the API too) and loaded from a
//! scenario. Needs the object's uid (call after `Store::prepare`).

use serde_json::{Value, json};

/// Fills in what the API server would for a new object of its kind.
pub fn on_create(object: &mut Value) {
    if object["kind"] == "Job" {
        job(object);
    }
}

/// The labels the job strategy puts on a Job's pod template (and so on
/// its pods), and the selector made of them: `kubectl logs job/x` picks a
/// pod of that job by it.
const JOB_NAME: &str = "batch.kubernetes.io/job-name";
const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";

fn job(job: &mut Value) {
    let uid = job["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let name = job["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let spec = &mut job["spec"];
    if !spec.is_object() {
        return;
    }
    let manual = spec["manualSelector"].as_bool() == Some(true);
    if !manual {
        // The real one: labels on the template, the selector the uid alone.
        let labels = &mut spec["template"]["metadata"]["labels"];
        if !labels.is_object() {
            *labels = json!({});
        }
        for (k, v) in [
            (CONTROLLER_UID, &uid),
            (JOB_NAME, &name),
            ("controller-uid", &uid),
            ("job-name", &name),
        ] {
            labels[k] = json!(v);
        }
        spec["selector"] = json!({ "matchLabels": { CONTROLLER_UID: uid } });
        spec["manualSelector"] = json!(false);
    }
    let both_unset = spec["completions"].is_null() && spec["parallelism"].is_null();
    for (field, value) in [
        ("backoffLimit", json!(6)),
        ("completionMode", json!("NonIndexed")),
        ("parallelism", json!(1)),
        ("podReplacementPolicy", json!("TerminatingOrFailed")),
        ("suspend", json!(false)),
    ] {
        if spec[field].is_null() {
            spec[field] = value;
        }
    }
    if both_unset {
        spec["completions"] = json!(1);
    }
    // A Job without labels takes its template's.
    let template_labels = spec["template"]["metadata"]["labels"].clone();
    let labels = &job["metadata"]["labels"];
    if labels.as_object().is_none_or(|l| l.is_empty()) && template_labels.is_object() {
        job["metadata"]["labels"] = template_labels;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_gets_the_real_ones_selector_and_labels() {
        let mut job = json!({
            "kind": "Job",
            "metadata": { "name": "j1", "uid": "u-1" },
            "spec": { "template": { "spec": { "containers": [] } } }
        });
        on_create(&mut job);
        let four = json!({
            "batch.kubernetes.io/controller-uid": "u-1",
            "batch.kubernetes.io/job-name": "j1",
            "controller-uid": "u-1",
            "job-name": "j1",
        });
        assert_eq!(job["spec"]["template"]["metadata"]["labels"], four);
        assert_eq!(job["metadata"]["labels"], four);
        assert_eq!(
            job["spec"]["selector"],
            json!({ "matchLabels": { "batch.kubernetes.io/controller-uid": "u-1" } })
        );
        assert_eq!(
            (&job["spec"]["completions"], &job["spec"]["parallelism"]),
            (&json!(1), &json!(1))
        );
    }

    #[test]
    fn a_manual_selector_and_own_labels_are_kept() {
        let mut job = json!({
            "kind": "Job",
            "metadata": { "name": "j2", "uid": "u-2", "labels": { "team": "a" } },
            "spec": { "manualSelector": true, "selector": { "matchLabels": { "app": "x" } },
                      "parallelism": 3,
                      "template": { "metadata": { "labels": { "app": "x" } } } }
        });
        on_create(&mut job);
        assert_eq!(job["metadata"]["labels"], json!({ "team": "a" }));
        assert_eq!(
            job["spec"]["selector"],
            json!({ "matchLabels": { "app": "x" } })
        );
        assert_eq!(
            job["spec"]["template"]["metadata"]["labels"],
            json!({ "app": "x" })
        );
        assert!(
            job["spec"]["completions"].is_null(),
            "parallelism alone leaves completions unset"
        );
    }
}
