//! What #11 found in the windows: footers that outlived their window, a
//! detail view that could not scroll to its last two lines, no way to end a
//! session from the app, a quit prompt promising resume for an ended
//! session, and a finished session's clock still running.

use ratatui::crossterm::event::KeyCode;
use runbook::app::components::Overlay;
use runbook::app::model::Msg;

use super::{cluster, color, crashloop, snap};

#[test]
fn a_windows_footer_goes_with_the_window() {
    let mut d = crashloop(color());
    // the OOM step has a mutating command (rollout restart)
    d.keys(" j \n1");
    while !matches!(
        d.state.selected(),
        runbook::app::model::Selected::Command(_)
    ) {
        d.key(KeyCode::Char('j'));
    }
    // the third command changes the cluster (rollout restart)
    d.keys("jj");
    d.keys("r");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::ConfirmRun(c)) if c.planned.mutating
    ));
    d.keys("wrong\n");
    let footer = d.screen(80, 24);
    assert!(footer.contains("exactly to run it"), "{footer}");
    d.key(KeyCode::Esc);
    let screen = d.screen(80, 24);
    assert!(
        !screen.contains("exactly to run it"),
        "the footer left with its window:\n{screen}"
    );
}

#[test]
fn a_long_detail_scrolls_to_its_very_last_line_with_j() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    let id = d.last_request();
    let lines: Vec<String> = (1..=100).map(|i| format!("line {i:03}")).collect();
    d.send(Msg::Detail {
        id,
        result: Ok(lines),
    });
    d.state.size = (80, 24);
    for _ in 0..200 {
        d.key(KeyCode::Char('j'));
    }
    let screen = d.screen(80, 24);
    assert!(screen.contains("line 100"), "{screen}");
    // and paging down from the top gets there too
    d.key(KeyCode::Char('g'));
    for _ in 0..20 {
        d.key(KeyCode::PageDown);
    }
    assert!(d.screen(80, 24).contains("line 100"));
}

#[test]
fn a_session_can_be_ended_from_the_app_with_an_outcome_and_a_reason() {
    let mut d = crashloop(color());
    d.keys("E");
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::EndSession(_))
    ));
    d.key(KeyCode::Down); // resolved
    d.key(KeyCode::Enter);
    assert!(
        d.screen(80, 24).contains("type the reason first"),
        "a reason is required"
    );
    d.keys("handed over to the database team\n");
    assert!(d.state.session.is_ended());
    assert_eq!(
        d.state.session.outcome().map(|o| o.as_str()),
        Some("resolved")
    );
    let ended = d
        .state
        .session
        .records()
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            runbook::engine::Event::Ended { reason, .. } => reason.clone(),
            _ => None,
        });
    assert_eq!(ended.as_deref(), Some("handed over to the database team"));
    let screen = d.screen(80, 24);
    assert!(screen.contains("Session ended: resolved"), "{screen}");
    assert!(screen.contains("Why: handed over"), "{screen}");
}

#[test]
fn the_quit_prompt_of_an_ended_session_does_not_promise_resume() {
    let mut d = crashloop(color());
    d.keys("E");
    d.keys("done here\n");
    d.keys("q");
    let screen = d.screen(80, 24);
    assert!(!screen.contains("runbook resume"), "{screen}");
    assert!(screen.contains("has ended"), "{screen}");
    snap("quit_ended_80x24", screen);
}

#[test]
fn a_finished_sessions_clock_stops_at_its_end() {
    let mut d = crashloop(color());
    d.keys("E");
    d.keys("done\n");
    let end = d.state.session.ended_at().expect("ended");
    let started = d.state.session.started_at().expect("started");
    let expected = runbook::ui::status::elapsed(end.as_second() - started.as_second());
    // an hour later (a resume), the status line still shows the duration
    d.tick(3_600);
    let screen = d.screen(100, 30);
    assert!(screen.contains(&expected), "{expected} in:\n{screen}");
}

fn paged(d: &super::ui::Driver) -> super::ui::Driver {
    let _ = d;
    let mut start = super::ui::started("pod-crashloop");
    if let runbook::engine::Event::Started { alert, .. } = &mut start {
        *alert = Some(Box::new(runbook::engine::OpeningAlert {
            fingerprint: "0123456789abcdef".into(),
            labels: [
                ("alertname".to_string(), "KubePodCrashLooping".to_string()),
                ("namespace".to_string(), "shop".to_string()),
            ]
            .into(),
            annotations: Default::default(),
            starts_at: None,
            generator_url: None,
        }));
    }
    super::ui::Driver::starting(
        super::CRASHLOOP,
        color(),
        Box::new(runbook::journal::MemorySink::default()),
        start,
    )
}

#[test]
fn silencing_is_refused_in_read_only_mode_and_without_an_alert() {
    let mut d = crashloop(color());
    d.state.alertmanager = true;
    d.keys("s");
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(120, 30).contains("not opened from an alert"));
    let mut d = paged(&d);
    d.state.alertmanager = true;
    d.state.read_only = true;
    d.keys("s");
    assert!(d.state.overlays.is_empty(), "no silence window");
    assert!(
        d.screen(120, 30)
            .contains("refused: read-only mode creates no silences")
    );
    assert!(
        !d.effects
            .iter()
            .any(|e| matches!(e, runbook::app::model::Effect::CreateSilence { .. })),
        "nothing is sent"
    );
}
