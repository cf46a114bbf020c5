//! What the API server fills in on create (its defaulting and its
//! strategies' `PrepareForCreate`), as kube-apiserver v1.37.2 answered in
//! `tests/controlplane`: applied to objects written through the API, made
//! by the controllers (they write through the API too) and loaded from a
//! scenario. Needs the object's uid (call after `Store::prepare`).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Fills in what the API server would for a new object of its kind.
pub fn on_create(object: &mut Value) {
    match object["kind"].as_str() {
        Some("Job") => job(object),
        Some("Service") => service(object),
        _ => {}
    }
}

/// What the API server fills in on an update: a Service keeps the cluster
/// IPs and node ports it was given when the new one leaves them out (its
/// strategy's `PrepareForUpdate`), and is defaulted as on create.
pub fn on_update(old: &Value, new: &mut Value) {
    if new["kind"] != "Service" || !new["spec"].is_object() {
        return;
    }
    let kind = |spec: &Value| spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    let (was, now) = (kind(&old["spec"]), kind(&new["spec"]));
    // Its `patchAllocatedValues`: kept while both types have them.
    if was != "ExternalName" && now != "ExternalName" {
        for field in ["clusterIP", "clusterIPs"] {
            if new["spec"][field].is_null() && !old["spec"][field].is_null() {
                new["spec"][field] = old["spec"][field].clone();
            }
        }
    }
    let node_ports = |t: &str| matches!(t, "NodePort" | "LoadBalancer");
    if node_ports(&was) && node_ports(&now) {
        let old_ports = old["spec"]["ports"].as_array().cloned().unwrap_or_default();
        for port in new["spec"]["ports"].as_array_mut().into_iter().flatten() {
            if !port["nodePort"].is_null() {
                continue;
            }
            let same = old_ports
                .iter()
                .find(|o| o["port"] == port["port"] && o["name"] == port["name"]);
            if let Some(node_port) = same.map(|o| &o["nodePort"]).filter(|n| !n.is_null()) {
                port["nodePort"] = node_port.clone();
            }
        }
    }
    service(new);
}

/// The address a Service is given from `--service-cluster-ip-range`
/// (10.96.0.0/12): one the real allocator could pick, the same for the
/// same Service every run.
pub fn cluster_ip(namespace: &str, name: &str) -> String {
    let digest = Sha256::digest(format!("{namespace}/{name}"));
    format!("10.96.{}.{}", digest[0], digest[1].max(2))
}

/// A node port from `--service-node-port-range` (30000-32767).
fn node_port(namespace: &str, name: &str, port: &Value) -> u16 {
    let digest = Sha256::digest(format!("nodeport/{namespace}/{name}/{port}"));
    30000 + u16::from_be_bytes([digest[0], digest[1]]) % 2768
}

/// Service defaulting as kube-apiserver v1.37.2 answered a Service applied
/// with only a selector and ports: type ClusterIP, sessionAffinity None, a
/// cluster IP, one IPv4 family, internalTrafficPolicy Cluster, and each
/// port's protocol TCP and targetPort its port.
fn service(service: &mut Value) {
    let namespace = service["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let name = service["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let spec = &mut service["spec"];
    if !spec.is_object() {
        return;
    }
    if spec["type"].is_null() {
        spec["type"] = json!("ClusterIP");
    }
    let kind = spec["type"].as_str().unwrap_or_default().to_string();
    if spec["sessionAffinity"].is_null() {
        spec["sessionAffinity"] = json!("None");
    }
    for port in spec["ports"].as_array_mut().into_iter().flatten() {
        if port["protocol"].is_null() {
            port["protocol"] = json!("TCP");
        }
        if port["targetPort"].is_null() && kind != "ExternalName" {
            port["targetPort"] = port["port"].clone();
        }
        if matches!(kind.as_str(), "NodePort" | "LoadBalancer") && port["nodePort"].is_null() {
            port["nodePort"] = json!(node_port(&namespace, &name, &port["port"]));
        }
    }
    if kind == "ExternalName" {
        return;
    }
    if spec["clusterIP"].is_null() || spec["clusterIP"] == "" {
        spec["clusterIP"] = match spec["clusterIPs"].get(0) {
            Some(first) => first.clone(),
            None => json!(cluster_ip(&namespace, &name)),
        };
    }
    if spec["clusterIPs"].is_null() {
        spec["clusterIPs"] = json!([spec["clusterIP"]]);
    }
    if spec["ipFamilies"].is_null() {
        spec["ipFamilies"] = json!(["IPv4"]);
    }
    if spec["ipFamilyPolicy"].is_null() {
        spec["ipFamilyPolicy"] = json!("SingleStack");
    }
    if spec["internalTrafficPolicy"].is_null() {
        spec["internalTrafficPolicy"] = json!("Cluster");
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer")
        && spec["externalTrafficPolicy"].is_null()
    {
        spec["externalTrafficPolicy"] = json!("Cluster");
    }
    if kind == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"].is_null() {
        spec["allocateLoadBalancerNodePorts"] = json!(true);
    }
    if service["status"].is_null() {
        service["status"] = json!({ "loadBalancer": {} });
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
    fn a_service_is_defaulted_as_the_real_one_answered() {
        let mut svc = json!({
            "kind": "Service",
            "metadata": { "name": "web", "namespace": "shop" },
            "spec": { "selector": { "app": "web" },
                      "ports": [ { "name": "http", "port": 8080 },
                                 { "name": "metrics", "port": 9090, "targetPort": "metrics" } ] }
        });
        on_create(&mut svc);
        let ip = cluster_ip("shop", "web");
        // The real one's spec for the same Service, but for its random IP.
        assert_eq!(
            svc["spec"],
            json!({
                "clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "ports": [ { "name": "http", "port": 8080, "protocol": "TCP", "targetPort": 8080 },
                           { "name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": "metrics" } ],
                "selector": { "app": "web" }, "sessionAffinity": "None", "type": "ClusterIP"
            })
        );
        assert_eq!(svc["status"], json!({ "loadBalancer": {} }));
        // An update that leaves the IP out keeps it.
        let mut next = json!({ "kind": "Service", "metadata": svc["metadata"].clone(),
                               "spec": { "ports": [ { "port": 80 } ] } });
        on_update(&svc, &mut next);
        assert_eq!(next["spec"]["clusterIP"], json!(ip));
        assert_eq!(next["spec"]["ports"][0]["targetPort"], 80);
        // So does one that makes it a NodePort Service (an IP given, not
        // the one this module would pick).
        svc["spec"]["clusterIP"] = json!("10.96.12.34");
        svc["spec"]["clusterIPs"] = json!(["10.96.12.34"]);
        let mut node_port = json!({ "kind": "Service", "metadata": svc["metadata"].clone(),
                                    "spec": { "type": "NodePort", "ports": [ { "port": 80 } ] } });
        on_update(&svc, &mut node_port);
        assert_eq!(node_port["spec"]["clusterIP"], "10.96.12.34");
        assert!(check_port(&node_port["spec"]["ports"][0]["nodePort"]));
    }

    fn check_port(port: &Value) -> bool {
        port.as_u64().is_some_and(|p| (30000..=32767).contains(&p))
    }

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
