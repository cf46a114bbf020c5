//! kubectl's argument vector: its flags (with their values) and positionals,
//! the verbs that read, and what a changing command acts on.

/// kubectl's flags that take a value as the next argument: the global ones
/// (which may come before the verb) and common ones of the verbs.
#[rustfmt::skip]
const VALUED: &[&str] = &[
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
const FLAGS: &[&str] = &[
    "--insecure-skip-tls-verify", "--match-server-version", "--warnings-as-errors",
    "--disable-compression", "--add-dir-header", "--alsologtostderr", "--logtostderr",
    "--one-output", "--skip-headers", "--skip-log-headers", "-A", "--all-namespaces", "-h",
    "--help",
];

/// Flags that name another cluster, another identity or other credentials
/// than the session's (kubectl, oc and helm).
#[rustfmt::skip]
const OUTSIDE: &[&str] = &[
    "--kubeconfig", "--server", "-s", "--context", "--kube-context", "--cluster", "--user",
    "--token", "--as", "--as-group", "--as-uid", "--username", "--password",
    "--client-certificate", "--client-key", "--certificate-authority", "--kube-apiserver",
    "--kube-token",
];

/// Whether a flag names another cluster or credentials; helm's `--kube-*`
/// all do.
pub(super) fn names_outside(flag: &str) -> bool {
    OUTSIDE.contains(&flag) || flag.starts_with("--kube-")
}

/// The argument vector read: positionals, flags with their values (before
/// `--`), and whether something before the verb could not be read.
#[derive(Debug, Default)]
pub(super) struct Args<'a> {
    pub positionals: Vec<&'a str>,
    pub flags: Vec<(&'a str, Option<&'a str>)>,
    pub unsure: bool,
    /// The first argument (before `--`) spelled as a flag that names
    /// another cluster or credentials, even where the table above would
    /// read it as another flag's value: better a needless question than
    /// a missed kubeconfig.
    pub outside: Option<&'a str>,
}

impl<'a> Args<'a> {
    /// The value of the first of `names` given.
    pub fn value(&self, names: &[&str]) -> Option<&'a str> {
        self.flags
            .iter()
            .find(|(n, v)| names.contains(n) && v.is_some())
            .and_then(|(_, v)| *v)
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(n, _)| names.contains(n))
    }

    pub fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.flags
            .iter()
            .filter(|(n, _)| names.contains(n))
            .filter_map(|(_, v)| *v)
            .collect()
    }

    /// The first flag that names another cluster or credentials.
    pub fn outside(&self) -> Option<&'a str> {
        self.outside.or_else(|| {
            self.flags
                .iter()
                .find(|(n, _)| names_outside(n))
                .map(|(n, _)| *n)
        })
    }
}

pub(super) fn parse<'a>(args: &[&'a str]) -> Args<'a> {
    let mut out = Args::default();
    let before_dashes = args.iter().take_while(|a| **a != "--");
    out.outside = before_dashes
        .map(|a| a.split('=').next().unwrap_or(a))
        .find(|name| name.starts_with("--") && names_outside(name));
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        i += 1;
        if arg == "--" {
            out.positionals.extend(&args[i..]);
            break;
        }

        if !arg.starts_with('-') || arg == "-" {
            out.positionals.push(arg);
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((n, v)) => (&arg[..n.len() + 2], Some(v)),
                None => (arg, None),
            };
            // `config view --raw` takes no value; `get --raw /path` does.
            let valued = VALUED.contains(&name)
                && !(name == "--raw" && out.positionals.first() == Some(&"config"));
            if valued && attached.is_none() {
                out.flags.push((name, args.get(i).copied()));
                i += 1;
            } else {
                if attached.is_none()
                    && out.positionals.is_empty()
                    && !FLAGS.contains(&name)
                    && !VALUED.contains(&name)
                {
                    // Before the verb, an unknown flag may have taken the next word.
                    out.unsure = true;
                }
                out.flags.push((name, attached));
            }
            continue;
        }
        // A shorthand: `-n shop`, `-nshop`, `-n=shop`, `-A`.
        let name = arg.get(..2).unwrap_or(arg);
        if VALUED.contains(&name) {
            if arg.len() > 2 {
                let value = &arg[2..];
                out.flags
                    .push((name, Some(value.strip_prefix('=').unwrap_or(value))));
            } else {
                out.flags.push((name, args.get(i).copied()));
                i += 1;
            }
        } else {
            if out.positionals.is_empty() && !FLAGS.contains(&arg) && !arg.contains('=') {
                out.unsure = true;
            }
            out.flags.push((arg, None));
        }
    }
    out
}

