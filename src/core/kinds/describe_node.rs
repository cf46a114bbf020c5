//! `kubectl describe node`'s sections beyond the status: conditions with
//! their heartbeat and transition times, addresses, capacity and
//! allocatable, the pods on the node with what they request, and its
//! Lease. Pure: the pods and the lease are fetched by `fetch.rs`.

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::format::age;
use crate::sanitize::line;

fn since(t: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>, now: i64) -> String {
    t.map_or_else(
        || "-".into(),
        |t| format!("{} ago", age(now - t.0.as_second())),
    )
}

/// Conditions with their reasons and times, as `kubectl describe node`.
pub fn conditions(node: &Node, now: i64, out: &mut Vec<String>) {
    out.push("Conditions:".into());
    out.push(format!(
        "  {:<18} {:<8} {:<14} {:<14} {:<26} {}",
        "Type", "Status", "Heartbeat", "Transition", "Reason", "Message"
    ));
    for c in node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default()
    {
        out.push(format!(
            "  {:<18} {:<8} {:<14} {:<14} {:<26} {}",
            line(&c.type_),
            line(&c.status),
            since(c.last_heartbeat_time.as_ref(), now),
            since(c.last_transition_time.as_ref(), now),
            line(c.reason.as_deref().unwrap_or("")),
            line(c.message.as_deref().unwrap_or(""))
        ));
    }
}

/// Addresses, Capacity and Allocatable.
pub fn resources(node: &Node, out: &mut Vec<String>) {
    let status = node.status.as_ref();
    out.push("Addresses:".into());
    for a in status
        .and_then(|s| s.addresses.as_deref())
        .unwrap_or_default()
    {
        out.push(format!("  {}: {}", line(&a.type_), line(&a.address)));
    }
    for (title, list) in [
        ("Capacity:", status.and_then(|s| s.capacity.as_ref())),
        ("Allocatable:", status.and_then(|s| s.allocatable.as_ref())),
    ] {
        out.push(title.into());
        for (k, v) in list.into_iter().flatten() {
            out.push(format!("  {}: {}", line(k), line(&v.0)));
        }
    }
}

/// Millicores or bytes of a quantity (`250m`, `1`, `512Mi`, `1G`).
fn amount(q: &Quantity) -> f64 {
    let text = q.0.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().unwrap_or(0.0);
    let factor = match unit {
        "m" => 0.001,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0f64.powi(4),
        _ => 1.0,
    };
    n * factor
}

fn cpu(cores: f64) -> String {
    format!("{}m", (cores * 1000.0).round() as i64)
}

fn memory(bytes: f64) -> String {
    format!("{}Mi", (bytes / (1024.0 * 1024.0)).round() as i64)
}

/// The pods on the node that have not ended, with what they request and
/// are limited to, and the node's total requests against allocatable.
pub fn pods(node: &Node, pods: &[Pod], now: i64, out: &mut Vec<String>) {
    let running: Vec<&Pod> = pods
        .iter()
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    out.push(format!("Non-terminated Pods: ({} in total)", running.len()));
    out.push(format!(
        "  {:<16} {:<40} {:>9} {:>9} {:>9} {:>9}  {}",
        "Namespace", "Name", "CPU Req", "CPU Lim", "Mem Req", "Mem Lim", "Age"
    ));
    let (mut cpu_req, mut mem_req) = (0.0, 0.0);
    for p in &running {
        let sum = |field: &str, resource: &str| -> f64 {
            p.spec
                .as_ref()
                .map(|s| {
                    s.containers
                        .iter()
                        .filter_map(|c| c.resources.as_ref())
                        .filter_map(|r| match field {
                            "requests" => r.requests.as_ref(),
                            _ => r.limits.as_ref(),
                        })
                        .filter_map(|m| m.get(resource))
                        .map(amount)
                        .sum()
                })
                .unwrap_or(0.0)
        };
        let (cr, cl, mr, ml) = (
            sum("requests", "cpu"),
            sum("limits", "cpu"),
            sum("requests", "memory"),
            sum("limits", "memory"),
        );
        cpu_req += cr;
        mem_req += mr;
        let created = p
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or(0, |t| now - t.0.as_second());
        out.push(format!(
            "  {:<16} {:<40} {:>9} {:>9} {:>9} {:>9}  {}",
            line(p.metadata.namespace.as_deref().unwrap_or("")),
            line(p.metadata.name.as_deref().unwrap_or("")),
            cpu(cr),
            cpu(cl),
            memory(mr),
            memory(ml),
            age(created)
        ));
    }
    let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let of = |resource: &str| allocatable.and_then(|a| a.get(resource)).map(amount);
    let share = |used: f64, total: Option<f64>| {
        total.filter(|t| *t > 0.0).map_or(String::new(), |t| {
            format!(" ({}%)", (used / t * 100.0).round() as i64)
        })
    };
    out.push(format!(
        "Allocated: cpu {}{} requested, memory {}{} requested",
        cpu(cpu_req),
        share(cpu_req, of("cpu")),
        memory(mem_req),
        share(mem_req, of("memory"))
    ));
}

