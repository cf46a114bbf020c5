//! Container logs: what each container printed, now and before its last
//! restart, stamped with the simulated clock. Followers (`kubectl logs -f`)
//! receive appends as they are written.

use std::collections::BTreeMap;

use jiff::Timestamp;
use tokio::sync::broadcast;

use crate::sim::scenario::LogText;

pub struct Logs {
    texts: BTreeMap<String, LogText>,
    /// (key, text) of every append, for followers.
    appends: broadcast::Sender<(String, String)>,
    /// Keeps log lines of one second apart in order (milliseconds advance).
    lines: u64,
}

pub fn key(namespace: &str, pod: &str, container: &str) -> String {
    format!("{namespace}/{pod}/{container}")
}

impl Logs {
    pub fn new(texts: BTreeMap<String, LogText>) -> Logs {
        Logs {
            texts,
            appends: broadcast::channel(256).0,
            lines: 0,
        }
    }

    pub fn all(&self) -> &BTreeMap<String, LogText> {
        &self.texts
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(String, String)> {
        self.appends.subscribe()
    }

    /// The log of a container (or, as scenarios may write it, of its pod).
    pub fn get(&self, namespace: &str, pod: &str, container: &str) -> Option<&LogText> {
        self.texts
            .get(&key(namespace, pod, container))
            .or_else(|| self.texts.get(&format!("{namespace}/{pod}")))
    }

    /// Append raw text to the running container's log.
    pub fn append(&mut self, key: &str, text: &str) {
        self.texts
            .entry(key.to_string())
            .or_insert_with(|| LogText::Text(String::new()))
            .append(text);
        // No follower is not an error.
        let _ = self.appends.send((key.to_string(), text.to_string()));
    }

    /// Append lines as the container prints them, each stamped at `now`.
    pub fn print(&mut self, key: &str, now: Timestamp, lines: &[String]) {
        let mut text = String::new();
        for line in lines {
            self.lines += 1;
            let millis = self.lines % 1000;
            text.push_str(&format!(
                "{}.{millis:03}Z {line}\n",
                now.strftime("%Y-%m-%dT%H:%M:%S")
            ));
        }
        if !text.is_empty() {
            self.append(key, &text);
        }
    }

    /// A container restarted: what it printed becomes `--previous`.
    pub fn rotate(&mut self, key: &str) {
        let current = match self.texts.remove(key) {
            Some(LogText::Text(t)) => Some(t),
            Some(LogText::Split { current, .. }) => current,
            None => None,
        };
        self.texts.insert(
            key.to_string(),
            LogText::Split {
                current: Some(String::new()),
                previous: current,
            },
        );
    }

    /// A pod is gone; so are its containers' logs.
    pub fn forget_pod(&mut self, namespace: &str, pod: &str) {
        let prefix = format!("{namespace}/{pod}/");
        let whole = format!("{namespace}/{pod}");
        self.texts
            .retain(|k, _| !k.starts_with(&prefix) && *k != whole);
    }
}

/// Moves the RFC 3339 time that starts a log line, so a scenario's logs
/// are as old as its objects whenever the drill runs.
pub fn shift_lines(text: &str, shift: jiff::SignedDuration) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let token_end = line.find(' ').unwrap_or(line.len());
        let (token, rest) = line.split_at(token_end);
        match super::phases::shift_timestamp(token.trim_end(), shift) {
            Some(moved) if token.trim_end().len() == token.len() => {
                out.push_str(&moved);
                out.push_str(rest);
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_move_the_log_to_previous() {
        let mut logs = Logs::new(BTreeMap::new());
        let k = key("shop", "web-1", "web");
        let now = Timestamp::from_second(1_780_000_000).unwrap();
        logs.print(&k, now, &["starting".into()]);
        logs.rotate(&k);
        logs.print(&k, now, &["again".into()]);
        let text = logs.get("shop", "web-1", "web").unwrap();
        assert!(text.text(true).unwrap().ends_with(" starting\n"));
        assert!(text.text(false).unwrap().starts_with("2026-05-28T"));
        assert!(text.text(false).unwrap().ends_with(" again\n"));
        logs.forget_pod("shop", "web-1");
        assert!(logs.get("shop", "web-1", "web").is_none());
    }

    #[test]
    fn log_line_times_move_with_the_scenario() {
        let text = "2025-06-01T11:59:40.112Z INFO start\nfatal error: out of memory\n";
        let moved = shift_lines(text, jiff::SignedDuration::from_hours(24));
        assert_eq!(
            moved,
            "2025-06-02T11:59:40.112Z INFO start\nfatal error: out of memory\n"
        );
    }
}
