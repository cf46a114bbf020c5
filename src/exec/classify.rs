//! Which commands ask for a typed confirmation, and which may run in
//! read-only mode. This is the responder's experience only: the session's
//! API gateway enforces read-only on the wire whatever this says. So when a
//! command line cannot be read with certainty (an unknown flag before the
//! verb, a plugin, an unknown verb or program, a shell), it counts as
//! changing the cluster: the responder types the confirmation.

/// What the argument vector says about a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub verb: Option<String>,
    /// Asks for a typed confirmation: changes the cluster, or may.
    pub mutating: bool,
    /// Known to only read: the only commands read-only mode runs.
    pub read_only_safe: bool,
    /// The object's name, for the typed confirmation.
    pub target: Option<String>,
}

impl Class {
    fn unsure(verb: Option<String>) -> Class {
        Class {
            verb,
            mutating: true,
            read_only_safe: false,
            target: None,
        }
    }
}

pub fn classify(argv: &[String]) -> Class {
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let Some(argv) = unwrap(&argv) else {
        return Class::unsure(argv.first().map(|p| program(p).to_string()));
    };
    match program(argv[0]) {
        "kubectl" | "oc" | "kubecolor" => kubectl(&argv[1..]),
        "helm" => helm(&argv[1..]),
        other => Class::unsure(Some(other.to_string())),
    }
}

fn program(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A wrapper's options: those taking a value, those that do not, whether
/// `NAME=value` assignments may follow them, and whether one positional
/// (timeout's duration) comes before the command.
struct Wrapper {
    valued: &'static [&'static str],
    flags: &'static [&'static str],
    assignments: bool,
    leading: bool,
}

fn wrapper(name: &str) -> Option<Wrapper> {
    let w = |valued, flags, assignments, leading| {
        Some(Wrapper {
            valued,
            flags,
            assignments,
            leading,
        })
    };
    match name {
        "env" => w(
            &["-u", "--unset", "-C", "--chdir"],
            &[
                "-i",
                "--ignore-environment",
                "-0",
                "--null",
                "-",
                "-v",
                "--debug",
            ],
            true,
            false,
        ),
        "sudo" | "doas" => w(
            &[
                "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "-R",
            ],
            &[
                "-E",
                "-H",
                "-n",
                "-S",
                "-b",
                "-k",
                "-K",
                "-P",
                "--preserve-env",
            ],
            true,
            false,
        ),
        "command" => w(&[], &["-p"], false, false),
        "nice" => w(&["-n", "--adjustment"], &[], false, false),
        "nohup" | "setsid" | "time" => w(&[], &["-p", "-w", "--wait"], false, false),
        "timeout" => w(
            &["-s", "--signal", "-k", "--kill-after"],
            &["--preserve-status", "--foreground", "-v", "--verbose"],
            false,
            true,
        ),
        "stdbuf" => w(&["-i", "-o", "-e"], &[], false, false),
        "ionice" => w(&["-c", "-n"], &["-t"], false, false),
        "xargs" => w(
            &["-n", "-I", "-i", "-d", "-P", "-L", "-s", "-a", "-E"],
            &["-0", "-r", "-t", "-x", "--no-run-if-empty"],
            false,
            false,
        ),
        "watch" => w(
            &["-n", "--interval"],
            &["-d", "-t", "-g", "-b", "-e", "-x"],
            false,
            false,
        ),
        _ => None,
    }
}

/// The command a chain of wrappers runs (`env -i A=1 sudo -u x kubectl ...`
/// is `kubectl ...`); `None` when a wrapper's options cannot be read.
fn unwrap<'a>(mut argv: &'a [&'a str]) -> Option<&'a [&'a str]> {
    while let Some(w) = argv.first().and_then(|p| wrapper(program(p))) {
        let mut i = 1;
        let mut leading = w.leading;
        loop {
            let arg = *argv.get(i)?;
            if arg == "--" {
                i += 1;
                break;
            }
            if arg.starts_with('-') && arg.len() > 1 {
                let name = arg.split('=').next().unwrap_or(arg);
                if w.valued.contains(&name) {
                    i += if arg.contains('=') { 1 } else { 2 };
                } else if w.flags.contains(&name) || numeric(arg) {
                    i += 1;
                } else if w.valued.iter().any(|v| v.len() == 2 && arg.starts_with(v)) {
                    i += 1; // `-n10`, `-uroot`: the value attached
                } else {
                    return None;
                }
                continue;
            }
            if w.assignments && arg.contains('=') {
                i += 1;
                continue;
            }
            if leading {
                leading = false;
                i += 1;
                continue;
            }
            break;
        }
        argv = argv.get(i..).filter(|rest| !rest.is_empty())?;
    }
    Some(argv)
}

/// `nice -10`: a number as an option.
fn numeric(arg: &str) -> bool {
    arg.len() > 1 && arg[1..].chars().all(|c| c.is_ascii_digit())
}

/// kubectl's flags that take a value as the next argument: the global ones
/// (which may come before the verb) and common ones of the verbs.
#[rustfmt::skip]
const KUBECTL_VALUED: &[&str] = &[
    // global
    "-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server",
    "--token", "--as", "--as-group", "--as-uid", "--username", "--password",
    "--certificate-authority", "--client-certificate", "--client-key", "--tls-server-name",
    "--cache-dir", "--request-timeout", "--profile", "--profile-output", "-v", "--v", "--vmodule",
    "--log-dir", "--log-file", "--log-file-max-size", "--log-flush-frequency", "--stderrthreshold",
    "--kuberc",
    // the verbs'
    "-l", "--selector", "-c", "--container", "-o", "--output", "-f", "--filename", "-k",
    "--kustomize", "--field-selector", "--tail", "--since", "--since-time", "--sort-by", "--type",
    "-p", "--patch", "--patch-file", "--replicas", "--timeout", "--grace-period", "--image",
    "--port", "--target-port", "--to-revision", "--for", "--field-manager", "--subresource",
    "--template", "--limits", "--requests", "--min", "--max", "--cpu-percent",
    "--current-replicas", "--resource-version", "--chunk-size", "--max-log-requests",
    "--pod-running-timeout", "--cascade", "--raw", "--prefix",
];

/// kubectl's flags that take no value (before the verb, anything else is
/// unknown, so the verb cannot be told from a flag's value).
#[rustfmt::skip]
const KUBECTL_FLAGS: &[&str] = &[
    "--insecure-skip-tls-verify", "--match-server-version", "--warnings-as-errors",
    "--disable-compression", "--add-dir-header", "--alsologtostderr", "--logtostderr",
    "--one-output", "--skip-headers", "--skip-log-headers", "-A", "--all-namespaces", "-h",
    "--help",
];

/// kubectl's arguments: the positionals, and whether something before the
/// verb could not be read.
fn kubectl_positionals<'a>(args: &[&'a str]) -> (Vec<&'a str>, bool) {
    let mut positionals = Vec::new();
    let mut unsure = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        i += 1;
        if arg == "--" {
            positionals.extend(&args[i..]);
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            positionals.push(arg);
            continue;
        }
        let name = arg.split('=').next().unwrap_or(arg);
        let attached = arg.contains('=')
            || (!arg.starts_with("--")
                && arg.len() > 2
                && arg
                    .get(..2)
                    .is_some_and(|short| KUBECTL_VALUED.contains(&short)));
        if KUBECTL_VALUED.contains(&name) {
            if !attached {
                i += 1;
            }
        } else if attached && !arg.starts_with("--") {
            // `-nshop`: a known shorthand with its value attached.
        } else if positionals.is_empty() && !KUBECTL_FLAGS.contains(&name) && !attached {
            // Before the verb, an unknown flag may have taken the next word.
            unsure = true;
        }
    }
    (positionals, unsure)
}