/// The node's Lease (kube-node-lease): who holds it and when it was renewed.
pub fn lease(lease: Option<&Lease>, now: i64, out: &mut Vec<String>) {
    out.push("Lease:".into());
    match lease.and_then(|l| l.spec.as_ref()) {
        Some(spec) => {
            out.push(format!(
                "  HolderIdentity: {}",
                line(spec.holder_identity.as_deref().unwrap_or("<unset>"))
            ));
            out.push(format!(
                "  RenewTime:      {}",
                spec.renew_time
                    .as_ref()
                    .map_or("<unset>".into(), |t| format!(
                        "{} ago",
                        age(now - t.0.as_second())
                    ))
            ));
        }
        None => out.push("  <none>: no kubelet has renewed one (or it cannot be read)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_shows_its_pods_requests_addresses_and_lease() {
        let node: Node = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "node-a" },
            "status": {
                "addresses": [ { "type": "InternalIP", "address": "10.0.1.11" } ],
                "allocatable": { "cpu": "4", "memory": "8Gi" },
                "capacity": { "cpu": "4", "memory": "8Gi" },
                "conditions": [ { "type": "Ready", "status": "True", "reason": "KubeletReady",
                    "message": "kubelet is posting ready status",
                    "lastHeartbeatTime": "2026-12-07T02:13:50Z", "lastTransitionTime": "2026-12-06T02:14:00Z" } ]
            }
        }))
        .expect("node");
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "web-1", "namespace": "shop", "creationTimestamp": "2026-12-07T01:14:00Z" },
            "spec": { "nodeName": "node-a", "containers": [ { "name": "web", "image": "web",
                "resources": { "requests": { "cpu": "500m", "memory": "512Mi" }, "limits": { "memory": "1Gi" } } } ] },
            "status": { "phase": "Running" }
        }))
        .expect("pod");
        let now = "2026-12-07T02:14:00Z"
            .parse::<jiff::Timestamp>()
            .expect("t")
            .as_second();
        let mut out = Vec::new();
        conditions(&node, now, &mut out);
        resources(&node, &mut out);
        pods(&node, &[pod], now, &mut out);
        lease(None, now, &mut out);
        let text = out.join("\n");
        assert!(
            text.contains("Ready              True     10s ago"),
            "{text}"
        );
        assert!(text.contains("InternalIP: 10.0.1.11"), "{text}");
        assert!(text.contains("Allocatable:\n  cpu: 4"), "{text}");
        assert!(text.contains("Non-terminated Pods: (1 in total)"), "{text}");
        assert!(
            text.contains("500m") && text.contains("512Mi") && text.contains("1024Mi"),
            "{text}"
        );
        assert!(
            text.contains("Allocated: cpu 500m (13%) requested, memory 512Mi (6%) requested"),
            "{text}"
        );
        assert!(text.contains("Lease:\n  <none>"), "{text}");
    }
}
