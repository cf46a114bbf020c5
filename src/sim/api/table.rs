//! `meta.k8s.io/v1 Table` answers, what `kubectl get` prints.
//!
//! The usual columns; a pod's STATUS, READY and RESTARTS come from the
//! app's derivation in `cluster::project`.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::resources::Resource;
use crate::cluster::format;

struct Column {
    name: &'static str,
    kind: &'static str,
    wide: bool,
}

const fn col(name: &'static str) -> Column {
    Column {
        name,
        kind: "string",
        wide: false,
    }
}

const fn wide(name: &'static str) -> Column {
    Column {
        name,
        kind: "string",
        wide: true,
    }
}

pub fn table(
    resource: &Resource,
    objects: &[Value],
    resource_version: &str,
    continue_token: Option<&Value>,
    now: Timestamp,
) -> Value {
    let columns = columns(resource.kind);
    let definitions: Vec<Value> = columns
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "type": if c.name == "Restarts" { "string" } else { c.kind },
                "format": if c.name == "Name" { "name" } else { "" },
                "description": "",
                "priority": if c.wide { 1 } else { 0 },
            })
        })
        .collect();
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| json!({ "cells": cells(resource.kind, o, now), "object": o }))
        .collect();
    let mut metadata = json!({ "resourceVersion": resource_version });
    if let Some(token) = continue_token {
        metadata["continue"] = token.clone();
    }
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": definitions,
        "rows": rows,
    })
}

