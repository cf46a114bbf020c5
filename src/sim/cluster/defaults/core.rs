//! core/v1 defaults for pods and pod templates (`SetDefaults_Pod`,
//! `SetDefaults_PodSpec`, `SetDefaults_Container`, `SetDefaults_Probe`,
//! `SetDefaults_HTTPGetAction`, the volume sources, and the generated
//! `SetObjectDefaults_*` walk over a pod spec).

use serde_json::{Value, json};

use super::{each, object_at, or_set};

/// `SetDefaults_ConfigMapVolumeSource` and its siblings: 0644.
const DEFAULT_MODE: i64 = 0o644;

/// A Pod: its spec as every pod spec, then what only a Pod gets.
pub fn pod(pod: &mut Value) {
    pod_spec(object_at(pod, "spec"));
    let spec = &mut pod["spec"];
    if spec["terminationGracePeriodSeconds"]
        .as_i64()
        .is_some_and(|g| g < 0)
    {
        spec["terminationGracePeriodSeconds"] = json!(1);
    }
    // Requests default to limits on a Pod (not on a template).
    for field in ["containers", "initContainers"] {
        each(spec, field, requests_from_limits);
    }
    or_set(spec, "enableServiceLinks", json!(true));
    if spec["hostNetwork"].as_bool() == Some(true) {
        for field in ["containers", "initContainers"] {
            each(spec, field, |c| {
                each(c, "ports", |p| {
                    if p["hostPort"].as_i64().unwrap_or(0) == 0 {
                        p["hostPort"] = p["containerPort"].clone();
                    }
                })
            });
        }
    }
}

/// A PodTemplateSpec (in a workload or a PodTemplate): Go always writes
/// its `metadata`.
pub fn pod_template(template: &mut Value) {
    object_at(template, "metadata");
    pod_spec(object_at(template, "spec"));
}

pub fn pod_spec(spec: &mut Value) {
    // serviceAccount is the deprecated alias of serviceAccountName.
    if spec["serviceAccountName"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        match spec["serviceAccount"].as_str().filter(|s| !s.is_empty()) {
            Some(sa) => spec["serviceAccountName"] = json!(sa),
            None => {
                if let Some(m) = spec.as_object_mut() {
                    m.remove("serviceAccountName");
                }
            }
        }
    }
    match spec.get("serviceAccountName").cloned() {
        Some(sa) => spec["serviceAccount"] = sa,
        None => {
            if let Some(m) = spec.as_object_mut() {
                m.remove("serviceAccount");
            }
        }
    }
    or_set(spec, "dnsPolicy", json!("ClusterFirst"));
    or_set(spec, "restartPolicy", json!("Always"));
    or_set(spec, "securityContext", json!({}));
    or_set(spec, "terminationGracePeriodSeconds", json!(30));
    or_set(spec, "schedulerName", json!("default-scheduler"));
    each(spec, "volumes", volume);
    for field in ["initContainers", "containers", "ephemeralContainers"] {
        each(spec, field, container);
    }
}

/// `SetDefaults_Container` and the generated walk over a container's
/// ports, env, resources, probes and lifecycle handlers.
pub fn container(c: &mut Value) {
    if c["imagePullPolicy"].as_str().is_none_or(str::is_empty) {
        let policy = if image_tag(c["image"].as_str().unwrap_or_default()) == "latest" {
            "Always"
        } else {
            "IfNotPresent"
        };
        c["imagePullPolicy"] = json!(policy);
    }
    or_set(c, "terminationMessagePath", json!("/dev/termination-log"));
    or_set(c, "terminationMessagePolicy", json!("File"));
    object_at(c, "resources");
    each(c, "ports", |p| or_set(p, "protocol", json!("TCP")));
    each(c, "env", |e| {
        if !e["valueFrom"].is_object() {
            return;
        }
        let from = &mut e["valueFrom"];
        if from["fieldRef"].is_object() {
            field_selector(&mut from["fieldRef"]);
        }
        if from["fileKeyRef"].is_object() {
            or_set(&mut from["fileKeyRef"], "optional", json!(false));
        }
    });
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if c[probe].is_object() {
            self::probe(&mut c[probe]);
        }
    }
    for hook in ["postStart", "preStop"] {
        if c["lifecycle"][hook]["httpGet"].is_object() {
            http_get(&mut c["lifecycle"][hook]["httpGet"]);
        }
    }
}

/// The tag `parsers.ParseImageName` finds: "latest" when the reference
/// names neither a tag nor a digest.
fn image_tag(image: &str) -> &str {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.rsplit_once(':') {
        Some((_, tag)) => tag,
        None if digest.is_some() => "",
        None => "latest",
    }
}

