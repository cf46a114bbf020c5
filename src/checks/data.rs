//! Rows → CEL values, built only for the lists an expression reads and only
//! for the rows in scope. Numbers are signed so `p.restarts > 5` compares
//! like with like.

use std::collections::BTreeMap;

use cel::Value;
use serde::Serialize;

use crate::cluster::labels::Labels;
use crate::cluster::rows::{ContainerRow, DeploymentRow, EventRow, NodeRow, PodRow};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pod<'a> {
    name: &'a str,
    namespace: &'a str,
    node: &'a str,
    phase: &'a str,
    status: &'a str,
    ready: bool,
    ready_containers: i64,
    total_containers: i64,
    restarts: i64,
    age_seconds: i64,
    labels: &'a Labels,
    owner: &'a str,
    containers: Vec<Container<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Container<'a> {
    name: &'a str,
    image: &'a str,
    ready: bool,
    restarts: i64,
    state: &'a str,
    reason: &'a str,
    exit_code: i64,
    last_reason: &'a str,
    last_exit_code: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Node<'a> {
    name: &'a str,
    status: &'a str,
    ready: bool,
    unschedulable: bool,
    conditions: &'a BTreeMap<String, String>,
    roles: &'a [String],
    version: &'a str,
    labels: &'a Labels,
    taints: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Event<'a> {
    #[serde(rename = "type")]
    type_: &'a str,
    reason: &'a str,
    message: &'a str,
    kind: &'a str,
    name: &'a str,
    namespace: &'a str,
    count: i64,
    age_seconds: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deployment<'a> {
    name: &'a str,
    namespace: &'a str,
    replicas: i64,
    ready: i64,
    updated: i64,
    available: i64,
    images: &'a [String],
}

fn age(created: Option<i64>, now: i64) -> i64 {
    created.map_or(0, |c| (now - c).max(0))
}

fn container(c: &ContainerRow) -> Container<'_> {
    Container {
        name: &c.name,
        image: &c.image,
        ready: c.ready,
        restarts: i64::from(c.restarts),
        state: &c.state,
        reason: c.reason.as_deref().unwrap_or(""),
        exit_code: c.exit_code.map_or(0, i64::from),
        last_reason: c.last_reason.as_deref().unwrap_or(""),
        last_exit_code: c.last_exit_code.map_or(0, i64::from),
    }
}

fn to_value(v: impl Serialize) -> Value {
    cel::to_value(v).unwrap_or(Value::Null)
}

pub fn pod(p: &PodRow, now: i64) -> Value {
    to_value(Pod {
        name: &p.name,
        namespace: &p.namespace,
        node: p.node.as_deref().unwrap_or(""),
        phase: &p.phase,
        status: &p.status,
        ready: p.total_containers > 0 && p.ready_containers == p.total_containers,
        ready_containers: i64::from(p.ready_containers),
        total_containers: i64::from(p.total_containers),
        restarts: i64::from(p.restarts),
        age_seconds: age(p.created_at, now),
        labels: &p.labels,
        owner: p.owner.as_deref().unwrap_or(""),
        containers: p
            .containers
            .iter()
            .filter(|c| !c.init)
            .map(container)
            .collect(),
    })
}

pub fn node(n: &NodeRow) -> Value {
    to_value(Node {
        name: &n.name,
        status: &n.status,
        ready: n.ready == Some(true),
        unschedulable: n.unschedulable,
        conditions: &n.conditions,
        roles: &n.roles,
        version: &n.version,
        labels: &n.labels,
        taints: &n.taints,
    })
}

pub fn event(e: &EventRow, now: i64) -> Value {
    to_value(Event {
        type_: &e.type_,
        reason: &e.reason,
        message: &e.message,
        kind: &e.kind,
        name: &e.object_name,
        namespace: &e.namespace,
        count: i64::from(e.count),
        age_seconds: age(e.last_seen, now),
    })
}

pub fn deployment(d: &DeploymentRow) -> Value {
    to_value(Deployment {
        name: &d.name,
        namespace: &d.namespace,
        replicas: i64::from(d.replicas),
        ready: i64::from(d.ready),
        updated: i64::from(d.updated),
        available: i64::from(d.available),
        images: &d.images,
    })
}

pub fn params(p: &BTreeMap<String, String>) -> Value {
    to_value(p)
}
