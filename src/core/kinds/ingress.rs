//! Ingresses: kubectl's printIngress columns, and each backend with whether
//! its Service exists (an Ingress pointing at a missing Service).

use k8s_openapi::api::networking::v1::{Ingress, IngressServiceBackend};

use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule};
use crate::kinds::format::{age_since, list_more, or_none};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::sanitize::line;

pub struct Ingresses;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Backend {
    pub namespace: Text,
    pub service: String,
    /// The port's number, or its name.
    pub port: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IngressRow {
    pub namespace: Text,
    pub name: Text,
    pub class: String,
    pub hosts: Vec<String>,
    /// kubectl's HOSTS: `*` when no rule names a host.
    pub hosts_text: String,
    pub address: String,
    pub ports: String,
    pub backends: Vec<Backend>,
    pub created_at: Option<i64>,
}

pub static BACKEND: Schema = Schema {
    name: "backends",
    fields: &[("service", Ty::Any), ("port", Ty::Any), ("exists", Ty::Any)],
};

pub static SCHEMA: Schema = Schema {
    name: "ingresses",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("className", Ty::Any),
        ("hosts", Ty::Any),
        ("backends", Ty::List(&BACKEND)),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Class", Width::Fit(16)),
    col("Hosts", Width::Fit(40)),
    col("Address", Width::Fit(20)),
    col("Ports", Width::Fit(8)),
    col("Age", Width::Fit(6)),
];

fn backend(namespace: &Text, b: &IngressServiceBackend) -> Backend {
    let port = b.port.as_ref().map_or(String::new(), |p| {
        p.number
            .map(|n| n.to_string())
            .or_else(|| p.name.clone())
            .unwrap_or_default()
    });
    Backend {
        namespace: namespace.clone(),
        service: line(&b.name),
        port: line(&port),
    }
}

impl Kind for Ingresses {
    type Object = Ingress;
    type Row = IngressRow;
    const META: Meta = Meta {
        name: "ingresses",
        title: "Ingresses",
        scope: ScopeRule::Namespaced,
        needs: &["services"],
    };

    fn project(i: &Ingress, strings: &mut Interner) -> IngressRow {
        let (namespace, name, created_at) = common::key(&i.metadata);
        let namespace = strings.line(&namespace);
        let spec = common::or_default(&i.spec);
        let rules = spec.rules.clone().unwrap_or_default();
        let hosts: Vec<String> = rules
            .iter()
            .filter_map(|r| r.host.as_deref())
            .filter(|h| !h.is_empty())
            .map(line)
            .collect();
        // kubectl's formatHosts: three hosts, then how many more rules.
        let hosts_text = if hosts.is_empty() {
            "*".to_string()
        } else if rules.len() > 3 {
            format!(
                "{} + {} more...",
                hosts[..hosts.len().min(3)].join(","),
                rules.len() - 3
            )
        } else {
            hosts.join(",")
        };
        let mut backends: Vec<Backend> = spec
            .default_backend
            .as_ref()
            .and_then(|b| b.service.as_ref())
            .map(|b| backend(&namespace, b))
            .into_iter()
            .collect();
        for r in &rules {
            for p in r.http.iter().flat_map(|h| h.paths.iter()) {
                if let Some(s) = &p.backend.service {
                    backends.push(backend(&namespace, s));
                }
            }
        }
        let address: Vec<String> = i
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_ref())
            .map(|ing| {
                ing.iter()
                    .filter_map(|x| x.ip.clone().or_else(|| x.hostname.clone()))
                    .collect()
            })
            .unwrap_or_default();
        IngressRow {
            namespace,
            name: name.into(),
            class: or_none(line(spec.ingress_class_name.as_deref().unwrap_or_default())),
            hosts,
            hosts_text,
            address: line(&address.join(",")),
            ports: if spec.tls.as_ref().is_some_and(|t| !t.is_empty()) {
                "80, 443".into()
            } else {
                "80".into()
            },
            backends,
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(i: &IngressRow, _: Option<&Ingress>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(i.name.as_str()),
            Cell::text(i.class.as_str()),
            Cell::text(i.hosts_text.as_str()),
            Cell::text(i.address.as_str()),
            Cell::text(i.ports.as_str()),
            Cell::text(age_since(i.created_at, ctx.now)),
        ]
    }

    fn describe(i: &Ingress, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Ingresses::project(i, &mut Interner::new());
        let mut out = common::header(&i.metadata, now);
        out.push(format!("Ingress Class: {}", row.class));
        out.push(format!("Address:      {}", row.address));
        out.push(format!("Hosts:        {}", list_more(&row.hosts, 10)));
        out.push("Backends:".into());
        if row.backends.is_empty() {
            out.push("  <none>".into());
        }
        for b in &row.backends {
            out.push(format!("  {}:{}", b.service, b.port));
        }
        common::events(events, "Ingress", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for IngressRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn matches(&self, filter: &str) -> bool {
        self.name.contains(filter) || self.hosts.iter().any(|h| h.contains(filter))
    }
}

impl Fields for IngressRow {
    fn field<'a>(&'a self, name: &str, _: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "className" => Val::Str(if self.class == "<none>" {
                ""
            } else {
                &self.class
            }),
            "hosts" => Val::Strs(self.hosts.iter().map(String::as_str).collect()),
            "backends" => Val::Objects(
                &BACKEND,
                self.backends.iter().map(|b| b as &dyn Fields).collect(),
            ),
            _ => Val::Str(""),
        }
    }
}

impl Fields for Backend {
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a> {
        match name {
            "service" => Val::Str(&self.service),
            "port" => Val::Str(&self.port),
            "exists" => Val::Bool(ctx.service_exists(&self.namespace, &self.service)),
            _ => Val::Str(""),
        }
    }
}
