//! A drill's briefing window (opened by `B`, and first in a new drill)
//! and the goal's reaching, journaled once and graded in the report.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use runbook::app::model::Msg;
use runbook::drill::Briefing;
use runbook::engine::{Drill, Event};

use super::ui::{Driver, started};
use super::{CRASHLOOP, color, snap};

fn drill() -> Driver {
    let mut start = started("pod-crashloop");
    if let Event::Started { drill, .. } = &mut start {
        *drill = Some(Drill {
            scenario: "checkout-oom".into(),
            answer: "oom".into(),
            title: "Checkout API keeps restarting".into(),
            goal: Some("pods.all(p, p.ready)".into()),
            hold_secs: 30,
            target_secs: 600,
        });
    }
    let mut d = Driver::starting(
        CRASHLOOP,
        color(),
        Box::new(runbook::journal::MemorySink::default()),
        start,
    );
    d.state.briefing = Some(Arc::new(Briefing {
        scenario: "checkout-oom".into(),
        title: "Checkout API keeps restarting".into(),
        page: None,
        goal: Some(("pods.all(p, p.ready)".into(), Duration::from_secs(30))),
        goal_words: None,
        target: Duration::from_secs(600),
        kubeconfig: Some(PathBuf::from("/data/drills/checkout-oom-4242.kubeconfig")),
    }));
    d
}

#[test]
fn b_shows_the_briefing_at_80x24_and_enter_goes_back() {
    let mut d = drill();
    d.keys("B");
    let screen = d.screen(80, 24);
    snap("briefing_80x24", screen.clone());
    assert!(screen.contains("Target time: 10m."), "{screen}");
    assert!(
        screen.contains("export KUBECONFIG=/data/drills/checkout-oom-4242.kubeconfig"),
        "{screen}"
    );
    d.keys("\n");
    assert!(!d.screen(80, 24).contains("Target time"));
}

#[test]
fn help_names_the_second_terminals_kubeconfig_in_a_drill() {
    let mut d = drill();
    d.keys("?");
    let screen = d.screen(120, 40);
    assert!(
        screen.contains("second terminal: export KUBECONFIG=/data/drills/checkout-oom-4242"),
        "{screen}"
    );
    assert!(screen.contains("a drill's briefing"), "{screen}");
}

#[test]
fn the_goal_reached_is_journaled_once_and_graded() {
    let mut d = drill();
    let since = jiff::Timestamp::from_second(1_764_054_030).expect("time");
    d.send(Msg::GoalReached(since));
    d.send(Msg::GoalReached(since));
    let reached = d
        .state
        .session
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::GoalReached { .. }))
        .count();
    assert_eq!(reached, 1, "journaled once");
    assert!(d.screen(120, 40).contains("the drill's goal is reached"));
    let report = runbook::drill::report_text::drill_report(&d.state.session).expect("a report");
    assert!(report.contains("- Fix: the goal held from T+"), "{report}");
    assert!(report.contains("`pods.all(p, p.ready)`"), "{report}");
}

/// #24 (13): the export line was hard-wrapped inside a 78-column box, so a
/// copied line was a broken path; the box widens for it where the screen
/// allows, and `y` copies it whole.
#[test]
fn the_export_line_is_whole_and_y_copies_it() {
    let mut d = drill();
    let long = "/home/oncall-engineer/.local/share/runbook/drills/checkout-oom-20261207-231502-4242.kubeconfig";
    if let Some(b) = d.state.briefing.as_mut() {
        Arc::make_mut(b).kubeconfig = Some(PathBuf::from(long));
    }
    d.keys("B");
    let line = format!("export KUBECONFIG={long}");
    let screen = d.screen(160, 48);
    assert!(screen.contains(&line), "one line at 160x48:\n{screen}");
    d.keys("y");
    assert_eq!(d.copied.last(), Some(&line));
    // At 80x24 it wraps, and y still copies it whole.
    assert!(d.screen(80, 24).contains("y copies the export line"));
}

/// #24 (12): after the fix the status line kept "escalate in 4m" as if the
/// page were still open; it says FIXED and stops counting down.
#[test]
fn once_fixed_the_status_line_stops_counting_down_to_an_escalation() {
    let mut d = drill();
    d.tick(11 * 60);
    assert!(d.screen(120, 40).contains("escalate in 4m"));
    let since = jiff::Timestamp::from_second(1_764_054_030).expect("time");
    d.send(Msg::GoalReached(since));
    let screen = d.screen(120, 40);
    let status = screen.lines().rev().nth(1).unwrap_or_default().to_string();
    assert!(!screen.contains("escalate in"), "{status}");
    assert!(status.contains("FIXED"), "{status}");
}
