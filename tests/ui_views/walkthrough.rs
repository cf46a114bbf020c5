//! Steps, choices, notes, the timeline and the end of a session.

use super::*;

#[test]
fn walkthrough_without_a_cluster() {
    let mut d = crashloop(color());
    both(&mut d, "walkthrough_no_cluster");
}

#[test]
fn walkthrough_with_cluster_data_and_checks() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    both(&mut d, "walkthrough_cluster");
    let screen = d.screen(160, 48);
    assert!(screen.contains("checkout-6d8f9-x2k4q"));
    assert!(screen.contains("CrashLoopBackOff"));
    assert!(screen.contains("7 (2m ago)"));
    // The crashlooping check passes, with the pod as evidence.
    let flat: String = screen
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("│ │", "");
    assert!(
        screen.contains("✓ cluster:") && flat.contains("(pod/shop/checkout-6d8f9-x2k4q)"),
        "{screen}"
    );
}

#[test]
fn choices_marked_by_the_cluster() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n");
    assert_eq!(d.state.session.current_id(), Some("why"));
    let screen = d.screen(160, 48);
    assert!(screen.contains("1. OOMKilled (exit 137)"), "{screen}");
    assert_eq!(
        screen.matches("cluster suggests").count(),
        1,
        "only the OOM branch is suggested:\n{screen}"
    );
    both(&mut d, "choices_suggested");
}

#[test]
fn a_long_body_wraps_and_the_selection_stays_visible() {
    let long = format!(
        "apiVersion: runbook/v1\nkind: Playbook\nmetadata: {{ name: long, title: A very long step }}\nstart: a\nsteps:\n  - id: a\n    title: Long\n    body: |\n{}\n    checklist:\n      - text: first\n      - text: second\n      - text: last item at the bottom\n    outcome: resolved\n",
        (0..40)
            .map(|i| format!("      Paragraph {i}: the quick brown fox jumps over the lazy dog again and again.\n"))
            .collect::<String>()
    );
    let mut d = Driver::new(&long, color());
    d.keys("jj");
    let screen = d.screen(80, 24);
    assert!(screen.contains("last item at the bottom"), "{screen}");
    both(&mut d, "long_body");
}

#[test]
fn help_overlay_lists_every_key() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('?'));
    both(&mut d, "help");
    let screen = d.screen(160, 48);
    for key in ["space", "enter", "1-9", "tab", "n", "y", "t", "q"] {
        assert!(screen.contains(key), "help lacks {key}");
    }
}

#[test]
fn notes_editor() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('n'));
    d.keys("restarts every 40s");
    both(&mut d, "notes");
    d.ctrl('s');
    assert_eq!(d.state.session.notes()[0].text, "restarts every 40s");
}

#[test]
fn timeline_quit_and_override() {
    let mut d = crashloop(color());
    d.keys(" ");
    d.key(KeyCode::Char('t'));
    both(&mut d, "timeline");
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('q'));
    both(&mut d, "quit");
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Enter);
    both(&mut d, "override");
}

#[test]
fn ended_screen() {
    let mut d = crashloop(color());
    d.keys(" ");
    d.key(KeyCode::Char('j'));
    d.keys(" \n1");
    d.keys(" j \n");
    assert!(
        d.state.session.is_ended(),
        "{:?}",
        d.state.session.current_id()
    );
    both(&mut d, "ended");
}

struct FullDisk;

impl Sink for FullDisk {
    fn append(
        &mut self,
        _: u64,
        _: jiff::Timestamp,
        _: Vec<runbook::engine::Event>,
    ) -> Result<Vec<runbook::engine::Record>, JournalError> {
        Err(JournalError::Io {
            path: "/data/sessions/x/journal.jsonl".into(),
            source: std::io::Error::from_raw_os_error(28),
        })
    }
}

#[test]
fn a_failed_journal_write_is_shown_and_nothing_is_marked_done() {
    let mut d = crashloop(color());
    d.sink = Box::new(FullDisk);
    d.keys(" ");
    assert!(!d.state.session.is_confirmed("confirm", 0));
    let screen = d.screen(80, 24);
    assert!(screen.contains("NOT SAVED"), "{screen}");
    assert!(screen.contains("[ ] A checkout pod"), "{screen}");
    both(&mut d, "journal_error");
}

