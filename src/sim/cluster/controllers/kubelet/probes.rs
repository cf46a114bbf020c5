//! A pod's own liveness and startup probes, judged as the kubelet runs
//! them against what the app does: it answers its health endpoint
//! (`health:` in the scenario) once warmed up, and nothing before. A probe
//! runs at `initialDelaySeconds`, then every `periodSeconds`; after
//! `failureThreshold` failures in a row the container is killed. Liveness
//! probes do not run until a startup probe has passed.

use serde_json::Value;

use crate::sim::scenario::Workload;

/// When (seconds after the start) the kubelet kills the container for a
/// failing probe, and the probe's last failure as its event says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kill {
    pub after_secs: i64,
    pub probe: &'static str,
    pub message: String,
}

struct Probe {
    initial: i64,
    period: i64,
    threshold: i64,
    /// Why every try fails whatever the time (wrong path or port).
    never: Option<String>,
}

impl Probe {
    fn of(probe: &Value, container: &Value, rule: &Workload, ip: &str) -> Option<Probe> {
        if !probe.is_object() {
            return None;
        }
        let int = |field: &str, default: i64| probe[field].as_i64().unwrap_or(default).max(0);
        let (path, port) = match (&probe["httpGet"], &probe["tcpSocket"]) {
            (get, _) if get.is_object() => (
                Some(get["path"].as_str().unwrap_or("/").to_string()),
                port_of(&get["port"], container),
            ),
            (_, tcp) if tcp.is_object() => (None, port_of(&tcp["port"], container)),
            // An exec probe: it passes once the app is warm.
            _ => (None, None),
        };
        let never = rule.health.as_ref().and_then(|h| match (&path, port) {
            (_, Some(p)) if p != h.port => Some(format!(
                "Get \"http://{ip}:{p}{}\": dial tcp {ip}:{p}: connect: connection refused",
                path.as_deref().unwrap_or("")
            )),
            (Some(path), _) if *path != h.path => {
                Some("HTTP probe failed with statuscode: 404".to_string())
            }
            _ => None,
        });
        Some(Probe {
            initial: int("initialDelaySeconds", 0),
            period: int("periodSeconds", 10).max(1),
            threshold: int("failureThreshold", 3).max(1),
            never,
        })
    }

    /// The time of try `k`.
    fn at(&self, k: i64) -> i64 {
        self.initial + k * self.period
    }
}

/// A port given by number or by the container's port name.
fn port_of(port: &Value, container: &Value) -> Option<u16> {
    if let Some(n) = port.as_u64() {
        return u16::try_from(n).ok();
    }
    let name = port.as_str()?;
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    container["ports"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["containerPort"].as_u64())
        .and_then(|n| u16::try_from(n).ok())
}

