//! What a scenario says about behaviour rather than objects: the images
//! the registry has, how each workload's containers behave for the
//! simulated kubelet, what "fixed" means (`goal`) and the alerts that fire.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use crate::sim::cluster::quantity;

/// How the containers of one workload behave. Keyed in `workloads:` by
/// the workload's name (its Deployment, StatefulSet, DaemonSet or Job), or
/// `workload/container` for one container; a pod's own name picks one pod.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Workload {
    /// Memory the container grows to once warmed up; a limit below it is
    /// OOMKilled on the way there.
    #[serde(default, deserialize_with = "optional_quantity")]
    pub memory_needs: Option<f64>,
    /// CPU it uses once running, in cores (`300m`), for `kubectl top`.
    #[serde(default, deserialize_with = "optional_quantity")]
    pub cpu: Option<f64>,
    /// From start to ready (and to full memory use).
    #[serde(
        default = "default_warmup",
        deserialize_with = "super::duration",
        serialize_with = "serialize_duration"
    )]
    pub warmup: Duration,
    /// The process exits by itself this long after it starts.
    #[serde(default)]
    pub exits: Option<Exit>,
    /// `false`: the readiness probe never passes.
    #[serde(default = "yes")]
    pub ready: bool,
    /// `false`: the liveness probe fails once warmed up; the kubelet kills
    /// the container and restarts it (CrashLoopBackOff).
    #[serde(default = "yes")]
    pub live: bool,
    /// Where the app answers its health check once warmed up. A pod's own
    /// liveness and startup probes are then judged against it and the
    /// warm-up: a probe elsewhere always fails, and one that gives up
    /// before the warm-up is over kills the container. Without it, the
    /// app answers any probe once warm.
    #[serde(default)]
    pub health: Option<Health>,
    /// What the container calls: a Service (with ready endpoints that
    /// NetworkPolicies let it reach) or cluster DNS. Unmet needs fail its
    /// readiness probe, or end the process (`unmet: exit`).
    #[serde(default)]
    pub needs: Vec<Need>,
    #[serde(default)]
    pub unmet: Unmet,
    /// CPU the whole workload is asked for (cores), shared by its running
    /// pods: a share above a pod's CPU limit times its probes out (not
    /// ready), and `kubectl top` and autoscalers see the share.
    #[serde(default, deserialize_with = "optional_quantity")]
    pub load: Option<f64>,
    /// Lines the container prints, stamped with the simulated clock.
    #[serde(default)]
    pub logs: WorkloadLogs,
}

/// The app's health endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Health {
    pub path: String,
    pub port: u16,
}

/// Something a container needs to work.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Need {
    /// A Service, `name` (the pod's namespace) or `namespace/name`.
    #[serde(default)]
    pub service: Option<String>,
    /// Cluster DNS: `kube-system/kube-dns` with ready endpoints.
    #[serde(default)]
    pub dns: bool,
}

/// What an unmet need does to the container.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Unmet {
    /// Its readiness probe fails.
    #[default]
    NotReady,
    /// The process exits (code 1) at the end of its warm-up.
    Exit,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Exit {
    #[serde(
        deserialize_with = "super::duration",
        serialize_with = "serialize_duration"
    )]
    pub after: Duration,
    #[serde(default = "one")]
    pub code: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadLogs {
    /// Printed when the container starts.
    #[serde(default)]
    pub start: Vec<String>,
    /// Printed when it is ready.
    #[serde(default)]
    pub ready: Vec<String>,
    /// Printed just before it dies (OOMKilled or exits).
    #[serde(default)]
    pub crash: Vec<String>,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            memory_needs: None,
            cpu: None,
            warmup: default_warmup(),
            exits: None,
            ready: true,
            live: true,
            health: None,
            needs: Vec::new(),
            unmet: Unmet::NotReady,
            load: None,
            logs: WorkloadLogs::default(),
        }
    }
}

/// The kubelet's rules from the scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Images that exist; `None` when the scenario does not say, and every image pulls.
    pub registry: Option<BTreeSet<String>>,
    pub workloads: BTreeMap<String, Workload>,
}

impl Rules {
    /// Whether `image` can be pulled (`docker.io/library/` and a missing
    /// `:latest` are as good as written out).
    pub fn image_exists(&self, image: &str) -> bool {
        let Some(registry) = &self.registry else {
            return true;
        };
        let normal = normalize_image(image);
        registry.iter().any(|i| normalize_image(i) == normal)
    }

    pub fn workload(&self, workload: &str, container: &str) -> Option<&Workload> {
        self.workloads
            .get(&format!("{workload}/{container}"))
            .or_else(|| self.workloads.get(workload))
    }

    /// The rule for a container of `pod`: one written for the pod itself
    /// wins over its workload's.
    pub fn for_pod(&self, pod: &str, workload: &str, container: &str) -> Option<&Workload> {
        if self.workloads.is_empty() {
            return None;
        }
        self.workloads
            .get(&format!("{pod}/{container}"))
            .or_else(|| self.workloads.get(pod))
            .or_else(|| self.workload(workload, container))
    }
}

fn normalize_image(image: &str) -> String {
    let image = image.trim();
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let name = if name[last_slash..].contains(':') || digest.is_some() {
        name.to_string()
    } else {
        format!("{name}:latest")
    };
    let name = name
        .strip_prefix("docker.io/library/")
        .or_else(|| name.strip_prefix("docker.io/"))
        .map(str::to_string)
        .unwrap_or(name);
    match digest {
        Some(d) => format!("{name}@{d}"),
        None => name,
    }
}

/// An alert the drill's Alertmanager fires.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

fn default_warmup() -> Duration {
    Duration::from_secs(10)
}

fn yes() -> bool {
    true
}

fn one() -> i32 {
    1
}

fn serialize_duration<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&humantime::format_duration(*d).to_string())
}

fn optional_quantity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(f64),
    }
    match Raw::deserialize(d)? {
        Raw::Number(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        Raw::Number(n) => Err(serde::de::Error::custom(format!("invalid quantity {n}"))),
        Raw::Text(t) => quantity::parse(&t)
            .filter(|q| *q >= 0.0)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid quantity {t:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_matches_normalized_names() {
        let rules = Rules {
            registry: Some(["shop/cart:v2.3.0".to_string(), "nginx".to_string()].into()),
            workloads: BTreeMap::new(),
        };
        assert!(rules.image_exists("shop/cart:v2.3.0"));
        assert!(!rules.image_exists("shop/cart:v2.31"));
        assert!(rules.image_exists("docker.io/library/nginx:latest"));
        assert!(rules.image_exists("nginx"));
        assert!(Rules::default().image_exists("anything:at-all"));
    }
}
