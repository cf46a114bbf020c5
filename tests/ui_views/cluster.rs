//! The cluster panes, contexts, and the detail and logs views.

use super::*;

#[test]
fn panes_tab_at_80x24_and_forbidden_nodes() {
    let mut d = crashloop(color());
    let mut c = cluster();
    let nodes = c.nodes().rows.clone();
    c.set::<Nodes>(Rows {
        state: ResourceState::Forbidden("forbidden: cannot list nodes at cluster scope".into()),
        rows: nodes,
    });
    d.send(Msg::Cluster(Box::new(c)));
    d.key(KeyCode::Tab);
    snap("panes_pods_80x24", d.screen(80, 24));
    d.key(KeyCode::Right);
    snap("panes_events_80x24", d.screen(80, 24));
    d.key(KeyCode::Right);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("forbidden: cannot list nodes at cluster scope"),
        "{screen}"
    );
    // A forbidden kind says so in its tab, never `(0)`.
    assert!(
        screen.contains("Nodes forbidden") && !screen.contains("Nodes (0)"),
        "{screen}"
    );
}

#[test]
fn nodes_pane_shows_pressure_and_pod_counts() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    d.key(KeyCode::Right);
    let wide = d.screen(300, 60);
    assert!(
        wide.contains("PRESSURE") && wide.contains("VERSION") && wide.contains("PODS"),
        "{wide}"
    );
    // The nodes pane's row (pods name their node too).
    let row = |screen: &str, node: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("│{node} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(
        row(&wide, "node-b").contains("NotReady,SchedulingDisabled MemoryPressure,DiskPressure"),
        "{wide}"
    );
    assert!(
        row(&wide, "node-a").ends_with(" 2 │"),
        "{}",
        row(&wide, "node-a")
    );
    for (w, h) in [(80, 24), (160, 48)] {
        let narrow = d.screen(w, h);
        assert!(
            row(&narrow, "node-b")
                .contains("NotReady,SchedulingDisabled MemoryPressure,DiskPressure"),
            "{narrow}"
        );
    }
    both(&mut d, "panes_nodes");
}

#[test]
fn switching_context_is_journaled_first_and_read_only_sticks() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.state.contexts = vec!["drill".into(), "prod-eu".into(), "staging".into()];
    d.state.config = runbook::config::parse(
        "readOnlyContexts: [\"prod-*\"]\n",
        std::path::Path::new("config.yaml"),
    )
    .expect("config");
    d.key(KeyCode::Char('c'));
    let screen = d.screen(80, 24);
    assert!(screen.contains("> drill  (current)"), "{screen}");
    both(&mut d, "contexts");
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    assert_eq!(
        d.switched,
        ["prod-eu"],
        "the loop switches after the journal"
    );
    assert_eq!(d.state.context.as_deref(), Some("prod-eu"));
    assert_eq!(d.state.session.context(), Some("prod-eu"));
    assert!(d.state.session.records().iter().any(|r| matches!(
        &r.event,
        runbook::engine::Event::ContextSwitched { from: Some(f), to, read_only: true, .. } if f == "drill" && to == "prod-eu"
    )));
    assert!(d.state.read_only, "prod-* is read-only by the config");
    assert!(d.state.session.is_read_only(), "and the record says so");
    let screen = d.screen(100, 30);
    assert!(screen.contains("prod-eu"), "{screen}");
    // Back to a context the config does not protect: read-only stays on.
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    assert_eq!(d.switched, ["prod-eu", "staging"]);
    assert!(d.state.read_only, "read-only never turns itself off");
    assert!(
        matches!(
            &d.state.session.records().last().map(|r| &r.event),
            Some(runbook::engine::Event::ContextSwitched { to, read_only: true, .. }) if to == "staging"
        ),
        "the switch out of prod-eu is journaled read-only"
    );
    assert_eq!(d.state.session.contexts(), ["drill", "prod-eu", "staging"]);
    // Picking the current context changes nothing.
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Enter);
    assert_eq!(d.switched.len(), 2);
}

#[test]
fn a_drill_has_no_context_to_switch_to() {
    let mut d = crashloop(color());
    d.key(KeyCode::Char('c'));
    assert!(d.state.overlays.is_empty());
    assert!(d.screen(100, 30).contains("no kubeconfig contexts"));
}

