//! `meta.k8s.io/v1 Table` answers, what `kubectl get` prints.
//!
//! Every kind in the app's registry prints through the same columns and
//! cells as its pane (`kinds`, ported from kubectl's printers), so
//! `kubectl get` against the simulator and the panes never disagree; a
//! pod's STATUS comes from `kinds::project`. Other kinds: name and age.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::resources::Resource;
use crate::kinds::{self, format};

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

pub fn table(
    resource: &Resource,
    objects: &[Value],
    resource_version: &str,
    continue_token: Option<&Value>,
    now: Timestamp,
) -> Value {
    // Kinds in the registry print through their own columns, the ones the
    // panes show; the rest (namespaces, endpoints) with the few below.
    let registered = kinds::by_kind(resource.kind).map(kinds::get);
    let definitions: Vec<Value> = match registered {
        Some(k) => k
            .columns()
            .iter()
            .filter_map(|c| {
                c.kubectl.map(|priority| {
                    json!({
                        "name": c.name,
                        "type": "string",
                        "format": if c.name == "Name" { "name" } else { "" },
                        "description": "",
                        "priority": priority,
                    })
                })
            })
            .collect(),
        None => columns(resource.kind)
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "type": c.kind,
                    "format": if c.name == "Name" { "name" } else { "" },
                    "description": "",
                    "priority": if c.wide { 1 } else { 0 },
                })
            })
            .collect(),
    };
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let cells = match registered {
                Some(k) => registered_cells(k, o, now),
                None => cells(resource.kind, o, now),
            };
            json!({ "cells": cells, "object": o })
        })
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

/// A registered kind's kubectl cells: projected and printed exactly as the
/// panes do (`kinds`), numbers as numbers.
fn registered_cells(kind: &dyn kinds::DynKind, o: &Value, now: Timestamp) -> Vec<Value> {
    let printed = match kind.print(o, now.as_second()) {
        Ok(cells) => cells,
        Err(e) => {
            tracing::warn!("cannot print a {}: {e}", kind.kind());
            return vec![json!(s(&o["metadata"]["name"]))];
        }
    };
    kind.columns()
        .iter()
        .zip(printed)
        .filter(|(c, _)| c.kubectl.is_some())
        .map(|(_, cell)| {
            if cell.number {
                cell.text
                    .parse::<i64>()
                    .map_or_else(|_| json!(cell.text), |n| json!(n))
            } else {
                json!(cell.text)
            }
        })
        .collect()
}

