//! NetworkPolicies: kubectl's printNetworkPolicy columns.

use k8s_openapi::api::networking::v1::NetworkPolicy;

use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule};
use crate::kinds::format::age_since;
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct NetworkPolicies;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkPolicyRow {
    pub namespace: Text,
    pub name: Text,
    pub pod_selector: Vec<(String, String)>,
    pub pod_selector_text: String,
    pub policy_types: Vec<String>,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "networkpolicies",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("podSelector", Ty::Map),
        ("policyTypes", Ty::Any),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Pod-Selector", Width::Fit(40)),
    col("Age", Width::Fit(6)),
];

impl Kind for NetworkPolicies {
    type Object = NetworkPolicy;
    type Row = NetworkPolicyRow;
    const META: Meta = Meta {
        name: "networkpolicies",
        title: "NetPols",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(n: &NetworkPolicy, strings: &mut Interner) -> NetworkPolicyRow {
        let (namespace, name, created_at) = common::key(&n.metadata);
        let spec = common::or_default(&n.spec);
        let selector = spec.pod_selector.clone().unwrap_or_default();
        // Without policyTypes the API server infers Ingress, and Egress
        // when there are egress rules.
        let types = spec.policy_types.clone().unwrap_or_else(|| {
            let mut t = vec!["Ingress".to_string()];
            if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
                t.push("Egress".into());
            }
            t
        });
        NetworkPolicyRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            pod_selector: common::map(selector.match_labels.as_ref()),
            pod_selector_text: common::label_selector(Some(&selector)),
            policy_types: types.iter().map(|t| line(t)).collect(),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(n: &NetworkPolicyRow, _: Option<&NetworkPolicy>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(n.name.as_str()),
            Cell::text(n.pod_selector_text.as_str()),
            Cell::text(age_since(n.created_at, ctx.now)),
        ]
    }

    fn describe(n: &NetworkPolicy, events: &[EventRow], now: i64) -> Vec<String> {
        let row = NetworkPolicies::project(n, &mut Interner::new());
        let mut out = common::header(&n.metadata, now);
        out.push(format!("PodSelector:  {}", row.pod_selector_text));
        out.push(format!("Policy Types: {}", row.policy_types.join(", ")));
        common::events(events, "NetworkPolicy", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for NetworkPolicyRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Fields for NetworkPolicyRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "podSelector" => Val::Map(
                self.pod_selector
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            ),
            "policyTypes" => Val::Strs(self.policy_types.iter().map(String::as_str).collect()),
            _ => Val::Str(""),
        }
    }
}
