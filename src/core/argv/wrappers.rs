//! What a chain of wrappers runs (`env -u X A=1 timeout 5 kubectl ...` is
//! `kubectl ...`), and what the wrappers themselves do to it: a wrapper
//! that hands its arguments to a shell (`watch` without `-x`), reads more
//! arguments from a file (`xargs -a`), or sets a variable that names a
//! program or a kubeconfig cannot be vouched for, whatever it wraps.

/// The command a chain of wrappers runs, and what the chain does to it.
#[derive(Debug, Default)]
pub(super) struct Unwrapped<'a> {
    pub argv: &'a [&'a str],
    /// Why the line as a whole cannot be vouched for, whatever it runs.
    pub unsure: Option<String>,
    /// It runs through a shell: read-only can never run it.
    pub shell: Option<String>,
    /// What points the command at another cluster or other credentials
    /// (`KUBECONFIG=`, `env -i`, `sudo`).
    pub outside: Option<String>,
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
            &[
                "-n",
                "-I",
                "-i",
                "-d",
                "-P",
                "-L",
                "-s",
                "-a",
                "--arg-file",
                "-E",
            ],
            &["-0", "-r", "-t", "-x", "--no-run-if-empty"],
            false,
            false,
        ),
        "watch" => w(
            &["-n", "--interval", "-q", "--equexit"],
            &[
                "-d",
                "--differences",
                "-t",
                "--no-title",
                "-g",
                "--chgexit",
                "-b",
                "--beep",
                "-e",
                "--errexit",
                "-c",
                "--color",
                "-p",
                "--precise",
                "-w",
                "--no-wrap",
                "-r",
                "--no-rerun",
                "-x",
                "--exec",
            ],
            false,
            false,
        ),
        _ => None,
    }
}

/// Programs that run a script given as text: read-only can never vouch
/// for what they do.
pub(super) fn is_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "mksh" | "fish" | "csh" | "tcsh" | "busybox"
    )
}

