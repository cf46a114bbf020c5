//! What may differ between two clusters holding the same objects, and is
//! replaced by a placeholder on both sides before comparing: uids,
//! resourceVersions, timestamps and ages, random and hashed name suffixes,
//! allocated cluster IPs, the server's build, and column padding (which
//! follows the widths of the replaced values).

use std::sync::LazyLock;

use regex::Regex;

struct Rule {
    pattern: Regex,
    with: &'static str,
}

fn rule(pattern: &str, with: &'static str) -> Rule {
    Rule {
        pattern: Regex::new(pattern).expect("normalisation pattern"),
        with,
    }
}

/// Kubernetes' alphabet for generated suffixes and template hashes
/// (`k8s.io/apimachinery/pkg/util/rand`): no vowels, no 0, 1 or 3.
const SAFE: &str = "[bcdfghjklmnpqrstvwxz2456789]";

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "<uid>",
        ),
        rule(r#"("?resourceVersion"?\s*[:=]\s*)"?\d+"?"#, "${1}<rv>"),
        rule(
            r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?( [A-Z]{3,4})?",
            "<time>",
        ),
        rule(
            r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}",
            "<time>",
        ),
        rule(r"<invalid>", "<age>"),
        rule(r"\b\d+(\.\d+)?(ms|s|m|h|d|y)(\d+(ms|s|m|h|d))?\b", "<age>"),
        rule(&format!(r"-{SAFE}{{6,10}}-{SAFE}{{5}}\b"), "-<hash>-<rand>"),
        rule(&format!(r"-{SAFE}{{5}}\b"), "-<rand>"),
        rule(&format!(r"-{SAFE}{{6,10}}\b"), "-<hash>"),
        rule(
            &format!(r"(pod-template-hash[=:]\s*)({SAFE}{{6,10}})"),
            "${1}<hash>",
        ),
        rule(
            r"\b10\.(9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}\b",
            "<cluster-ip>",
        ),
        rule(r#"(Server Version:?\s*).*"#, "${1}<server>"),
        rule(r#"("serverVersion":\s*)\{[^}]*\}"#, "${1}<server>"),
        rule(
            r#"("(gitCommit|buildDate|goVersion|compiler|platform)":\s*)"[^"]*""#,
            "${1}<build>",
        ),
    ]
});

/// The text with every changing value replaced and runs of spaces made one.
pub fn normalize(text: &str) -> String {
    let mut out = text.to_string();
    for r in RULES.iter() {
        out = r.pattern.replace_all(&out, r.with).into_owned();
    }
    out.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[test]
fn changing_values_become_placeholders() {
    let a = normalize(
        "web-7c9d8f5b6d-x2x4q   1/1   Running   0   5m3s\nuid: 3f1c2b9a-1111-2222-3333-444455556666\nresourceVersion: \"1234\"\ncreationTimestamp: \"2026-12-07T19:50:15Z\"\nclusterIP: 10.96.12.7",
    );
    let b = normalize(
        "web-5b6d8f7c9d-qz9wv 1/1 Running 0 12s\nuid: 00000000-aaaa-bbbb-cccc-dddddddddddd\nresourceVersion: \"77\"\ncreationTimestamp: \"2026-12-07T20:01:00Z\"\nclusterIP: 10.111.0.9",
    );
    assert_eq!(a, b);
    assert!(
        a.starts_with("web-<hash>-<rand> 1/1 Running 0 <age>"),
        "{a}"
    );
}

#[test]
fn what_responders_read_is_kept() {
    let a =
        normalize("web 2/2 2 2\nimage: registry.example.com/web:1.4.2\nreplicas: 2\nmemory: 128Mi");
    let b =
        normalize("web 1/2 2 1\nimage: registry.example.com/web:1.4.2\nreplicas: 2\nmemory: 128Mi");
    assert_ne!(a, b);
    assert!(a.contains("registry.example.com/web:1.4.2"));
    assert!(a.contains("128Mi"));
}