#[test]
fn an_escalation_comes_due_and_its_acknowledgement_is_journaled() {
    use runbook::app::components::Overlay;
    let mut d = crashloop(color());
    d.tick(14 * 60);
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("escalate in 1m"));
    d.tick(15 * 60 + 1);
    assert!(matches!(
        d.state.overlays.last(),
        Some(Overlay::Escalation(e)) if e.index == 0
    ));
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("Escalate to: platform secondary on-call"),
        "{screen}"
    );
    assert!(
        screen.contains("ESCALATE to platform secondary on-call"),
        "{screen}"
    );
    d.key(KeyCode::Enter);
    assert!(d.state.session.records().iter().any(|r| matches!(
        &r.event,
        runbook::engine::Event::Escalated { to, after } if to == "platform secondary on-call" && after == "15m"
    )));
    assert!(
        !d.screen(100, 30).contains("ESCALATE to platform"),
        "acknowledged"
    );
}

#[test]
fn the_hint_line_names_the_keys_for_what_is_selected() {
    let mut d = crashloop(color());
    let hints = |d: &mut Driver| {
        d.screen(80, 24)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        hints(&mut d).starts_with(" space confirm"),
        "{}",
        hints(&mut d)
    );
    d.keys(" j \n");
    // A step with choices, a choice selected.
    while !matches!(d.state.selected(), runbook::app::model::Selected::Choice(_)) {
        d.key(KeyCode::Char('j'));
    }
    assert!(
        hints(&mut d).starts_with(" enter/1-9 choose"),
        "{}",
        hints(&mut d)
    );
    d.keys("1");
    // The OOM step has a built-in action and commands.
    assert!(hints(&mut d).contains("a actions"), "{}", hints(&mut d));
    while !matches!(
        d.state.selected(),
        runbook::app::model::Selected::Command(_)
    ) {
        d.key(KeyCode::Char('j'));
    }
    let line = hints(&mut d);
    assert!(line.starts_with(" r run y copy e edit a actions"), "{line}");
    assert!(
        line.trim_end().ends_with("? keys"),
        "help always shows: {line}"
    );
}

#[test]
fn evidence_is_listed_once_under_the_selected_item_and_summed_up_elsewhere() {
    let mut d = crashloop(color());
    let mut c = cluster();
    let mut second = (*c.pods().rows[0]).clone();
    second.name = "checkout-6d8f9-zz9zz".into();
    let mut rows: Vec<_> = c.pods().rows.iter().map(|p| (**p).clone()).collect();
    rows.insert(1, second);
    c.set::<Pods>(Rows::live(rows));
    d.send(Msg::Cluster(Box::new(c)));
    let screen = d.screen(300, 60);
    assert!(screen.contains("cluster: yes (2 objects)"), "{screen}");
    assert_eq!(
        screen.matches("pod/shop/checkout-6d8f9-x2k4q").count(),
        1,
        "{screen}"
    );
    assert!(
        screen.contains("• pod/shop/checkout-6d8f9-zz9zz"),
        "{screen}"
    );
    d.key(KeyCode::Char('j'));
    let screen = d.screen(300, 60);
    assert!(
        screen.contains("(pod/shop/checkout-6d8f9-x2k4q +1)"),
        "{screen}"
    );
    assert!(
        !screen.contains("• pod/shop/checkout-6d8f9-zz9zz"),
        "{screen}"
    );
}

#[test]
fn a_long_timeline_entry_wraps_instead_of_being_cut_off() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('n'));
    d.keys("the kubelet on node-b restarted at 02:14 after the OOM killer took the container runtime down with it");
    d.ctrl('s');
    assert_eq!(d.state.session.notes().len(), 1, "the note was saved");
    d.key(KeyCode::Char('t'));
    let screen = d.screen(80, 24);
    assert!(screen.contains("runtime down with it"), "{screen}");
    // The continuation hangs under the text, clear of the time columns.
    let continued = screen
        .lines()
        .find(|l| l.contains("runtime down with it"))
        .unwrap_or_default();
    assert!(continued.contains("│                   "), "{continued}");
}
