//! What the playbook's focus lets a pane or a check see (one rule for
//! both, `Scope::admits`): namespaced kinds in the focus namespace, pods
//! also by the label selector, events of the namespace and about the focus
//! node. Cluster-scoped kinds are never filtered: a check narrows them
//! itself (e.g. by `params.node`).

use crate::kinds::labels::Labels;
use crate::kinds::selector::{LabelSelector, SelectorError};
use crate::kinds::{Row, ScopeRule};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub namespace: Option<String>,
    pub selector: LabelSelector,
    pub node: Option<String>,
}

impl Scope {
    /// From the focus after templates were rendered.
    pub fn new(
        namespace: Option<String>,
        label_selector: Option<&str>,
        node: Option<String>,
    ) -> Result<Scope, SelectorError> {
        let scope = Scope::focus(namespace, node);
        match label_selector {
            Some(s) => scope.with_selector(s),
            None => Ok(scope),
        }
    }

    /// A namespace and node, no selector (empty values are none).
    pub fn focus(namespace: Option<String>, node: Option<String>) -> Scope {
        Scope {
            namespace: namespace.filter(|n| !n.is_empty()),
            selector: LabelSelector::default(),
            node: node.filter(|n| !n.is_empty()),
        }
    }

    /// This scope with `label_selector` instead of its own.
    pub fn with_selector(mut self, label_selector: &str) -> Result<Scope, SelectorError> {
        self.selector = LabelSelector::parse(label_selector)?;
        Ok(self)
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
        self.selector.matches_labels(labels)
    }
}