fn columns(kind: &str) -> Vec<Column> {
    match kind {
        "Pod" => vec![
            col("Name"),
            col("Ready"),
            col("Status"),
            col("Restarts"),
            col("Age"),
            wide("IP"),
            wide("Node"),
        ],
        "Node" => vec![
            col("Name"),
            col("Status"),
            col("Roles"),
            col("Age"),
            col("Version"),
            wide("Internal-IP"),
            wide("OS-Image"),
            wide("Kernel-Version"),
            wide("Container-Runtime"),
        ],
        "Event" => vec![
            col("Last Seen"),
            col("Type"),
            col("Reason"),
            col("Object"),
            col("Message"),
            wide("Source"),
            wide("Count"),
            wide("Name"),
        ],
        "Deployment" => vec![
            col("Name"),
            col("Ready"),
            col("Up-to-date"),
            col("Available"),
            col("Age"),
            wide("Containers"),
            wide("Images"),
        ],
        "ReplicaSet" => vec![
            col("Name"),
            col("Desired"),
            col("Current"),
            col("Ready"),
            col("Age"),
            wide("Containers"),
            wide("Images"),
        ],
        "Namespace" => vec![col("Name"), col("Status"), col("Age")],
        "Service" => vec![
            col("Name"),
            col("Type"),
            col("Cluster-IP"),
            col("External-IP"),
            col("Port(s)"),
            col("Age"),
        ],
        "PodDisruptionBudget" => vec![
            col("Name"),
            col("Min Available"),
            col("Max Unavailable"),
            col("Allowed Disruptions"),
            col("Age"),
        ],
        _ => vec![col("Name"), col("Age")],
    }
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn or_none(text: String) -> String {
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

fn age(value: &Value, now: Timestamp) -> String {
    match value.as_str().and_then(|t| t.parse::<Timestamp>().ok()) {
        Some(t) => format::age(now.as_second() - t.as_second()),
        None => "<unknown>".to_string(),
    }
}

fn cells(kind: &str, o: &Value, now: Timestamp) -> Vec<Value> {
    let name = json!(s(&o["metadata"]["name"]));
    let created = age(&o["metadata"]["creationTimestamp"], now);
    match kind {
        "Pod" => {
            let (ready, status, restarts) = pod_summary(o, now);
            vec![
                name,
                json!(ready),
                json!(status),
                json!(restarts),
                json!(created),
                json!(or_none(s(&o["status"]["podIP"]))),
                json!(or_none(s(&o["spec"]["nodeName"]))),
            ]
        }
        "Node" => vec![
            name,
            json!(node_status(o)),
            json!(node_roles(o)),
            json!(created),
            json!(s(&o["status"]["nodeInfo"]["kubeletVersion"])),
            json!(or_none(node_address(o, "InternalIP"))),
            json!(s(&o["status"]["nodeInfo"]["osImage"])),
            json!(s(&o["status"]["nodeInfo"]["kernelVersion"])),
            json!(s(&o["status"]["nodeInfo"]["containerRuntimeVersion"])),
        ],
        "Event" => {
            let last = if o["lastTimestamp"].is_string() {
                &o["lastTimestamp"]
            } else {
                &o["eventTime"]
            };
            let count = o["count"].as_u64().unwrap_or(1);
            let seen = if count > 1 && o["firstTimestamp"].is_string() {
                format!(
                    "{} (x{count} over {})",
                    age(last, now),
                    age(&o["firstTimestamp"], now)
                )
            } else {
                age(last, now)
            };
            let involved = &o["involvedObject"];
            vec![
                json!(seen),
                json!(s(&o["type"])),
                json!(s(&o["reason"])),
                json!(format!(
                    "{}/{}",
                    s(&involved["kind"]).to_lowercase(),
                    s(&involved["name"])
                )),
                json!(s(&o["message"])),
                json!(s(&o["source"]["component"])),
                json!(count),
                name,
            ]
        }
        "Deployment" => {
            let spec = o["spec"]["replicas"].as_i64().unwrap_or(1);
            let st = &o["status"];
            vec![
                name,
                json!(format!(
                    "{}/{spec}",
                    st["readyReplicas"].as_i64().unwrap_or(0)
                )),
                json!(st["updatedReplicas"].as_i64().unwrap_or(0)),
                json!(st["availableReplicas"].as_i64().unwrap_or(0)),
                json!(created),
                json!(containers_field(o, "name")),
                json!(containers_field(o, "image")),
            ]
        }
        "ReplicaSet" => vec![
            name,
            json!(o["spec"]["replicas"].as_i64().unwrap_or(1)),
            json!(o["status"]["replicas"].as_i64().unwrap_or(0)),
            json!(o["status"]["readyReplicas"].as_i64().unwrap_or(0)),
            json!(created),
            json!(containers_field(o, "name")),
            json!(containers_field(o, "image")),
        ],
        "Namespace" => vec![
            name,
            json!(or_default(s(&o["status"]["phase"]), "Active")),
            json!(created),
        ],
        "Service" => {
            let ports: Vec<String> = o["spec"]["ports"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            format!("{}/{}", s(&p["port"]), or_default(s(&p["protocol"]), "TCP"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            vec![
                name,
                json!(or_default(s(&o["spec"]["type"]), "ClusterIP")),
                json!(or_none(s(&o["spec"]["clusterIP"]))),
                json!("<none>"),
                json!(or_none(ports.join(","))),
                json!(created),
            ]
        }
        "PodDisruptionBudget" => vec![
            name,
            json!(or_default(s(&o["spec"]["minAvailable"]), "N/A")),
            json!(or_default(s(&o["spec"]["maxUnavailable"]), "N/A")),
            json!(o["status"]["disruptionsAllowed"].as_i64().unwrap_or(0)),
            json!(created),
        ],
        _ => vec![name, json!(created)],
    }
}

fn or_default(text: String, default: &str) -> String {
    if text.is_empty() {
        default.to_string()
    } else {
        text
    }
}

fn containers_field(o: &Value, field: &str) -> String {
    o["spec"]["template"]["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| s(&c[field]))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// (READY, STATUS, RESTARTS) as kubectl prints them: the app's own port
/// of kubectl's rules (`cluster::project`), so the simulator and the panes
/// never disagree on a pod's status.
fn pod_summary(pod: &Value, now: Timestamp) -> (String, String, String) {
    let Ok(typed) = serde_json::from_value::<k8s_openapi::api::core::v1::Pod>(pod.clone()) else {
        return ("0/0".into(), s(&pod["status"]["phase"]), "0".into());
    };
    let row = crate::cluster::project::pod_row(&typed, now.as_second());
    let restarts = format::restarts(row.restarts, row.last_restart_at, now.as_second());
    (
        format!("{}/{}", row.ready_containers, row.total_containers),
        row.status.to_string(),
        restarts,
    )
}

fn node_status(node: &Value) -> String {
    let ready = node["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
        .map(|c| c["status"] == "True");
    let mut status = match ready {
        Some(true) => "Ready".to_string(),
        Some(false) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node["spec"]["unschedulable"].as_bool() == Some(true) {
        status.push_str(",SchedulingDisabled");
    }
    status
}

fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = node["metadata"]["labels"]
        .as_object()
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(k, v)| {
                    if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                        Some(role.to_string())
                    } else if k == "kubernetes.io/role" {
                        v.as_str().map(str::to_string)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    roles.sort();
    or_none(roles.join(","))
}

fn node_address(node: &Value, kind: &str) -> String {
    node["status"]["addresses"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["type"] == kind))
        .map(|x| s(&x["address"]))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crashlooping_pod_row() {
        let now: Timestamp = "2025-06-01T12:00:00Z".parse().unwrap();
        let pod = json!({
            "metadata": { "name": "web-1", "creationTimestamp": "2025-06-01T11:00:00Z" },
            "spec": { "containers": [ { "name": "web" } ], "nodeName": "node-a" },
            "status": { "phase": "Running", "containerStatuses": [ {
                "name": "web", "ready": false, "restartCount": 7,
                "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                "lastState": { "terminated": { "reason": "OOMKilled", "exitCode": 137,
                                                "finishedAt": "2025-06-01T11:58:00Z" } }
            } ] }
        });
        let cells = cells("Pod", &pod, now);
        assert_eq!(cells[1], "0/1");
        assert_eq!(cells[2], "CrashLoopBackOff");
        assert_eq!(cells[3], "7 (2m ago)");
        assert_eq!(cells[4], "60m");
    }

    #[test]
    fn cordoned_not_ready_node() {
        let node = json!({
            "metadata": { "name": "n", "labels": { "node-role.kubernetes.io/worker": "" } },
            "spec": { "unschedulable": true },
            "status": { "conditions": [ { "type": "Ready", "status": "Unknown" } ] }
        });
        assert_eq!(node_status(&node), "NotReady,SchedulingDisabled");
        assert_eq!(node_roles(&node), "worker");
    }
}