pub fn probe(p: &mut Value) {
    for (field, default) in [
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ] {
        if p[field].as_i64().unwrap_or(0) == 0 {
            p[field] = json!(default);
        }
    }
    if p["httpGet"].is_object() {
        http_get(&mut p["httpGet"]);
    }
    if p["grpc"].is_object() {
        or_set(&mut p["grpc"], "service", json!(""));
    }
}

fn http_get(h: &mut Value) {
    if h["path"].as_str().is_none_or(str::is_empty) {
        h["path"] = json!("/");
    }
    if h["scheme"].as_str().is_none_or(str::is_empty) {
        h["scheme"] = json!("HTTP");
    }
}

fn field_selector(f: &mut Value) {
    if f["apiVersion"].as_str().is_none_or(str::is_empty) {
        f["apiVersion"] = json!("v1");
    }
}

/// The volume sources a pod spec may hold (`SetDefaults_Volume` and each
/// source's own defaults).
pub fn volume(v: &mut Value) {
    const SOURCES: [&str; 30] = [
        "hostPath",
        "emptyDir",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "gitRepo",
        "secret",
        "nfs",
        "iscsi",
        "glusterfs",
        "persistentVolumeClaim",
        "rbd",
        "flexVolume",
        "cinder",
        "cephfs",
        "flocker",
        "downwardAPI",
        "fc",
        "azureFile",
        "configMap",
        "vsphereVolume",
        "quobyte",
        "azureDisk",
        "photonPersistentDisk",
        "projected",
        "portworxVolume",
        "scaleIO",
        "storageos",
        "csi",
        "ephemeral",
        "image",
    ];
    if !SOURCES.iter().any(|s| v[*s].is_object()) {
        v["emptyDir"] = json!({});
    }
    if v["hostPath"].is_object() {
        or_set(&mut v["hostPath"], "type", json!(""));
    }
    for source in ["secret", "configMap", "downwardAPI", "projected"] {
        if v[source].is_object() {
            or_set(&mut v[source], "defaultMode", json!(DEFAULT_MODE));
        }
    }
    if v["downwardAPI"].is_object() {
        each(&mut v["downwardAPI"], "items", |i| {
            if i["fieldRef"].is_object() {
                field_selector(&mut i["fieldRef"]);
            }
        });
    }
    if v["projected"].is_object() {
        each(&mut v["projected"], "sources", |s| {
            if s["downwardAPI"].is_object() {
                each(&mut s["downwardAPI"], "items", |i| {
                    if i["fieldRef"].is_object() {
                        field_selector(&mut i["fieldRef"]);
                    }
                });
            }
            if s["serviceAccountToken"].is_object() {
                or_set(
                    &mut s["serviceAccountToken"],
                    "expirationSeconds",
                    json!(3600),
                );
            }
        });
    }
    if v["image"].is_object() && v["image"]["pullPolicy"].as_str().is_none_or(str::is_empty) {
        let reference = v["image"]["reference"].as_str().unwrap_or_default();
        let policy = if image_tag(reference) == "latest" {
            "Always"
        } else {
            "IfNotPresent"
        };
        v["image"]["pullPolicy"] = json!(policy);
    }
    if v["ephemeral"]["volumeClaimTemplate"].is_object() {
        claim_spec(object_at(
            &mut v["ephemeral"]["volumeClaimTemplate"],
            "spec",
        ));
    }
}

/// `SetDefaults_PersistentVolumeClaimSpec`.
pub fn claim_spec(spec: &mut Value) {
    or_set(spec, "volumeMode", json!("Filesystem"));
}

