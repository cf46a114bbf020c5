//! Label selectors, as the API server parses and applies them: the one
//! parser for the simulator's lists, watches and controllers and for a
//! playbook's focus (`checks::Scope`), so what a pane or a check takes in
//! is what `kubectl get -l` answers.

use std::collections::BTreeSet;

use serde_json::Value;

use super::labels::Labels;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unable to parse requirement: {0}")]
pub struct SelectorError(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum LabelRequirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, BTreeSet<String>),
    NotIn(String, BTreeSet<String>),
    Exists(String),
    DoesNotExist(String),
}

/// `app=checkout,tier in (web, api),!canary`
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<LabelRequirement>,
}

impl LabelSelector {
    pub fn parse(text: &str) -> Result<LabelSelector, SelectorError> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(parse_label_requirement(part)?);
        }
        Ok(LabelSelector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether an object's `metadata.labels` match every requirement.
    pub fn matches(&self, object: &Value) -> bool {
        let labels = &object["metadata"]["labels"];
        self.matches_with(|key| labels.get(key).and_then(Value::as_str))
    }

    /// Whether a row's labels match every requirement.
    pub fn matches_labels(&self, labels: &Labels) -> bool {
        self.matches_with(|key| labels.get(key))
    }

    /// Whether the labels `get` looks up match every requirement.
    pub fn matches_with<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.requirements.iter().all(|req| match req {
            LabelRequirement::Equals(k, v) => get(k) == Some(v.as_str()),
            LabelRequirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
            LabelRequirement::In(k, set) => get(k).is_some_and(|v| set.contains(v)),
            LabelRequirement::NotIn(k, set) => get(k).is_none_or(|v| !set.contains(v)),
            LabelRequirement::Exists(k) => get(k).is_some(),
            LabelRequirement::DoesNotExist(k) => get(k).is_none(),
        })
    }

    /// Match a plain label map (for example a PodDisruptionBudget's
    /// `spec.selector.matchLabels` against a pod).
    pub fn from_match_labels(selector: &Value) -> LabelSelector {
        let mut requirements = Vec::new();
        if let Some(map) = selector["matchLabels"].as_object() {
            for (k, v) in map {
                requirements.push(LabelRequirement::Equals(
                    k.clone(),
                    v.as_str().unwrap_or_default().to_string(),
                ));
            }
        }
        if let Some(exprs) = selector["matchExpressions"].as_array() {
            for e in exprs {
                let key = e["key"].as_str().unwrap_or_default().to_string();
                let values: BTreeSet<String> = e["values"]
                    .as_array()
                    .map(|vs| {
                        vs.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                requirements.push(match e["operator"].as_str().unwrap_or_default() {
                    "In" => LabelRequirement::In(key, values),
                    "NotIn" => LabelRequirement::NotIn(key, values),
                    "Exists" => LabelRequirement::Exists(key),
                    _ => LabelRequirement::DoesNotExist(key),
                });
            }
        }
        LabelSelector { requirements }
    }
}

/// Split on commas that are not inside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_label_requirement(part: &str) -> Result<LabelRequirement, SelectorError> {
    let bad = || SelectorError(part.to_string());
    if let Some(key) = part.strip_prefix('!') {
        let key = key.trim();
        check_key(key).ok_or_else(bad)?;
        return Ok(LabelRequirement::DoesNotExist(key.to_string()));
    }
    if let Some((key, value)) = part.split_once("!=") {
        let key = key.trim();
        check_key(key).ok_or_else(bad)?;
        return Ok(LabelRequirement::NotEquals(
            key.to_string(),
            check_value(value.trim()).ok_or_else(bad)?,
        ));
    }
    if let Some((key, value)) = part.split_once('=') {
        let key = key.trim();
        let value = value.strip_prefix('=').unwrap_or(value).trim();
        check_key(key).ok_or_else(bad)?;
        return Ok(LabelRequirement::Equals(
            key.to_string(),
            check_value(value).ok_or_else(bad)?,
        ));
    }
    let mut words = part.splitn(2, char::is_whitespace);
    let key = words.next().unwrap_or_default().trim();
    let rest = words.next().unwrap_or_default().trim();
    check_key(key).ok_or_else(bad)?;
    if rest.is_empty() {
        return Ok(LabelRequirement::Exists(key.to_string()));
    }
    let (negated, list) = if let Some(list) = rest.strip_prefix("notin") {
        (true, list)
    } else if let Some(list) = rest.strip_prefix("in") {
        (false, list)
    } else {
        return Err(bad());
    };
    let inner = list
        .trim()
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
        .ok_or_else(bad)?;
    let mut values = BTreeSet::new();
    for v in inner.split(',') {
        values.insert(check_value(v.trim()).ok_or_else(bad)?);
    }
    Ok(if negated {
        LabelRequirement::NotIn(key.to_string(), values)
    } else {
        LabelRequirement::In(key.to_string(), values)
    })
}

