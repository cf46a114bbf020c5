//! `kubectl describe`-style detail of one object, as plain lines (pure; the
//! clock is passed in). Secret values are never shown: environment
//! variables whose names look like credentials are redacted, and values
//! from Secrets are named, not read.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Node, Pod};

use super::format::age;
use super::rows::EventRow;
use crate::sanitize::line;

/// Names of variables that hold credentials.
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "KEY",
        "CREDENTIAL",
        "AUTH",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

fn env_lines(c: &Container, out: &mut Vec<String>) {
    let Some(env) = &c.env else { return };
    if env.is_empty() {
        return;
    }
    out.push("    Environment:".into());
    for e in env {
        let value = match (&e.value, &e.value_from) {
            (_, Some(from)) => {
                if let Some(s) = &from.secret_key_ref {
                    format!("<set to the key '{}' in secret '{}'>", s.key, s.name)
                } else if let Some(cm) = &from.config_map_key_ref {
                    format!("<set to the key '{}' of config map '{}'>", cm.key, cm.name)
                } else if let Some(f) = &from.field_ref {
                    format!("({})", f.field_path)
                } else {
                    "<set from a reference>".into()
                }
            }
            (Some(_), None) if looks_secret(&e.name) => "<redacted>".into(),
            (Some(v), None) => line(v),
            (None, None) => String::new(),
        };
        out.push(format!("      {}: {value}", line(&e.name)));
    }
}

fn state_text(s: Option<&k8s_openapi::api::core::v1::ContainerState>) -> String {
    let Some(s) = s else { return "Unknown".into() };
    if let Some(w) = &s.waiting {
        format!("Waiting ({})", line(w.reason.as_deref().unwrap_or("")))
    } else if let Some(t) = &s.terminated {
        format!(
            "Terminated ({}, exit code {})",
            line(t.reason.as_deref().unwrap_or("")),
            t.exit_code
        )
    } else if s.running.is_some() {
        "Running".into()
    } else {
        "Unknown".into()
    }
}

fn container_lines(c: &Container, status: Option<&ContainerStatus>, out: &mut Vec<String>) {
    out.push(format!("  {}:", line(&c.name)));
    out.push(format!(
        "    Image:          {}",
        line(c.image.as_deref().unwrap_or(""))
    ));
    if let Some(st) = status {
        out.push(format!(
            "    State:          {}",
            state_text(st.state.as_ref())
        ));
        if let Some(t) = st.last_state.as_ref().and_then(|l| l.terminated.as_ref()) {
            let finished = t
                .finished_at
                .as_ref()
                .map(|f| format!(", finished {}", f.0))
                .unwrap_or_default();
            out.push(format!(
                "    Last State:     Terminated ({}, exit code {}{finished})",
                line(t.reason.as_deref().unwrap_or("")),
                t.exit_code
            ));
        }
        out.push(format!("    Ready:          {}", st.ready));
        out.push(format!("    Restart Count:  {}", st.restart_count));
    }
    if let Some(r) = &c.resources {
        let fmt = |m: &Option<
            std::collections::BTreeMap<
                String,
                k8s_openapi::apimachinery::pkg::api::resource::Quantity,
            >,
        >| {
            m.as_ref()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| "-".into())
        };
        out.push(format!("    Limits:         {}", fmt(&r.limits)));
        out.push(format!("    Requests:       {}", fmt(&r.requests)));
    }
    env_lines(c, out);
}

pub fn events_lines(events: &[EventRow], kind: &str, name: &str, now: i64, out: &mut Vec<String>) {
    out.push("Events:".into());
    let mine: Vec<&EventRow> = events
        .iter()
        .filter(|e| e.kind == kind && e.object_name == name)
        .collect();
    if mine.is_empty() {
        out.push("  <none>".into());
    }
    for e in mine {
        out.push(format!(
            "  {:<7} {:<18} {:>5} (x{}) {}",
            e.type_,
            e.reason,
            e.last_seen.map_or("-".into(), |t| age(now - t)),
            e.count,
            e.message
        ));
    }
}

