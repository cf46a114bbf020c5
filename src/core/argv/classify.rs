//! Which commands ask for a typed confirmation, and which may run in
//! read-only mode. This is the responder's experience only: the session's
//! API gateway enforces read-only on the wire whatever this says. So when a
//! command line cannot be read with certainty (an unknown flag before the
//! verb, a plugin, an unknown verb or program, a shell), it counts as
//! changing the cluster: the responder types the confirmation.
//!
//! Read-only mode runs a line only if every program in it is known and
//! read-only as used: wrappers are looked through (`wrappers.rs`), and a
//! shell in disguise, a file of arguments, a variable naming a program or
//! a kubeconfig, or a flag naming another cluster or credentials makes the
//! whole line unsure.

use super::kubectl;
use super::wrappers::{program, unwrap};

/// What the argument vector says about a command.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Class {
    pub verb: Option<String>,
    /// Asks for a typed confirmation: changes the cluster, or may.
    pub mutating: bool,
    /// Every program in it known and read-only as used: the only commands
    /// read-only mode runs.
    pub read_only_safe: bool,
    /// What it acts on, for the typed confirmation: the object's name, the
    /// selector, `all`, or the file of objects.
    pub target: Option<String>,
    /// The files (`-f`) whose objects it acts on.
    pub files: Vec<String>,
    /// It reaches outside the session's cluster: the flag or variable that
    /// names another cluster or credentials (`--kubeconfig`, `KUBECONFIG=`).
    pub outside: Option<String>,
    /// It runs through a shell (`watch` without -x, `sh -c`): read-only
    /// can never run it.
    pub shell: Option<String>,
    /// Why it is not read-only-safe, when it is not known to change.
    pub why: Option<String>,
    /// The program that runs, past the wrappers (`kubectl`).
    pub program: Option<String>,
    /// Its output carries credentials (`kubectl config view --raw`): they
    /// are redacted before anything keeps it.
    pub redact: super::redact::Redact,
}

impl Class {
    fn unsure(verb: Option<String>) -> Class {
        Class {
            verb,
            mutating: true,
            ..Class::default()
        }
    }

    fn reading(verb: Option<String>) -> Class {
        Class {
            verb,
            read_only_safe: true,
            ..Class::default()
        }
    }
}

pub fn classify(argv: &[String]) -> Class {
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let chain = match unwrap(&argv) {
        Ok(chain) => chain,
        Err(why) => {
            return Class {
                why: Some(why),
                ..Class::unsure(argv.first().map(|p| program(p).to_string()))
            };
        }
    };
    let inner = chain.argv;
    let mut class = match program(inner[0]) {
        "kubectl" | "oc" | "kubecolor" => kubectl(&inner[1..]),
        "helm" => helm(&inner[1..]),
        other => Class {
            why: Some(format!(
                "`{other}` is not a program runbook knows to only read"
            )),
            ..Class::unsure(Some(other.to_string()))
        },
    };
    class.program = Some(program(inner[0]).to_string());
    if class.outside.is_none() {
        class.outside = chain.outside;
    }
    class.shell = chain.shell;
    if let Some(why) = chain.unsure {
        class.why.get_or_insert(why);
        class.read_only_safe = false;
    }
    if let Some(flag) = &class.outside {
        class.why.get_or_insert_with(|| {
            format!("`{flag}` names another cluster or credentials than the session's")
        });
        class.read_only_safe = false;
    }
    // What cannot be vouched for may change the cluster.
    class.mutating |= !class.read_only_safe;
    class
}

/// Every flag that names an identity or cluster is impersonation
/// (`--as`, `--as-group`, `--as-uid`), answered by the session's cluster.
fn only_impersonation(args: &[&str]) -> bool {
    args.iter()
        .take_while(|a| **a != "--")
        .map(|a| a.split('=').next().unwrap_or(a))
        .filter(|name| name.starts_with('-') && kubectl::names_outside(name))
        .all(|name| matches!(name, "--as" | "--as-group" | "--as-uid"))
}

