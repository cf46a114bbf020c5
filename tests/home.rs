//! The home screen: firing alerts first, then resumable sessions, then
//! playbooks; fuzzy search; the params form, filled from an alert's labels.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::app::home::state::{Choice, HomeState, Item};
use runbook::journal::SessionSummary;
use runbook::playbook::catalog::Catalog;
use runbook::tui::theme::Theme;

fn home() -> HomeState {
    home_with(None)
}

/// The home screen with one unfinished session, optionally started from the
/// alert with this fingerprint.
fn home_with(fingerprint: Option<&str>) -> HomeState {
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
        reason: None,
        alert_fingerprint: fingerprint.map(str::to_string),
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
    screen_at(h, 80, 24)
}

fn screen_at(h: &HomeState, w: u16, rows: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, rows)).expect("terminal");
    t.draw(|f| runbook::app::home::view::view(h, &Theme::default(), f))
        .expect("draw");
    let b = t.backend().buffer().clone();
    (0..rows)
        .map(|y| {
            (0..w)
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
    assert_eq!(items.len(), 13);
    let s = screen(&h);
    assert!(
        s.contains("│  [SEV2] Node NotReady  (node-not-ready)  alerts: KubeNodeNotReady,")
            && s.contains("│         KubeNodeUnreachable, KubeletDown"),
        "a wrapped entry continues under its title, not at the edge:\n{s}"
    );
    insta::assert_snapshot!("home_80x24", s);
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
            alert: None,
        })
    );
}

#[test]
fn search_ranks_by_match_not_by_kind() {
    // The resumable session is a crash-loop; "disk" must open the disk
    // playbook, not resume the session.
    let mut h = home();
    typed(&mut h, "disk");
    let first = h.items().first().cloned();
    assert!(
        matches!(first, Some(Item::Playbook(_))),
        "a playbook first, got {first:?}"
    );
    // ctrl-u clears the search line
    h.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    assert_eq!(h.query, "");
    assert_eq!(h.items()[0], Item::Session(0));
}

const NOW: i64 = 1_764_054_000; // 2025-11-25 07:00:00Z

fn at(secs_before: i64) -> String {
    jiff::Timestamp::from_second(NOW - secs_before)
        .expect("time")
        .to_string()
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(NOW).expect("time")
}

/// What Alertmanager answers: one alert per kind of match.
fn firing() -> Vec<runbook::alerts::Alert> {
    let page = serde_json::json!([
        {
            "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "checkout-6d8f9-x2k4q", "severity": "warning"},
            "annotations": {"summary": "Pod shop/checkout-6d8f9-x2k4q is crash looping"},
            "startsAt": at(12 * 60),
            "fingerprint": "aaaaaaaaaaaaaaaa",
        },
        {
            "labels": {"alertname": "KubeNodeNotReady", "node": "node-b", "severity": "critical"},
            "annotations": {"summary": "node-b has been unready for more than 15 minutes"},
            "startsAt": at(40 * 60),
            "fingerprint": "bbbbbbbbbbbbbbbb",
        },
        {
            "labels": {"alertname": "Watchdog", "severity": "none"},
            "annotations": {"summary": "The alerting pipeline is working"},
            "startsAt": at(3 * 86_400),
            "fingerprint": "cccccccccccccccc",
        },
    ]);
    runbook::alerts::payload::parse(&page.to_string(), "test").expect("alerts")
}

fn with_alerts(mut h: HomeState) -> HomeState {
    h.expect_alerts("http://alertmanager:9093");
    h.set_alerts(Ok(firing()), now());
    h
}

fn alert_named(h: &HomeState, name: &str) -> usize {
    h.items()
        .iter()
        .position(|i| matches!(i, Item::Alert(a) if h.alerts.rows()[*a].alert.name() == name))
        .unwrap_or_else(|| panic!("{name} not listed"))
}

