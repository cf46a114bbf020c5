//! A pod's row, with STATUS, READY and RESTARTS exactly as `kubectl get
//! pods` prints them (a port of kubectl's printPod).

use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod, PodStatus};

use crate::kinds::intern::{Interner, Text};
use crate::kinds::labels::Labels;
use crate::kinds::rows::{ContainerRow, PodRow};
use crate::sanitize::line_cow;

const NODE_LOST: &str = "NodeLost";

fn secs(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> i64 {
    t.0.as_second()
}

fn last_finished(c: &ContainerStatus) -> Option<i64> {
    c.last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
        .map(secs)
}

fn container_row(
    c: &ContainerStatus,
    image: &str,
    init: bool,
    strings: &mut Interner,
) -> ContainerRow {
    let state = c.state.as_ref();
    let (kind, reason, exit_code) = match state {
        Some(s) if s.waiting.is_some() => (
            "waiting",
            s.waiting.as_ref().and_then(|w| w.reason.as_deref()),
            None,
        ),
        Some(s) if s.terminated.is_some() => {
            let t = s.terminated.as_ref();
            (
                "terminated",
                t.and_then(|t| t.reason.as_deref()),
                t.map(|t| t.exit_code),
            )
        }
        Some(s) if s.running.is_some() => ("running", None, None),
        _ => ("unknown", None, None),
    };
    let last = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
    ContainerRow {
        name: strings.line(&c.name),
        image: strings.line(if c.image.is_empty() { image } else { &c.image }),
        ready: c.ready,
        restarts: u32::try_from(c.restart_count).unwrap_or(0),
        state: strings.line(kind),
        reason: reason.map(|r| strings.line(r)),
        exit_code,
        last_reason: last
            .and_then(|t| t.reason.as_deref())
            .map(|r| strings.line(r)),
        last_exit_code: last.map(|t| t.exit_code),
        init,
    }
}

fn terminated_reason(
    reason: Option<&str>,
    signal: Option<i32>,
    exit_code: i32,
    prefix: &str,
) -> String {
    match reason {
        Some(r) if !r.is_empty() => format!("{prefix}{r}"),
        _ => match signal {
            Some(s) if s != 0 => format!("{prefix}Signal:{s}"),
            _ => format!("{prefix}ExitCode:{exit_code}"),
        },
    }
}

/// One pod's row, on its own. Watchers use `pod_row_in` so rows share text.
pub fn pod_row(pod: &Pod, _now: i64) -> PodRow {
    pod_row_in(pod, &mut Interner::new())
}

pub fn pod_row_in(pod: &Pod, strings: &mut Interner) -> PodRow {
    let meta = &pod.metadata;
    let spec = pod.spec.as_ref();
    // Borrowed, never cloned: at 150,000 pods cloning the status and the
    // container specs cost as much as deserializing them.
    let no_status = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&no_status);
    let phase = status.phase.as_deref().unwrap_or_default();
    let mut reason = status
        .reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .unwrap_or(phase)
        .to_string();
    let conditions = status.conditions.as_deref().unwrap_or_default();
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }
    let init_specs = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or_default();
    let specs = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    let image_of = |name: &str, init: bool| -> &str {
        let list = if init { init_specs } else { specs };
        list.iter()
            .find(|c| c.name == name)
            .and_then(|c| c.image.as_deref())
            .unwrap_or_default()
    };
    let sidecar = |name: &str| {
        init_specs
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };

    let mut total = specs.len() as u32;
    let mut ready = 0u32;
    let mut restarts = 0u32;
    let mut sidecar_restarts = 0u32;
    let mut last_restart: Option<i64> = None;
    let mut sidecar_last_restart: Option<i64> = None;
    let mut initializing = false;
    let no_state = ContainerState::default();
    let init_statuses = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    let mut containers: Vec<ContainerRow> = Vec::new();
    for (i, c) in init_statuses.iter().enumerate() {
        containers.push(container_row(c, image_of(&c.name, true), true, strings));
        let count = u32::try_from(c.restart_count).unwrap_or(0);
        restarts += count;
        if let Some(f) = last_finished(c) {
            last_restart = last_restart.max(Some(f));
        }
        if sidecar(&c.name) {
            sidecar_restarts += count;
            if let Some(f) = last_finished(c) {
                sidecar_last_restart = sidecar_last_restart.max(Some(f));
            }
            total += 1;
            if c.started == Some(true) && c.ready {
                ready += 1;
            }
            continue;
        }
        if initializing {
            continue;
        }
        let state = c.state.as_ref().unwrap_or(&no_state);
        if let Some(t) = &state.terminated {
            if t.exit_code == 0 {
                continue;
            }
            reason = terminated_reason(t.reason.as_deref(), t.signal, t.exit_code, "Init:");
            initializing = true;
        } else if let Some(w) = state.waiting.as_ref().filter(|w| {
            w.reason
                .as_deref()
                .is_some_and(|r| !r.is_empty() && r != "PodInitializing")
        }) {
            reason = format!("Init:{}", w.reason.clone().unwrap_or_default());
            initializing = true;
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
            initializing = true;
        }
    }
    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    let statuses = status.container_statuses.as_deref().unwrap_or_default();
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for c in statuses.iter().rev() {
            restarts += u32::try_from(c.restart_count).unwrap_or(0);
            if let Some(f) = last_finished(c) {
                last_restart = last_restart.max(Some(f));
            }
            let state = c.state.as_ref().unwrap_or(&no_state);
            if let Some(w) = state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty())
            {
                reason = w.to_string();
            } else if let Some(t) = &state.terminated {
                reason = terminated_reason(t.reason.as_deref(), t.signal, t.exit_code, "");
            } else if c.ready && state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if meta.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some(NODE_LOST) {
            reason = "Unknown".into();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".into();
        }
    }
    for c in statuses {
        containers.push(container_row(c, image_of(&c.name, false), false, strings));
    }
    // Containers the kubelet has not reported yet still have a name and image.
    for s in specs {
        if !statuses.iter().any(|c| c.name == s.name) {
            containers.push(ContainerRow {
                name: strings.line(&s.name),
                image: strings.line(s.image.as_deref().unwrap_or_default()),
                state: strings.line("waiting"),
                ..ContainerRow::default()
            });
        }
    }
    let owner = meta
        .owner_references
        .as_ref()
        .and_then(|o| {
            o.iter()
                .find(|r| r.controller == Some(true))
                .or_else(|| o.first())
        })
        .map(|r| strings.line(&format!("{}/{}", r.kind, r.name)));
    PodRow {
        namespace: strings.line(meta.namespace.as_deref().unwrap_or_default()),
        // Names are unique: shared with the store's key, never interned.
        name: Text::from(line_cow(meta.name.as_deref().unwrap_or_default()).as_ref()),
        node: spec
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty())
            .map(|n| strings.line(n)),
        phase: strings.line(phase),
        status: strings.line(&reason),
        reason: status
            .reason
            .as_deref()
            .filter(|r| !r.is_empty())
            .map(|r| strings.line(r)),
        ready_containers: ready,
        total_containers: total,
        restarts,
        last_restart_at: last_restart,
        created_at: meta.creation_timestamp.as_ref().map(secs),
        labels: Labels::project(meta.labels.as_ref(), strings),
        owner,
        containers: containers.into_boxed_slice(),
    }
}

impl PodRow {
    /// Running with every container ready, or finished successfully.
    pub fn is_healthy(&self) -> bool {
        (self.status == "Running" && self.ready_containers == self.total_containers)
            || self.status == "Completed"
    }
}
