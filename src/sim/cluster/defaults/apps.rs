//! apps/v1 defaults (`SetDefaults_Deployment`, `_ReplicaSet`,
//! `_StatefulSet`, `_DaemonSet`, and the pod template and claim templates
//! each holds).

use serde_json::{Value, json};

use super::core::{claim_spec, pod_template};
use super::{each, object_at, or_set};

pub fn deployment(d: &mut Value) {
    let spec = object_at(d, "spec");
    or_set(spec, "replicas", json!(1));
    let strategy = object_at(spec, "strategy");
    if strategy["type"].as_str().is_none_or(str::is_empty) {
        strategy["type"] = json!("RollingUpdate");
    }
    if strategy["type"] == "RollingUpdate" {
        let rolling = object_at(strategy, "rollingUpdate");
        or_set(rolling, "maxUnavailable", json!("25%"));
        or_set(rolling, "maxSurge", json!("25%"));
    }
    or_set(spec, "revisionHistoryLimit", json!(10));
    or_set(spec, "progressDeadlineSeconds", json!(600));
    pod_template(object_at(spec, "template"));
}

pub fn replica_set(rs: &mut Value) {
    let spec = object_at(rs, "spec");
    or_set(spec, "replicas", json!(1));
    pod_template(object_at(spec, "template"));
}

pub fn daemon_set(ds: &mut Value) {
    let spec = object_at(ds, "spec");
    let strategy = object_at(spec, "updateStrategy");
    if strategy["type"].as_str().is_none_or(str::is_empty) {
        strategy["type"] = json!("RollingUpdate");
    }
    if strategy["type"] == "RollingUpdate" {
        let rolling = object_at(strategy, "rollingUpdate");
        or_set(rolling, "maxUnavailable", json!(1));
        or_set(rolling, "maxSurge", json!(0));
    }
    or_set(spec, "revisionHistoryLimit", json!(10));
    pod_template(object_at(spec, "template"));
}

pub fn stateful_set(sts: &mut Value) {
    let spec = object_at(sts, "spec");
    if spec["podManagementPolicy"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        spec["podManagementPolicy"] = json!("OrderedReady");
    }
    let strategy = object_at(spec, "updateStrategy");
    if strategy["type"].as_str().is_none_or(str::is_empty) {
        strategy["type"] = json!("RollingUpdate");
        object_at(strategy, "rollingUpdate");
    }
    if strategy["type"] == "RollingUpdate" && strategy["rollingUpdate"].is_object() {
        let rolling = &mut strategy["rollingUpdate"];
        or_set(rolling, "partition", json!(0));
        // MaxUnavailableStatefulSet is on in 1.37.
        or_set(rolling, "maxUnavailable", json!(1));
    }
    let retention = object_at(spec, "persistentVolumeClaimRetentionPolicy");
    for field in ["whenDeleted", "whenScaled"] {
        if retention[field].as_str().is_none_or(str::is_empty) {
            retention[field] = json!("Retain");
        }
    }
    or_set(spec, "replicas", json!(1));
    or_set(spec, "revisionHistoryLimit", json!(10));
    pod_template(object_at(spec, "template"));
    each(spec, "volumeClaimTemplates", |claim| {
        // Written by the apps/v1 conversion, not a defaulter.
        claim["apiVersion"] = json!("v1");
        claim["kind"] = json!("PersistentVolumeClaim");
        claim_spec(object_at(claim, "spec"));
        let status = object_at(claim, "status");
        if status["phase"].as_str().is_none_or(str::is_empty) {
            status["phase"] = json!("Pending");
        }
    });
}

/// The annotation the DaemonSet strategy keeps the template's generation in.
pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// A new DaemonSet's template is generation 1.
pub fn daemon_set_created(ds: &mut Value) {
    object_at(object_at(ds, "metadata"), "annotations")[TEMPLATE_GENERATION] = json!("1");
}

