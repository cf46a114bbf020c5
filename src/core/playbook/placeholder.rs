//! Placeholders in a playbook's command lines: `kubectl cordon NODE`,
//! `kubectl set image deploy/x x=REGISTRY/IMAGE:TAG`, `<name>`. Such a
//! command cannot run as written (Kubernetes names are lowercase): it runs
//! once edited (`e`), or the playbook asks for the value (`{{ node }}` with
//! `ask:`).

use super::template::references;

/// All-caps words kubectl command lines use as themselves.
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    "TCP", "UDP", "SCTP", "HTTP", "HTTPS", "GRPC", "SIGTERM", "SIGKILL", "SIGINT", "SIGHUP",
    "SIGQUIT", "TERM", "KILL", "HUP", "INT", "QUIT", "JSON", "YAML", "API", "DNS", "TLS", "UTC",
    "CPU", "IP", "ID", "UID", "PID", "RFC3339", "OK",
];

/// The placeholders in `run`, in order, each once. Templates (`{{ x }}`)
/// are values given, not placeholders; flags' names, variables' names
/// (`KEY=value`), custom columns' headers (`NAME:.metadata.name`) and
/// the command line after `--` (run in a container) are not looked at.
pub fn placeholders(run: &str) -> Vec<String> {
    let mut text = String::with_capacity(run.len());
    let mut from = 0;
    for r in references(run) {
        let end = run[r.offset..]
            .find("}}")
            .map_or(run.len(), |e| r.offset + e + 2);
        text.push_str(&run[from..r.offset]);
        text.push_str("value");
        from = end;
    }
    text.push_str(&run[from..]);
    let tokens = shlex::split(&text)
        .unwrap_or_else(|| text.split_whitespace().map(str::to_string).collect());
    let mut found: Vec<String> = Vec::new();
    let mut add = |word: String| {
        if !found.contains(&word) {
            found.push(word);
        }
    };
    for token in tokens.iter().take_while(|t| *t != "--") {
        // `--flag=VALUE`, `KEY=VALUE`: only the value can be a placeholder.
        // `--from-literal=API_KEY=abc`: the value after the last `=`.
        let value = match token.rsplit_once('=') {
            Some((_, value)) => value,
            None if token.starts_with('-') => continue,
            None => token.as_str(),
        };
        if let Some(start) = value.find('<')
            && let Some(len) = value[start..].find('>')
            && len > 1
        {
            add(value[start..start + len + 1].to_string());
            continue;
        }
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            let word = &value[start..i];
            // `NAME:.metadata.name`: a custom column's header.
            let header = value[i..].starts_with(":.");
            if !header && placeholder(word) {
                add(word.to_string());
            }
        }
    }
    found
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// An UPPERCASE word of 2+ letters standing for a value.
fn placeholder(word: &str) -> bool {
    word.bytes().filter(u8::is_ascii_uppercase).count() >= 2
        && !word.bytes().any(|b| b.is_ascii_lowercase())
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !KNOWN.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uppercase_values_and_angle_brackets_are_placeholders() {
        assert_eq!(placeholders("kubectl cordon NODE"), ["NODE"]);
        assert_eq!(
            placeholders("kubectl -n {{ namespace }} set image deployment/x x=REGISTRY/IMAGE:TAG"),
            ["REGISTRY", "IMAGE", "TAG"]
        );
        assert_eq!(placeholders("kubectl delete pod <name>"), ["<name>"]);
        assert_eq!(
            placeholders("kubectl apply -f STORAGECLASS.yaml"),
            ["STORAGECLASS"]
        );
        assert_eq!(
            placeholders("kubectl get pods --field-selector spec.nodeName=NODE_NAME"),
            ["NODE_NAME"]
        );
    }

    #[test]
    fn flags_variables_templates_and_known_words_are_not() {
        for run in [
            "kubectl -n {{ namespace }} get pods -l app={{ deployment }}",
            "kubectl get pods -A -o wide",
            "env LANG=C kubectl get pods",
            "kubectl set env deployment/x LOG_LEVEL=debug",
            "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
            "kubectl expose deployment x --port 80 --protocol TCP",
            "kubectl exec web-1 -- printenv HOME PATH",
            "kubectl get deploy x -o jsonpath={.spec.template.spec.containers[*].image}",
            "kubectl -n shop delete pods --field-selector=status.phase=Failed",
            "kubectl create secret generic x --from-literal=API_KEY=abc",
        ] {
            assert_eq!(placeholders(run), Vec::<String>::new(), "{run}");
        }
    }
}