#[test]
fn a_pane_row_opens_its_detail() {
    use runbook::app::components::Overlay;
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    let Some(Overlay::Detail(view)) = d.state.overlays.last() else {
        panic!("no detail overlay");
    };
    assert_eq!(
        &view.object,
        &(
            "Pod",
            "shop".to_string(),
            "checkout-6d8f9-x2k4q".to_string()
        )
    );
    let id = d.last_request();
    d.send(Msg::Detail {
        id,
        result: Ok(vec![
            "Name:         checkout-6d8f9-x2k4q".into(),
            "      DB_PASSWORD: <redacted>".into(),
        ]),
    });
    let screen = d.screen(100, 30);
    assert!(screen.contains("DB_PASSWORD: <redacted>"), "{screen}");
    assert!(screen.contains("l logs"), "{screen}");
    // f follows the pod's logs: lines arrive in batches and the end stays in view
    d.keys("f");
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("logs shop/checkout-6d8f9-x2k4q (following)")
            && screen.contains("waiting for log lines..."),
        "{screen}"
    );
    let stream = d.last_request();
    for batch in 0..10 {
        d.send(Msg::LogLines {
            id: stream,
            lines: (0..10)
                .map(|i| format!("GET /cart 200 line {}", batch * 10 + i))
                .collect(),
        });
    }
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("line 99") && !screen.contains("line 50"),
        "{screen}"
    );
    both(&mut d, "logs_following");
    d.send(Msg::LogsEnded {
        id: stream,
        why: "the stream ended".into(),
    });
    assert!(d.screen(100, 30).contains("(stopped)"));
}

#[test]
fn the_cluster_state_stays_on_the_status_line_at_80_columns() {
    let mut d = crashloop(color());
    d.state.context = Some("arn:aws:eks:eu-west-1:123456789012:cluster/prod".into());
    d.state.read_only = true;
    let mut c = cluster();
    c.connection = Connection::Reconnecting {
        since: T0 - 90,
        error: "connection refused".into(),
    };
    d.send(Msg::Cluster(Box::new(c)));
    let screen = d.screen(80, 24);
    let status = screen.lines().rev().nth(1).unwrap_or_default();
    assert!(
        status.contains("[reconnecting (data 90s old)] READ-ONLY"),
        "{screen}"
    );
    assert!(status.contains("T+"), "elapsed time stays: {status}");
    assert!(
        status.contains("Pod in Crash"),
        "the title shrinks, not goes: {status}"
    );
    // A window over the step leaves the status line in view.
    d.key(KeyCode::Char('?'));
    let screen = d.screen(80, 24);
    let status = screen.lines().rev().nth(1).unwrap_or_default();
    assert!(status.contains("[reconnecting"), "{screen}");
    d.key(KeyCode::Esc);
    // With room, nothing gives way.
    let wide = d.screen(200, 30);
    assert!(wide.contains("arn:aws:eks:eu-west-1:123456789012:cluster/prod/shop"));
}

#[test]
fn live_is_never_cut_at_80_columns_even_with_an_escalation_due() {
    let mut d = crashloop(color());
    d.state.read_only = true;
    d.send(Msg::Cluster(Box::new(cluster())));
    // the escalation is due (ESCALATE to ... is kept too)
    d.tick(15 * 60 + 1);
    d.key(KeyCode::Esc);
    for width in [80, 70, 60] {
        let screen = d.screen(width, 24);
        let status = screen.lines().rev().nth(1).unwrap_or_default();
        assert!(status.contains("[live] READ-ONLY"), "{width}: {status}");
    }
}

#[test]
fn narrow_events_wrap_their_messages_and_the_selection_stays_in_view() {
    use runbook::app::components::Overlay;
    let mut d = crashloop(color());
    let mut c = cluster();
    c.set::<Events>(rows(
        (0..30)
            .map(|i| EventRow {
                namespace: "shop".into(),
                name: format!("e{i}"),
                type_: "Warning".into(),
                reason: "Unhealthy".into(),
                message: format!("Readiness probe failed: HTTP 503 on attempt {i}"),
                kind: "Pod".into(),
                object_name: format!("checkout-6d8f9c7b5-pod{i:02}"),
                count: 1,
                last_seen: Some(T0 - 30),
            })
            .collect(),
    ));
    d.send(Msg::Cluster(Box::new(c)));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Warning Unhealthy pod/checkout-6d8f9c7b5-pod00")
            && screen.contains("Readiness probe")
            && screen.contains("attempt 0"),
        "the whole object name and the message, wrapped, show at 80 columns:\n{screen}"
    );
    for _ in 0..20 {
        d.key(KeyCode::Char('j'));
    }
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("pod/checkout-6d8f9c7b5-pod20") && !screen.contains("pod00"),
        "{screen}"
    );
    d.key(KeyCode::Enter);
    let Some(Overlay::Detail(view)) = d.state.overlays.last() else {
        panic!("no detail overlay");
    };
    assert_eq!(
        view.object.2, "checkout-6d8f9c7b5-pod20",
        "the row drawn selected"
    );
}

