//! One container's life under the kubelet: pull, configure, start, warm
//! up to ready, die by the workload's rules (OOMKilled when its memory
//! limit is below what it needs), wait out the back-off, start again.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::config::{config_problem, image_name_invalid};
use super::{PullState, back_off, go_duration, pod_ref, restarts_after};
use crate::sim::cluster::Cluster;
use crate::sim::cluster::controllers::{name, namespace, uid};
use crate::sim::cluster::events::{self, Note};
use crate::sim::cluster::logs;
use crate::sim::cluster::quantity;
use crate::sim::cluster::store::format_time;
use crate::sim::scenario::Workload;

/// How long a failed pull shows ErrImagePull before ImagePullBackOff.
const ERR_IMAGE_PULL_FOR: i64 = 5;

pub(super) struct Ctx<'a> {
    pub cluster: &'a mut Cluster,
    pub pod: &'a Value,
    pub node: &'a str,
    pub rule: &'a Workload,
    /// A need of the container that is not met, in its own words.
    pub unmet: Option<String>,
    /// Its share of the workload's load is more than it can serve.
    pub overloaded: bool,
}

/// How often the kubelet probes (the default `periodSeconds`).
const PROBE_PERIOD: i64 = 10;
/// Liveness failures before the kubelet kills (the default `failureThreshold`).
const LIVENESS_FAILURES: i64 = 3;

fn time(value: &Value) -> Option<Timestamp> {
    value.as_str().and_then(|t| t.parse().ok())
}

use crate::sim::cluster::later;

fn secs(d: std::time::Duration) -> SignedDuration {
    SignedDuration::try_from(d).unwrap_or(SignedDuration::ZERO)
}