fn columns(kind: &str) -> Vec<Column> {
    match kind {
        "Namespace" => vec![col("Name"), col("Status"), col("Age")],
        "IngressClass" => vec![
            col("Name"),
            col("Controller"),
            col("Parameters"),
            col("Age"),
        ],
        "Lease" => vec![col("Name"), col("Holder"), col("Age")],
        // kubectl's printEndpoints.
        "Endpoints" => vec![col("Name"), col("Endpoints"), col("Age")],
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

fn age(value: &Value, now: Timestamp) -> String {
    match value.as_str().and_then(|t| t.parse::<Timestamp>().ok()) {
        Some(t) => format::age(now.as_second() - t.as_second()),
        None => "<unknown>".to_string(),
    }
}

/// Kinds outside the registry: kubectl's namespace printer, else name and age.
fn cells(kind: &str, o: &Value, now: Timestamp) -> Vec<Value> {
    let name = json!(s(&o["metadata"]["name"]));
    let created = age(&o["metadata"]["creationTimestamp"], now);
    match kind {
        "Namespace" => {
            let phase = s(&o["status"]["phase"]);
            vec![
                name,
                json!(if phase.is_empty() {
                    "Active".to_string()
                } else {
                    phase
                }),
                json!(created),
            ]
        }
        "IngressClass" => vec![
            ingress_class_name(o),
            json!(s(&o["spec"]["controller"])),
            json!(ingress_class_parameters(&o["spec"]["parameters"])),
            json!(created),
        ],
        "Lease" => vec![name, json!(s(&o["spec"]["holderIdentity"])), json!(created)],
        "Endpoints" => vec![name, json!(endpoints(o)), json!(created)],
        _ => vec![name, json!(created)],
    }
}

/// `printIngressClass`: the default class is marked so.
fn ingress_class_name(o: &Value) -> Value {
    let name = s(&o["metadata"]["name"]);
    if o["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true" {
        json!(format!("{name} (default)"))
    } else {
        json!(name)
    }
}

/// `Kind[.apiGroup]/name`, or `<none>`.
fn ingress_class_parameters(p: &Value) -> String {
    if !p.is_object() {
        return "<none>".into();
    }
    let mut out = s(&p["kind"]);
    if let Some(group) = p["apiGroup"].as_str() {
        out = format!("{out}.{group}");
    }
    format!("{out}/{}", s(&p["name"]))
}

/// kubectl's `formatEndpoints`: the first three `ip:port`, then how many more.
fn endpoints(o: &Value) -> String {
    const MAX: usize = 3;
    let Some(subsets) = o["subsets"].as_array().filter(|s| !s.is_empty()) else {
        return "<none>".to_string();
    };
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    let mut more = false;
    for subset in subsets {
        let addresses: Vec<&str> = subset["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["ip"].as_str())
            .collect();
        let ports: Vec<&Value> = subset["ports"].as_array().into_iter().flatten().collect();
        let targets: Vec<String> = if ports.is_empty() {
            addresses.iter().map(|ip| ip.to_string()).collect()
        } else {
            ports
                .iter()
                .flat_map(|p| {
                    addresses
                        .iter()
                        .map(move |ip| format!("{ip}:{}", s(&p["port"])))
                })
                .collect()
        };
        count += targets.len();
        for target in targets {
            if list.len() == MAX {
                more = true;
                break;
            }
            list.push(target);
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::resources::by_kind;

    fn row(kind: &str, object: Value, now: &str) -> Vec<Value> {
        let now: Timestamp = now.parse().unwrap();
        let resource = by_kind(kind).unwrap();
        let t = table(resource, &[object], "1", None, now);
        t["rows"][0]["cells"].as_array().unwrap().clone()
    }

    #[test]
    fn ingress_class_rows_name_controller_and_parameters() {
        let class = json!({ "metadata": { "name": "nginx",
            "annotations": { "ingressclass.kubernetes.io/is-default-class": "true" } },
            "spec": { "controller": "k8s.io/ingress-nginx",
                      "parameters": { "apiGroup": "k8s.example.com", "kind": "Params", "name": "p" } } });
        let cells = cells("IngressClass", &class, Timestamp::UNIX_EPOCH);
        assert_eq!(cells[0], "nginx (default)");
        assert_eq!(cells[1], "k8s.io/ingress-nginx");
        assert_eq!(cells[2], "Params.k8s.example.com/p");
        let bare = json!({ "metadata": { "name": "x" }, "spec": { "controller": "c" } });
        assert_eq!(cells_of_bare(&bare)[2], "<none>");
    }

    fn cells_of_bare(o: &Value) -> Vec<Value> {
        cells("IngressClass", o, Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn crashlooping_pod_row() {
        let pod = json!({
            "metadata": { "name": "web-1", "creationTimestamp": "2025-06-01T11:00:00Z" },
            "spec": { "containers": [ { "name": "web" } ], "nodeName": "node-a" },
            "status": { "phase": "Running", "containerStatuses": [ {
                "name": "web", "image": "web:1", "imageID": "", "ready": false, "restartCount": 7,
                "state": { "waiting": { "reason": "CrashLoopBackOff" } },
                "lastState": { "terminated": { "reason": "OOMKilled", "exitCode": 137,
                                                "finishedAt": "2025-06-01T11:58:00Z" } }
            } ] }
        });
        let cells = row("Pod", pod, "2025-06-01T12:00:00Z");
        assert_eq!(cells[0], "web-1");
        assert_eq!(cells[1], "0/1");
        assert_eq!(cells[2], "CrashLoopBackOff");
        assert_eq!(cells[3], "7 (2m ago)");
        assert_eq!(cells[4], "60m");
        assert_eq!(cells[6], "node-a");
    }

    #[test]
    fn cordoned_not_ready_node() {
        let node = json!({
            "metadata": { "name": "n", "labels": { "node-role.kubernetes.io/worker": "" } },
            "spec": { "unschedulable": true },
            "status": { "conditions": [ { "type": "Ready", "status": "Unknown" } ] }
        });
        let cells = row("Node", node, "2025-06-01T12:00:00Z");
        assert_eq!(cells[1], "NotReady,SchedulingDisabled");
        assert_eq!(cells[2], "worker");
        assert_eq!(cells[3], "<unknown>");
    }
}