#[test]
fn firing_alerts_come_first_most_urgent_first() {
    let h = with_alerts(home());
    let items = h.items();
    assert_eq!(
        &items[..4],
        [
            Item::Alert(0),
            Item::Alert(1),
            Item::Alert(2),
            Item::Session(0)
        ]
    );
    let names: Vec<&str> = h.alerts.rows().iter().map(|r| r.alert.name()).collect();
    assert_eq!(
        names,
        ["KubeNodeNotReady", "KubePodCrashLooping", "Watchdog"]
    );
    let s = screen(&h);
    assert!(
        s.contains("alerts: 3 firing at http://alertmanager:9093"),
        "{s}"
    );
    insta::assert_snapshot!("home_alerts_80x24", s);
    insta::assert_snapshot!("home_alerts_120x40", screen_at(&h, 120, 40));
}

#[test]
fn enter_on_an_alert_opens_its_playbook_with_params_from_labels() {
    let mut h = with_alerts(home());
    for _ in 0..alert_named(&h, "KubeNodeNotReady") {
        press(&mut h, KeyCode::Down);
    }
    press(&mut h, KeyCode::Enter);
    let Some(Choice::Run {
        playbook,
        params,
        alert,
    }) = h.choice.clone()
    else {
        panic!("no run: {:?}", h.choice)
    };
    assert_eq!(playbook, "node-not-ready");
    assert_eq!(params, [("node".to_string(), "node-b".to_string())]);
    assert_eq!(
        alert.map(|a| a.fingerprint),
        Some("bbbbbbbbbbbbbbbb".into())
    );
}

#[test]
fn a_required_param_no_label_fills_opens_the_form_with_the_rest_filled() {
    let mut h = with_alerts(home());
    for _ in 0..alert_named(&h, "KubePodCrashLooping") {
        press(&mut h, KeyCode::Down);
    }
    press(&mut h, KeyCode::Enter);
    let form = h.form.as_ref().expect("the params form");
    assert_eq!(
        form.fields[0].input.lines().join(""),
        "shop",
        "namespace from its label"
    );
    assert_eq!(form.focus, 1, "the cursor waits on deployment");
    insta::assert_snapshot!("form_from_alert_80x24", screen(&h));
    typed(&mut h, "checkout");
    press(&mut h, KeyCode::Enter);
    let Some(Choice::Run { params, alert, .. }) = h.choice.clone() else {
        panic!("no run: {:?}", h.choice)
    };
    assert_eq!(
        params,
        [
            ("namespace".to_string(), "shop".to_string()),
            ("deployment".to_string(), "checkout".to_string())
        ]
    );
    assert_eq!(
        alert.map(|a| a.name().to_string()),
        Some("KubePodCrashLooping".into())
    );
}

#[test]
fn an_alert_already_worked_on_says_so_and_resumes_its_session() {
    let mut h = with_alerts(home_with(Some("aaaaaaaaaaaaaaaa")));
    let s = screen_at(&h, 120, 40);
    assert!(
        s.contains("being worked on in session 20251125-070000-pod-crashloop-0001"),
        "{s}"
    );
    for _ in 0..alert_named(&h, "KubePodCrashLooping") {
        press(&mut h, KeyCode::Down);
    }
    press(&mut h, KeyCode::Enter);
    assert_eq!(
        h.choice,
        Some(Choice::Resume("20251125-070000-pod-crashloop-0001".into()))
    );
}

#[test]
fn an_unmatched_alert_says_so_and_starts_nothing() {
    let mut h = with_alerts(home());
    for _ in 0..alert_named(&h, "Watchdog") {
        press(&mut h, KeyCode::Down);
    }
    let s = screen_at(&h, 120, 40);
    assert!(
        s.contains("Watchdog  no playbook matches  The alerting pipeline is working"),
        "{s}"
    );
    press(&mut h, KeyCode::Enter);
    assert_eq!(h.choice, None);
    assert!(screen(&h).contains("no playbook lists Watchdog"));
    press(&mut h, KeyCode::Down);
    assert!(h.notice.is_none(), "the notice goes with the next key");
}

