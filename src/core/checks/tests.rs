use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::engine::CheckResult;
use crate::kinds::event::Events;
use crate::kinds::labels::Labels;
use crate::kinds::node::Nodes;
use crate::kinds::pod::Pods;
use crate::kinds::rows::{ContainerRow, EventRow, NodeRow, PodRow};
use crate::kinds::snapshot::{Connection, ResourceState, Rows, Snapshot};

const NOW: i64 = 1_764_000_000;

fn pod(ns: &str, name: &str, status: &str, last_reason: Option<&str>) -> PodRow {
    PodRow {
        namespace: ns.into(),
        name: name.into(),
        phase: "Running".into(),
        status: status.into(),
        ready_containers: 0,
        total_containers: 1,
        restarts: 7,
        created_at: Some(NOW - 600),
        labels: [("app".to_string(), "checkout".to_string())].into(),
        containers: Box::new([ContainerRow {
            name: "app".into(),
            image: "shop/checkout:1.2".into(),
            state: "waiting".into(),
            reason: Some(status.into()),
            last_reason: last_reason.map(Into::into),
            last_exit_code: last_reason.map(|_| 137),
            ..ContainerRow::default()
        }]),
        ..PodRow::default()
    }
}

fn rows<T>(items: Vec<T>) -> Rows<T> {
    Rows {
        state: ResourceState::Live,
        rows: Arc::new(items.into_iter().map(Arc::new).collect()),
    }
}

fn snapshot() -> Snapshot {
    let mut other = pod("shop", "cart-1", "Running", None);
    other.labels = [("app".to_string(), "cart".to_string())].into();
    Snapshot {
        generation: 1,
        connection: Connection::Live,
        ..Snapshot::default()
    }
    .with::<Pods>(rows(vec![
        pod("shop", "checkout-1", "CrashLoopBackOff", Some("OOMKilled")),
        pod("shop", "checkout-2", "Running", None),
        other,
        pod("other", "checkout-9", "CrashLoopBackOff", Some("Error")),
    ]))
    .with::<Nodes>(rows(vec![
        NodeRow {
            name: "node-a".into(),
            status: "Ready".into(),
            ready: Some(true),
            ..NodeRow::default()
        },
        NodeRow {
            name: "node-b".into(),
            status: "NotReady".into(),
            ready: Some(false),
            conditions: [("Ready".to_string(), "Unknown".to_string())].into(),
            ..NodeRow::default()
        },
    ]))
    .with::<Events>(rows(vec![EventRow {
        namespace: "shop".into(),
        name: "e1".into(),
        type_: "Warning".into(),
        reason: "Failed".into(),
        message: "manifest for cart:v2.31 not found".into(),
        kind: "Pod".into(),
        object_name: "cart-1".into(),
        count: 3,
        last_seen: Some(NOW - 30),
    }]))
}

/// `s` with the nodes' state set (their rows kept).
fn nodes_in(s: &mut Snapshot, state: ResourceState) {
    let rows = s.rows::<Nodes>().rows.clone();
    s.set::<Nodes>(Rows { state, rows });
}

fn scope() -> Scope {
    Scope::new(Some("shop".into()), Some("app=checkout"), None).expect("scope")
}

fn eval(expr: &str) -> CheckOutcome {
    let c = compile(expr).expect("compiles");
    let params: BTreeMap<String, String> = [("node".to_string(), "node-b".to_string())].into();
    evaluate(&c, &snapshot(), &scope(), &params, NOW)
}

#[test]
fn syntax_errors_carry_an_offset() {
    let err = compile("pods.exists(p, p.status == )").expect_err("syntax");
    assert!(!err.message.is_empty());
    assert!(err.offset.is_some_and(|o| o > 10), "{err:?}");
}

