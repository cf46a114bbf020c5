//! Drills teach only what is true: the cluster's suggestion on a choice and
//! the outcome tags ahead stay hidden until the trainee asks for a hint
//! (`H`), which is journaled and counted in the report.

use ratatui::crossterm::event::KeyCode;
use runbook::app::model::Msg;
use runbook::engine::{Drill, Event};

use super::ui::{Driver, started};
use super::{CRASHLOOP, cluster, color};

fn drill() -> Driver {
    let mut start = started("pod-crashloop");
    if let Event::Started { drill, .. } = &mut start {
        *drill = Some(Drill {
            scenario: "checkout-oom".into(),
            answer: "oom".into(),
            ..Default::default()
        });
    }
    let mut d = Driver::starting(
        CRASHLOOP,
        color(),
        Box::new(runbook::journal::MemorySink::default()),
        start,
    );
    d.state.scope =
        runbook::app::launch::scope_for(d.state.session.playbook(), d.state.session.params(), None);
    d
}

#[test]
fn a_drill_hides_the_clusters_suggestion_until_the_trainee_asks() {
    let mut d = drill();
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n");
    assert_eq!(d.state.session.current_id(), Some("why"));
    let screen = d.screen(160, 48);
    assert!(!screen.contains("cluster suggests"), "{screen}");
    assert!(
        !screen.contains("[mitigated]"),
        "outcome tags hidden: {screen}"
    );
    assert!(
        screen.contains("H hint"),
        "the hint key is offered: {screen}"
    );
    d.keys("H");
    let screen = d.screen(160, 48);
    assert!(screen.contains("cluster suggests"), "{screen}");
    assert!(d.state.session.hinted("why"));
    // Once per step: a second H journals nothing more.
    let before = d.state.session.records().len();
    d.keys("H");
    assert_eq!(d.state.session.records().len(), before);
    d.keys("1");
    let report = runbook::drill::report_text::drill_report(&d.state.session).expect("a report");
    assert!(report.contains("Hints used: 1"), "{report}");
}

#[test]
fn outside_a_drill_the_suggestion_always_shows_and_h_says_why() {
    let mut d = super::crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n");
    assert!(d.screen(160, 48).contains("cluster suggests"));
    d.keys("H");
    assert!(d.screen(160, 48).contains("hints are for drills"));
}

/// #24 (8): `H` on a step without choices showed nothing yet counted as a
/// hint used; it now says why and journals nothing, and is not offered.
#[test]
fn h_on_a_step_without_choices_is_not_a_hint_used() {
    let mut d = drill();
    d.send(Msg::Cluster(Box::new(cluster())));
    assert_eq!(d.state.session.current_id(), Some("confirm"));
    assert!(!d.state.hint_has_something());
    let screen = d.screen(160, 48);
    assert!(!screen.contains("H hint"), "not offered: {screen}");
    let before = d.state.session.records().len();
    d.keys("H");
    assert_eq!(d.state.session.records().len(), before, "nothing journaled");
    assert!(!d.state.session.hinted("confirm"));
    let screen = d.screen(160, 48);
    assert!(screen.contains("no hint here"), "{screen}");
}

/// #24 (3): the ended screen of a drill (summary and report) is longer
/// than 80x24 shows; j, pgdn and G reach its end and g its top.
#[test]
fn the_drill_report_scrolls_at_80x24() {
    let mut d = drill();
    d.state.size = (80, 24);
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys("E");
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.keys("drill over\n");
    assert!(d.state.session.is_ended());
    let top = d.screen(80, 24);
    assert!(top.contains("Session ended"), "{top}");
    assert!(!top.contains("runbook export"), "the end is below: {top}");
    d.key(KeyCode::Char('G'));
    let end = d.screen(80, 24);
    assert!(end.contains("runbook export"), "{end}");
    assert!(!end.contains("Session ended"), "{end}");
    d.key(KeyCode::Char('k'));
    let up = d.screen(80, 24);
    assert_ne!(up, end, "k moves up from the end at once");
    d.key(KeyCode::Char('g'));
    assert!(d.screen(80, 24).contains("Session ended"));
    for _ in 0..3 {
        d.key(KeyCode::PageDown);
    }
    assert!(d.screen(80, 24).contains("runbook export"));
}
