//! Wrapping with a hanging indent, for lists whose entries start with a
//! column (a time) that continuation lines should not cover: each entry
//! stays one block, so scrolling can count the lines it really takes.

use unicode_width::UnicodeWidthStr;

/// `text` in lines at most `width` columns wide; lines after the first
/// start with `indent` spaces. Words longer than a line are split.
pub fn hanging(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 8);
    let mut lines = Vec::new();
    let mut line = String::new();
    // Spaces stay as they are (a right-aligned column keeps its padding);
    // a line breaks before a word that would not fit.
    for token in text.split_inclusive(' ') {
        let word = token.trim_end_matches(' ');
        let used = UnicodeWidthStr::width(line.as_str());
        let has_text = !line.trim().is_empty();
        if has_text && used + UnicodeWidthStr::width(word) > width {
            lines.push(line.trim_end().to_string());
            line = " ".repeat(indent);
        }
        for c in token.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if UnicodeWidthStr::width(line.as_str()) + w > width {
                if c == ' ' {
                    continue;
                }
                lines.push(line.trim_end().to_string());
                line = " ".repeat(indent);
            }
            line.push(c);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::hanging;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(
            hanging("04:50:17 T+00:00 Started", 40, 9),
            ["04:50:17 T+00:00 Started"]
        );
    }

    #[test]
    fn continuation_lines_hang_under_the_text() {
        let lines = hanging(
            "04:50:20 Confirmed: a pod of checkout shows CrashLoopBackOff",
            30,
            9,
        );
        assert_eq!(
            lines,
            [
                "04:50:20 Confirmed: a pod of",
                "         checkout shows",
                "         CrashLoopBackOff",
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 30));
    }

    #[test]
    fn padding_inside_the_text_is_kept() {
        assert_eq!(
            hanging("04:50:17   T+00:00 Started", 40, 9),
            ["04:50:17   T+00:00 Started"]
        );
    }

    #[test]
    fn a_word_longer_than_a_line_is_split() {
        let lines = hanging("x pod/shop/checkout-6d8f9c7b5-m7wzp-very-long-name", 20, 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "xpod/shop/checkout-6d8f9c7b5-m7wzp-very-long-name"
        );
    }
}
