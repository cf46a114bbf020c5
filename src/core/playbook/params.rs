//! Parameter values: defaults, required checks and pattern checks.

use std::collections::BTreeMap;

use regex::Regex;

use super::model::{Param, Playbook};

/// The Kubernetes DNS-label rule, the default pattern.
pub const DNS_LABEL: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub name: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "param `{}`: {}", self.name, self.message)
    }
}

/// Why a value given for a param or an ask is refused; its text is what
/// the form, the list of alerts and the command line say.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("a value is required")]
    Required,
    #[error(
        "must not start with `-`: it would be read as a flag (the playbook can allow it with `allowFlags: true`)"
    )]
    Flag,
    #[error("the playbook's pattern is invalid: {0}")]
    BadPattern(String),
    #[error("must match the pattern `{0}`")]
    NoMatch(String),
    #[error("must be at most 63 characters (a DNS label)")]
    TooLong,
    #[error(
        "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit"
    )]
    NotDnsLabel,
    #[error("no spaces or control characters")]
    Spaces,
}

/// Whether `value` is acceptable for `param`, with the reason if not. The
/// UI's params form calls this as the responder types.
pub fn check_param(param: &Param, value: &str) -> Result<(), ValueError> {
    if value.is_empty() {
        return Err(ValueError::Required);
    }
    if !param.allow_flags {
        not_a_flag(value)?;
    }
    match &param.pattern {
        Some(pattern) => matches(&pattern.value, value),
        None if value.len() > 63 => Err(ValueError::TooLong),
        None if Regex::new(DNS_LABEL).is_ok_and(|re| re.is_match(value)) => Ok(()),
        None => Err(ValueError::NotDnsLabel),
    }
}

/// Whether the whole of `value` matches the playbook's `pattern`.
fn matches(pattern: &str, value: &str) -> Result<(), ValueError> {
    let re = Regex::new(&anchor(pattern)).map_err(|e| ValueError::BadPattern(e.to_string()))?;
    if re.is_match(value) {
        Ok(())
    } else {
        Err(ValueError::NoMatch(pattern.to_string()))
    }
}

/// A pattern must match the whole value.
/// A value a command asks for: its pattern, or any non-empty value with no
/// spaces or control characters (it fills exactly one argument).
pub fn check_ask(ask: &crate::playbook::model::Ask, value: &str) -> Result<(), ValueError> {
    if value.is_empty() {
        return Err(ValueError::Required);
    }
    if !ask.allow_flags {
        not_a_flag(value)?;
    }
    match &ask.pattern {
        Some(pattern) => matches(pattern, value),
        None if value.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err(ValueError::Spaces)
        }
        None => Ok(()),
    }
}

/// A value starting with `-` would be read as a flag (`--kubeconfig=...`
/// names another cluster); only a param with `allowFlags: true` takes one.
fn not_a_flag(value: &str) -> Result<(), ValueError> {
    if value.starts_with('-') {
        Err(ValueError::Flag)
    } else {
        Ok(())
    }
}

/// Values a pattern should not admit: they would be flags.
const FLAG_PROBES: &[&str] = &["-x", "--kubeconfig=x", "-", "--x", "-n", "-1"];

/// The probe a pattern admits that starts with `-`, if it admits one
/// (validate warns: the value would be refused anyway, so the pattern
/// promises what the param cannot take).
pub fn admits_a_flag(pattern: &str) -> Option<&'static str> {
    let re = Regex::new(&anchor(pattern)).ok()?;
    FLAG_PROBES.iter().copied().find(|p| re.is_match(p))
}

pub(crate) fn anchor(pattern: &str) -> String {
    format!(
        "^(?:{})$",
        pattern.trim_start_matches('^').trim_end_matches('$')
    )
}

/// Parses `--set K=V` arguments.
pub fn parse_sets(sets: &[String]) -> Result<Vec<(String, String)>, String> {
    sets.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| format!("`--set {s}`: expected KEY=VALUE"))
        })
        .collect()
}

