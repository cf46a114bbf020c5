//! Bounds on what one command can make the gateway do: how many long
//! requests (watches, `logs -f`, exec and other streams) it holds open, and
//! how often one of its refused attempts is recorded and logged.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::gate::Kind;
use super::path::{ApiPath, parse_path, parse_query};

/// Long requests one command may hold open at once. kubectl holds one
/// (`get -w`, `logs -f`, `exec`); a handful of parallel followers fit.
pub const LONG_PER_COMMAND: usize = 16;
/// Connections one command may hold at once (discovery fetches in
/// parallel; a stuck or hostile command cannot take every slot).
pub const CONNECTIONS_PER_COMMAND: usize = 64;

/// Whether a request stays open for as long as it likes: a stream, a
/// watch (`?watch=true` or the `/watch/` prefix) or a followed log.
pub fn is_long(method: &str, path: &str, query: Option<&str>, kind: &Kind) -> bool {
    if matches!(kind, Kind::Stream(_)) {
        return true;
    }
    if !matches!(method, "GET" | "HEAD") {
        return false;
    }
    let Ok(ApiPath::Resource(target)) = parse_path(path) else {
        return false;
    };
    if target.verb_prefix.as_deref() == Some("watch") {
        return true;
    }
    // A query the gate could not read counts as long: counting too much is
    // the safe side.
    let Some(pairs) = parse_query(query) else {
        return true;
    };
    let asks = |key: &str| pairs.iter().any(|(k, v)| k == key && !is_false(v));
    asks("watch") || (target.subresource.as_deref() == Some("log") && asks("follow"))
}

/// Go's `strconv.ParseBool` false values; an empty value is not true
/// either (the API server reads `watch=` as false).
fn is_false(value: &str) -> bool {
    matches!(value, "" | "0" | "f" | "F" | "false" | "FALSE" | "False")
}

/// A command's refused attempt is recorded (and logged) at most once a
/// second per method and path, and at most `PER_COMMAND_PER_SECOND`
/// times a second in all, so a flood of refusals floods neither the
/// journal nor the log.
#[derive(Default)]
pub struct Refusals {
    inner: Mutex<Seen>,
}

/// Records a command may make a second across all its paths.
const PER_COMMAND_PER_SECOND: u32 = 20;
const WINDOW: Duration = Duration::from_secs(1);
/// Past this many remembered attempts, the stale ones are forgotten.
const REMEMBERED: usize = 4096;

#[derive(Default)]
struct Seen {
    /// (command, method, path) → when it was last recorded.
    last: HashMap<(u64, String, String), Instant>,
    /// command → the start of its current second, and its records in it.
    window: HashMap<u64, (Instant, u32)>,
    /// Refusals left out since the last one recorded.
    left_out: u64,
}

impl Refusals {
    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether this refusal is recorded; if so, how many were left out
    /// since the last one recorded.
    pub fn admit(&self, command: u64, method: &str, path: &str, now: Instant) -> Option<u64> {
        let mut seen = self.seen();
        if seen.last.len() > REMEMBERED {
            seen.last.retain(|_, at| now.duration_since(*at) < WINDOW);
            seen.window
                .retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let key = (command, method.to_string(), path.to_string());
        let recent = seen
            .last
            .get(&key)
            .is_some_and(|at| now.duration_since(*at) < WINDOW);
        let window = seen.window.entry(command).or_insert((now, 0));
        if now.duration_since(window.0) >= WINDOW {
            *window = (now, 0);
        }
        if recent || window.1 >= PER_COMMAND_PER_SECOND {
            seen.left_out += 1;
            return None;
        }
        window.1 += 1;
        seen.last.insert(key, now);
        Some(std::mem::take(&mut seen.left_out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watches_followed_logs_and_streams_are_long() {
        let long = |method, target: &str, kind: Kind| {
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (target, None),
            };
            is_long(method, path, query, &kind)
        };
        for target in [
            "/api/v1/namespaces/shop/pods?watch=true",
            "/api/v1/namespaces/shop/pods?watch=1&resourceVersion=5",
            "/api/v1/watch/namespaces/shop/pods",
            "/apis/apps/v1/namespaces/shop/deployments?watch=True",
            "/api/v1/namespaces/shop/pods/web-1/log?follow=true&container=web",
            "/api/v1/namespaces/shop/pods?x=%zz",
        ] {
            assert!(long("GET", target, Kind::Read), "{target}");
        }
        assert!(long(
            "POST",
            "/api/v1/namespaces/shop/pods/web-1/exec?command=sh",
            Kind::Stream("exec".into())
        ));
        for target in [
            "/api/v1/namespaces/shop/pods",
            "/api/v1/namespaces/shop/pods?watch=false",
            "/api/v1/namespaces/shop/pods?watch=",
            "/api/v1/namespaces/shop/pods/web-1/log?follow=false",
            "/api/v1/namespaces/shop/pods?follow=true",
            "/version?watch=true",
        ] {
            assert!(!long("GET", target, Kind::Read), "{target}");
        }
        assert!(!long(
            "DELETE",
            "/api/v1/namespaces/shop/pods?watch=true",
            Kind::Write
        ));
    }

    #[test]
    fn a_refusal_is_recorded_once_a_second_per_command_method_and_path() {
        let refusals = Refusals::default();
        let t0 = Instant::now();
        let path = "/api/v1/namespaces/shop/pods/web-1";
        assert_eq!(refusals.admit(1, "DELETE", path, t0), Some(0));
        for i in 1..50 {
            let at = t0 + Duration::from_millis(i * 10);
            assert_eq!(refusals.admit(1, "DELETE", path, at), None);
        }
        // Another method, path or command is another attempt.
        let soon = t0 + Duration::from_millis(600);
        assert_eq!(refusals.admit(1, "PATCH", path, soon), Some(49));
        assert_eq!(refusals.admit(2, "DELETE", path, soon), Some(0));
        assert_eq!(
            refusals.admit(1, "DELETE", "/api/v1/namespaces/shop/pods/web-2", soon),
            Some(0)
        );
        // A second later, the same again.
        let later = t0 + Duration::from_millis(1000);
        assert_eq!(refusals.admit(1, "DELETE", path, later), Some(0));
    }

    #[test]
    fn a_command_flooding_many_paths_is_bounded_too() {
        let refusals = Refusals::default();
        let t0 = Instant::now();
        let recorded = (0..10_000)
            .filter(|i| {
                let at = t0 + Duration::from_micros(*i as u64 * 50);
                refusals
                    .admit(
                        7,
                        "DELETE",
                        &format!("/api/v1/namespaces/shop/pods/p{i}"),
                        at,
                    )
                    .is_some()
            })
            .count();
        // 0.5 s of requests: one window.
        assert_eq!(recorded, PER_COMMAND_PER_SECOND as usize);
    }
}