fn check_key(key: &str) -> Option<()> {
    let ok = !key.is_empty()
        && key.len() <= 316
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    ok.then_some(())
}

fn check_value(value: &str) -> Option<String> {
    let ok = value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(labels: Value) -> Value {
        json!({ "metadata": { "name": "web-1", "namespace": "shop", "labels": labels } })
    }

    #[test]
    fn equality_and_inequality() {
        let p = pod(json!({ "app": "web", "tier": "front" }));
        assert!(LabelSelector::parse("app=web").unwrap().matches(&p));
        assert!(LabelSelector::parse("app==web").unwrap().matches(&p));
        assert!(!LabelSelector::parse("app!=web").unwrap().matches(&p));
        assert!(
            LabelSelector::parse("app=web,tier=front")
                .unwrap()
                .matches(&p)
        );
        assert!(
            !LabelSelector::parse("app=web,tier=back")
                .unwrap()
                .matches(&p)
        );
        // != matches objects without the label, like the real server
        assert!(LabelSelector::parse("canary!=true").unwrap().matches(&p));
    }

    #[test]
    fn set_based_and_existence() {
        let p = pod(json!({ "app": "web" }));
        assert!(
            LabelSelector::parse("app in (api, web)")
                .unwrap()
                .matches(&p)
        );
        assert!(
            !LabelSelector::parse("app notin (api,web)")
                .unwrap()
                .matches(&p)
        );
        assert!(LabelSelector::parse("tier notin (x)").unwrap().matches(&p));
        assert!(LabelSelector::parse("app").unwrap().matches(&p));
        assert!(!LabelSelector::parse("!app").unwrap().matches(&p));
        assert!(
            LabelSelector::parse("!canary,app in (web)")
                .unwrap()
                .matches(&p)
        );
        assert!(!LabelSelector::parse("tier").unwrap().matches(&p));
    }

    #[test]
    fn malformed_selectors_are_errors() {
        for bad in ["app in web", "app in (a b)", "a b c", "=x", "app=(x)"] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn match_labels_and_expressions_from_an_object() {
        let sel = LabelSelector::from_match_labels(&json!({
            "matchLabels": { "app": "web" },
            "matchExpressions": [ { "key": "tier", "operator": "NotIn", "values": ["db"] } ]
        }));
        assert!(sel.matches(&pod(json!({ "app": "web", "tier": "front" }))));
        assert!(!sel.matches(&pod(json!({ "app": "web", "tier": "db" }))));
    }

    #[test]
    fn a_rows_labels_are_matched_as_an_objects() {
        let sel = LabelSelector::parse("app=a, tier!=db, env in (prod, staging), !legacy, team")
            .expect("parses");
        let labels = |pairs: &[(&str, &str)]| -> Labels { pairs.iter().copied().collect() };
        assert!(sel.matches_labels(&labels(&[("app", "a"), ("env", "prod"), ("team", "x")])));
        assert!(!sel.matches_labels(&labels(&[("app", "a"), ("env", "dev"), ("team", "x")])));
        assert!(!sel.matches_labels(&labels(&[
            ("app", "a"),
            ("env", "prod"),
            ("team", "x"),
            ("legacy", "1")
        ])));
    }
}
