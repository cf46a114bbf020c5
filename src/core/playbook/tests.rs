use std::path::Path;

use proptest::prelude::*;

use super::*;

const GOOD: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata:
  name: demo
  title: Demo for {{ namespace }}
  escalation:
    - { after: 15m, to: secondary }
params:
  - name: namespace
    required: true
checks:
  crashing:
    expr: pods.exists(p, p.status == "CrashLoopBackOff")
start: look
steps:
  - id: look
    title: Look
    checklist:
      - text: pods crash
        check: crashing
    next: decide
  - id: decide
    title: Decide
    choices:
      - { label: fix, next: fix, when: crashing }
      - { label: give up, next: escalate }
  - id: fix
    title: Fix
    commands:
      - run: kubectl -n {{ namespace }} rollout restart deploy/x
    outcome: mitigated
  - id: escalate
    title: Escalate
    outcome: escalated
"#;

fn p() -> &'static Path {
    Path::new("pb.yaml")
}

/// Validates `text`, returning every diagnostic rendered without snippet.
fn problems(text: &str) -> Vec<String> {
    match parse(text, p()) {
        Err(diags) => diags
            .into_iter()
            .map(|mut d| {
                d.snippet = None;
                d.to_string()
            })
            .collect(),
        Ok(pb) => validate(&pb, p(), &crate::kinds::pane_names())
            .into_iter()
            .map(|d| {
                let mut d = d.with_snippet_from(text);
                d.snippet = None;
                d.to_string()
            })
            .collect(),
    }
}

fn replace(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "fixture lacks `{from}`");
    GOOD.replacen(from, to, 1)
}

#[test]
fn the_good_playbook_is_clean() {
    assert_eq!(problems(GOOD), Vec::<String>::new());
}

#[test]
fn empty_file() {
    assert_eq!(
        problems("\n# nothing\n"),
        [
            "pb.yaml:1:1: error: the file is empty: a playbook needs apiVersion, kind, metadata, start and steps"
        ]
    );
}

#[test]
fn yaml_syntax_error_has_a_location_and_snippet() {
    let text = "apiVersion: runbook/v1\nkind: [Playbook\n";
    let diags = parse(text, p()).expect_err("syntax error");
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert!(d.line >= 2, "{d}");
    assert!(d.to_string().starts_with("pb.yaml:"), "{d}");
    assert!(d.snippet.is_some());
}

#[test]
fn unknown_field() {
    let out = problems(&replace(
        "    title: Look\n",
        "    title: Look\n    titel: typo\n",
    ));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(
        out[0].starts_with("pb.yaml:18:5: error: unknown field `titel`"),
        "{out:?}"
    );
}

#[test]
fn every_unknown_field_in_a_file_is_reported_not_only_the_first() {
    let text = replace(
        "    title: Look\n",
        "    titel: Look\n    chekclist:\n      - text: a\n",
    )
    .replacen("start: look\n", "start: look\nstpes: []\n", 1);
    let out = problems(&text);
    let unknown: Vec<&String> = out.iter().filter(|d| d.contains("unknown field")).collect();
    assert_eq!(unknown.len(), 3, "{out:?}");
    assert!(unknown[0].contains("`stpes`"), "{out:?}");
    assert!(unknown[1].contains("`titel`"), "{out:?}");
    assert!(unknown[2].contains("`chekclist`"), "{out:?}");
}

#[test]
fn missing_field() {
    let out = problems(&replace("start: look\n", ""));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains("error: missing field `start`"), "{out:?}");
}

#[test]
fn mistyped_field() {
    let out = problems(&replace("    required: true\n", "    required: [yes]\n"));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].starts_with("pb.yaml:10:15: error:"), "{out:?}");
}

#[test]
fn wrong_api_version_and_kind() {
    let out = problems(&replace("kind: Playbook", "kind: Scenario"));
    assert_eq!(
        out,
        ["pb.yaml:2:1: error: kind is `Scenario`; expected `Playbook`"]
    );
    let out = problems(&replace("runbook/v1", "runbook/v2"));
    assert_eq!(
        out,
        ["pb.yaml:1:1: error: apiVersion is `runbook/v2`; this runbook reads `runbook/v1`"]
    );
}

