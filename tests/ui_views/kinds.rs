//! The panes of every kind, from real object YAML: the playbook's own
//! panes in its order, several at once from 160x40 up, whole names.

use super::*;

const EVERY_KIND: &str = include_str!("../fixtures/kinds/every-kind.yaml");
const PLAYBOOK: &str = include_str!("../fixtures/kinds/every-kind-playbook.yaml");

fn every_kind() -> Snapshot {
    let doc: serde_json::Value = serde_saphyr::from_str(EVERY_KIND).expect("fixture");
    let objects = doc["objects"].as_array().expect("objects").clone();
    let mut snap = runbook::cluster::store::snapshot_of(&objects, T0).expect("snapshot");
    snap.connection = Connection::Live;
    snap.generation = 3;
    snap
}

fn driver() -> Driver {
    let mut d = Driver::new(PLAYBOOK, color());
    d.state.scope =
        runbook::app::launch::scope_for(d.state.session.playbook(), d.state.session.params(), None);
    d.send(Msg::Cluster(Box::new(every_kind())));
    d
}

#[test]
fn a_playbooks_panes_show_in_its_order_several_at_once_when_there_is_room() {
    let mut d = driver();
    d.key(KeyCode::Tab);
    let small = d.screen(80, 24);
    assert!(
        small.contains("1 Services (2) | 2 Ingresses (1) | 3 PVCs (2)"),
        "the playbook's panes, in its order:\n{small}"
    );
    snap("kinds_80x24", small);
    let medium = d.screen(120, 40);
    assert!(
        medium.contains("checkout") && medium.contains("80:30080/TCP"),
        "{medium}"
    );
    snap("kinds_120x40", medium);
    let large = d.screen(200, 50);
    for title in [
        "Services (2)",
        "Ingresses (1)",
        "PVCs (2)",
        "HPAs (1)",
        "Jobs (1)",
        "PDBs (1)",
    ] {
        assert!(large.contains(title), "{title} shows at 200x50:\n{large}");
    }
    assert!(
        large.contains("data-postgres-0") && large.contains("nightly-report-29143800"),
        "whole names:\n{large}"
    );
    snap("kinds_200x50", large);
    // What is watched: the six panes on screen (with the EndpointSlices
    // the Services need) and what the checks read; not pods, nodes or
    // events (the seventh pane, off screen, and no check reads them).
    let Some(Effect::WatchKinds(kinds)) = d
        .effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::WatchKinds(_)))
    else {
        panic!("no watch effect: {:?}", d.effects);
    };
    let names: Vec<&str> = kinds
        .iter()
        .map(|k| runbook::kinds::get(*k).meta().name)
        .collect();
    for pane in [
        "services",
        "endpointslices",
        "ingresses",
        "pvcs",
        "hpas",
        "jobs",
        "pdbs",
    ] {
        assert!(names.contains(&pane), "{pane} watched: {names:?}");
    }
    for idle in ["pods", "nodes", "events"] {
        assert!(!names.contains(&idle), "{idle} is not watched: {names:?}");
    }
}

#[test]
fn a_filter_counts_what_shows_and_all_namespaces_add_a_namespace_column() {
    let mut d = driver();
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('/'));
    d.keys("cart");
    d.key(KeyCode::Enter);
    let screen = d.screen(80, 24);
    assert!(screen.contains("Services (1)"), "{screen}");
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('A'));
    let screen = d.screen(120, 40);
    assert!(
        screen.contains("NAMESPACE") && screen.contains("shop"),
        "{screen}"
    );
}

#[test]
fn crash_looping_pods_never_look_alike() {
    let mut d = crashloop(color());
    let mut c = cluster();
    let pods: Vec<PodRow> = ["q9dtn", "x2k4q", "p9s1z"]
        .iter()
        .map(|tail| {
            let mut p = (*c.pods().rows[0]).clone();
            p.name = format!("checkout-6d8f9c7b5-{tail}").as_str().into();
            p
        })
        .collect();
    c.set::<Pods>(Rows::live(pods));
    d.send(Msg::Cluster(Box::new(c)));
    d.key(KeyCode::Tab);
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let screen = d.screen(w, h);
        for tail in ["q9dtn", "x2k4q", "p9s1z"] {
            assert!(
                screen.contains(&format!("checkout-6d8f9c7b5-{tail}"))
                    || screen.contains(&format!("…{tail}")),
                "{tail} at {w}x{h}:\n{screen}"
            );
        }
    }
}

/// The counts are made once per snapshot; a new snapshot, a filter and
/// widening each count again.
#[test]
fn pane_counts_follow_new_rows_filters_and_widening() {
    let mut d = crashloop(color());
    let mut c = cluster();
    let base = (*c.pods().rows[0]).clone();
    let pods = |n: usize| -> Vec<PodRow> {
        (0..n)
            .map(|i| {
                let mut p = base.clone();
                p.name = format!("checkout-6d8f9c7b5-{i:05}").as_str().into();
                p
            })
            .collect()
    };
    c.set::<Pods>(Rows::live(pods(3)));
    d.send(Msg::Cluster(Box::new(c.clone())));
    assert!(d.screen(120, 40).contains("Pods (3)"));
    c.set::<Pods>(Rows::live(pods(5)));
    d.send(Msg::Cluster(Box::new(c)));
    assert!(d.screen(120, 40).contains("Pods (5)"));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('/'));
    d.keys("00004");
    d.key(KeyCode::Enter);
    let screen = d.screen(120, 40);
    assert!(screen.contains("Pods (1)"), "{screen}");
}

/// #24 (5): in ingress-backend the Ingresses pane was 14 presses away; the
/// panes the playbook names come first and `1`-`9` reach them.
#[test]
fn the_playbooks_panes_come_first_and_digits_reach_them() {
    let playbook = include_str!("../../playbooks/ingress-backend.yaml");
    let mut d = Driver::new(playbook, color());
    d.state.scope =
        runbook::app::launch::scope_for(d.state.session.playbook(), d.state.session.params(), None);
    d.send(Msg::Cluster(Box::new(every_kind())));
    d.key(KeyCode::Tab);
    let screen = d.screen(120, 40);
    assert!(screen.contains("1 Ingresses"), "{screen}");
    assert_eq!(
        d.state.current_kind(),
        runbook::kinds::id_of("ingresses").expect("kind")
    );
    d.keys("4");
    assert_eq!(
        d.state.current_kind(),
        runbook::kinds::id_of("pods").expect("kind")
    );
    d.keys("1");
    assert_eq!(
        d.state.current_kind(),
        runbook::kinds::id_of("ingresses").expect("kind")
    );
}