fn hex(seed: &str) -> String {
    Sha256::digest(seed)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// When a probe's kill happens: at least a second after the start, as
/// every death is.
fn probe_killed_at(started: Timestamp, kill: &super::probes::Kill) -> Timestamp {
    later(started, SignedDuration::from_secs(kill.after_secs.max(1)))
}

/// What a running container will do, by the rules.
pub struct Fate {
    /// When it dies, with its exit code and reason.
    pub death: Option<(Timestamp, i32, &'static str)>,
    /// When its readiness probe first passes.
    pub ready_at: Option<Timestamp>,
}

pub fn fate(rule: &Workload, spec: &Value, started: Timestamp) -> Fate {
    let warmup = secs(rule.warmup);
    let limit = quantity::of(&spec["resources"]["limits"]["memory"]);
    let oom = match (rule.memory_needs, limit) {
        (Some(need), Some(limit)) if need > limit => {
            // Memory grows through the warm-up; the limit is hit on the way.
            let fraction = (limit / need).clamp(0.0, 1.0);
            let at = SignedDuration::try_from_secs_f64(warmup.as_secs_f64() * fraction)
                .unwrap_or(SignedDuration::ZERO)
                .max(SignedDuration::from_secs(1));
            Some((later(started, at), 137, "OOMKilled"))
        }
        _ => None,
    };
    let exit = rule.exits.as_ref().map(|e| {
        let reason = if e.code == 0 { "Completed" } else { "Error" };
        (
            later(started, secs(e.after).max(SignedDuration::from_secs(1))),
            e.code,
            reason,
        )
    });
    let death = [oom, exit].into_iter().flatten().min_by_key(|d| d.0);
    let ready_at = (rule.ready).then(|| later(started, warmup));
    let ready_at = ready_at.filter(|r| death.is_none_or(|d| d.0 > *r));
    Fate { death, ready_at }
}

impl Ctx<'_> {
    fn now(&self) -> Timestamp {
        self.cluster.now()
    }

    fn note(&mut self, container: &str, warning: bool, reason: &str, message: &str) {
        let path = format!("spec.containers{{{container}}}");
        self.cluster.event(
            self.pod,
            events::kubelet(self.node),
            Note {
                warning,
                reason,
                message,
                field_path: Some(&path),
            },
        );
    }

    fn log_key(&self, container: &str) -> String {
        logs::key(namespace(self.pod), name(self.pod), container)
    }

    /// The container's next status.
    pub fn step(&mut self, spec: &Value, old: Option<&Value>) -> Value {
        let container = spec["name"].as_str().unwrap_or_default().to_string();
        let image = spec["image"].as_str().unwrap_or_default().to_string();
        let restarts = old.and_then(|s| s["restartCount"].as_i64()).unwrap_or(0);
        let mut status = old.cloned().unwrap_or_else(|| {
            json!({ "name": container, "image": image, "imageID": "", "ready": false,
                    "started": false, "restartCount": 0, "state": { "waiting": { "reason": "ContainerCreating" } },
                    "lastState": {} })
        });
        let state = status["state"].clone();
        if state["terminated"].is_object()
            && !restarts_after(
                self.pod,
                state["terminated"]["exitCode"].as_i64().unwrap_or(0),
            )
        {
            return status;
        }
        if let Some(started) = time(&state["running"]["startedAt"]) {
            if status["image"] != image.as_str() {
                let message =
                    format!("Container {container} definition changed, will be restarted");
                self.note(&container, false, "Killing", &message);
                return self.try_start(spec, status, restarts + 1);
            }
            return self.running(spec, status, started, restarts);
        }
        if let Some(finished) = time(&status["lastState"]["terminated"]["finishedAt"])
            && state["waiting"]["reason"] == "CrashLoopBackOff"
        {
            let due = later(finished, SignedDuration::from_secs(back_off(restarts + 1)));
            if self.now() < due {
                self.cluster.wake_at(due);
                return status;
            }
            return self.try_start(spec, status, restarts + 1);
        }
        status["image"] = json!(image);
        self.try_start(spec, status, restarts)
    }

    fn running(
        &mut self,
        spec: &Value,
        mut status: Value,
        started: Timestamp,
        restarts: i64,
    ) -> Value {
        let container = spec["name"].as_str().unwrap_or_default().to_string();
        let mut fate = fate(self.rule, spec, started);
        let warmed = later(
            started,
            secs(self.rule.warmup).max(SignedDuration::from_secs(1)),
        );
        let mut deaths: Vec<(Timestamp, i32, &'static str)> = fate.death.into_iter().collect();
        if self.unmet.is_some() && self.rule.unmet == crate::sim::scenario::Unmet::Exit {
            deaths.push((warmed, 1, "Error"));
        }
        if !self.rule.live {
            let killed = later(
                warmed,
                SignedDuration::from_secs(PROBE_PERIOD * LIVENESS_FAILURES),
            );
            deaths.push((killed, 137, "Error"));
        }
        if let Some(kill) = self.probe_kill(spec) {
            deaths.push((probe_killed_at(started, &kill), 137, "Error"));
        }
        fate.death = deaths.into_iter().min_by_key(|d| d.0);
        if fate
            .death
            .is_some_and(|d| fate.ready_at.is_some_and(|r| r >= d.0))
        {
            fate.ready_at = None;
        }
        let now = self.now();
        if let Some((at, code, reason)) = fate.death
            && at <= now
        {
            return self.crash(spec, status, started, at, code, reason, restarts);
        }
        if let Some((at, _, _)) = fate.death {
            self.cluster.wake_at(at);
        }
        let warm = fate.ready_at.is_some_and(|r| r <= now);
        let ready = warm && self.unmet.is_none() && !self.overloaded;
        if warm && !ready {
            self.probe_failing(&container, started, now);
        }
        if ready && status["ready"] != true {
            let key = self.log_key(&container);
            let lines = self.rule.logs.ready.clone();
            let at = fate.ready_at.unwrap_or(now);
            self.cluster.logs.print(&key, at, &lines);
        }
        if let Some(r) = fate.ready_at.filter(|r| *r > now) {
            self.cluster.wake_at(r);
        }
        // A probe that never passes is reported once the warm-up is over
        // (once per start: the moment is visited exactly).
        let probe_fails = !self.rule.ready && fate.death.is_none_or(|d| d.0 > now);
        let warmed = later(started, secs(self.rule.warmup));
        if probe_fails && now == warmed {
            self.note(
                &container,
                true,
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            );
        }
        if probe_fails && now < warmed {
            self.cluster.wake_at(warmed);
        }
        status["ready"] = json!(ready);
        status["started"] = json!(true);
        status
    }

    /// The kill the container's own liveness or startup probe brings
    /// about, judged against the app's health endpoint and warm-up.
    fn probe_kill(&self, spec: &Value) -> Option<super::probes::Kill> {
        let ip = self.pod["status"]["podIP"].as_str().unwrap_or("10.244.0.2");
        let warm = secs(self.rule.warmup).as_secs();
        super::probes::kill(self.rule, spec, warm, ip)
    }

    /// A readiness probe that fails every period once the container is
    /// warm: the app cannot reach what it needs, or times out under load.
    fn probe_failing(&mut self, container: &str, started: Timestamp, now: Timestamp) {
        let since = now.duration_since(started).as_secs();
        let next = now + SignedDuration::from_secs(PROBE_PERIOD - since.rem_euclid(PROBE_PERIOD));
        self.cluster.wake_at(next);
        if since.rem_euclid(PROBE_PERIOD) != 0 {
            return;
        }
        let ip = self.pod["status"]["podIP"].as_str().unwrap_or("10.244.0.2");
        let message = match &self.unmet {
            Some(unmet) => format!("Readiness probe failed: {unmet}"),
            None => format!(
                "Readiness probe failed: Get \"http://{ip}:8080/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            ),
        };
        self.note(container, true, "Unhealthy", &message);
        if let Some(unmet) = self.unmet.clone() {
            let key = self.log_key(container);
            self.cluster
                .logs
                .print(&key, now, &[format!("ERROR {unmet}")]);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn crash(
        &mut self,
        spec: &Value,
        mut status: Value,
        started: Timestamp,
        at: Timestamp,
        code: i32,
        reason: &str,
        restarts: i64,
    ) -> Value {
        let container = spec["name"].as_str().unwrap_or_default().to_string();
        let key = self.log_key(&container);
        let mut lines = self.rule.logs.crash.clone();
        if lines.is_empty() && reason == "OOMKilled" {
            lines.push("fatal error: runtime: out of memory".into());
        }
        let liveness = !self.rule.live && code == 137 && reason == "Error";
        // The pod's own probe, when its kill is this death.
        let probed = self
            .probe_kill(spec)
            .filter(|k| code == 137 && reason == "Error" && probe_killed_at(started, k) == at);
        if let Some(unmet) = self.unmet.clone().filter(|_| code == 1) {
            lines.push(format!("FATAL {unmet}"));
        }
        self.cluster.logs.print(&key, at, &lines);
        if let Some(kill) = &probed {
            let failed = format!("{} probe failed: {}", kill.probe, kill.message);
            self.note(&container, true, "Unhealthy", &failed);
            let message = format!(
                "Container {container} failed {} probe, will be restarted",
                kill.probe.to_ascii_lowercase()
            );
            self.note(&container, false, "Killing", &message);
        } else if liveness {
            self.note(
                &container,
                true,
                "Unhealthy",
                "Liveness probe failed: HTTP probe failed with statuscode: 500",
            );
            let message = format!("Container {container} failed liveness probe, will be restarted");
            self.note(&container, false, "Killing", &message);
        }
        if !restarts_after(self.pod, i64::from(code)) {
            status["state"] = json!({ "terminated": {
                "exitCode": code, "reason": reason,
                "startedAt": format_time(started), "finishedAt": format_time(at),
                "containerID": status["containerID"],
            } });
            status["ready"] = json!(false);
            status["started"] = json!(false);
            return status;
        }
        let delay = back_off(restarts + 1);
        status["lastState"] = json!({ "terminated": {
            "exitCode": code, "reason": reason,
            "startedAt": format_time(started), "finishedAt": format_time(at),
            "containerID": status["containerID"],
        } });
        status["state"] = json!({ "waiting": {
            "reason": "CrashLoopBackOff",
            "message": format!("back-off {} restarting failed container={container} pod={}", go_duration(delay), pod_ref(self.pod)),
        } });
        status["ready"] = json!(false);
        status["started"] = json!(false);
        let message = format!(
            "Back-off restarting failed container {container} in pod {}",
            pod_ref(self.pod)
        );
        self.note(&container, true, "BackOff", &message);
        self.cluster
            .wake_at(later(at, SignedDuration::from_secs(delay)));
        status
    }

    /// Pull, check the configuration, start; or say why not.
    fn try_start(&mut self, spec: &Value, mut status: Value, restarts: i64) -> Value {
        let container = spec["name"].as_str().unwrap_or_default().to_string();
        let image = spec["image"].as_str().unwrap_or_default().to_string();
        status["image"] = json!(image);
        status["ready"] = json!(false);
        status["started"] = json!(false);
        let waiting = status["state"]["waiting"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if image_name_invalid(&image) {
            if waiting != "InvalidImageName" {
                let message = format!(
                    "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format: repository name must be lowercase"
                );
                self.note(&container, true, "InspectFailed", &message);
                self.note(&container, true, "Failed", "Error: InvalidImageName");
                status["state"] =
                    json!({ "waiting": { "reason": "InvalidImageName", "message": message } });
            }
            return status;
        }
        let pull_key = format!("{}/{container}", uid(self.pod));
        if !self.cluster.rules.image_exists(&image) {
            return self.pull_failed(&container, &image, &pull_key, &waiting, status);
        }
        // Checked on every sync, as the kubelet does; said once per change.
        if let Some(problem) = config_problem(self.cluster, self.pod, spec) {
            if waiting != "CreateContainerConfigError" {
                self.note(&container, true, "Failed", &format!("Error: {problem}"));
            }
            status["state"] = json!({ "waiting": { "reason": "CreateContainerConfigError", "message": problem } });
            return status;
        }
        let pulled = self.cluster.pulls.remove(&pull_key).is_some();
        if pulled || waiting == "ContainerCreating" && restarts == 0 {
            self.note(
                &container,
                false,
                "Pulling",
                &format!("Pulling image \"{image}\""),
            );
            self.note(
                &container,
                false,
                "Pulled",
                &format!("Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting)"),
            );
        } else {
            self.note(
                &container,
                false,
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
            );
        }
        let now = self.now();
        let key = self.log_key(&container);
        if restarts > 0 {
            self.cluster.logs.rotate(&key);
        }
        let lines = self.rule.logs.start.clone();
        self.cluster.logs.print(&key, now, &lines);
        self.note(
            &container,
            false,
            "Created",
            &format!("Created container: {container}"),
        );
        self.note(
            &container,
            false,
            "Started",
            &format!("Started container {container}"),
        );
        let id = hex(&format!("{}/{container}/{restarts}", uid(self.pod)));
        let repo = image.split([':', '@']).next().unwrap_or(&image);
        status["containerID"] = json!(format!("containerd://{id}"));
        status["imageID"] = json!(format!("{repo}@sha256:{}", hex(&image)));
        status["restartCount"] = json!(restarts);
        status["state"] = json!({ "running": { "startedAt": format_time(now) } });
        self.running(spec, status, now, restarts)
    }

    fn pull_failed(
        &mut self,
        container: &str,
        image: &str,
        key: &str,
        waiting: &str,
        mut status: Value,
    ) -> Value {
        let now = self.now().as_second();
        let seeded = waiting == "ImagePullBackOff" || waiting == "ErrImagePull";
        let state = *self
            .cluster
            .pulls
            .entry(key.to_string())
            .or_insert(PullState {
                // A scenario's pod already in back-off goes on waiting, not
                // pulling again the moment the drill starts.
                attempts: if seeded { 6 } else { 0 },
                last: now,
            });
        let next_try = state.last + back_off(i64::from(state.attempts));
        if state.attempts == 0 || now >= next_try {
            let attempts = state.attempts + 1;
            self.cluster.pulls.insert(
                key.to_string(),
                PullState {
                    attempts,
                    last: now,
                },
            );
            let failure = format!(
                "failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
            );
            self.note(
                container,
                false,
                "Pulling",
                &format!("Pulling image \"{image}\""),
            );
            self.note(
                container,
                true,
                "Failed",
                &format!(
                    "Failed to pull image \"{image}\": rpc error: code = NotFound desc = {failure}"
                ),
            );
            self.note(container, true, "Failed", "Error: ErrImagePull");
            status["state"] = json!({ "waiting": { "reason": "ErrImagePull", "message": format!("rpc error: code = NotFound desc = {failure}") } });
            self.cluster.wake_at(at(now + ERR_IMAGE_PULL_FOR));
            return status;
        }
        if now >= state.last + ERR_IMAGE_PULL_FOR || seeded && waiting == "ImagePullBackOff" {
            if waiting != "ImagePullBackOff" {
                let message = format!("Back-off pulling image \"{image}\"");
                self.note(container, false, "BackOff", &message);
                self.note(container, true, "Failed", "Error: ImagePullBackOff");
                status["state"] =
                    json!({ "waiting": { "reason": "ImagePullBackOff", "message": message } });
            }
        } else {
            self.cluster.wake_at(at(state.last + ERR_IMAGE_PULL_FOR));
        }
        self.cluster.wake_at(at(next_try));
        status
    }
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_below_the_need_dies_during_warmup_and_is_never_ready() {
        let rule = Workload {
            memory_needs: Some(400.0 * 1048576.0),
            ..Workload::default()
        };
        let spec = json!({ "resources": { "limits": { "memory": "256Mi" } } });
        let start = Timestamp::from_second(1_780_000_000).unwrap();
        let f = fate(&rule, &spec, start);
        let (at, code, reason) = f.death.unwrap();
        assert_eq!((code, reason), (137, "OOMKilled"));
        assert_eq!(
            at.as_second() - start.as_second(),
            6,
            "256/400 of a 10 s warm-up"
        );
        assert!(f.ready_at.is_none());
        let spec = json!({ "resources": { "limits": { "memory": "512Mi" } } });
        let f = fate(&rule, &spec, start);
        assert!(f.death.is_none());
        assert_eq!(f.ready_at.unwrap().as_second() - start.as_second(), 10);
    }
}
