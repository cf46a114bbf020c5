//! The alert in an export: a header section (name, since when, labels,
//! annotations, a link to the generator) and the words the timeline uses.
//! Labels and annotations come from whoever fired the alert, so every
//! piece is escaped for markdown and the link is only ever http(s).

use std::fmt::Write as _;

use crate::engine::OpeningAlert;

/// Text that renders as itself in markdown: the characters that start
/// emphasis, code, links, HTML, entities, tables or strikethrough are
/// backslash-escaped (CommonMark allows it before any ASCII punctuation).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::sanitize::line(&text.replace(['\n', '\r'], " ")).chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An inline code span holding `text` exactly: the fence is one backtick
/// longer than the longest run inside, padded when the text touches it.
pub fn code(text: &str) -> String {
    let text = crate::sanitize::line(&text.replace(['\n', '\r'], " "));
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A markdown link to an http(s) URL; anything else is shown, not linked
/// (a `javascript:` generator URL must not become a live link).
pub fn link(label: &str, url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return escape(url);
    }
    let mut dest = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => dest.push_str("%20"),
            '<' => dest.push_str("%3C"),
            '>' => dest.push_str("%3E"),
            c if c.is_control() => {}
            c => dest.push(c),
        }
    }
    format!("[{}](<{dest}>)", escape(label))
}

/// `namespace=shop pod=checkout-1`: the labels beyond the name, for one line.
pub fn label_words(alert: &OpeningAlert) -> String {
    alert
        .labels
        .iter()
        .filter(|(k, _)| *k != "alertname")
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `Started` row's words: `for alert `KubePodCrashLooping` (`namespace=shop ...`)`,
/// the name and labels put in code by `code` (the export's or the timeline's).
pub fn started_words(alert: &OpeningAlert, code: impl Fn(&str) -> String) -> String {
    let labels = label_words(alert);
    if labels.is_empty() {
        format!(" for alert {}", code(alert.name()))
    } else {
        format!(" for alert {} ({})", code(alert.name()), code(&labels))
    }
}

/// The header lines about the alert, under the session's own.
pub fn header(out: &mut String, alert: &OpeningAlert, utc: impl Fn(jiff::Timestamp) -> String) {
    let since = alert
        .starts_at
        .map(|t| format!(", firing since {}", utc(t)))
        .unwrap_or_default();
    let source = alert
        .generator_url
        .as_deref()
        .filter(|u| !u.is_empty())
        .map(|u| format!(" ({})", link("source", u)))
        .unwrap_or_default();
    let _ = writeln!(out, "- Alert: {}{since}{source}", code(alert.name()));
    let _ = writeln!(out, "  - Fingerprint: {}", code(&alert.fingerprint));
    let labels: Vec<String> = alert
        .labels
        .iter()
        .filter(|(k, _)| *k != "alertname")
        .map(|(k, v)| code(&format!("{k}={v}")))
        .collect();
    if !labels.is_empty() {
        let _ = writeln!(out, "  - Labels: {}", labels.join(", "));
    }
    for (k, v) in &alert.annotations {
        let _ = writeln!(out, "  - {}: {}", escape(k), escape(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_text_literal() {
        assert_eq!(
            escape("a*b_c [x](y) <b> | ~z~ &amp;"),
            "a\\*b\\_c \\[x\\](y) \\<b\\> \\| \\~z\\~ \\&amp;"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(code("pod=x"), "`pod=x`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            link("source", "http://prom:9090/graph?g0.expr=up <1"),
            "[source](<http://prom:9090/graph?g0.expr=up%20%3C1>)"
        );
        assert_eq!(link("source", "javascript:alert(1)"), "javascript:alert(1)");
    }
}
