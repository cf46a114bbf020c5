//! Which commands need the terminal itself: an editor, a pager, a shell, a
//! full-screen program, or kubectl with a terminal attached to a container
//! (`edit`, `exec -it`, `debug -it`, `attach -it`). They run with the app
//! suspended on the real terminal, as lazygit and k9s run them.

use std::path::Path;

/// Programs that always take over the terminal.
const FULL_SCREEN: &[&str] = &[
    "vi", "vim", "nvim", "view", "nano", "emacs", "pico", "less", "more", "most", "top", "htop",
    "btop", "man",
];
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "fish", "ash"];

fn program(arg: &str) -> &str {
    Path::new(arg)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(arg)
}

/// Whether a command needs a terminal. `editor` is `$KUBE_EDITOR` or
/// `$EDITOR`, so `"$EDITOR" file` counts too.
pub fn needs_terminal(argv: &[String], editor: Option<&str>) -> bool {
    let Some(first) = argv.first() else {
        return false;
    };
    let name = program(first);
    if FULL_SCREEN.contains(&name) {
        return true;
    }
    if editor
        .and_then(|e| e.split_whitespace().next())
        .is_some_and(|e| program(e) == name)
    {
        return true;
    }
    if SHELLS.contains(&name) {
        // A shell reading a script (`sh -c`, `bash file`) does not; an
        // interactive one does.
        return !argv[1..].iter().any(|a| a == "-c" || !a.starts_with('-'));
    }
    if name == "kubectl" || name == "oc" {
        return kubectl_needs_terminal(&argv[1..]);
    }
    false
}

/// `kubectl edit`, and `exec`/`debug`/`attach`/`run` with both stdin and a
/// tty (`-it`, `-ti`, `-i -t`, `--stdin --tty`).
fn kubectl_needs_terminal(args: &[String]) -> bool {
    // Up to `--`: what follows is the container's command.
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .take_while(|a| *a != "--")
        .collect();
    let verb = verb(&args);
    match verb {
        Some("edit") => true,
        Some("exec" | "debug" | "attach" | "run") => {
            let (mut stdin, mut tty) = (false, false);
            for a in &args {
                match *a {
                    "--stdin" | "--stdin=true" => stdin = true,
                    "--tty" | "--tty=true" => tty = true,
                    short if short.starts_with('-') && !short.starts_with("--") => {
                        // Bundled short flags: -it, -ti, -i, -t; stop at one
                        // that takes a value (-c NAME, -n NS).
                        for c in short[1..].chars() {
                            match c {
                                'i' => stdin = true,
                                't' => tty = true,
                                _ => break,
                            }
                        }
                    }
                    _ => {}
                }
            }
            stdin && tty
        }
        _ => false,
    }
}

/// kubectl's global flags that take their value as the next argument.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "-s",
    "--server",
    "--cluster",
    "--user",
    "--token",
    "--as",
    "--as-group",
    "--as-uid",
    "--request-timeout",
    "--cache-dir",
    "-v",
    "--v",
];

/// The first argument that is neither a flag nor a global flag's value.
fn verb<'a>(args: &[&'a str]) -> Option<&'a str> {
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if VALUE_FLAGS.contains(a) {
            skip = true;
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn commands_that_need_the_terminal() {
        for line in [
            "kubectl -n shop edit ingress shop",
            "kubectl edit deployment/web",
            "kubectl -n shop exec -it web-1 -- sh",
            "kubectl exec -ti web-1 -- bash",
            "kubectl exec -i -t web-1 -- bash",
            "kubectl exec --stdin --tty web-1 -- sh",
            "kubectl debug -it node/node-a --image=busybox",
            "kubectl attach -it web-1",
            "vi /tmp/x",
            "/usr/bin/vim x",
            "nano x",
            "bash",
            "sh -l",
            "zsh",
            "less /var/log/x",
            "more x",
            "top",
            "htop",
            "my-editor file",
        ] {
            assert!(
                needs_terminal(&argv(line), Some("my-editor --wait")),
                "{line}"
            );
        }
    }

    #[test]
    fn commands_that_do_not() {
        for line in [
            "kubectl get pods",
            "kubectl exec web-1 -- ls",
            "kubectl exec -i web-1 -- cat",
            "kubectl -n shop logs web-1",
            "kubectl exec web-1 -- vi",
            "sh -c 'echo hi'",
            "bash script.sh",
            "echo vi",
            "helm list",
        ] {
            assert!(!needs_terminal(&argv(line), None), "{line}");
        }
    }
}
