//! What a trainee reads before a drill starts, as an on-call engineer
//! would get it: the scenario's title, the page, what "fixed" means, the
//! time to beat, and how to reach the drill's cluster from a second
//! terminal. Pure text; the app draws it in a window.

use std::path::PathBuf;
use std::time::Duration;

use crate::engine::OpeningAlert;

#[derive(Debug, Clone, PartialEq)]
pub struct Briefing {
    pub scenario: String,
    pub title: String,
    /// The scenario's first alert, as the drill's Alertmanager fires it.
    pub page: Option<OpeningAlert>,
    /// The goal's check, as written, and how long it must hold.
    pub goal: Option<(String, Duration)>,
    /// What "fixed" looks like to a user, in words (the scenario's
    /// `goal.description`); the briefing says this rather than the check,
    /// which would spell out the fix. The report keeps the check.
    pub goal_words: Option<String>,
    pub target: Duration,
    /// The drill's own kubeconfig, for `kubectl` in a second terminal.
    pub kubeconfig: Option<PathBuf>,
}

impl Briefing {
    /// `export KUBECONFIG=...`, quoted for a POSIX shell.
    pub fn export_line(&self) -> Option<String> {
        let path = self.kubeconfig.as_ref()?.display().to_string();
        let quoted = shlex::try_quote(&path).ok()?;
        Some(format!("export KUBECONFIG={quoted}"))
    }

    /// The briefing's text, one entry per line (the window wraps them).
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("Drill: {} ({})", self.title, self.scenario)];
        out.push(String::new());
        match &self.page {
            Some(page) => {
                let severity = page.labels.get("severity").map_or("", String::as_str);
                out.push(format!(
                    "You were paged: {}{}",
                    page.name(),
                    if severity.is_empty() {
                        String::new()
                    } else {
                        format!(" [{severity}]")
                    }
                ));
                for key in ["summary", "description"] {
                    if let Some(text) = page.annotations.get(key) {
                        out.push(format!("  {text}"));
                    }
                }
                let labels: Vec<String> = page
                    .labels
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "alertname" | "severity"))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if !labels.is_empty() {
                    out.push(format!("  labels: {}", labels.join(" ")));
                }
            }
            None => out.push("No page: the scenario fires no alert.".into()),
        }
        out.push(String::new());
        if let Some((check, hold)) = &self.goal {
            out.push(format!(
                "Goal: this holds for {} (the simulator judges it):",
                words(*hold)
            ));
            out.push(format!("  {}", self.goal_words.as_deref().unwrap_or(check)));
        }
        out.push(format!("Target time: {}.", words(self.target)));
        if let Some(export) = self.export_line() {
            out.push(String::new());
            out.push("A second terminal reaches this drill's cluster with:".into());
            out.push(format!("  {export}"));
        }
        out
    }
}

/// `10m`, `1m 30s`: as a scenario writes durations.
pub fn words(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn briefing() -> Briefing {
        Briefing {
            scenario: "checkout-oom".into(),
            title: "Checkout API keeps restarting".into(),
            page: Some(OpeningAlert {
                fingerprint: "f".into(),
                labels: [
                    ("alertname", "KubePodCrashLooping"),
                    ("severity", "critical"),
                    ("namespace", "shop"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                annotations: [("summary".to_string(), "checkout restarts".to_string())].into(),
                starts_at: None,
                generator_url: None,
            }),
            goal: Some(("pods.all(p, p.ready)".into(), Duration::from_secs(30))),
            goal_words: None,
            target: Duration::from_secs(600),
            kubeconfig: Some(PathBuf::from("/tmp/drills/checkout oom-1.kubeconfig")),
        }
    }

    #[test]
    fn it_names_the_page_the_goal_the_target_and_the_second_terminal() {
        let text = briefing().lines().join("\n");
        assert!(text.contains("Drill: Checkout API keeps restarting (checkout-oom)"));
        assert!(text.contains("You were paged: KubePodCrashLooping [critical]"));
        assert!(text.contains("  checkout restarts"));
        assert!(text.contains("labels: namespace=shop"));
        assert!(text.contains("Goal: this holds for 30s"));
        assert!(text.contains("  pods.all(p, p.ready)"));
        assert!(text.contains("Target time: 10m."));
        assert!(
            text.contains("export KUBECONFIG='/tmp/drills/checkout oom-1.kubeconfig'"),
            "quoted for the shell: {text}"
        );
    }

    /// #24 (11): the goal in words, not the CEL that spells out the fix.
    #[test]
    fn the_goal_is_said_in_words_when_the_scenario_gives_them() {
        let b = Briefing {
            goal_words: Some("Every checkout pod is running and ready.".into()),
            ..briefing()
        };
        let text = b.lines().join("\n");
        assert!(
            text.contains("  Every checkout pod is running and ready."),
            "{text}"
        );
        assert!(!text.contains("pods.all"), "{text}");
    }

    #[test]
    fn without_a_page_or_kubeconfig_it_says_so_and_leaves_them_out() {
        let b = Briefing {
            page: None,
            kubeconfig: None,
            ..briefing()
        };
        let text = b.lines().join("\n");
        assert!(text.contains("No page"));
        assert!(!text.contains("KUBECONFIG"));
        assert_eq!(b.export_line(), None);
    }
}