fn kubectl(args: &[&str]) -> Class {
    let parsed = kubectl::parse(args);
    let positionals = &parsed.positionals;
    let verb = positionals.first().map(|v| v.to_string());
    let v = verb.as_deref().unwrap_or("");
    let sub = positionals.get(1).copied().unwrap_or("");
    let mut class = if parsed.unsure {
        Class {
            why: Some("a flag before the verb that runbook cannot read".into()),
            ..Class::unsure(verb.clone())
        }
    } else if kubectl::reads(v, sub) {
        Class::reading(verb.clone())
    } else {
        // Known changes, and everything else: `rollout undo`, `auth reconcile`,
        // `config set-context`, alpha commands, plugins (`kubectl neat`).
        let known = kubectl::MUTATING.contains(&v) || matches!(v, "rollout" | "auth");
        Class {
            target: known
                .then(|| kubectl::target(v, &positionals[1..], &parsed))
                .flatten(),
            ..Class::unsure(verb.clone())
        }
    };
    class.files = kubectl::files(&parsed)
        .into_iter()
        .map(str::to_string)
        .collect();
    class.outside = parsed.outside().map(str::to_string);
    if v == "auth" && sub == "can-i" && only_impersonation(args) {
        // `auth can-i --as=system:serviceaccount:...` asks the session's own
        // cluster what another identity may do: a question, not a change,
        // and how a responder proves an RBAC fix.
        class.outside = None;
    }
    if let Some(why) = kubectl::runs_more(&parsed) {
        class.why = Some(why.into());
        class.read_only_safe = false;
    }
    if v == "config" && sub == "view" {
        // Only YAML and JSON name each value's key.
        let format = parsed.value(&["-o", "--output"]).unwrap_or("yaml");
        let keyed = matches!(format, "yaml" | "json") && !parsed.has(&["--template"]);
        class.redact = if keyed {
            super::redact::Redact::Credentials
        } else {
            super::redact::Redact::Everything
        };
    }
    class
}

/// helm's flags that take a value.
#[rustfmt::skip]
const HELM_VALUED: &[&str] = &[
    "-n", "--namespace", "--kube-context", "--kubeconfig", "--kube-apiserver", "--kube-token",
    "--kube-as-user", "--kube-as-group", "--kube-ca-file", "--kube-tls-server-name",
    "--registry-config", "--repository-cache", "--repository-config", "--burst-limit", "--qps",
    "-f", "--values", "--set", "--set-string", "--set-file", "--version", "--timeout", "-o",
    "--output", "--revision", "--max", "-l", "--selector",
];

fn helm(args: &[&str]) -> Class {
    let mut positionals = Vec::new();
    let mut unsure = false;
    let mut i = 0;
    let mut outside = None;
    let mut runs_more = false;
    while i < args.len() {
        let arg = args[i];
        i += 1;
        let name = arg.split('=').next().unwrap_or(arg);
        if arg.starts_with('-') && kubectl::names_outside(name) {
            outside.get_or_insert(name);
        }
        // A post-renderer is a program helm runs.
        runs_more |= name == "--post-renderer";
        if !arg.starts_with('-') {
            positionals.push(arg);
        } else if HELM_VALUED.contains(&arg) || arg == "--post-renderer" {
            i += 1;
        } else if positionals.is_empty()
            && !arg.contains('=')
            && !matches!(arg, "--debug" | "-h" | "--help")
        {
            unsure = true;
        }
    }
    let verb = positionals.first().map(|v| v.to_string());
    let v = verb.as_deref().unwrap_or("");
    let reading = matches!(
        v,
        "list"
            | "ls"
            | "status"
            | "history"
            | "get"
            | "show"
            | "template"
            | "search"
            | "version"
            | "lint"
            | "env"
    );
    let outside = outside.map(str::to_string);
    if reading && !unsure && !runs_more {
        return Class {
            outside,
            ..Class::reading(verb)
        };
    }
    let known = matches!(
        v,
        "install" | "upgrade" | "uninstall" | "rollback" | "delete"
    );
    Class {
        target: known
            .then(|| positionals.get(1).map(|s| s.to_string()))
            .flatten(),
        outside,
        why: runs_more.then(|| "`--post-renderer` names a program helm runs".into()),
        ..Class::unsure(verb)
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
