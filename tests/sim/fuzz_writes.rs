//! The simulator's write path under random patches (issue 20): merge,
//! strategic and JSON patches with typed and type-confused values at
//! random paths of every kind the simulator serves, sent in process.
//! Every answer is a proper HTTP status with a JSON body, nothing the
//! API server would refuse is stored, and nothing panics (a panic in a
//! handler or a controller fails the case where it happens).
//!
//! The corpus (tests/fuzz_corpus/sim_writes.jsonl: inputs that once
//! broke it, one request a line) is replayed first; proptest keeps the
//! seeds of new failures in tests/fuzz_corpus/sim_writes.seeds.

use super::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use runbook::sim::api::resources::RESOURCES;
use runbook::sim::api::validation;
use serde_json::{Map, Value, json};

const CASES: u32 = 10_000;
/// A fresh cluster every so many cases: a huge scale grows by a burst
/// every 25 simulated seconds, and one cluster taking every case would
/// end up holding tens of thousands of pods (bounded, but slow).
const CASES_PER_CLUSTER: usize = 250;
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fuzz_corpus/sim_writes.jsonl"
);

/// Answers a real API server gives a write.
const PROPER: &[u16] = &[200, 201, 400, 404, 405, 409, 415, 422, 429];

/// An object to aim at: its URL and the paths it has.
struct Target {
    url: String,
    paths: Vec<Vec<Value>>,
}

/// checkout-oom with one object or two of every other kind.
fn every_kind() -> Scenario {
    let mut scenario = sim::load("checkout-oom").unwrap();
    let more = Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kinds/every-kind.yaml"
    )))
    .unwrap();
    scenario.objects.extend(more.objects);
    scenario
}

fn url_of(object: &Value) -> Option<String> {
    let kind = object["kind"].as_str()?;
    let r = RESOURCES
        .iter()
        .find(|r| r.kind == kind && r.group != "metrics.k8s.io")?;
    let base = if r.group.is_empty() {
        format!("/api/{}", r.version)
    } else {
        format!("/apis/{}/{}", r.group, r.version)
    };
    let name = object["metadata"]["name"].as_str()?;
    Some(match object["metadata"]["namespace"].as_str() {
        Some(ns) if r.namespaced => format!("{base}/namespaces/{ns}/{}/{name}", r.plural),
        _ => format!("{base}/{}/{name}", r.plural),
    })
}

/// Every path in `value` (keys as strings, list positions as numbers).
fn paths(value: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(json!(k));
                paths(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate().take(3) {
                at.push(json!(i));
                paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn targets(handle: &SimHandle) -> Vec<Target> {
    let state = handle.export_state();
    let mut out = Vec::new();
    for object in &state.objects {
        let Some(url) = url_of(object) else { continue };
        let mut found = Vec::new();
        paths(object, &mut Vec::new(), &mut found);
        out.push(Target {
            url: url.clone(),
            paths: found.clone(),
        });
        if ["Deployment", "ReplicaSet", "StatefulSet"]
            .contains(&object["kind"].as_str().unwrap_or(""))
        {
            out.push(Target {
                url: format!("{url}/scale"),
                paths: vec![vec![json!("spec"), json!("replicas")]],
            });
        }
    }
    out
}

/// Typed and type-confused values: what a field holds and what it does not.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..5).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(4_294_967_296_i64)),
        Just(json!(2_147_483_647)),
        Just(json!(1.5)),
        "[a-z0-9./%-]{0,12}".prop_map(Value::from),
        Just(json!("3")),
        Just(json!("25%")),
        Just(json!("2025-06-01T12:00:00Z")),
        Just(json!("x".repeat(300))),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Debug, Clone)]
struct Case {
    target: Index,
    path: Index,
    /// A key past the path's end (a field the object does not have).
    extra: Option<String>,
    kind: u8,
    op: u8,
    value: Value,
    advance: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<Index>(),
        any::<Index>(),
        prop::option::weighted(0.2, "[a-zA-Z]{1,8}"),
        0u8..3,
        0u8..4,
        value(),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(target, path, extra, kind, op, value, advance)| Case {
            target,
            path,
            extra,
            kind,
            op,
            value,
            advance,
        })
}