/// An update that changes the template moves the annotation to the
/// generation it brings; any other keeps the stored one.
pub fn daemon_set_updated(old: &Value, ds: &mut Value) {
    let value = if old["spec"]["template"] != ds["spec"]["template"] {
        let generation = old["metadata"]["generation"].as_i64().unwrap_or(1) + 1;
        json!(generation.to_string())
    } else {
        match old["metadata"]["annotations"].get(TEMPLATE_GENERATION) {
            Some(v) => v.clone(),
            None => return,
        }
    };
    object_at(object_at(ds, "metadata"), "annotations")[TEMPLATE_GENERATION] = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_gets_its_strategy_limits_and_template() {
        let mut d = json!({ "spec": { "selector": {}, "template": { "spec": { "containers": [ { "name": "c", "image": "c:1" } ] } } } });
        deployment(&mut d);
        let spec = &d["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(
            spec["strategy"],
            json!({ "type": "RollingUpdate", "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": "25%" } })
        );
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_eq!(spec["template"]["metadata"], json!({}));
        assert_eq!(spec["template"]["spec"]["restartPolicy"], "Always");
        assert_eq!(
            spec["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "IfNotPresent"
        );
    }

    #[test]
    fn recreate_gets_no_rolling_update() {
        let mut d = json!({ "spec": { "strategy": { "type": "Recreate" }, "replicas": 3 } });
        deployment(&mut d);
        assert_eq!(d["spec"]["strategy"], json!({ "type": "Recreate" }));
        assert_eq!(d["spec"]["replicas"], 3);
    }

    #[test]
    fn a_daemonset_rolls_one_at_a_time_without_surge() {
        let mut ds = json!({ "spec": {} });
        daemon_set(&mut ds);
        assert_eq!(
            ds["spec"]["updateStrategy"],
            json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 1, "maxSurge": 0 } })
        );
        assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    }

    #[test]
    fn a_statefulset_and_its_claim_templates() {
        let mut sts = json!({ "spec": {
            "volumeClaimTemplates": [ { "metadata": { "name": "data" }, "spec": { "accessModes": ["ReadWriteOnce"] } } ]
        } });
        stateful_set(&mut sts);
        let spec = &sts["spec"];
        assert_eq!(spec["podManagementPolicy"], "OrderedReady");
        assert_eq!(
            spec["updateStrategy"],
            json!({ "type": "RollingUpdate", "rollingUpdate": { "partition": 0, "maxUnavailable": 1 } })
        );
        assert_eq!(
            spec["persistentVolumeClaimRetentionPolicy"],
            json!({ "whenDeleted": "Retain", "whenScaled": "Retain" })
        );
        assert_eq!(spec["replicas"], 1);
        let claim = &spec["volumeClaimTemplates"][0];
        assert_eq!(claim["apiVersion"], "v1");
        assert_eq!(claim["kind"], "PersistentVolumeClaim");
        assert_eq!(claim["spec"]["volumeMode"], "Filesystem");
        assert_eq!(claim["status"], json!({ "phase": "Pending" }));
    }

    #[test]
    fn the_template_generation_follows_template_changes_only() {
        let mut ds = json!({ "metadata": { "generation": 1 }, "spec": { "template": { "spec": { "containers": [] } } } });
        daemon_set_created(&mut ds);
        assert_eq!(ds["metadata"]["annotations"][TEMPLATE_GENERATION], "1");
        let mut scaled = ds.clone();
        scaled["metadata"]["annotations"] = json!({});
        scaled["spec"]["minReadySeconds"] = json!(5);
        daemon_set_updated(&ds, &mut scaled);
        assert_eq!(scaled["metadata"]["annotations"][TEMPLATE_GENERATION], "1");
        let mut changed = ds.clone();
        changed["spec"]["template"]["spec"]["hostNetwork"] = json!(true);
        daemon_set_updated(&ds, &mut changed);
        assert_eq!(changed["metadata"]["annotations"][TEMPLATE_GENERATION], "2");
    }

    #[test]
    fn an_explicit_on_delete_statefulset_is_left_without_rolling_update() {
        let mut sts = json!({ "spec": { "updateStrategy": { "type": "OnDelete" } } });
        stateful_set(&mut sts);
        assert_eq!(sts["spec"]["updateStrategy"], json!({ "type": "OnDelete" }));
    }
}