#[test]
fn unknown_fields_are_named_with_a_suggestion() {
    let err = compile(r#"pods.exists(p, p.statu == "x")"#).expect_err("field");
    assert!(
        err.message
            .starts_with("unknown field `statu` on pods (did you mean `status`?); pods have name, namespace, node, phase, status,"),
        "{}",
        err.message
    );
    assert_eq!(err.offset, Some(16));
    let err = compile(r#"pods.exists(p, p.containers.exists(c, c.lastReson == "x"))"#)
        .expect_err("nested field");
    assert!(
        err.message.starts_with(
            "unknown field `lastReson` on containers (did you mean `lastReason`?); containers have name, image,"
        ),
        "{}",
        err.message
    );
    // No near name: the valid fields are the help.
    let err = compile("nodes.exists(n, n.imagesCount > 3)").expect_err("field");
    assert_eq!(
        err.message,
        "unknown field `imagesCount` on nodes; nodes have name, status, ready, unschedulable, conditions, roles, version, labels, taints"
    );
}

#[test]
fn unknown_variables_and_functions_are_errors() {
    let err = compile("pod.size() > 0").expect_err("variable");
    assert!(
        err.message
            .starts_with("unknown variable `pod` (did you mean `pods`?)"),
        "{}",
        err.message
    );
    let err = compile("pods.exist(p, true)").expect_err("function");
    assert!(
        err.message.contains("unknown function `exist`"),
        "{}",
        err.message
    );
}

#[test]
fn maps_accept_any_key() {
    compile(r#"nodes.exists(n, n.conditions.Ready == "Unknown" && n.labels["zone"] == "a")"#)
        .expect("maps are open");
    compile("params.node == 'x'").expect("params are open");
}

#[test]
fn a_condition_the_node_does_not_report_is_empty_not_an_error() {
    // node-b reports only Ready; NetworkUnavailable is absent on many clusters.
    let o =
        eval(r#"nodes.exists(n, n.name == "node-b" && n.conditions.NetworkUnavailable == "True")"#);
    assert_eq!(o.result, CheckResult::Fail, "{:?}", o.detail);
    let o = eval(r#"nodes.all(n, n.conditions.DiskPressure != "True")"#);
    assert_eq!(o.result, CheckResult::Pass, "{:?}", o.detail);
    let o = eval(r#"nodes.exists(n, n.conditions.Ready == "Unknown")"#);
    assert_eq!(o.result, CheckResult::Pass, "reported conditions are kept");
}

#[test]
fn pass_and_fail_with_evidence_in_scope() {
    let o = eval(r#"pods.exists(p, p.containers.exists(c, c.lastReason == "OOMKilled"))"#);
    assert_eq!(o.result, CheckResult::Pass);
    assert_eq!(o.objects, ["pod/shop/checkout-1"]);
    // checkout-9 crashes too, but in another namespace: out of scope.
    let o = eval(r#"pods.filter(p, p.status == "CrashLoopBackOff").size() > 1"#);
    assert_eq!(o.result, CheckResult::Fail);
    assert_eq!(o.objects, ["pod/shop/checkout-1"]);
    // the label selector hides cart-1
    let o = eval(r#"pods.exists(p, p.name == "cart-1")"#);
    assert_eq!(o.result, CheckResult::Fail);
}

#[test]
fn all_lists_the_objects_that_fail_it() {
    let o = eval(r#"pods.all(p, p.status == "Running")"#);
    assert_eq!(o.result, CheckResult::Fail);
    assert_eq!(o.objects, ["pod/shop/checkout-1"]);
}

#[test]
fn params_and_nodes() {
    let o = eval("nodes.exists(n, n.name == params.node && !n.ready)");
    assert_eq!(o.result, CheckResult::Pass);
    assert_eq!(o.objects, ["node/node-b"]);
    let o = eval(r#"events.exists(e, e.reason == "Failed" && e.message.contains("not found"))"#);
    assert_eq!(o.result, CheckResult::Pass);
    assert_eq!(o.objects, ["event/shop/e1"]);
    let o = eval("pods.exists(p, p.restarts > 5 && p.ageSeconds >= 600)");
    assert_eq!(o.result, CheckResult::Pass);
}

#[test]
fn unknown_until_the_data_is_there() {
    let c = compile("nodes.exists(n, !n.ready)").expect("compiles");
    let params = BTreeMap::new();
    let mut s = snapshot();
    nodes_in(&mut s, ResourceState::Loading);
    let o = evaluate(&c, &s, &scope(), &params, NOW);
    assert_eq!(o.result, CheckResult::Unknown);
    assert_eq!(o.detail.as_deref(), Some("nodes: no data yet"));
    nodes_in(
        &mut s,
        ResourceState::Forbidden("forbidden: cannot list nodes at cluster scope".into()),
    );
    let o = evaluate(&c, &s, &scope(), &params, NOW);
    assert_eq!(o.result, CheckResult::Unknown);
    assert!(o.detail.expect("detail").contains("cannot list nodes"));
    s.connection = Connection::Disconnected;
    let o = evaluate(&c, &s, &scope(), &params, NOW);
    assert_eq!(o.detail.as_deref(), Some("no cluster connected"));
    // a check that reads only params does not need the cluster
    let c = compile("size(params) == 0").expect("compiles");
    assert_eq!(
        evaluate(&c, &s, &scope(), &params, NOW).result,
        CheckResult::Pass
    );
}

#[test]
fn non_boolean_results_are_unknown() {
    let o = eval("pods.size()");
    assert_eq!(o.result, CheckResult::Unknown);
    assert!(o.detail.expect("detail").contains("not true or false"));
}

#[test]
fn the_focus_selector_is_the_api_servers() {
    let sc =
        Scope::new(None, Some("app=a, env in (prod, staging), !legacy"), None).expect("parses");
    let labels = |pairs: &[(&str, &str)]| -> Labels { pairs.iter().copied().collect() };
    assert!(sc.labels_ok(&labels(&[("app", "a"), ("env", "prod")])));
    assert!(!sc.labels_ok(&labels(&[("app", "a"), ("env", "dev")])));
    // What `kubectl get -l` refuses, the focus refuses: `a in b`, and a
    // value no label could hold (the old parser took both).
    assert!(Scope::new(None, Some("a in b"), None).is_err());
    let refused = Scope::new(None, Some("app=a b"), None).expect_err("refused");
    assert_eq!(refused.to_string(), "unable to parse requirement: app=a b");
}

#[test]
fn a_check_set_evaluates_many_pods() {
    let pb: crate::playbook::model::Playbook = serde_saphyr::from_str(
        r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
checks:
  crash: { expr: 'pods.exists(p, p.status == "CrashLoopBackOff")' }
  many: { expr: 'pods.size() == 10000' }
start: a
steps: [ { id: a, title: A, outcome: resolved } ]
"#,
    )
    .expect("parses");
    let (set, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty());
    let mut s = snapshot();
    s.set::<Pods>(rows(
        (0..10_000)
            .map(|i| {
                pod(
                    "shop",
                    &format!("p-{i}"),
                    if i == 9_999 {
                        "CrashLoopBackOff"
                    } else {
                        "Running"
                    },
                    None,
                )
            })
            .collect(),
    ));
    let out = set.evaluate_all(&s, &scope(), &BTreeMap::new(), NOW);
    assert_eq!(out["crash"].result, CheckResult::Pass);
    assert_eq!(out["crash"].objects, ["pod/shop/p-9999"]);
    assert_eq!(out["many"].result, CheckResult::Pass);
}

#[test]
fn a_job_runs_only_the_checks_whose_lists_changed() {
    use super::CheckJob;
    use std::sync::Arc;
    let pb: crate::playbook::model::Playbook = serde_saphyr::from_str(
        r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
checks:
  crash: { expr: 'pods.exists(p, p.status == "CrashLoopBackOff")' }
  warned: { expr: 'events.exists(e, e.type == "Warning")' }
  fresh: { expr: 'pods.exists(p, p.ageSeconds < 60)' }
start: a
steps: [ { id: a, title: A, outcome: resolved } ]
"#,
    )
    .expect("parses");
    let (set, errors) = CheckSet::compile(&pb);
    assert!(errors.is_empty(), "{errors:?}");
    let set = Arc::new(set);
    let job = |s: &Snapshot, previous: Option<Arc<super::Evaluated>>| CheckJob {
        checks: set.clone(),
        snapshot: s.clone(),
        scope: scope(),
        params: BTreeMap::new(),
        now: NOW,
        previous,
    };
    let mut s = snapshot();
    let first = Arc::new(job(&s, None).run());
    assert_eq!(first.ran, 3);
    assert_eq!(first.results["crash"].result, CheckResult::Pass);

    // Only events changed: the pods check keeps its outcome, the events
    // check runs, and so does the one that reads ages (the clock moves).
    s.generation += 1;
    s.set::<Events>(rows(Vec::new()));
    let second = Arc::new(job(&s, Some(first.clone())).run());
    assert_eq!(second.ran, 2);
    assert_eq!(second.results["crash"], first.results["crash"]);
    assert_eq!(second.results["warned"].result, CheckResult::Fail);

    // The pods changed: their checks run again.
    s.generation += 1;
    s.set::<Pods>(rows(vec![pod("shop", "web-1", "Running", None)]));
    let third = job(&s, Some(second)).run();
    assert_eq!(third.ran, 2);
    assert_eq!(third.results["crash"].result, CheckResult::Fail);
}

#[test]
fn row_by_row_checks_agree_with_whole_list_evaluation() {
    let exprs = [
        r#"pods.exists(p, p.status == "CrashLoopBackOff")"#,
        r#"pods.exists(p, p.status == "Nope")"#,
        r#"pods.all(p, p.status == "Running")"#,
        r#"pods.all(p, p.namespace == "shop")"#,
        r#"pods.exists(p, p.containers.exists(c, c.lastReason == "OOMKilled"))"#,
        r#"nodes.exists(n, !n.ready)"#,
        r#"events.exists(e, e.type == "Warning")"#,
        r#"pods.exists(p, p.labels.app == params.app)"#,
        r#"pods.exists(p, p.labels.missing == "x")"#,
    ];
    let s = snapshot();
    let params: BTreeMap<String, String> = [("app".to_string(), "checkout".to_string())].into();
    for expr in exprs {
        let check = compile(expr).expect(expr);
        assert!(super::stream::streamable(&check), "{expr}");
        let whole = super::evaluate(&check, &s, &scope(), &params, NOW);
        let by_row = super::stream::evaluate(&check, &s, &scope(), &params, NOW);
        assert_eq!(
            by_row.result, whole.result,
            "{expr}: {by_row:?} vs {whole:?}"
        );
        assert_eq!(by_row.objects, whole.objects, "{expr}");
    }
    for expr in [
        r#"pods.size() > 0 && pods.all(p, p.ready)"#,
        r#"pods.filter(p, p.restarts > 3).size() > 1"#,
    ] {
        assert!(
            !super::stream::streamable(&compile(expr).expect(expr)),
            "{expr}"
        );
    }
}

#[test]
fn a_check_reads_only_the_fields_it_names() {
    use super::fields::Ty;
    use crate::kinds::pod::{CONTAINER, SCHEMA};
    const POD_FIELDS: &[(&str, Ty)] = SCHEMA.fields;
    const CONTAINER_FIELDS: &[(&str, Ty)] = CONTAINER.fields;
    let pod = Ty::Object(&SCHEMA);
    let container = Ty::Object(&CONTAINER);
    let bit = |table: &[(&str, Ty)], name: &str| {
        1u32 << table.iter().position(|(f, _)| *f == name).expect("a field")
    };
    let uses = |expr: &str| compile(expr).expect("compiles").fields;
    let u = uses(r#"pods.exists(p, p.status == "CrashLoopBackOff")"#);
    assert_eq!(u.mask(pod), bit(POD_FIELDS, "status"));
    assert_eq!(u.mask(container), 0);
    let u = uses(r#"pods.exists(p, p.containers.exists(c, c.lastReason == "OOMKilled"))"#);
    assert_eq!(u.mask(pod), bit(POD_FIELDS, "containers"));
    assert_eq!(u.mask(container), bit(CONTAINER_FIELDS, "lastReason"));
    let u = uses(r#"pods.size() > 0 && pods.all(p, p.status == "Running" && p.ready)"#);
    assert_eq!(
        u.mask(pod),
        bit(POD_FIELDS, "status") | bit(POD_FIELDS, "ready"),
        "counting a list reads no field"
    );
    // Used whole: every field, containers' too.
    for whole in [
        r#"pods.filter(p, p.restarts > 3).size() > 0"#,
        r#"pods.map(p, p).size() > 0"#,
        r#"pods[0].name == "a""#,
    ] {
        let u = uses(whole);
        assert_eq!(u.mask(pod), u32::MAX, "{whole}");
        assert_eq!(u.mask(container), u32::MAX, "{whole}");
    }
    let u = uses(r#"pods.exists(p, p.containers[0].name == "app")"#);
    assert_eq!(u.mask(container), u32::MAX, "an indexed list is used whole");
}

#[test]
fn checks_too_long_or_too_deep_are_refused_before_the_parser_sees_them() {
    use crate::checks::compile::{MAX_DEPTH, MAX_OPERATORS, compile};
    // 22,000 chained `+` overflowed the parser's stack and aborted.
    let plus = format!("1{}", "+1".repeat(22_000));
    let err = compile(&plus).expect_err("too long");
    assert!(err.message.contains("bytes long"), "{}", err.message);
    // A million `&&` took 19 s and 3.8 GB.
    let and = format!("true{}", " && true".repeat(1_000_000));
    let started = std::time::Instant::now();
    assert!(compile(&and).is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    let deep = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(
        compile(&deep)
            .expect_err("deep")
            .message
            .contains("nests deeper")
    );
    let many = format!("1{}", "+1".repeat(MAX_OPERATORS + 1));
    assert!(
        compile(&many)
            .expect_err("many")
            .message
            .contains("operators")
    );
    // Operators inside strings do not count.
    let quoted = format!("pods.exists(p, p.name == \"{}\")", "+".repeat(500));
    assert!(compile(&quoted).is_ok());
}

#[test]
fn the_largest_check_allowed_parses_on_a_small_stack() {
    use crate::checks::compile::{MAX_DEPTH, MAX_OPERATORS, compile};
    let chain = format!("1{}", " + 1".repeat(MAX_OPERATORS));
    let deep = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    // The check worker threads run with a 2 MiB stack, as spawned threads do.
    let parsed = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || (compile(&chain).is_ok(), compile(&deep).is_ok()))
        .expect("thread")
        .join()
        .expect("no overflow");
    assert_eq!(parsed, (true, true));
}

/// #24 (9): a pod the kubelet evicted shows `Error` in kubectl's STATUS
/// (its container's terminated reason wins over the pod's), so the
/// pods-evicted playbook's `evicted` check must read the pod's own reason.
#[test]
fn the_pods_evicted_check_sees_a_pod_the_kubelet_evicted() {
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "web-1", "namespace": "shop", "labels": { "app": "web" } },
        "spec": { "nodeName": "node-a", "containers": [ { "name": "web", "image": "web:1" } ] },
        "status": { "phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: ephemeral-storage.",
            "containerStatuses": [ { "name": "web", "image": "web:1", "imageID": "", "ready": false,
                "restartCount": 0, "state": { "terminated": { "exitCode": 137, "reason": "Error" } } } ] }
    }))
    .expect("pod");
    let row = crate::kinds::project::pod_row(&pod, NOW);
    assert_eq!(&*row.status, "Error", "kubectl's STATUS column");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbooks/pods-evicted.yaml");
    let (_, playbook) = crate::playbook::load::load_file(&path).expect("the built-in playbook");
    let expr = playbook.checks["evicted"].expr.value.clone();
    let snapshot = Snapshot {
        generation: 1,
        connection: Connection::Live,
        ..Snapshot::default()
    }
    .with::<Pods>(rows(vec![row]));
    let scope = Scope::new(Some("shop".into()), Some("app=web"), None).expect("scope");
    let outcome = evaluate(
        &compile(&expr).expect("compiles"),
        &snapshot,
        &scope,
        &BTreeMap::new(),
        NOW,
    );
    assert_eq!(outcome.result, CheckResult::Pass, "{expr}: {outcome:?}");
}
