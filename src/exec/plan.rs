use std::collections::BTreeMap;

use thiserror::Error;

use crate::argv::classify::{Class, classify};
use crate::playbook::model::Command;

#[derive(Debug, Error, PartialEq)]
pub enum PlanError {
    #[error("the command is empty")]
    Empty,
    #[error("cannot split the command into arguments (unbalanced quotes?)")]
    Unsplittable,
    #[error("the command uses `{{{{ {0} }}}}` but no such parameter has a value")]
    MissingParam(String),
    #[error("parameter `{name}` = `{value}` is refused: {reason}")]
    BadParam {
        name: String,
        value: String,
        reason: String,
    },
}

/// A command ready to run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Planned {
    pub argv: Vec<String>,
    /// Asks for a typed confirmation: changes the cluster by its verb, is
    /// marked `mutating: true`, or cannot be read with certainty
    /// (`classify`; the gateway enforces on the wire what this cannot).
    pub mutating: bool,
    /// Only verbs known to read (get, describe, logs, ...): the only commands
    /// read-only mode lets run.
    pub read_only_safe: bool,
    /// What the responder types to confirm a mutating command: what it
    /// acts on (the object's name, the selector, `all`, the file of
    /// objects) where that can be found, else the program; never the verb.
    pub confirm_word: String,
    /// The files of objects it acts on (`-f`), listed in the confirmation.
    pub files: Vec<String>,
    /// The flag or variable by which it reaches outside the session's
    /// cluster: refused in read-only mode, a typed reason otherwise.
    pub outside: Option<String>,
    /// Why read-only mode cannot vouch for it (a shell, a file of
    /// arguments, a variable naming a program), when that is known.
    pub why: Option<String>,
    /// Its output carries credentials, redacted before it is kept.
    pub redact: crate::argv::redact::Redact,
}

impl Planned {
    /// `marked`: the playbook says it changes the cluster.
    fn new(argv: Vec<String>, class: Class, marked: bool) -> Planned {
        let confirm_word = class
            .target
            .or(class.program)
            .unwrap_or_else(|| argv[0].clone());
        Planned {
            mutating: marked || class.mutating,
            read_only_safe: !marked && class.read_only_safe,
            confirm_word,
            files: class.files,
            outside: class.outside,
            why: class.why.or(class.shell),
            redact: class.redact,
            argv,
        }
    }

    /// The argv as a copy-pasteable shell line (quoted where needed).
    pub fn display(&self) -> String {
        shlex::try_join(self.argv.iter().map(String::as_str))
            .unwrap_or_else(|_| self.argv.join(" "))
    }
}

/// Plans a command line the responder typed or edited: split into
/// arguments (no shell), classified like a playbook's. A `{{ NAME }}` left
/// in it is a value still to be given, and it does not run.
pub fn plan_line(line: &str) -> Result<Planned, PlanError> {
    if let Some(start) = line.find("{{") {
        let name = line[start + 2..]
            .split("}}")
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(PlanError::MissingParam(name));
    }
    if line.chars().any(|c| c.is_control()) {
        return Err(PlanError::BadParam {
            name: "the command line".into(),
            value: line.escape_default().to_string(),
            reason: "control characters are not allowed".into(),
        });
    }
    let argv = shlex::split(line).ok_or(PlanError::Unsplittable)?;
    if argv.is_empty() {
        return Err(PlanError::Empty);
    }
    let class = classify(&argv);
    Ok(Planned::new(argv, class, false))
}

/// Marks a parameter's place inside a token while the line is split. Private
/// use code points never occur in a playbook by accident.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Plans `command` with `params`; `check` validates a value against its
/// parameter's pattern (returns the human reason on failure).
pub fn plan(
    command: &Command,
    params: &BTreeMap<String, String>,
    check: impl Fn(&str, &str) -> Result<(), String>,
) -> Result<Planned, PlanError> {
    let (marked, names) = mark_params(&command.run);
    let tokens = shlex::split(&marked).ok_or(PlanError::Unsplittable)?;
    if tokens.is_empty() {
        return Err(PlanError::Empty);
    }
    for name in &names {
        let value = params
            .get(name)
            .ok_or_else(|| PlanError::MissingParam(name.clone()))?;
        if value.chars().any(char::is_control) {
            return Err(PlanError::BadParam {
                name: name.clone(),
                value: value.escape_default().to_string(),
                reason: "control characters are not allowed".into(),
            });
        }
        check(name, value).map_err(|reason| PlanError::BadParam {
            name: name.clone(),
            value: value.clone(),
            reason,
        })?;
    }
    let argv: Vec<String> = tokens
        .iter()
        .map(|t| substitute(t, &names, params))
        .collect();
    let class = classify(&argv);
    Ok(Planned::new(argv, class, command.mutating))
}

