//! What may differ between two clusters holding the same objects, and is
//! replaced by a placeholder on both sides before comparing: uids,
//! resourceVersions, timestamps and ages, random and hashed name suffixes,
//! allocated cluster IPs, the server's build, and column padding (which
//! follows the widths of the replaced values). Rows of a listing whose
//! names differ only in a placeholder are in an order those values chose,
//! so such runs are sorted; kubectl's own client-side throttling notices
//! (timing of the client, not an answer of the server) are dropped.

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
        // How often a repeating event was seen grows with the seconds
        // elapsed, as its age does.
        rule(r"<age> \(x\d+ over <age>\)", "<age>"),
        rule(&format!(r"-{SAFE}{{6,10}}-{SAFE}{{5}}\b"), "-<hash>-<rand>"),
        rule(&format!(r"-{SAFE}{{5}}\b"), "-<rand>"),
        rule(&format!(r"-{SAFE}{{6,10}}\b"), "-<hash>"),
        // Template hashes are FNV over Go's printing of the template: the
        // simulator's are stable and of the same alphabet, not the same value.
        rule(
            &format!(r#"((pod-template|controller-revision)-hash"?[=:]\s*"?)({SAFE}{{6,10}})\b"#),
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

static THROTTLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[IW]\d{4} [^\n]*\] "Waited before sending request"[^\n]*\n?"#)
        .expect("throttling pattern")
});

/// The text with every changing value replaced and runs of spaces made one.
pub fn normalize(text: &str) -> String {
    let mut out = THROTTLED.replace_all(text, "").into_owned();
    for r in RULES.iter() {
        out = r.pattern.replace_all(&out, r.with).into_owned();
    }
    let lines: Vec<String> = out
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    sort_placeholder_runs(lines).join("\n").trim().to_string()
}

/// Sorts each run of consecutive lines whose first word is the same and
/// holds a placeholder (`web-<hash>-<rand> ...` rows of a listing).
fn sort_placeholder_runs(mut lines: Vec<String>) -> Vec<String> {
    let first = |line: &str| line.split(' ').next().unwrap_or_default().to_string();
    let mut start = 0;
    while start < lines.len() {
        let word = first(&lines[start]);
        let mut end = start + 1;
        while end < lines.len() && first(&lines[end]) == word {
            end += 1;
        }
        if word.contains('<') && end - start > 1 {
            lines[start..end].sort();
        }
        start = end;
    }
    lines
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
fn rows_ordered_by_a_placeholder_are_sorted_and_throttling_dropped() {
    let real = normalize(
        "NAME READY\nweb-85986d47d7-x2x4q 0/1 Pending\nweb-85986d47d7-b2c4d 0/1 Terminating\nworker-5b6b79dccb-qz9wv 1/1 Running",
    );
    let sim = normalize(
        "I1207 23:10:06.565491 27401 request.go:754] \"Waited before sending request\" delay=\"1s\"\nNAME READY\nweb-5b6b79dccb-qz9wv 0/1 Terminating\nweb-5b6b79dccb-x2x4q 0/1 Pending\nworker-5b6b79dccb-qz9wv 1/1 Running",
    );
    assert_eq!(real, sim);
    assert!(
        real.starts_with("NAME READY\nweb-<hash>-<rand> 0/1 Pending"),
        "{real}"
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