/// Applies defaults and checks every value. Returns all problems at once.
pub fn resolve_params(
    playbook: &Playbook,
    given: &[(String, String)],
) -> Result<BTreeMap<String, String>, Vec<ParamError>> {
    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    for (name, value) in given {
        if playbook.param(name).is_none() {
            let known: Vec<&str> = playbook
                .params
                .iter()
                .map(|p| p.name.value.as_str())
                .collect();
            errors.push(ParamError {
                name: name.clone(),
                message: if known.is_empty() {
                    "this playbook takes no params".into()
                } else {
                    format!("unknown; this playbook takes: {}", known.join(", "))
                },
            });
            continue;
        }
        values.insert(name.clone(), value.clone());
    }
    for param in &playbook.params {
        let name = &param.name.value;
        if !values.contains_key(name)
            && let Some(default) = &param.default
        {
            values.insert(name.clone(), default.clone());
        }
        match values.get(name) {
            Some(value) => {
                if let Err(message) = check_param(param, value) {
                    errors.push(ParamError {
                        name: name.clone(),
                        message: format!("`{value}` {message}"),
                    });
                }
            }
            None if param.required => errors.push(ParamError {
                name: name.clone(),
                message: "is required (give it with --set)".into(),
            }),
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Params that are required and have no value yet (the params form asks).
pub fn missing_required<'a>(playbook: &'a Playbook, given: &[(String, String)]) -> Vec<&'a Param> {
    playbook
        .params
        .iter()
        .filter(|p| {
            p.required && p.default.is_none() && !given.iter().any(|(k, _)| *k == p.name.value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PB: &str = r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
params:
  - { name: namespace, required: true }
  - { name: replicas, default: "3", pattern: "[0-9]+" }
  - { name: note }
start: a
steps: [ { id: a, title: A, outcome: resolved } ]
"#;

    fn pb() -> Playbook {
        serde_saphyr::from_str(PB).expect("parses")
    }

    #[test]
    fn defaults_fill_and_patterns_check() {
        let v = resolve_params(&pb(), &[("namespace".into(), "shop".into())]).expect("ok");
        assert_eq!(v["replicas"], "3");
        assert!(!v.contains_key("note"));
        let errs = resolve_params(
            &pb(),
            &[
                ("namespace".into(), "Shop!".into()),
                ("replicas".into(), "3a".into()),
            ],
        )
        .expect_err("bad values");
        assert_eq!(errs.len(), 2);
        assert!(errs[0].message.contains("DNS label"), "{}", errs[0]);
        assert!(errs[1].message.contains("pattern `[0-9]+`"), "{}", errs[1]);
    }

    #[test]
    fn required_and_unknown_params_are_reported() {
        let errs = resolve_params(&pb(), &[("nope".into(), "x".into())]).expect_err("errors");
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(text[0].contains("param `nope`: unknown"), "{text:?}");
        assert!(
            text[1].contains("param `namespace`: is required"),
            "{text:?}"
        );
    }

    #[test]
    fn sets_parse_key_value() {
        assert_eq!(
            parse_sets(&["a=b=c".into()]).expect("ok"),
            [("a".to_string(), "b=c".to_string())]
        );
        assert!(parse_sets(&["novalue".into()]).is_err());
        assert!(parse_sets(&["=x".into()]).is_err());
    }

    #[test]
    fn a_pattern_must_match_the_whole_value() {
        let p = &pb().params[1];
        assert!(check_param(p, "12").is_ok());
        assert!(check_param(p, "12; rm").is_err());
    }
}

#[cfg(test)]
mod flag_tests {
    use super::*;

    /// Issue 20 item 5: an alert label filled a param with pattern `.+`.
    #[test]
    fn a_value_that_would_be_a_flag_is_refused_even_where_the_pattern_admits_it() {
        let pb: Playbook = serde_saphyr::from_str(
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
        let err = check_param(&pb.params[0], "--kubeconfig=EVIL.kubeconfig").expect_err("refused");
        assert_eq!(err, ValueError::Flag);
        assert!(check_param(&pb.params[0], "web-1").is_ok());
        let errs = resolve_params(
            &pb,
            &[("pod".into(), "--kubeconfig=EVIL.kubeconfig".into())],
        )
        .expect_err("refused");
        assert_eq!(errs[0].name, "pod");
        // And so no command can be planned with it: exec's plan tests
        // (`a_param_value_that_is_a_flag_is_never_planned`).
    }

    #[test]
    fn allow_flags_lets_a_dash_through_and_patterns_that_admit_one_are_found() {
        let pb: Playbook = serde_saphyr::from_str(
            r#"
apiVersion: runbook/v1
kind: Playbook
metadata: { name: t, title: T }
params:
  - { name: extra, pattern: ".+", allowFlags: true }
start: a
steps:
  - id: a
    title: A
    commands:
      - run: kubectl get pods {{ extra }} {{ x }}
        ask: [ { name: x } ]
    outcome: resolved
"#,
        )
        .expect("parses");
        assert!(check_param(&pb.params[0], "--previous").is_ok());
        let ask = &pb.steps[0].commands[0].ask[0];
        assert!(check_ask(ask, "--kubeconfig=x").is_err());
        assert!(check_ask(ask, "web-1").is_ok());
        assert_eq!(admits_a_flag(".+"), Some("-x"));
        assert_eq!(admits_a_flag("[a-z0-9./_:@-]+"), Some("-x"));
        assert_eq!(admits_a_flag("[a-z0-9][a-z0-9./_:@-]*"), None);
        assert_eq!(admits_a_flag(DNS_LABEL), None);
    }
}