#[rustfmt::skip]
pub(super) const MUTATING: &[&str] = &[
    "apply", "create", "delete", "patch", "edit", "replace", "scale", "set", "label", "annotate",
    "taint", "cordon", "uncordon", "drain", "exec", "run", "expose", "autoscale", "attach", "cp",
    "debug", "port-forward", "proxy", "certificate",
];

#[rustfmt::skip]
const READING: &[&str] = &[
    "get", "describe", "logs", "top", "explain", "api-resources", "api-versions", "cluster-info",
    "version", "events", "diff", "wait", "completion", "options", "help", "kustomize",
];

/// Whether the verb (and subcommand) only reads.
pub(super) fn reads(verb: &str, sub: &str) -> bool {
    READING.contains(&verb)
        || (verb == "rollout" && matches!(sub, "status" | "history"))
        || (verb == "auth" && matches!(sub, "can-i" | "whoami"))
        || (verb == "plugin" && sub == "list")
        || (verb == "config"
            && matches!(
                sub,
                "view" | "get-contexts" | "current-context" | "get-clusters" | "get-users"
            ))
}

/// Flags under which a reading verb runs something else: a kuberc's
/// aliases and defaults, kustomize's exec plugins and helm.
pub(super) fn runs_more(args: &Args) -> Option<&'static str> {
    if args.has(&["--kuberc"]) {
        return Some("`--kuberc` names a file that can change what the command does");
    }
    if args.has(&["--enable-alpha-plugins", "--enable-exec", "--enable-helm"]) {
        return Some("kustomize's plugins and helm run programs");
    }
    None
}

/// The `-f`/`--filename` values: files (or folders, or URLs) of objects.
pub(super) fn files<'a>(args: &Args<'a>) -> Vec<&'a str> {
    args.values(&["-f", "--filename"])
}

/// What a changing kubectl command acts on, for the responder to type:
/// the object's name (`deployment/x` → `x`, `delete pod x` → `x`), else the
/// selector, `all`, the file of objects or the kustomization.
pub(super) fn target(verb: &str, positionals: &[&str], args: &Args) -> Option<String> {
    name(verb, positionals)
        .or_else(|| args.value(&["-l", "--selector"]).map(str::to_string))
        .or_else(|| args.value(&["--field-selector"]).map(str::to_string))
        .or_else(|| {
            args.flags
                .iter()
                .any(|(n, v)| *n == "--all" && v.is_none_or(|v| v == "true"))
                .then(|| "all".to_string())
        })
        .or_else(|| files(args).first().map(|f| f.to_string()))
        .or_else(|| args.value(&["-k", "--kustomize"]).map(str::to_string))
}

/// The name a command acts on, from its positionals (after the verb).
fn name(verb: &str, rest: &[&str]) -> Option<String> {
    // The pod (or node) comes first; what follows can be a command line
    // (`exec web-1 -- cat /etc/hosts`).
    if matches!(
        verb,
        "cordon" | "uncordon" | "drain" | "exec" | "attach" | "port-forward" | "debug" | "run"
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
        // `create secret generic x`, `create service clusterip x`
        "create" if matches!(rest.first(), Some(&("secret" | "service" | "svc"))) => {
            rest.iter().skip(1).copied().collect()
        }
        // `label pods -l app=x tier=y`: the pairs are not names.
        "label" | "annotate" => rest
            .iter()
            .copied()
            .filter(|a| !a.contains('=') && !a.ends_with('-'))
            .collect(),
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