#[test]
fn start_naming_no_step() {
    assert_eq!(
        problems(&replace("start: look", "start: lok")),
        ["pb.yaml:14:8: error: start `lok` names no step (did you mean `look`?)"]
    );
}

#[test]
fn duplicate_step_ids() {
    let out = problems(&replace("  - id: escalate\n", "  - id: fix\n"));
    assert!(
        out.contains(
            &"pb.yaml:32:9: error: duplicate step id `fix` (first defined at line 27)".to_string()
        ),
        "{out:?}"
    );
}

#[test]
fn next_and_choice_to_no_step() {
    let out = problems(&replace("    next: decide", "    next: decid"));
    assert!(out[0].starts_with("pb.yaml:21:11: error: step `look` leads to `decid`, which is no step (did you mean `decide`?)"), "{out:?}");
    let out = problems(&replace("next: escalate }", "next: nowhere }"));
    assert!(
        out[0].starts_with("pb.yaml:26:33: error: step `decide` leads to `nowhere`"),
        "{out:?}"
    );
}

#[test]
fn unreachable_steps() {
    let text = format!("{GOOD}  - id: orphan\n    title: Orphan\n    outcome: resolved\n");
    assert_eq!(
        problems(&text),
        ["pb.yaml:35:9: error: step `orphan` cannot be reached from start `look`"]
    );
}

#[test]
fn steps_with_no_way_out_and_terminal_steps_that_lead_on() {
    let out = problems(&replace("    outcome: escalated\n", ""));
    assert_eq!(
        out,
        [
            "pb.yaml:32:9: error: step `escalate` has no way out: give it `next`, `choices` or an `outcome`"
        ]
    );
    let out = problems(&replace(
        "    outcome: escalated\n",
        "    outcome: escalated\n    next: look\n",
    ));
    assert_eq!(
        out,
        [
            "pb.yaml:32:9: error: step `escalate` has an outcome and also leads on; a terminal step ends the session"
        ]
    );
}

#[test]
fn templates_naming_undeclared_params() {
    let out = problems(&replace("-n {{ namespace }}", "-n {{ namespce }}"));
    assert_eq!(
        out,
        [
            "pb.yaml:30:25: error: step `fix` command uses `{{ namespce }}`, but no param `namespce` is declared (did you mean `namespace`?)"
        ]
    );
}

#[test]
fn undefined_checks() {
    let out = problems(&replace("        check: crashing", "        check: crash"));
    assert_eq!(
        out,
        [
            "pb.yaml:20:16: error: step `look` names check `crash`, which is not defined under `checks`"
        ]
    );
    let out = problems(&replace("when: crashing", "when: crashin"));
    assert!(
        out[0].contains("names check `crashin`") && out[0].contains("did you mean `crashing`"),
        "{out:?}"
    );
}

#[test]
fn invalid_param_regex() {
    let out = problems(&replace(
        "    required: true\n",
        "    required: true\n    pattern: \"[a-z\"\n",
    ));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(
        out[0].starts_with("pb.yaml:11:14: error: param `namespace`: invalid pattern"),
        "{out:?}"
    );
}

#[test]
fn bad_name_and_escalation_duration() {
    let out = problems(&replace("name: demo", "name: Demo_1"));
    assert!(
        out[0].starts_with("pb.yaml:4:9: error: metadata.name `Demo_1` must be a DNS label"),
        "{out:?}"
    );
    let out = problems(&replace("after: 15m", "after: soon"));
    assert!(
        out[0].starts_with("pb.yaml:7:16: error: escalation after `soon`: not a duration"),
        "{out:?}"
    );
    // u64::MAX seconds parses, but would wrap to "due at once".
    let out = problems(&replace("after: 15m", "after: 18446744073709551615s"));
    assert!(
        out[0].starts_with(
            "pb.yaml:7:16: error: escalation after `18446744073709551615s`: longer than a year"
        ),
        "{out:?}"
    );
}