#[rustfmt::skip]
const KUBECTL_MUTATING: &[&str] = &[
    "apply", "create", "delete", "patch", "edit", "replace", "scale", "set", "label", "annotate",
    "taint", "cordon", "uncordon", "drain", "exec", "run", "expose", "autoscale", "attach", "cp",
    "debug", "port-forward", "proxy", "certificate",
];
#[rustfmt::skip]
const KUBECTL_READING: &[&str] = &[
    "get", "describe", "logs", "top", "explain", "api-resources", "api-versions", "cluster-info",
    "version", "events", "diff", "wait", "completion", "options", "help", "kustomize",
];

fn kubectl(args: &[&str]) -> Class {
    let (positionals, unsure) = kubectl_positionals(args);
    let verb = positionals.first().map(|v| v.to_string());
    if unsure {
        return Class::unsure(verb);
    }
    let v = verb.as_deref().unwrap_or("");
    let sub = positionals.get(1).copied().unwrap_or("");
    let reading = KUBECTL_READING.contains(&v)
        || (v == "rollout" && matches!(sub, "status" | "history"))
        || (v == "auth" && matches!(sub, "can-i" | "whoami"))
        || (v == "plugin" && sub == "list")
        || (v == "config"
            && matches!(
                sub,
                "view" | "get-contexts" | "current-context" | "get-clusters" | "get-users"
            ));
    if reading {
        return Class {
            verb,
            mutating: false,
            read_only_safe: true,
            target: None,
        };
    }
    // Known changes, and everything else: `rollout undo`, `auth reconcile`,
    // `config set-context`, alpha commands, plugins (`kubectl neat`).
    let known = KUBECTL_MUTATING.contains(&v) || matches!(v, "rollout" | "auth");
    Class {
        target: known
            .then(|| kubectl_target(v, &positionals[1..]))
            .flatten(),
        ..Class::unsure(verb)
    }
}

/// The name a mutating kubectl command acts on: `deployment/x` → `x`,
/// `delete pod x` → `x`, `cordon node-a` → `node-a`.
fn kubectl_target(verb: &str, rest: &[&str]) -> Option<String> {
    // The pod (or node) comes first; what follows can be a command line
    // (`exec web-1 -- cat /etc/hosts`).
    if matches!(
        verb,
        "cordon" | "uncordon" | "drain" | "exec" | "attach" | "port-forward" | "debug"
    ) {
        return rest
            .first()
            .and_then(|t| t.rsplit('/').next())
            .map(str::to_string);
    }
    let rest: Vec<&str> = match verb {
        // `rollout restart deployment/x`, `set image deployment/x c=i`,
        // `certificate approve csr-1`
        "rollout" | "set" | "certificate" | "auth" => rest.iter().skip(1).copied().collect(),
        _ => rest.to_vec(),
    };
    if let Some(slash) = rest.iter().find(|a| a.contains('/')) {
        return slash.rsplit('/').next().map(str::to_string);
    }
    match verb {
        "certificate" => rest.first().map(|s| s.to_string()),
        _ => rest.get(1).map(|s| s.to_string()),
    }
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
    while i < args.len() {
        let arg = args[i];
        i += 1;
        if !arg.starts_with('-') {
            positionals.push(arg);
        } else if HELM_VALUED.contains(&arg) {
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
    if reading && !unsure {
        return Class {
            verb,
            mutating: false,
            read_only_safe: true,
            target: None,
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
        ..Class::unsure(verb)
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