#[test]
fn a_node_focus_is_named_in_the_pane_title() {
    let mut d = crashloop(color());
    d.state.scope = runbook::checks::Scope::new(None, None, Some("node-a".into())).expect("scope");
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("Cluster (node node-a, all namespaces)") && screen.contains("Pods (2)"),
        "{screen}"
    );
}

#[test]
fn a_long_failure_keeps_its_kind_on_the_status_line_and_its_reason_in_the_panes() {
    let mut d = crashloop(color());
    let reason = "unreachable: ServiceError: client error (Connect): tcp connect error: Connection refused (os error 111)";
    let mut c = Snapshot {
        connection: Connection::Failed(format!("{reason} (retrying)")),
        ..cluster()
    };
    c.set::<Pods>(Rows {
        state: ResourceState::Error(reason.into()),
        rows: Arc::default(),
    });
    d.send(Msg::Cluster(Box::new(c)));
    let screen = d.screen(80, 24);
    let status = screen.lines().rev().nth(1).unwrap_or_default();
    assert!(
        status.contains("[failed: unreachable; tab shows why]"),
        "{screen}"
    );
    d.key(KeyCode::Tab);
    let screen = d.screen(80, 24);
    assert!(screen.contains("Connection refused"), "{screen}");
    // With room the whole reason is on the status line.
    assert!(
        d.screen(250, 40)
            .contains("Connection refused (os error 111) (retrying)]")
    );
}

#[test]
fn a_cluster_never_reached_says_why_in_the_panes_not_loading() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(Snapshot {
        connection: Connection::Failed("no kubeconfig found (KUBECONFIG or ~/.kube/config)".into()),
        generation: 3,
        ..Snapshot::default()
    })));
    d.key(KeyCode::Tab);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("cannot connect: no kubeconfig found") && !screen.contains("loading..."),
        "{screen}"
    );
    assert!(
        screen.contains("The steps work without the cluster"),
        "{screen}"
    );
}

#[test]
fn the_pane_selection_stays_on_its_pod_when_rows_re_sort_and_stops_at_the_last_row() {
    use runbook::app::components::Overlay;
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    for _ in 0..5 {
        d.key(KeyCode::Char('j'));
    }
    assert_eq!(d.state.panes.scroll, 1, "two pods: j stops at the last");
    // The running pod starts crashing too and sorts first: the selection
    // moves with it instead of landing on the other pod.
    let mut c = cluster();
    let rows: Vec<_> = c.pods().rows.iter().rev().cloned().collect();
    c.set::<Pods>(Rows::live(rows.iter().map(|p| (**p).clone()).collect()));
    c.generation += 1;
    d.send(Msg::Cluster(Box::new(c)));
    assert_eq!(d.state.panes.scroll, 0);
    d.key(KeyCode::Enter);
    let Some(Overlay::Detail(view)) = d.state.overlays.last() else {
        panic!("no detail overlay");
    };
    assert_eq!(view.object.2, "checkout-6d8f9-p9s1z");
    d.key(KeyCode::Esc);
    // The pod goes away: the selection stays in the rows there are.
    let mut c = cluster();
    let first: Vec<_> = c
        .pods()
        .rows
        .iter()
        .take(1)
        .map(|p| (**p).clone())
        .collect();
    c.set::<Pods>(Rows::live(first));
    c.generation += 2;
    d.send(Msg::Cluster(Box::new(c)));
    assert_eq!(d.state.panes.scroll, 0);
    assert!(d.screen(80, 24).contains("checkout-6d8f9-x2k4q"));
}