pub fn describe_pod(pod: &Pod, events: &[EventRow], now: i64) -> Vec<String> {
    let row = super::project::pod_row(pod, now);
    let meta = &pod.metadata;
    let status = pod.status.clone().unwrap_or_default();
    let mut out = vec![
        format!("Name:         {}", row.name),
        format!("Namespace:    {}", row.namespace),
        format!(
            "Node:         {}",
            row.node.clone().unwrap_or_else(|| "<none>".into())
        ),
        format!("Status:       {}", row.status),
        format!(
            "IP:           {}",
            line(status.pod_ip.as_deref().unwrap_or("<none>"))
        ),
        format!(
            "Controlled By: {}",
            row.owner.clone().unwrap_or_else(|| "<none>".into())
        ),
        format!(
            "Age:          {}",
            meta.creation_timestamp
                .as_ref()
                .map_or("-".into(), |t| age(now - t.0.as_second()))
        ),
        "Containers:".into(),
    ];
    let statuses = status.container_statuses.clone().unwrap_or_default();
    for c in pod
        .spec
        .as_ref()
        .map(|s| s.containers.clone())
        .unwrap_or_default()
    {
        let st = statuses.iter().find(|s| s.name == c.name);
        container_lines(&c, st, &mut out);
    }
    out.push("Conditions:".into());
    for c in status.conditions.unwrap_or_default() {
        out.push(format!("  {:<16} {}", line(&c.type_), line(&c.status)));
    }
    events_lines(events, "Pod", &row.name, now, &mut out);
    out
}

pub fn describe_node(node: &Node, events: &[EventRow], now: i64) -> Vec<String> {
    let row = super::project::node_row(node, now);
    let mut out = vec![
        format!("Name:          {}", row.name),
        format!("Status:        {}", row.status),
        format!(
            "Roles:         {}",
            if row.roles.is_empty() {
                "<none>".into()
            } else {
                row.roles.join(",")
            }
        ),
        format!("Version:       {}", row.version),
        format!("Unschedulable: {}", row.unschedulable),
        format!(
            "Taints:        {}",
            if row.taints.is_empty() {
                "<none>".into()
            } else {
                row.taints.join(", ")
            }
        ),
    ];
    super::describe_node::conditions(node, now, &mut out);
    super::describe_node::resources(node, &mut out);
    events_lines(events, "Node", &row.name, now, &mut out);
    out
}

pub fn describe_deployment(d: &Deployment, events: &[EventRow], now: i64) -> Vec<String> {
    let row = super::project::deployment_row(d);
    let mut out = vec![
        format!("Name:        {}", row.name),
        format!("Namespace:   {}", row.namespace),
        format!(
            "Replicas:    {} desired | {} updated | {} ready | {} available",
            row.replicas, row.updated, row.ready, row.available
        ),
        format!(
            "Selector:    {}",
            row.selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        "Pod Template:".into(),
    ];
    for c in d
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .map(|s| s.containers.clone())
        .unwrap_or_default()
    {
        container_lines(&c, None, &mut out);
    }
    events_lines(events, "Deployment", &row.name, now, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_never_shown() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "checkout-1", "namespace": "shop"},
            "spec": {"containers": [{"name": "app", "image": "shop/checkout:1", "env": [
                {"name": "DB_PASSWORD", "value": "hunter2"},
                {"name": "API_TOKEN", "value": "abc123"},
                {"name": "STRIPE_KEY", "value": "sk_live_x"},
                {"name": "LOG_LEVEL", "value": "debug"},
                {"name": "DB_URL", "valueFrom": {"secretKeyRef": {"name": "checkout-db", "key": "url"}}}
            ]}]}
        }))
        .expect("pod");
        let text = describe_pod(&pod, &[], 0).join("\n");
        for secret in ["hunter2", "abc123", "sk_live_x"] {
            assert!(!text.contains(secret), "{secret} shown:\n{text}");
        }
        assert!(text.contains("DB_PASSWORD: <redacted>"));
        assert!(text.contains("LOG_LEVEL: debug"));
        assert!(text.contains("DB_URL: <set to the key 'url' in secret 'checkout-db'>"));
    }

    #[test]
    fn pod_detail_names_the_last_termination() {
        let pod: Pod = serde_saphyr::from_str::<serde_json::Value>(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/fixtures/pods/crashloopbackoff.yaml"
            ))
            .expect("fixture"),
        )
        .map(|v| serde_json::from_value(v).expect("pod"))
        .expect("yaml");
        let events = vec![EventRow {
            namespace: "shop".into(),
            name: "e".into(),
            type_: "Warning".into(),
            reason: "BackOff".into(),
            message: "Back-off restarting failed container".into(),
            kind: "Pod".into(),
            object_name: "crashloopbackoff".into(),
            count: 4,
            last_seen: Some(100),
        }];
        let text = describe_pod(&pod, &events, 160).join("\n");
        assert!(text.contains("Status:       CrashLoopBackOff"), "{text}");
        assert!(
            text.contains("Last State:     Terminated (OOMKilled, exit code 137"),
            "{text}"
        );
        assert!(text.contains("Warning BackOff"), "{text}");
    }
}
