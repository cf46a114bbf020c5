//! Text from outside (the cluster, command output) is untrusted: strip
//! control characters and whole escape sequences before it reaches the
//! terminal or the journal, so an Event message cannot repaint, retitle or
//! write to the responder's clipboard.

/// One line: no control characters at all; tabs become spaces.
pub fn line(text: &str) -> String {
    clean(text, false)
}

/// As `line`, borrowing the text when it is already clean (nearly always),
/// so projecting 100,000 objects does not copy every string twice.
pub fn line_cow(text: &str) -> std::borrow::Cow<'_, str> {
    let clean = text.chars().all(|c| {
        !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    });
    if clean {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(line(text))
    }
}

/// A block (logs, command output): newlines kept, everything else as `line`.
pub fn block(text: &str) -> String {
    clean(text, true)
}

/// Whatever runbook writes to a terminal or a file (the CLI's stdout and
/// stderr, exports): newlines and tabs are layout and stay; every other
/// control, escape sequence and bidi override goes. This is the one
/// function every such byte passes through, so text from a playbook, an
/// alert or the cluster that some other path forgot cannot reach the
/// responder's terminal (or whoever later `cat`s the file) live.
pub fn output(text: &str) -> std::borrow::Cow<'_, str> {
    let already_clean = text.chars().all(|c| {
        (!c.is_control() || c == '\n' || c == '\t')
            && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    });
    if already_clean {
        return std::borrow::Cow::Borrowed(text);
    }
    // `clean` would turn a tab into spaces; tabs are kept here, so a
    // tab-separated listing stays one.
    let out: Vec<String> = text.split('\t').map(|part| clean(part, true)).collect();
    std::borrow::Cow::Owned(out.join("\t"))
}

/// JSON for a terminal or a file, its string values and keys through
/// `output`: serde_json writes an ESC as `\u001b`, which is inert on the
/// wire but live again in whatever decodes it (`jq -r`, a dashboard).
pub fn json_pretty<T: serde::Serialize>(value: &T) -> serde_json::Result<String> {
    let mut value = serde_json::to_value(value)?;
    clean_json(&mut value);
    serde_json::to_string_pretty(&value)
}

fn clean_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = output(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_json),
        Value::Object(map) => {
            let dirty = map
                .keys()
                .any(|k| matches!(output(k), std::borrow::Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(map);
                for (k, v) in old {
                    map.insert(output(&k).into_owned(), v);
                }
            }
            map.values_mut().for_each(clean_json);
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn clean(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => skip_escape(&mut chars),
            // 8-bit C1 forms of CSI, OSC, DCS, SOS, PM, APC.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' => out.push_str("    "),
            '\n' if keep_newlines => out.push('\n'),
            '\r' if keep_newlines => {}
            c if c.is_control() => {}
            // Bidi overrides can disguise text; drop them.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // ESC with intermediates (e.g. `ESC ( B`): skip them and the final.
        Some(c) if ('\x20'..='\x2f').contains(&c) => {
            while let Some(&n) = chars.peek() {
                chars.next();
                if !('\x20'..='\x2f').contains(&n) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in `@`..`~`.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\x40'..='\x7e').contains(&c) {
            break;
        }
    }
}

/// OSC, DCS, SOS, PM, APC: up to BEL, ST (`ESC \`) or the 8-bit ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\x07' | '\u{9c}' => break,
            '\x1b' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escape_sequences_come_out_inert() {
        let evil = "Back-off \x1b]0;pwned\x07restarting\x1b[2J\x1b[31m failed\x1b[0m \x1b]52;c;ZXZpbA==\x1b\\container\u{9b}1;1H";
        assert_eq!(line(evil), "Back-off restarting failed container");
    }

    #[test]
    fn blocks_keep_newlines_and_drop_carriage_returns() {
        assert_eq!(block("a\r\nb\tc\x08\n"), "a\nb    c\n");
        assert_eq!(line("a\nb"), "ab");
    }

    #[test]
    fn output_keeps_layout_and_drops_every_control() {
        assert_eq!(
            output("a\tb\n\x1b]52;c;ZXZp\x07c\u{9b}2Jd\x08\x7f\u{202e}e\r\n"),
            "a\tb\ncde\n"
        );
        assert!(matches!(
            output("plain\ttext\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_values_and_keys_come_out_clean() {
        let v = serde_json::json!({"a\x1b[1m": ["x\x1b]0;t\x07y", 1, null], "n": "l1\nl2"});
        let text = json_pretty(&v).expect("json");
        let back: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(
            back,
            serde_json::json!({"a": ["xy", 1, null], "n": "l1\nl2"})
        );
    }

    #[test]
    fn plain_text_and_unicode_pass() {
        assert_eq!(
            line("pod/checkout-6d8f9 ünïcødé ✓"),
            "pod/checkout-6d8f9 ünïcødé ✓"
        );
        assert_eq!(line("a\u{202e}b"), "ab");
    }

    proptest! {
        #[test]
        fn output_has_no_control_characters(s in "\\PC*|[\\x00-\\x{ff}]{0,64}") {
            let l = line(&s);
            prop_assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
            let b = block(&s);
            prop_assert!(!b.chars().any(|c| c.is_control() && c != '\n'), "{b:?}");
        }

        #[test]
        fn the_borrowing_line_agrees_with_line(s in "\\PC*|[\\x00-\\x{ff}\u{202a}-\u{202e}]{0,64}") {
            prop_assert_eq!(line_cow(&s).into_owned(), line(&s));
        }
    }
}