#[test]
fn an_alertmanager_that_is_down_is_one_line_and_the_rest_works() {
    let mut h = home();
    h.expect_alerts("http://127.0.0.1:9");
    let s = screen(&h);
    assert!(s.contains(" alerts: asking http://127.0.0.1:9"), "{s}");
    h.set_alerts(
        Err("Alertmanager at http://127.0.0.1:9 is unreachable: Connection refused".into()),
        now(),
    );
    let s = screen(&h);
    assert!(
        s.contains(
            " alerts: Alertmanager at http://127.0.0.1:9 is unreachable: Connection refused"
        ),
        "{s}"
    );
    insta::assert_snapshot!("home_alertmanager_down_80x24", s);
    press(&mut h, KeyCode::Enter);
    assert_eq!(
        h.choice,
        Some(Choice::Resume("20251125-070000-pod-crashloop-0001".into())),
        "sessions and playbooks work without alerts"
    );
}

#[test]
fn the_selection_stays_put_when_alerts_arrive() {
    let mut h = home();
    h.expect_alerts("http://alertmanager:9093");
    press(&mut h, KeyCode::Down);
    let before = h.items()[h.selected].clone();
    h.set_alerts(Ok(firing()), now());
    assert_eq!(h.items()[h.selected], before);
}

#[test]
fn the_search_finds_alerts_by_label() {
    let mut h = with_alerts(home());
    typed(&mut h, "node-b");
    let first = h.items().first().cloned();
    let Some(Item::Alert(i)) = first else {
        panic!("no alert found: {first:?}")
    };
    assert_eq!(h.alerts.rows()[i].alert.name(), "KubeNodeNotReady");
}

#[test]
fn the_standalone_form_of_run_alert_quits_on_esc() {
    let catalog = Catalog::load(&[]);
    let entry = catalog.get("pod-crashloop").cloned().expect("built-in");
    let mut h = HomeState::form_for(entry, vec![("namespace".into(), "shop".into())], None);
    assert!(screen(&h).contains("esc quit"));
    press(&mut h, KeyCode::Esc);
    assert_eq!(h.choice, Some(Choice::Quit));
}

/// #24 (19): a label a param's pattern refused (`namespace=Shop_Prod`) was
/// explained only in `--json`; the list and the form say why.
#[test]
fn a_refused_label_is_explained_in_the_list_and_the_form() {
    let mut h = home();
    h.expect_alerts("http://alertmanager:9093");
    let page = serde_json::json!([{
        "labels": {"alertname": "KubePodCrashLooping", "namespace": "Shop_Prod", "pod": "checkout-1", "severity": "warning"},
        "annotations": {}, "startsAt": at(60), "endsAt": at(-600), "updatedAt": at(60),
        "fingerprint": "cccccccccccccccc", "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
        "receivers": [{"name": "team"}]
    }]);
    let alerts = runbook::alerts::payload::parse(&page.to_string(), "test").expect("alerts");
    h.set_alerts(Ok(alerts), now());
    let s = screen_at(&h, 200, 40);
    assert!(s.contains("namespace=Shop_Prod"), "{s}");
    assert!(s.contains("DNS label"), "the list says why: {s}");
    for _ in 0..alert_named(&h, "KubePodCrashLooping") {
        press(&mut h, KeyCode::Down);
    }
    press(&mut h, KeyCode::Enter);
    let form = h.form.as_ref().expect("the params form");
    let field = form
        .fields
        .iter()
        .find(|f| f.name == "namespace")
        .expect("namespace");
    let why = field.error.as_deref().unwrap_or_default();
    assert!(
        why.contains("Shop_Prod") && why.contains("DNS label"),
        "{why}"
    );
}

/// #24 (17): two KubePodCrashLooping rows could not be told apart; each
/// row names the labels that differ among the alerts of its name.
#[test]
fn alerts_of_one_name_are_told_apart_by_the_labels_that_differ() {
    let mut h = home();
    h.expect_alerts("http://alertmanager:9093");
    let alert = |pod: &str, fp: &str| {
        serde_json::json!({
            "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": pod, "severity": "warning"},
            "annotations": {"summary": "A pod is crash looping"},
            "startsAt": at(60), "fingerprint": fp,
        })
    };
    let page = serde_json::json!([
        alert("checkout-1", "1111111111111111"),
        alert("cart-7", "2222222222222222")
    ]);
    let alerts = runbook::alerts::payload::parse(&page.to_string(), "test").expect("alerts");
    h.set_alerts(Ok(alerts), now());
    press(&mut h, KeyCode::Right);
    let s = screen_at(&h, 160, 40);
    assert!(s.contains("  pod=checkout-1  → pod-crashloop"), "{s}");
    assert!(s.contains("  pod=cart-7  → pod-crashloop"), "{s}");
    assert!(
        !s.contains("namespace=shop pod"),
        "the same namespace is not repeated: {s}"
    );
}

