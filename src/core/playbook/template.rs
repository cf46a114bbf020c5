//! `{{ name }}` templates in titles, bodies, checklist text, commands, focus
//! and action targets.

use std::collections::BTreeMap;

/// A reference to a param: its name and byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub offset: usize,
}

pub fn references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let Some(len) = text[start + 2..].find("}}") else {
            break;
        };
        out.push(Reference {
            name: text[start + 2..start + 2 + len].trim().to_string(),
            offset: start,
        });
        from = start + 2 + len + 2;
    }
    out
}

/// Substitutes known params; unknown references are left as written so a
/// missing value is visible rather than silently blank.
pub fn render(text: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for r in references(text) {
        let end = r.offset + text[r.offset..].find("}}").map_or(0, |i| i + 2);
        out.push_str(&text[from..r.offset]);
        match params.get(&r.name) {
            Some(v) => out.push_str(v),
            None => out.push_str(&text[r.offset..end]),
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_renders_references() {
        let text = "kubectl -n {{ namespace }} get deploy/{{deployment}} {{ missing }}";
        let names: Vec<String> = references(text).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["namespace", "deployment", "missing"]);
        let params: BTreeMap<String, String> = [
            ("namespace".to_string(), "shop".to_string()),
            ("deployment".to_string(), "checkout".to_string()),
        ]
        .into();
        assert_eq!(
            render(text, &params),
            "kubectl -n shop get deploy/checkout {{ missing }}"
        );
    }

    #[test]
    fn unclosed_braces_are_left_alone() {
        assert!(references("a {{ b").is_empty());
        assert_eq!(render("a {{ b", &BTreeMap::new()), "a {{ b");
    }
}
