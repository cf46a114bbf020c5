//! Bounded fuzzing of the two loaders that read files a responder did not
//! necessarily write: playbooks (the built-in ones and the corpus under
//! tests/fuzz_corpus/playbooks/) and session journals (the corpus under
//! tests/fuzz_corpus/journals/, each a folder with its pinned playbook).
//! Every corpus file is mutated (bytes flipped, cut, spliced, lines
//! repeated or dropped) and fed to the real loaders: they never panic, a
//! playbook's problems point inside the file, and a journal that reads is
//! replayed and exported without a panic. Runs in `cargo test` in a few
//! seconds; a failing input proptest finds belongs in the corpus.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use runbook::engine::Session;
use runbook::journal::{export, read};
use runbook::playbook::model::Playbook;

fn corpus(dir: &str, ext: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("the corpus folder is there") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                let text = std::fs::read_to_string(&path).expect("corpus text");
                files.push((path, text));
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no corpus in {dir}");
    files
}

fn playbooks() -> Vec<(PathBuf, String)> {
    let mut all = corpus("playbooks", "yaml");
    all.extend(corpus("tests/fuzz_corpus/playbooks", "yaml"));
    all
}

/// One way of spoiling a text.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Cut { at: usize, len: usize },
    Insert { at: usize, text: String },
    RepeatLine { line: usize },
    DropLine { line: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Cut { at, len }),
        (
            any::<usize>(),
            prop_oneof![
                "[ -~\n\t]{0,24}",
                Just("{{ x }}".to_string()),
                Just(": [".to_string()),
                Just("\u{1b}]52;c;e\u{7}".to_string()),
                Just("- id: a\n".to_string()),
                Just("\"seq\":18446744073709551615".to_string()),
                Just("null".to_string()),
            ]
        )
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(|line| Mutation::RepeatLine { line }),
        any::<usize>().prop_map(|line| Mutation::DropLine { line }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip { at, byte } => {
                if !bytes.is_empty() {
                    bytes[at % n] = *byte;
                }
            }
            Mutation::Cut { at, len } => {
                let start = (at % n).min(bytes.len());
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert { at, text } => {
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, text.bytes());
            }
            Mutation::RepeatLine { line } | Mutation::DropLine { line } => {
                let mut lines: Vec<Vec<u8>> =
                    bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                let i = line % lines.len();
                if matches!(m, Mutation::RepeatLine { .. }) {
                    let copy = lines[i].clone();
                    lines.insert(i, copy);
                } else {
                    lines.remove(i);
                }
                bytes = lines.join(&b'\n');
            }
            Mutation::Truncate { at } => bytes.truncate(at % n),
        }
    }
    bytes
}

fn load_playbook(text: &str, path: &Path) {
    let lines = text.lines().count() as u64 + 1;
    let problems = match runbook::playbook::load::parse(text, path) {
        Ok(playbook) => {
            runbook::playbook::validate::validate(&playbook, path, &runbook::kinds::pane_names())
        }
        Err(problems) => problems,
    };
    for d in problems {
        assert!(
            d.line <= lines,
            "{}:{}:{}: {} points past the end ({lines} lines)",
            path.display(),
            d.line,
            d.col,
            d.message
        );
    }
}

/// Reads the journal bytes as `runbook` does and, when they replay, exports
/// the session: none of it may panic.
fn load_journal(playbook: &Arc<Playbook>, bytes: &[u8]) {
    let journal = read::parse_journal(bytes, Path::new("journal.jsonl"));
    if let Ok(session) = Session::replay(playbook.clone(), &journal.records) {
        let _ = export::markdown("fuzz", &session);
        for record in &journal.records {
            let _ = export::timeline_line(&session, record, session.started_at());
        }
    }
}

fn journals() -> Vec<(Arc<Playbook>, String)> {
    corpus("tests/fuzz_corpus/journals", "jsonl")
        .into_iter()
        .map(|(path, text)| {
            let pinned = path.with_file_name("playbook.yaml");
            let yaml = std::fs::read_to_string(&pinned).expect("each journal has its playbook");
            let playbook: Playbook = serde_saphyr::from_str(&yaml).expect("the playbook parses");
            (Arc::new(playbook), text)
        })
        .collect()
}

#[test]
fn the_corpus_itself_loads_cleanly() {
    for (path, text) in playbooks() {
        load_playbook(&text, &path);
    }
    for (playbook, text) in journals() {
        let journal = read::parse_journal(text.as_bytes(), Path::new("journal.jsonl"));
        assert!(
            journal.warnings.is_empty() && !journal.is_damaged(),
            "the corpus journal reads whole: {:?} {:?}",
            journal.warnings,
            journal.damaged
        );
        let session = Session::replay(playbook, &journal.records).expect("it replays");
        assert!(session.is_read_only());
        let md = export::markdown("corpus", &session);
        assert!(md.contains("Refused attempts"), "{md}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        // A failing input's seed is kept beside the corpus, to be replayed
        // first next time (and its input added to the corpus).
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("tests/fuzz_corpus/loaders.seeds"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_playbooks_never_panic_and_point_inside_the_file(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let all = playbooks();
        let (path, text) = &all[pick % all.len()];
        let bytes = apply(text, &mutations);
        let text = String::from_utf8_lossy(&bytes);
        load_playbook(&text, path);
    }

    #[test]
    fn mutated_journals_never_panic(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let all = journals();
        let (playbook, text) = &all[pick % all.len()];
        load_journal(playbook, &apply(text, &mutations));
    }
}
