//! Services, with their ready and not-ready endpoints counted from the
//! EndpointSlices that name them: a Service that selects nothing shows 0.

use k8s_openapi::api::core::v1::Service;

use super::Key;
use super::columns::{Width, col, pane, wide};
use super::common;
use super::schema::{Ctx, Fields, Schema, Ty, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule, Tone};
use crate::kinds::format::{age_since, or_none};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::labels::Labels;
use crate::kinds::rows::EventRow;
use crate::sanitize::line_cow;

pub struct Services;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceRow {
    pub namespace: Text,
    pub name: Text,
    pub type_: Text,
    /// Interned only when shared (`None` for headless, `<none>`): an
    /// address is unique.
    pub cluster_ip: Text,
    pub external_ip: Text,
    /// `80/TCP`, `80:30080/TCP`: kubectl's PORT(S), one per port.
    pub ports: Box<[Text]>,
    pub selector: Labels,
    pub labels: Labels,
    pub created_at: Option<i64>,
}

pub static SCHEMA: Schema = Schema {
    name: "services",
    fields: &[
        ("name", Ty::Any),
        ("namespace", Ty::Any),
        ("type", Ty::Any),
        ("clusterIP", Ty::Any),
        ("selector", Ty::Map),
        ("ports", Ty::Any),
        ("readyEndpoints", Ty::Any),
        ("notReadyEndpoints", Ty::Any),
        ("labels", Ty::Map),
    ],
};

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("Type", Width::Fit(12)),
    col("Cluster-IP", Width::Fit(15)),
    // kubectl's, but the pane gives its room to ports and endpoints (the
    // footer line still shows it).
    Column {
        name: "External-IP",
        width: Width::Fit(20),
        kubectl: Some(0),
        pane: false,
        keep: 0,
    },
    col("Port(s)", Width::Fit(24)),
    pane("Endpoints", Width::Fit(12)),
    col("Age", Width::Fit(6)),
    wide("Selector", Width::Fit(40)),
];

/// kubectl's getServiceExternalIP.
fn external_ip(s: &Service) -> String {
    let spec = common::or_default(&s.spec);
    let external = spec.external_ips.clone().unwrap_or_default();
    match spec.type_.as_deref().unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => or_none(external.join(",")),
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = s
                .status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .map(|ing| {
                    ing.iter()
                        .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                        .collect()
                })
                .unwrap_or_default();
            ips.extend(external);
            if ips.is_empty() {
                "<pending>".into()
            } else {
                ips.join(",")
            }
        }
        _ => "<unknown>".into(),
    }
}

impl ServiceRow {
    /// (ready, not ready) endpoints from the snapshot's EndpointSlices.
    pub fn endpoints(&self, ctx: &Ctx) -> (u32, u32) {
        ctx.snapshot
            .and_then(|s| {
                s.endpoints_per_service
                    .get(&(self.namespace.clone(), self.name.clone()))
                    .copied()
            })
            .unwrap_or((0, 0))
    }
}

impl Kind for Services {
    type Object = Service;
    type Row = ServiceRow;
    const META: Meta = Meta {
        name: "services",
        title: "Services",
        scope: ScopeRule::Namespaced,
        needs: &["endpointslices"],
    };

    fn project(s: &Service, strings: &mut Interner) -> ServiceRow {
        let (namespace, name, created_at) = common::key(&s.metadata);
        let spec = common::or_default(&s.spec);
        let ports = spec
            .ports
            .iter()
            .flatten()
            .map(|p| {
                let protocol = p.protocol.as_deref().unwrap_or("TCP");
                match p.node_port.filter(|n| *n > 0) {
                    Some(node) => format!("{}:{node}/{protocol}", p.port),
                    None => format!("{}/{protocol}", p.port),
                }
            })
            .map(|p| strings.line(&p))
            .collect();
        let cluster_ip = spec.cluster_ip.as_deref().unwrap_or_default();
        ServiceRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            type_: strings.line(spec.type_.as_deref().unwrap_or("ClusterIP")),
            cluster_ip: if cluster_ip.is_empty() || cluster_ip == "None" {
                strings.line(&or_none(cluster_ip))
            } else {
                Text::from(line_cow(cluster_ip).as_ref())
            },
            external_ip: strings.line(&external_ip(s)),
            ports,
            selector: Labels::project(spec.selector.as_ref(), strings),
            labels: Labels::project(s.metadata.labels.as_ref(), strings),
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(s: &ServiceRow, _: Option<&Service>, ctx: &Ctx) -> Vec<Cell> {
        let (ready, not_ready) = s.endpoints(ctx);
        // A Service that selects pods but has no ready endpoint sends
        // its traffic nowhere.
        let ok = ready > 0 || s.selector.is_empty() || s.type_ == "ExternalName";
        vec![
            Cell::text(s.name.as_str()),
            Cell::text(s.type_.as_str()),
            Cell::text(s.cluster_ip.as_str()),
            Cell::text(s.external_ip.as_str()),
            Cell::text(or_none(s.ports.join(","))),
            Cell::text(format!("{ready}/{}", ready + not_ready)).unless(ok, Tone::Bad),
            Cell::text(age_since(s.created_at, ctx.now)),
            Cell::text(common::label_pairs(&s.selector)),
        ]
    }

    fn describe(s: &Service, events: &[EventRow], now: i64) -> Vec<String> {
        let row = Services::project(s, &mut Interner::new());
        let mut out = common::header(&s.metadata, now);
        out.push(format!(
            "Selector:     {}",
            common::label_pairs(&row.selector)
        ));
        out.push(format!("Type:         {}", row.type_));
        out.push(format!("IP:           {}", row.cluster_ip));
        out.push(format!("External IP:  {}", row.external_ip));
        for p in &row.ports {
            out.push(format!("Port:         {p}"));
        }
        common::events(events, "Service", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        Some(&SCHEMA)
    }
}

impl Row for ServiceRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }
}

impl Fields for ServiceRow {
    fn field<'a>(&'a self, name: &str, ctx: &Ctx<'a>) -> Val<'a> {
        match name {
            "name" => Val::Str(&self.name),
            "namespace" => Val::Str(&self.namespace),
            "type" => Val::Str(&self.type_),
            "clusterIP" => Val::Str(&self.cluster_ip),
            "selector" => Val::Map(self.selector.iter().collect()),
            "ports" => Val::Strs(self.ports.iter().map(Text::as_str).collect()),
            "readyEndpoints" => Val::Int(self.endpoints(ctx).0.into()),
            "notReadyEndpoints" => Val::Int(self.endpoints(ctx).1.into()),
            "labels" => Val::Map(self.labels.iter().collect()),
            _ => Val::Str(""),
        }
    }
}