/// The request a case sends: method, URL, content type, body.
fn request(targets: &[Target], case: &Case) -> (String, String, Value) {
    let target = case.target.get(targets);
    let mut path = case.path.get(&target.paths).clone();
    if let Some(extra) = &case.extra {
        path.push(json!(extra));
    }
    match case.kind {
        0 => {
            let pointer: String = path
                .iter()
                .map(|s| match s {
                    Value::String(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
                    other => format!("/{other}"),
                })
                .collect();
            let op = ["replace", "add", "remove", "test"][usize::from(case.op)];
            let body = if op == "remove" {
                json!([{ "op": op, "path": pointer }])
            } else {
                json!([{ "op": op, "path": pointer, "value": case.value }])
            };
            (
                target.url.clone(),
                "application/json-patch+json".into(),
                body,
            )
        }
        kind => {
            // The nested document that sets the path (a list position
            // becomes a one-item list, as a merge patch replaces lists).
            let mut body = case.value.clone();
            for segment in path.iter().rev() {
                body = match segment {
                    Value::String(k) => json!({ k.clone(): body }),
                    _ => json!([body]),
                };
            }
            let content = if kind == 1 {
                "application/merge-patch+json"
            } else {
                "application/strategic-merge-patch+json"
            };
            (target.url.clone(), content.into(), body)
        }
    }
}

fn check_answer(
    handle: &SimHandle,
    rt: &tokio::runtime::Runtime,
    url: &str,
    content: &str,
    body: &Value,
) -> Result<(), String> {
    let bytes = serde_json::to_vec(body).unwrap();
    let (status, answer) = rt.block_on(handle.request("PATCH", url, content, bytes));
    if !PROPER.contains(&status) {
        return Err(format!("{status} for {content} {url} {body}: {answer}"));
    }
    if !answer.is_object() {
        return Err(format!("not JSON: {answer}"));
    }
    if status >= 400 && answer["kind"] != "Status" {
        return Err(format!("{status} without a Status: {answer}"));
    }
    if status == 200
        && !url.ends_with("/scale")
        && let Err(e) = validation::check(&answer)
    {
        return Err(format!(
            "stored what a real API server refuses ({e}): {content} {url} {body}"
        ));
    }
    Ok(())
}

fn corpus() -> Vec<(String, String, Value)> {
    let text = std::fs::read_to_string(CORPUS).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let entry: Value = serde_json::from_str(l).expect("a corpus line is JSON");
            (
                entry["url"].as_str().unwrap().to_string(),
                entry["contentType"].as_str().unwrap().to_string(),
                entry["body"].clone(),
            )
        })
        .collect()
}

#[test]
fn random_patches_never_panic_and_store_only_valid_objects() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (handle, _client) = rt.block_on(start_manual(every_kind()));
    let entries = corpus();
    assert!(!entries.is_empty(), "the corpus is in the repo");
    for (url, content, body) in &entries {
        if let Err(e) = check_answer(&handle, &rt, url, content, body) {
            panic!("corpus: {e}");
        }
    }
    let targets = targets(&handle);
    assert!(targets.len() > 40, "every kind: {}", targets.len());
    // RUNBOOK_FUZZ_CASES runs more (or fewer) than CI's.
    let cases = std::env::var("RUNBOOK_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz_corpus/sim_writes.seeds"
        )))),
        max_shrink_iters: 200,
        ..Config::default()
    });
    let current = std::cell::RefCell::new(Some(handle));
    let count = std::cell::Cell::new(0usize);
    let result = runner.run(&case(), |case| {
        count.set(count.get() + 1);
        if count.get().is_multiple_of(CASES_PER_CLUSTER) {
            let old = current.borrow_mut().take();
            if let Some(old) = old {
                rt.block_on(old.shutdown());
            }
            let (fresh, _client) = rt.block_on(start_manual(every_kind()));
            *current.borrow_mut() = Some(fresh);
        }
        let cell = current.borrow();
        let handle = cell.as_ref().expect("a cluster");
        let (url, content, body) = request(&targets, &case);
        check_answer(handle, &rt, &url, &content, &body).map_err(TestCaseError::fail)?;
        if case.advance {
            handle.advance(Duration::from_secs(7));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    if let Some(handle) = current.borrow_mut().take() {
        rt.block_on(handle.shutdown());
    }
}