/// #24 (17): with 206 alerts the list was 206 rows. Alerts of one name are
/// one row with their count and what tells them apart, unfolded with right
/// (or enter) and folded with left, each member then opening its own.
#[test]
fn alerts_of_one_name_are_one_row_with_their_count_until_unfolded() {
    let mut h = home();
    h.expect_alerts("http://alertmanager:9093");
    let mut page = Vec::new();
    for n in 0..12 {
        let ns = if n % 3 == 0 { "cart" } else { "shop" };
        page.push(serde_json::json!({
            "labels": {"alertname": "KubePodCrashLooping", "namespace": ns, "pod": format!("checkout-{n}"), "severity": "warning"},
            "annotations": {"summary": "A pod is crash looping"},
            "startsAt": at(60 * (n + 1)), "fingerprint": format!("{n:016x}"),
        }));
    }
    page.push(serde_json::json!({
        "labels": {"alertname": "KubeNodeNotReady", "node": "node-b", "severity": "critical"},
        "annotations": {"summary": "node-b is unready"},
        "startsAt": at(60), "fingerprint": "bbbbbbbbbbbbbbbb",
    }));
    let alerts = runbook::alerts::payload::parse(&serde_json::Value::Array(page).to_string(), "t")
        .expect("alerts");
    h.set_alerts(Ok(alerts), now());
    let items = h.items();
    let folded = items.len();
    assert_eq!(
        &items[..3],
        [Item::Alert(0), Item::AlertGroup(1), Item::Session(0)],
        "the critical alert alone, then the twelve as one row"
    );
    let s = screen_at(&h, 120, 30);
    assert!(
        s.contains("12m  [+] KubePodCrashLooping x12  → pod-crashloop  by namespace (2), pod (12)"),
        "count, longest firing, playbook, what differs:\n{s}"
    );
    assert!(!s.contains("checkout-3"), "folded: {s}");
    assert!(s.contains("alerts: 13 firing"), "{s}");

    press(&mut h, KeyCode::Down);
    assert!(
        screen(&h).contains("right/enter unfold"),
        "the footer says how"
    );
    press(&mut h, KeyCode::Right);
    assert_eq!(
        h.items().len(),
        folded + 12,
        "the twelve are listed under it"
    );
    let s = screen_at(&h, 120, 30);
    assert!(s.contains("[-] KubePodCrashLooping x12"), "{s}");
    assert!(
        s.contains("    WARN  12m  namespace=shop pod=checkout-11  → pod-crashloop"),
        "members sit under the group, told apart:\n{s}"
    );
    press(&mut h, KeyCode::Down);
    press(&mut h, KeyCode::Down);
    press(&mut h, KeyCode::Left);
    assert_eq!(
        h.items()[h.selected],
        Item::AlertGroup(1),
        "left on a member folds its group and selects it"
    );
    assert_eq!(h.items().len(), folded);
    press(&mut h, KeyCode::Enter);
    assert_eq!(h.items().len(), folded + 12, "enter unfolds too");
    press(&mut h, KeyCode::Down);
    press(&mut h, KeyCode::Enter);
    let form = h.form.as_ref().expect("a member opens its playbook's form");
    let alert = form.alert.as_ref().expect("its alert");
    assert_eq!(alert.label("pod"), Some("checkout-11"));

    press(&mut h, KeyCode::Esc);
    typed(&mut h, "checkout-7");
    let first = h.items().first().cloned();
    let Some(Item::Alert(i)) = first else {
        panic!("a search lists the alert itself: {first:?}")
    };
    assert_eq!(h.alerts.rows()[i].alert.label("pod"), Some("checkout-7"));
}