/// A Pod's own requests take its limits where it names none
/// (`SetDefaults_Pod`).
fn requests_from_limits(c: &mut Value) {
    let Some(limits) = c["resources"]["limits"].as_object().cloned() else {
        return;
    };
    let requests = object_at(object_at(c, "resources"), "requests");
    for (k, v) in limits {
        if requests.get(&k).is_none() {
            requests[k] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_pod_is_defaulted_as_the_api_server_does() {
        let mut p = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": "debug" },
            "spec": { "containers": [ { "name": "shell", "image": "registry.example.com/busybox:1.36" } ] }
        });
        pod(&mut p);
        let spec = &p["spec"];
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["securityContext"], json!({}));
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["schedulerName"], "default-scheduler");
        assert_eq!(spec["enableServiceLinks"], true);
        let c = &spec["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c["terminationMessagePolicy"], "File");
        assert_eq!(c["resources"], json!({}));
        // No service account yet: that is the admission plugin's.
        assert!(spec.get("serviceAccountName").is_none());
        assert!(spec.get("serviceAccount").is_none());
    }

    #[test]
    fn image_pull_policy_follows_the_tag() {
        for (image, policy) in [
            ("busybox", "Always"),
            ("busybox:latest", "Always"),
            ("registry:5000/busybox", "Always"),
            ("registry:5000/busybox:1.36", "IfNotPresent"),
            ("busybox@sha256:abcd", "IfNotPresent"),
        ] {
            let mut c = json!({ "name": "c", "image": image });
            container(&mut c);
            assert_eq!(c["imagePullPolicy"], policy, "{image}");
        }
        let mut c = json!({ "name": "c", "image": "x", "imagePullPolicy": "Never" });
        container(&mut c);
        assert_eq!(c["imagePullPolicy"], "Never");
    }

    #[test]
    fn probes_ports_and_env_are_filled_in() {
        let mut c = json!({
            "name": "web", "image": "web:1",
            "ports": [ { "name": "http", "containerPort": 8080 } ],
            "env": [ { "name": "NS", "valueFrom": { "fieldRef": { "fieldPath": "metadata.namespace" } } } ],
            "readinessProbe": { "httpGet": { "port": "http" }, "periodSeconds": 5 },
            "lifecycle": { "preStop": { "httpGet": { "port": 80, "path": "/stop" } } }
        });
        container(&mut c);
        assert_eq!(c["ports"][0]["protocol"], "TCP");
        assert_eq!(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
        let r = &c["readinessProbe"];
        assert_eq!(
            (
                &r["timeoutSeconds"],
                &r["periodSeconds"],
                &r["successThreshold"],
                &r["failureThreshold"]
            ),
            (&json!(1), &json!(5), &json!(1), &json!(3))
        );
        assert_eq!(
            r["httpGet"],
            json!({ "port": "http", "path": "/", "scheme": "HTTP" })
        );
        assert_eq!(c["lifecycle"]["preStop"]["httpGet"]["scheme"], "HTTP");
        assert_eq!(c["lifecycle"]["preStop"]["httpGet"]["path"], "/stop");
    }

    #[test]
    fn a_pods_requests_take_its_limits_but_a_templates_do_not() {
        let resources =
            json!({ "limits": { "memory": "128Mi", "cpu": "1" }, "requests": { "cpu": "100m" } });
        let mut p = json!({ "spec": { "containers": [ { "name": "c", "image": "c:1", "resources": resources } ] } });
        pod(&mut p);
        assert_eq!(
            p["spec"]["containers"][0]["resources"]["requests"],
            json!({ "cpu": "100m", "memory": "128Mi" })
        );
        let mut t = json!({ "spec": { "containers": [ { "name": "c", "image": "c:1", "resources": resources } ] } });
        pod_template(&mut t);
        assert_eq!(
            t["spec"]["containers"][0]["resources"]["requests"],
            json!({ "cpu": "100m" })
        );
        assert_eq!(t["metadata"], json!({}));
        assert!(t["spec"].get("enableServiceLinks").is_none());
    }

    #[test]
    fn volumes_get_their_modes_and_a_source() {
        let mut spec = json!({ "volumes": [
            { "name": "scratch" },
            { "name": "cfg", "configMap": { "name": "web-config" } },
            { "name": "host", "hostPath": { "path": "/srv" } },
            { "name": "token", "projected": { "sources": [ { "serviceAccountToken": { "path": "token" } } ] } }
        ], "containers": [] });
        pod_spec(&mut spec);
        let v = &spec["volumes"];
        assert_eq!(v[0]["emptyDir"], json!({}));
        assert_eq!(v[1]["configMap"]["defaultMode"], 420);
        assert_eq!(v[2]["hostPath"]["type"], "");
        assert_eq!(v[3]["projected"]["defaultMode"], 420);
        assert_eq!(
            v[3]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"],
            3600
        );
    }

    #[test]
    fn the_deprecated_service_account_follows_the_name() {
        let mut spec = json!({ "serviceAccount": "old", "containers": [] });
        pod_spec(&mut spec);
        assert_eq!(spec["serviceAccountName"], "old");
        let mut spec =
            json!({ "serviceAccount": "old", "serviceAccountName": "new", "containers": [] });
        pod_spec(&mut spec);
        assert_eq!(spec["serviceAccount"], "new");
    }

    #[test]
    fn plain_env_values_stay_plain() {
        let mut c =
            json!({ "name": "c", "image": "c:1", "env": [ { "name": "MODE", "value": "safe" } ] });
        container(&mut c);
        assert_eq!(c["env"], json!([ { "name": "MODE", "value": "safe" } ]));
    }

    #[test]
    fn defaulting_twice_changes_nothing() {
        let mut p = json!({ "spec": { "containers": [ { "name": "c", "image": "c", "livenessProbe": { "tcpSocket": { "port": 1 } } } ], "volumes": [ { "name": "v" } ] } });
        pod(&mut p);
        let once = p.clone();
        pod(&mut p);
        assert_eq!(p, once);
    }
}