pub(super) fn program(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Variables that point a client at a cluster or at credentials: the
/// ambient kubeconfig, in-cluster service account discovery, kubectl's old
/// server variable, and helm's overrides (`HELM_KUBE*`).
pub fn names_a_cluster(name: &str) -> bool {
    matches!(
        name,
        "KUBECONFIG"
            | "KUBECACHEDIR"
            | "KUBERNETES_MASTER"
            | "KUBERNETES_SERVICE_HOST"
            | "KUBERNETES_SERVICE_PORT"
    ) || name.starts_with("HELM_KUBE")
}

/// Variables known to change nothing but how text looks.
fn harmless(name: &str) -> bool {
    matches!(
        name,
        "LANG" | "LANGUAGE" | "TZ" | "NO_COLOR" | "TERM" | "COLUMNS" | "LINES"
    ) || name.starts_with("LC_")
}

/// `NAME=value` with a variable's name.
fn assignment(arg: &str) -> Option<&str> {
    let (name, _) = arg.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

impl Unwrapped<'_> {
    fn assign(&mut self, name: &str) {
        if harmless(name) {
            return;
        }
        if names_a_cluster(name) && self.outside.is_none() {
            self.outside = Some(format!("{name}="));
        }
        // A program (KUBE_EDITOR, KUBECTL_EXTERNAL_DIFF, PAGER, PATH,
        // LD_PRELOAD, HELM_PLUGINS, ...) or a configuration: not vouched for.
        self.unsure.get_or_insert_with(|| {
            format!("`{name}=` can name a program or a configuration it runs")
        });
    }

    fn outside(&mut self, what: &str) {
        self.outside.get_or_insert_with(|| what.to_string());
    }
}

/// The command a chain of wrappers runs; `Err` when a wrapper's options
/// cannot be read or it runs nothing.
pub(super) fn unwrap<'a>(mut argv: &'a [&'a str]) -> Result<Unwrapped<'a>, String> {
    let mut out = Unwrapped::default();
    loop {
        // `NAME=value cmd`, as a shell would read it.
        while let Some(name) = argv.first().and_then(|a| assignment(a)) {
            out.assign(name);
            argv = &argv[1..];
        }
        let Some(first) = argv.first() else {
            return Err("it runs no program".into());
        };
        let name = program(first);
        let Some(w) = wrapper(name) else {
            break;
        };
        if matches!(name, "sudo" | "doas") {
            // Another user, with that user's environment and kubeconfig.
            out.outside(name);
            out.unsure
                .get_or_insert_with(|| format!("`{name}` runs it as another user"));
        }
        let mut exec = false;
        let mut i = 1;
        let mut leading = w.leading;
        loop {
            let Some(arg) = argv.get(i).copied() else {
                return Err(format!("`{name}` runs no program"));
            };
            if arg == "--" {
                i += 1;
                break;
            }
            if arg.starts_with('-') && arg.len() > 1 {
                let (flag, attached) = match arg.split_once('=') {
                    Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                    _ => (arg, None),
                };
                let value;
                if w.valued.contains(&flag) {
                    value = attached.or_else(|| argv.get(i + 1).copied());
                    i += if attached.is_some() { 1 } else { 2 };
                } else if w.flags.contains(&flag) || numeric(arg) {
                    value = None;
                    i += 1;
                } else if let Some(short) = w
                    .valued
                    .iter()
                    .find(|v| v.len() == 2 && arg.starts_with(**v))
                {
                    // `-n10`, `-uroot`: the value attached.
                    value = Some(&arg[2..]);
                    i += 1;
                    on_option(&mut out, name, short, value, &mut exec);
                    continue;
                } else if name == "watch" && short_cluster(arg, "dtgbecpwrx") {
                    exec |= arg.contains('x');
                    i += 1;
                    continue;
                } else {
                    return Err(format!("`{name} {arg}`: an option runbook cannot read"));
                }
                on_option(&mut out, name, flag, value, &mut exec);
                continue;
            }
            if w.assignments
                && let Some(var) = assignment(arg)
            {
                out.assign(var);
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
        if name == "watch" && !exec {
            out.shell.get_or_insert_with(|| {
                "`watch` without -x runs its arguments through `sh -c`".into()
            });
        }
        argv = argv
            .get(i..)
            .filter(|rest| !rest.is_empty())
            .ok_or_else(|| format!("`{name}` runs no program"))?;
    }
    if is_shell(program(argv[0])) {
        let shell = program(argv[0]);
        out.shell
            .get_or_insert_with(|| format!("`{shell}` runs a script runbook cannot read"));
    }
    if let Some(shell) = &out.shell {
        out.unsure.get_or_insert_with(|| shell.clone());
    }
    out.argv = argv;
    Ok(out)
}

/// What one wrapper option does to the line.
fn on_option(out: &mut Unwrapped, wrapper: &str, flag: &str, value: Option<&str>, exec: &mut bool) {
    match (wrapper, flag) {
        ("env", "-i" | "--ignore-environment" | "-") => {
            // KUBECONFIG dropped: kubectl falls back to ~/.kube/config.
            out.outside(&format!("env {flag}"));
            out.unsure
                .get_or_insert_with(|| format!("`env {flag}` drops the session's kubeconfig"));
        }
        ("env", "-u" | "--unset") if value.is_some_and(names_a_cluster) => {
            let var = value.unwrap_or_default();
            out.outside(&format!("env {flag} {var}"));
            out.unsure.get_or_insert_with(|| {
                format!("`env {flag} {var}` drops the session's kubeconfig")
            });
        }
        ("xargs", "-a" | "--arg-file") => {
            out.unsure.get_or_insert_with(|| {
                format!("`xargs {flag}` reads more arguments from a file runbook cannot read")
            });
        }
        ("watch", "-x" | "--exec") => *exec = true,
        _ => {}
    }
}

/// `nice -10`: a number as an option.
fn numeric(arg: &str) -> bool {
    arg.len() > 1 && arg[1..].chars().all(|c| c.is_ascii_digit())
}

/// `-gx`: short flags run together, each one of `letters`.
fn short_cluster(arg: &str, letters: &str) -> bool {
    !arg.starts_with("--") && arg.len() > 2 && arg[1..].chars().all(|c| letters.contains(c))
}
