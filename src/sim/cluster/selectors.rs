//! Field selectors, as the API server parses and applies them (label
//! selectors are the core's `kinds::selector`, shared with checks).

use serde_json::Value;

pub use crate::kinds::selector::{LabelSelector, SelectorError};

/// `metadata.name=x,status.phase!=Running`
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    requirements: Vec<(String, bool, String)>,
}

impl FieldSelector {
    pub fn parse(text: &str) -> Result<FieldSelector, SelectorError> {
        let mut requirements = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(SelectorError(part.to_string()));
            };
            let field = field.trim();
            if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
                return Err(SelectorError(part.to_string()));
            }
            requirements.push((field.to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// A field the object lacks compares as the empty string (so
    /// `spec.nodeName=` finds unscheduled pods, as on a real server).
    pub fn matches(&self, object: &Value) -> bool {
        self.requirements.iter().all(|(field, equal, value)| {
            let actual = field_value(object, field);
            (actual == *value) == *equal
        })
    }
}

fn field_value(object: &Value, path: &str) -> String {
    let mut current = object;
    for segment in path.split('.') {
        match current.get(segment) {
            Some(next) => current = next,
            None => return String::new(),
        }
    }
    match current {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "metadata": { "name": "web-1", "namespace": "shop", "labels": {} },
            "spec": { "nodeName": "node-a" },
            "status": { "phase": "Running" }
        })
    }

    #[test]
    fn malformed_field_selectors_are_errors() {
        assert!(FieldSelector::parse("metadata.name").is_err());
        assert!(FieldSelector::parse("spec.node Name=x").is_err());
    }

    #[test]
    fn field_selectors_compare_dotted_paths() {
        let p = pod();
        let m = |s: &str| FieldSelector::parse(s).unwrap().matches(&p);
        assert!(m("metadata.name=web-1"));
        assert!(m("metadata.namespace==shop,spec.nodeName=node-a"));
        assert!(m("status.phase!=Pending"));
        assert!(!m("status.phase=Pending"));
        assert!(m("spec.schedulerName="));
        assert!(FieldSelector::parse("").unwrap().is_empty());
    }
}
