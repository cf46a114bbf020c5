//! The home screen: fuzzy search, resumable sessions first, the params form.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::app::home::state::{Choice, HomeState, Item};
use runbook::journal::SessionSummary;
use runbook::playbook::catalog::Catalog;
use runbook::ui::theme::Theme;

fn home() -> HomeState {
    let catalog = Catalog::load(&[]);
    let session = SessionSummary {
        id: "20251125-070000-pod-crashloop-0001".into(),
        playbook: "pod-crashloop".into(),
        title: "Pod in CrashLoopBackOff".into(),
        started: None,
        last_activity: None,
        state: "active".into(),
        outcome: None,
        current_step: Some("why".into()),
        drill: None,
        alert_fingerprint: None,
        warnings: vec![],
    };
    HomeState::new(
        catalog.entries,
        vec![session],
        Some("prod-eu1".into()),
        Some("shop".into()),
    )
}

fn press(h: &mut HomeState, code: KeyCode) {
    h.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(h: &mut HomeState, text: &str) {
    for c in text.chars() {
        press(h, KeyCode::Char(c));
    }
}

fn screen(h: &HomeState) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    t.draw(|f| runbook::app::home::view::view(h, &Theme::default(), f))
        .expect("draw");
    let b = t.backend().buffer().clone();
    (0..24)
        .map(|y| {
            (0..80)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn sessions_come_first_then_playbooks() {
    let h = home();
    let items = h.items();
    assert_eq!(items[0], Item::Session(0));
    assert_eq!(items.len(), 7);
    insta::assert_snapshot!("home_80x24", screen(&h));
}

#[test]
fn fuzzy_search_finds_playbooks_by_alert_name_and_tag() {
    let mut h = home();
    typed(&mut h, "KubeNodeNotReady");
    let Some(Item::Playbook(i)) = h.items().first().cloned() else {
        panic!("no playbook found")
    };
    assert_eq!(h.entries[i].playbook.name(), "node-not-ready");
    press(&mut h, KeyCode::Esc);
    typed(&mut h, "imagpul");
    let Some(Item::Playbook(i)) = h.items().first().cloned() else {
        panic!("no playbook found")
    };
    assert_eq!(h.entries[i].playbook.name(), "image-pull-backoff");
}

#[test]
fn enter_on_a_session_resumes_it() {
    let mut h = home();
    press(&mut h, KeyCode::Enter);
    assert_eq!(
        h.choice,
        Some(Choice::Resume("20251125-070000-pod-crashloop-0001".into()))
    );
}

#[test]
fn the_params_form_checks_values_as_they_are_typed() {
    let mut h = home();
    typed(&mut h, "crashloop");
    let pos = h
        .items()
        .iter()
        .position(|i| matches!(i, Item::Playbook(_)))
        .expect("playbook");
    for _ in 0..pos {
        press(&mut h, KeyCode::Down);
    }
    press(&mut h, KeyCode::Enter);
    assert!(h.form.is_some(), "required params open the form");
    typed(&mut h, "Shop!");
    let s = screen(&h);
    assert!(s.contains("must be a DNS label"), "{s}");
    press(&mut h, KeyCode::Enter);
    assert!(h.choice.is_none(), "invalid values do not start a session");
    for _ in 0..5 {
        press(&mut h, KeyCode::Backspace);
    }
    typed(&mut h, "shop");
    press(&mut h, KeyCode::Tab);
    typed(&mut h, "checkout");
    insta::assert_snapshot!("params_form_80x24", screen(&h));
    press(&mut h, KeyCode::Enter);
    assert_eq!(
        h.choice,
        Some(Choice::Run {
            playbook: "pod-crashloop".into(),
            params: vec![
                ("namespace".into(), "shop".into()),
                ("deployment".into(), "checkout".into())
            ],
        })
    );
}
