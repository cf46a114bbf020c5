//! The scenario loader under random mutations of the built-in scenarios
//! (issue 20): a line's value replaced by a typed or type-confused one, a
//! line dropped, doubled or shifted, bytes inserted. Loading never
//! panics and an error says where (`path:line:col`); a mutated scenario
//! that loads also starts and runs without panicking.
//!
//! The corpus (tests/fuzz_corpus/scenarios/*.yaml: inputs that once
//! broke it) is loaded first; proptest keeps the seeds of new failures in
//! tests/fuzz_corpus/scenarios.seeds.

use super::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

const CASES: u32 = 4_000;
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz_corpus/scenarios");

#[derive(Debug, Clone)]
enum Mutation {
    /// The text after a line's `key:` becomes this.
    Value(Index, String),
    Drop(Index),
    Double(Index),
    Indent(Index, bool),
    Insert(Index, String),
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x".to_string()),
        Just("-1".to_string()),
        Just("4294967296".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        Just("null".to_string()),
        Just("\"\"".to_string()),
        Just("{ a: [1, {b: c}] }".to_string()),
        Just("*anchor".to_string()),
        Just("&anchor x".to_string()),
        Just("1.5e308".to_string()),
        Just("true".to_string()),
        Just("\"3\"".to_string()),
        Just("0s".to_string()),
        Just("999999999h".to_string()),
        "[a-z0-9 :{}\\[\\],'\"-]{0,16}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), token()).prop_map(|(i, t)| Mutation::Value(i, t)),
        1 => any::<Index>().prop_map(Mutation::Drop),
        1 => any::<Index>().prop_map(Mutation::Double),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(i, b)| Mutation::Indent(i, b)),
        1 => (any::<Index>(), "[\\PC\t\n:{}\\[\\]#&*!|>-]{1,4}").prop_map(|(i, s)| Mutation::Insert(i, s)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        match m {
            Mutation::Value(i, token) => {
                let n = lines.len();
                let line = &mut lines[i.index(n)];
                if let Some(colon) = line.find(": ") {
                    line.truncate(colon + 2);
                    line.push_str(token);
                } else if let Some(dash) = line.find("- ") {
                    line.truncate(dash + 2);
                    line.push_str(token);
                }
            }
            Mutation::Drop(i) => {
                lines.remove(i.index(lines.len()));
            }
            Mutation::Double(i) => {
                let at = i.index(lines.len());
                lines.insert(at, lines[at].clone());
            }
            Mutation::Indent(i, deeper) => {
                let n = lines.len();
                let line = &mut lines[i.index(n)];
                if *deeper {
                    line.insert_str(0, "  ");
                } else if line.starts_with("  ") {
                    line.replace_range(..2, "");
                }
            }
            Mutation::Insert(i, text) => {
                let n = lines.len();
                let line = &mut lines[i.index(n)];
                let mut at = i.index(line.len() + 1);
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                line.insert_str(at, text);
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Loads `text`; an error must name its place. A scenario that loads is
/// started and run for a simulated minute (every few cases: it is slower).
fn load_and_run(text: &str, rt: &tokio::runtime::Runtime, run: bool) -> Result<(), String> {
    match Scenario::from_yaml(text, Path::new("mutated.yaml")) {
        Err(e) => {
            // Only these have no place in the file (they are about the whole).
            let whole = e.message.starts_with("faults.outages[");
            if e.line == 0 && !whole {
                return Err(format!("an error without line:col: {e}"));
            }
            if e.message.is_empty() {
                return Err("an empty error".into());
            }
            Ok(())
        }
        Ok(scenario) if run && scenario.generate.is_none() => rt.block_on(async {
            let handle = Simulator::start_with(scenario, loopback(), None, manual())
                .await
                .map_err(|e| format!("loaded but did not start: {e}"));
            if let Ok(handle) = handle {
                advance(&handle, Duration::from_secs(60), Duration::from_secs(15));
                handle.shutdown().await;
            }
            Ok(())
        }),
        Ok(_) => Ok(()),
    }
}

#[test]
fn mutated_builtin_scenarios_never_panic_and_errors_say_where() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut corpus: Vec<_> = std::fs::read_dir(CORPUS)
        .expect("the corpus is in the repo")
        .map(|e| e.unwrap().path())
        .collect();
    corpus.sort();
    assert!(!corpus.is_empty());
    for path in &corpus {
        let text = std::fs::read_to_string(path).unwrap();
        if let Err(e) = load_and_run(&text, &rt, true) {
            panic!("{}: {e}", path.display());
        }
    }
    let names: Vec<&str> = sim::builtin_names();
    let cases = std::env::var("RUNBOOK_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz_corpus/scenarios.seeds"
        )))),
        max_shrink_iters: 200,
        ..Config::default()
    });
    let strategy = (
        any::<Index>(),
        prop::collection::vec(mutation(), 1..4),
        prop::bool::weighted(0.1),
    );
    let result = runner.run(&strategy, |(which, mutations, run)| {
        let name = which.get(&names);
        let text = mutate(sim::builtin(name).unwrap(), &mutations);
        load_and_run(&text, &rt, run).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