/// The kill a container's probes bring about, if they do; `warm_secs` is
/// the app's warm-up.
pub fn kill(rule: &Workload, container: &Value, warm_secs: i64, ip: &str) -> Option<Kill> {
    let refused = |port: Option<u16>| {
        format!(
            "Get \"http://{ip}:{}/\": dial tcp {ip}:{}: connect: connection refused",
            port.unwrap_or(8080),
            port.unwrap_or(8080)
        )
    };
    let warming = refused(rule.health.as_ref().map(|h| h.port));
    // A startup probe passes at its first try once warm, or kills.
    let mut live_from = 0;
    if let Some(startup) = Probe::of(&container["startupProbe"], container, rule, ip) {
        let first_pass = match &startup.never {
            Some(_) => None,
            None => (0..startup.threshold).find(|k| startup.at(*k) >= warm_secs),
        };
        match first_pass {
            Some(k) => live_from = startup.at(k),
            None => {
                return Some(Kill {
                    after_secs: startup.at(startup.threshold - 1),
                    probe: "Startup",
                    message: startup.never.unwrap_or(warming),
                });
            }
        }
    }
    let live = Probe::of(&container["livenessProbe"], container, rule, ip)?;
    // The tries that run: from the startup probe's pass on.
    let first = (0..).find(|k| live.at(*k) >= live_from).unwrap_or_default();
    if let Some(why) = &live.never {
        return Some(Kill {
            after_secs: live.at(first + live.threshold - 1),
            probe: "Liveness",
            message: why.clone(),
        });
    }
    let failing = (first..first + live.threshold)
        .take_while(|k| live.at(*k) < warm_secs)
        .count() as i64;
    (failing >= live.threshold).then(|| Kill {
        after_secs: live.at(first + live.threshold - 1),
        probe: "Liveness",
        message: warming,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::Health;
    use serde_json::json;

    fn app(warmup_secs: u64) -> Workload {
        Workload {
            warmup: std::time::Duration::from_secs(warmup_secs),
            health: Some(Health {
                path: "/healthz".into(),
                port: 8080,
            }),
            ..Workload::default()
        }
    }

    fn container(liveness: Value) -> Value {
        json!({ "name": "search", "ports": [ { "name": "http", "containerPort": 8080 } ],
                "livenessProbe": liveness })
    }

    #[test]
    fn a_probe_that_gives_up_before_the_warm_up_kills_and_one_that_waits_does_not() {
        let probe = |initial: i64, threshold: i64| {
            json!({ "httpGet": { "path": "/healthz", "port": "http" },
                    "initialDelaySeconds": initial, "periodSeconds": 10, "failureThreshold": threshold })
        };
        let k = kill(&app(45), &container(probe(10, 3)), 45, "10.0.0.1").expect("killed");
        assert_eq!((k.after_secs, k.probe), (30, "Liveness"));
        assert!(k.message.contains("connection refused"), "{}", k.message);
        assert_eq!(
            kill(&app(45), &container(probe(60, 3)), 45, "10.0.0.1"),
            None
        );
        assert_eq!(
            kill(&app(45), &container(probe(10, 6)), 45, "10.0.0.1"),
            None
        );
        assert_eq!(kill(&app(5), &container(probe(0, 3)), 5, "10.0.0.1"), None);
    }

    #[test]
    fn a_probe_at_the_wrong_path_or_port_always_kills() {
        let wrong_path =
            json!({ "httpGet": { "path": "/health", "port": 8080 }, "initialDelaySeconds": 60 });
        let k = kill(&app(5), &container(wrong_path), 5, "10.0.0.1").expect("killed");
        assert_eq!(k.after_secs, 80);
        assert_eq!(k.message, "HTTP probe failed with statuscode: 404");
        let wrong_port = json!({ "httpGet": { "path": "/healthz", "port": 9090 } });
        let k = kill(&app(5), &container(wrong_port), 5, "10.0.0.1").expect("killed");
        assert!(k.message.contains(":9090"), "{}", k.message);
    }

    #[test]
    fn a_startup_probe_holds_liveness_back_until_the_app_is_warm() {
        let mut c = container(
            json!({ "httpGet": { "path": "/healthz", "port": "http" }, "periodSeconds": 10 }),
        );
        c["startupProbe"] = json!({ "httpGet": { "path": "/healthz", "port": "http" },
                                    "periodSeconds": 10, "failureThreshold": 30 });
        assert_eq!(kill(&app(45), &c, 45, "10.0.0.1"), None);
        c["startupProbe"]["failureThreshold"] = json!(3);
        let k = kill(&app(45), &c, 45, "10.0.0.1").expect("killed");
        assert_eq!((k.after_secs, k.probe), (20, "Startup"));
    }

    #[test]
    fn without_a_health_endpoint_or_a_probe_nothing_is_judged() {
        let probe =
            json!({ "httpGet": { "path": "/anything", "port": 1 }, "initialDelaySeconds": 0 });
        let plain = Workload {
            warmup: std::time::Duration::from_secs(5),
            ..Workload::default()
        };
        assert_eq!(kill(&plain, &container(probe), 5, "10.0.0.1"), None);
        assert_eq!(
            kill(&app(45), &json!({ "name": "x" }), 45, "10.0.0.1"),
            None
        );
    }
}