/// Replaces each `{{ name }}` with OPEN index CLOSE; returns the names in order.
fn mark_params(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + 2 + len].trim().to_string();
        out.push_str(&rest[..start]);
        let index = match names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        out.push(OPEN);
        out.push_str(&index.to_string());
        out.push(CLOSE);
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    (out, names)
}

fn substitute(token: &str, names: &[String], params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != OPEN {
            out.push(c);
            continue;
        }
        let Some(end) = token[i..].find(CLOSE) else {
            out.push(c);
            continue;
        };
        let index: Option<usize> = token[i + OPEN.len_utf8()..i + end].parse().ok();
        match index.and_then(|n| names.get(n)).and_then(|n| params.get(n)) {
            Some(value) => out.push_str(value),
            None => out.push_str(&token[i..i + end + CLOSE.len_utf8()]),
        }
        while chars.peek().is_some_and(|(j, _)| *j <= i + end) {
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(run: &str) -> Command {
        Command {
            run: run.into(),
            description: None,
            mutating: false,
            ask: Vec::new(),
        }
    }

    /// Issue 20 item 5, continued from the core's `check_param` test: a
    /// value that would be a flag never reaches a plan.
    #[test]
    fn a_param_value_that_is_a_flag_is_never_planned() {
        let pb: crate::playbook::Playbook = serde_saphyr::from_str(
            r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
params:
  - { name: pod, pattern: ".+" }
start: a
steps: [ { id: a, title: A, outcome: resolved } ]
"#,
        )
        .expect("parses");
        let values = params(&[("pod", "--kubeconfig=EVIL.kubeconfig")]);
        let err = plan(&cmd("kubectl get pods {{ pod }}"), &values, |_, v| {
            crate::playbook::params::check_param(&pb.params[0], v).map_err(|e| e.to_string())
        })
        .expect_err("refused");
        assert!(
            err.to_string().contains("parameter `pod`") && err.to_string().contains("flag"),
            "{err}"
        );
    }

    #[test]
    fn a_typed_line_is_planned_without_a_shell_and_a_value_left_to_give_stops_it() {
        let p = plan_line("kubectl -n shop delete pod 'web 1'").expect("plans");
        assert_eq!(p.argv, ["kubectl", "-n", "shop", "delete", "pod", "web 1"]);
        assert!(p.mutating);
        assert_eq!(
            plan_line("kubectl set image deploy/cart cart={{ image }}"),
            Err(PlanError::MissingParam("image".into()))
        );
        assert!(matches!(
            plan_line("kubectl get pods\u{1b}[2J"),
            Err(PlanError::BadParam { .. })
        ));
        assert_eq!(plan_line("   "), Err(PlanError::Empty));
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn dns_label(_: &str, v: &str) -> Result<(), String> {
        let ok = !v.is_empty()
            && v.len() <= 63
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(())
        } else {
            Err("must be a DNS label".into())
        }
    }

    #[test]
    fn params_fill_single_arguments() {
        let p = plan(
            &cmd("kubectl -n {{ namespace }} logs deploy/{{deployment}} --previous"),
            &params(&[("namespace", "shop"), ("deployment", "checkout")]),
            dns_label,
        )
        .expect("plans");
        assert_eq!(
            p.argv,
            [
                "kubectl",
                "-n",
                "shop",
                "logs",
                "deploy/checkout",
                "--previous"
            ]
        );
        assert!(!p.mutating);
        assert!(p.read_only_safe);
    }

    #[test]
    fn a_value_cannot_inject_arguments_or_commands() {
        // Even with a pattern that accepts anything, the value stays one argument.
        let anything = |_: &str, _: &str| Ok(());
        let p = plan(
            &cmd("kubectl get pods -n {{ namespace }}"),
            &params(&[("namespace", "shop; rm -rf / && echo $(id) --all")]),
            anything,
        )
        .expect("plans");
        assert_eq!(p.argv.len(), 5);
        assert_eq!(p.argv[4], "shop; rm -rf / && echo $(id) --all");
    }

    #[test]
    fn values_failing_their_pattern_are_refused() {
        let err = plan(
            &cmd("kubectl get pods -n {{ namespace }}"),
            &params(&[("namespace", "shop;reboot")]),
            dns_label,
        )
        .expect_err("refused");
        assert!(matches!(err, PlanError::BadParam { ref name, .. } if name == "namespace"));
        let err = plan(
            &cmd("kubectl get pods -n {{ namespace }}"),
            &params(&[("namespace", "a\nb")]),
            |_, _| Ok(()),
        )
        .expect_err("refused");
        assert!(matches!(err, PlanError::BadParam { .. }));
    }

    #[test]
    fn missing_params_and_bad_quotes_are_errors() {
        assert_eq!(
            plan(&cmd("kubectl get ns {{ x }}"), &params(&[]), dns_label),
            Err(PlanError::MissingParam("x".into()))
        );
        assert_eq!(
            plan(&cmd("kubectl get 'ns"), &params(&[]), dns_label),
            Err(PlanError::Unsplittable)
        );
        assert_eq!(
            plan(&cmd("  "), &params(&[]), dns_label),
            Err(PlanError::Empty)
        );
    }

    #[test]
    fn mutating_verbs_name_their_target() {
        let cases = [
            (
                "kubectl -n shop rollout restart deployment/checkout",
                "checkout",
            ),
            ("kubectl delete pod checkout-1 -n shop", "checkout-1"),
            ("kubectl cordon node-b", "node-b"),
            ("kubectl drain node-b --ignore-daemonsets", "node-b"),
            ("kubectl scale deploy/cart --replicas 3", "cart"),
            ("kubectl set image deployment/cart cart=r/cart:v2", "cart"),
            ("kubectl apply -f manifest.yaml", "manifest.yaml"),
            (
                "kubectl -n shop delete pods --field-selector=status.phase=Failed",
                "status.phase=Failed",
            ),
            (
                "kubectl -n shop delete pods --field-selector status.phase=Failed",
                "status.phase=Failed",
            ),
            ("kubectl -n shop delete pods -l app=web", "app=web"),
            ("kubectl -n shop delete pods --selector=app=web", "app=web"),
            ("kubectl -n shop delete pods --all", "all"),
            ("kubectl delete -f x.yaml", "x.yaml"),
            ("kubectl apply --filename=dir/x.yaml", "dir/x.yaml"),
            ("kubectl label pods -l app=web tier=x", "app=web"),
        ];
        for (line, target) in cases {
            let p = plan(&cmd(line), &params(&[]), dns_label).expect("plans");
            assert!(p.mutating, "{line}");
            assert!(!p.read_only_safe, "{line}");
            assert_eq!(p.confirm_word, target, "{line}");
        }
    }

    #[test]
    fn reading_commands_are_not_mutating() {
        for line in [
            "kubectl get pods -o wide",
            "kubectl rollout status deployment/x",
            "kubectl describe node a",
        ] {
            let p = plan(&cmd(line), &params(&[]), dns_label).expect("plans");
            assert!(!p.mutating, "{line}");
            assert!(p.read_only_safe, "{line}");
        }
    }

    #[test]
    fn marked_commands_and_unknown_tools_ask_and_are_not_read_only_safe() {
        let mut c = cmd("velero backup create nightly");
        c.mutating = true;
        let p = plan(&c, &params(&[]), dns_label).expect("plans");
        assert!(p.mutating && !p.read_only_safe);
        // Not known to leave the cluster alone: typed confirmation.
        let p = plan(&cmd("curl -s http://x"), &params(&[]), dns_label).expect("plans");
        assert!(p.mutating && !p.read_only_safe);
        assert_eq!(p.confirm_word, "curl");
    }

    #[test]
    fn display_quotes_for_copy_paste() {
        let p = plan(
            &cmd("kubectl get pods -l 'app in (a, b)'"),
            &params(&[]),
            dns_label,
        )
        .expect("plans");
        assert_eq!(p.display(), "kubectl get pods -l 'app in (a, b)'");
    }
}
