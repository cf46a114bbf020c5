//! What the playbook's focus lets a pane or a check see (one rule for
//! both, `Scope::admits`): namespaced kinds in the focus namespace, pods
//! also by the label selector, events of the namespace and about the focus
//! node. Cluster-scoped kinds are never filtered: a check narrows them
//! itself (e.g. by `params.node`).

use crate::kinds::labels::Labels;
use crate::kinds::{Row, ScopeRule};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub namespace: Option<String>,
    pub selector: Vec<Requirement>,
    pub node: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl Scope {
    /// From the focus after templates were rendered.
    pub fn new(
        namespace: Option<String>,
        label_selector: Option<&str>,
        node: Option<String>,
    ) -> Result<Scope, String> {
        Ok(Scope {
            namespace: namespace.filter(|n| !n.is_empty()),
            selector: match label_selector {
                Some(s) => parse_selector(s)?,
                None => Vec::new(),
            },
            node: node.filter(|n| !n.is_empty()),
        })
    }

    /// Whether a row of a kind scoped by `rule` is in focus: the one rule
    /// the panes and the checks share. `widened`: the panes show every
    /// namespace (`A`); checks never widen.
    pub fn admits(&self, rule: ScopeRule, row: &dyn Row, widened: bool) -> bool {
        let ns_ok = widened || self.namespace_ok(row.namespace());
        match rule {
            ScopeRule::Cluster => true,
            ScopeRule::Namespaced => ns_ok,
            ScopeRule::Selected => {
                ns_ok && (widened || row.labels().is_none_or(|l| self.labels_ok(l)))
            }
            ScopeRule::Regarding => {
                ns_ok
                    || row.regarding().is_some_and(|(kind, name)| {
                        kind == "Node" && self.node.as_deref() == Some(name)
                    })
            }
        }
    }

    pub fn namespace_ok(&self, ns: &str) -> bool {
        self.namespace.as_deref().is_none_or(|n| n == ns)
    }

    pub fn labels_ok(&self, labels: &Labels) -> bool {
        self.selector.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v.as_str()),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.iter().any(|v| v == l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
        })
    }
}

/// Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
pub fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    for part in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let set = |rest: &str| -> Result<Vec<String>, String> {
            let inner = rest
                .trim()
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("`{part}`: expected a list in parentheses"))?;
            Ok(inner.split(',').map(|v| v.trim().to_string()).collect())
        };
        let req = if let Some((k, v)) = part.split_once("!=") {
            Requirement::NotEquals(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            Requirement::Equals(k.trim().into(), v.trim().into())
        } else if let Some((k, rest)) = part.split_once(" notin ") {
            Requirement::NotIn(k.trim().into(), set(rest)?)
        } else if let Some((k, rest)) = part.split_once(" in ") {
            Requirement::In(k.trim().into(), set(rest)?)
        } else if let Some(k) = part.strip_prefix('!') {
            Requirement::NotExists(k.trim().into())
        } else if part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        {
            Requirement::Exists(part.into())
        } else {
            return Err(format!("cannot read the label selector part `{part}`"));
        };
        out.push(req);
    }
    Ok(out)
}