#[test]
fn alert_entries_are_names_or_names_with_matchers() {
    let text = replace(
        "  escalation:",
        "  alerts:\n    - KubePodCrashLooping\n    - { name: KubePodNotReady, matchers: { severity: critical } }\n  escalation:",
    );
    assert_eq!(problems(&text), Vec::<String>::new());
    let pb = parse(&text, p()).expect("parses");
    assert_eq!(pb.alert_names(), ["KubePodCrashLooping", "KubePodNotReady"]);
    assert_eq!(pb.metadata.alerts[0].matchers(), None);
    let m = pb.metadata.alerts[1].matchers().expect("matchers");
    assert_eq!(m.get("severity").map(String::as_str), Some("critical"));
}

#[test]
fn a_mistyped_alert_entry_field_is_named_with_its_position() {
    let out = problems(&replace(
        "  escalation:",
        "  alerts:\n    - { name: KubePodNotReady, matcher: { severity: critical } }\n  escalation:",
    ));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].starts_with("pb.yaml:7:32: error:"), "{out:?}");
    assert!(out[0].contains("unknown field `matcher`"), "{out:?}");
    let out = problems(&replace("  escalation:", "  alerts: [ 12 ]\n  escalation:"));
    assert!(
        out[0].contains("an alert name or `{ name, matchers }`"),
        "{out:?}"
    );
}

#[test]
fn bad_matchers_and_from_labels_are_errors() {
    let text = replace(
        "  escalation:",
        "  alerts:\n    - { name: '', matchers: { alertname: X, 'bad-label': y } }\n  escalation:",
    )
    .replacen(
        "    required: true\n",
        "    required: true\n    fromLabel: exported-namespace\n",
        1,
    );
    let out = problems(&text);
    assert_eq!(
        out,
        [
            "pb.yaml:4:9: error: metadata.alerts[0]: the alert name is empty",
            "pb.yaml:4:9: error: metadata.alerts[0]: `alertname` is the entry's `name`; drop the matcher",
            "pb.yaml:4:9: error: metadata.alerts[0]: matcher `bad-label` is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)",
            "pb.yaml:13:16: error: param `namespace`: fromLabel `exported-namespace` is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)",
        ]
    );
}

#[test]
fn label_names_follow_prometheus() {
    for good in ["pod", "_x", "exported_namespace", "a1"] {
        assert!(validate::is_label_name(good), "{good}");
    }
    for bad in ["", "1a", "a-b", "a.b", "ä"] {
        assert!(!validate::is_label_name(bad), "{bad}");
    }
}

#[test]
fn check_expressions_are_compiled_through_the_seam() {
    let pb = parse(GOOD, p()).expect("parses");
    let diags = validate_checks(&pb, p(), |expr| {
        if expr.contains("status") {
            Err(("unknown field `status`".into(), Some(17)))
        } else {
            Ok(())
        }
    });
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].to_string(),
        "pb.yaml:13:28: error: check `crashing`: unknown field `status`"
    );
}

#[test]
fn content_hash_is_sha256_hex() {
    assert_eq!(
        content_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_loader_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = parse(&text, p()).map(|pb| validate(&pb, p(), &crate::kinds::pane_names()));
    }

    #[test]
    fn the_loader_never_panics_on_mutated_playbooks(
        cut in 0usize..GOOD.len(),
        len in 0usize..40,
        insert in "[ -~\n]{0,20}",
    ) {
        let mut text = GOOD.to_string();
        let start = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        if let Ok(pb) = parse(&text, p()) {
            let _ = validate(&pb, p(), &crate::kinds::pane_names());
        }
    }
}

#[test]
fn a_params_default_must_pass_its_own_pattern() {
    let out = problems(&replace(
        "    required: true\n",
        "    required: true\n    pattern: \"[a-z]+\"\n    default: Shop-1\n",
    ));
    assert!(
        out.iter().any(|d| d.starts_with(
            "pb.yaml:11:14: error: param `namespace`: default `Shop-1` must match the pattern"
        )),
        "{out:?}"
    );
    let out = problems(&replace(
        "    required: true\n",
        "    required: true\n    default: Shop\n",
    ));
    assert!(
        out.iter()
            .any(|d| d.contains("param `namespace`: default `Shop` must be a DNS label")),
        "{out:?}"
    );
}