/// #24 (10): a check over time ("no warning in the last minute") is
/// evaluated again as the clock moves, not only when the cluster sends a
/// new snapshot.
#[test]
fn a_check_over_time_follows_the_clock() {
    let playbook = CRASHLOOP.replacen(
        "checks:\n",
        "checks:\n  quiet:\n    description: No warning in the last minute\n    expr: events.all(e, e.type != \"Warning\" || e.ageSeconds > 60)\n",
        1,
    );
    let mut d = Driver::new(&playbook, color());
    d.state.scope =
        runbook::app::launch::scope_for(d.state.session.playbook(), d.state.session.params(), None);
    d.send(Msg::Cluster(Box::new(cluster())));
    let quiet = |d: &Driver| {
        d.state
            .last_evaluated
            .as_ref()
            .and_then(|e| e.results.get("quiet"))
            .map(|o| o.result)
    };
    // The warning was 30 s ago.
    assert_eq!(quiet(&d), Some(runbook::engine::CheckResult::Fail));
    // Four minutes on, with no new snapshot.
    d.tick(240);
    assert_eq!(quiet(&d), Some(runbook::engine::CheckResult::Pass));
}

/// #24 (6): `l` on a pod row opens its logs, as the README says and as
/// k9s does; the arrows change pane.
#[test]
fn l_on_a_pod_row_opens_its_logs() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('l'));
    let fetched = d.effects.iter().any(|e| {
        matches!(e, Effect::FetchLogs { name, previous: false, .. } if name == "checkout-6d8f9-x2k4q")
    });
    assert!(fetched, "{:?}", d.effects);
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("logs shop/checkout-6d8f9-x2k4q"),
        "{screen}"
    );
    d.key(KeyCode::Esc);
    d.key(KeyCode::Right);
    assert!(d.screen(80, 24).contains("BackOff"), "the events pane");
}

/// #24 (1): at 120x40 the pods pane kept only NAME READY STATUS and the
/// events pane lost REASON and MESSAGE; what a responder reads stays, at
/// every size, and a cell cut short says so.
#[test]
fn the_columns_a_responder_needs_stay_at_every_size() {
    let mut d = crashloop(color());
    let mut c = cluster();
    let mut pods = c.pods().rows.as_ref().clone();
    let long = std::sync::Arc::make_mut(&mut pods[0]);
    long.name = "checkout-7f9c8d6b5c-x2k4q-with-a-long-suffix".into();
    long.restarts = 28;
    c.set::<Pods>(Rows {
        state: ResourceState::Live,
        rows: std::sync::Arc::new(pods),
    });
    d.send(Msg::Cluster(Box::new(c)));
    d.key(KeyCode::Tab);
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let screen = d.screen(w, h);
        for header in ["STATUS", "RESTARTS"] {
            assert!(
                screen.contains(header),
                "{header} missing at {w}x{h}:\n{screen}"
            );
        }
        assert!(
            screen.contains("28 (2m ago)"),
            "RESTARTS whole at {w}x{h}:\n{screen}"
        );
        d.key(KeyCode::Right);
        let screen = d.screen(w, h);
        for header in ["REASON", "MESSAGE"] {
            assert!(
                screen.contains(header),
                "{header} missing at {w}x{h}:\n{screen}"
            );
        }
        assert!(
            screen.contains("Back-off restarting"),
            "the message at {w}x{h}:\n{screen}"
        );
        d.key(KeyCode::Left);
    }
}

/// #24 (2): describe cut "Last State: Terminated (OOMKilled, exit code 137,
/// finished 2026-12-0" with no way to read the rest; the window says there
/// is more and `>` scrolls sideways.
#[test]
fn long_lines_in_the_detail_window_scroll_sideways() {
    let mut d = crashloop(color());
    d.state.size = (80, 24);
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    let id = d.last_request();
    let long = "    Last State:     Terminated (OOMKilled, exit code 137, finished 2026-12-07T02:14:09Z, started 2026-12-07T02:13:51Z)";
    d.send(Msg::Detail {
        id,
        result: Ok(vec![
            "Name:         checkout-6d8f9-x2k4q".into(),
            long.into(),
        ]),
    });
    let screen = d.screen(80, 24);
    assert!(screen.contains("> more of long lines"), "{screen}");
    assert!(!screen.contains("started 2026-12-07T02:13:51Z"), "{screen}");
    d.keys(">>>");
    let screen = d.screen(80, 24);
    assert!(screen.contains("started 2026-12-07T02:13:51Z"), "{screen}");
    d.keys("<<<");
    assert!(d.screen(80, 24).contains("Last State:"));
}