const RISKY: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata: { name: risky, title: Risky }
params:
  - name: pod
    pattern: ".+"
  - name: extra
    pattern: ".+"
    allowFlags: true
start: a
steps:
  - id: a
    title: A
    commands:
      - run: kubectl cordon NODE
      - run: watch -g kubectl get pods
      - run: sh -c 'kubectl get pods'
      - run: kubectl get pods {{ pod }} {{ extra }}
      - run: kubectl set image deploy/x x={{ image }}
        ask:
          - { name: image, pattern: "[a-z0-9./:-]+" }
    outcome: resolved
"#;

/// Issue 19/20: placeholders, shells in disguise and patterns that admit
/// a flag are warnings (the playbook still loads and runs).
#[test]
fn placeholders_shells_and_flag_patterns_are_warned_about() {
    let pb = parse(RISKY, p()).expect("parses");
    let diags = validate(&pb, p(), &crate::kinds::pane_names());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let text = problems(RISKY).join("\n");
    assert!(
        text.contains("pb.yaml:15:14: warning: step `a` command `kubectl cordon NODE`: `NODE` is a placeholder"),
        "{text}"
    );
    assert!(text.contains("`{{ node }}` with `ask:`"), "{text}");
    assert!(
        text.contains("pb.yaml:16:14: warning: step `a` command `watch -g kubectl get pods`: read-only mode can never run it: `watch` without -x"),
        "{text}"
    );
    assert!(
        text.contains("command `sh -c 'kubectl get pods'`: read-only mode can never run it"),
        "{text}"
    );
    assert!(
        text.contains("pb.yaml:6:14: warning: param `pod`: pattern `.+` admits `-x`"),
        "{text}"
    );
    assert!(!text.contains("param `extra`"), "allowFlags: {text}");
    assert!(
        text.contains("ask `image`: pattern `[a-z0-9./:-]+` admits `-x`"),
        "{text}"
    );
    assert_eq!(diags.len(), 5, "{text}");
}

/// The built-in playbooks carry no placeholder, no shell and no pattern
/// that admits a flag: `runbook validate` is warning-free on them.
#[test]
fn every_built_in_playbook_validates_without_a_warning() {
    for (file, text) in super::catalog::BUILTIN {
        let pb = parse(text, Path::new(file)).expect("parses");
        let diags: Vec<String> = validate(&pb, Path::new(file), &crate::kinds::pane_names())
            .into_iter()
            .map(|d| d.with_snippet_from(text).to_string())
            .collect();
        assert_eq!(diags, Vec::<String>::new(), "{file}");
    }
}

/// #24 (20): node-not-ready's "why" had no way on when the node is Ready
/// again or none of the causes fit.
#[test]
fn node_not_ready_has_a_way_on_when_no_cause_fits() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../playbooks/node-not-ready.yaml");
    let (_, pb) = crate::playbook::load::load_file(&path).expect("the built-in playbook");
    let why = pb.steps.iter().find(|s| s.id.value == "why").expect("why");
    let nexts: Vec<&str> = why.choices.iter().map(|c| c.next.value.as_str()).collect();
    assert!(nexts.contains(&"escalate"), "{nexts:?}");
    assert!(
        why.choices
            .iter()
            .any(|c| c.when.as_ref().is_some_and(|w| w.value == "node-ready")),
        "a choice the cluster suggests when the node is Ready"
    );
}

/// A focus selector the API server would refuse was accepted, and at run
/// time the focus fell back to every namespace: it is an error, where it
/// is written, with a param's place taken by a value.
#[test]
fn a_focus_selector_kubectl_would_refuse_is_an_error_where_it_is() {
    let text = replace(
        "params:\n",
        "focus:\n  namespace: \"{{ namespace }}\"\n  labelSelector: app in web\nparams:\n",
    );
    let found = problems(&text);
    assert_eq!(
        found,
        [
            "pb.yaml:10:18: error: focus.labelSelector `app in web`: unable to parse requirement: app in web"
        ],
        "{found:?}"
    );
    let fine = replace(
        "params:\n",
        "focus:\n  labelSelector: \"app={{ namespace }},tier in (web, api)\"\nparams:\n",
    );
    assert_eq!(problems(&fine), Vec::<String>::new());
}
