//! EndpointSlices: the endpoints behind each Service, counted per Service
//! (ready and not ready) once per publish for the Services pane and checks.

use std::collections::HashMap;
use std::sync::Arc;

use k8s_openapi::api::discovery::v1::EndpointSlice;

use super::Key;
use super::columns::{Width, col};
use super::common;
use super::schema::{Ctx, Fields, Schema, Val};
use super::{Cell, Column, Kind, Meta, Row, ScopeRule};
use crate::kinds::format::{age_since, list_more};
use crate::kinds::intern::{Interner, Text};
use crate::kinds::rows::EventRow;
use crate::kinds::snapshot::{Rows, Snapshot};
use crate::sanitize::line;

pub struct EndpointSlices;

/// The label that names a slice's Service.
const SERVICE_NAME: &str = "kubernetes.io/service-name";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointSliceRow {
    pub namespace: Text,
    pub name: Text,
    /// The Service it belongs to ("" for none).
    pub service: Text,
    pub address_type: Text,
    /// `8080,8443`: repeats across slices, interned.
    pub ports: Text,
    /// The first addresses: unique, so boxed rather than interned.
    pub endpoints: Box<str>,
    pub ready: u32,
    pub not_ready: u32,
    pub created_at: Option<i64>,
}

const COLUMNS: &[Column] = &[
    col("Name", Width::Name),
    col("AddressType", Width::Fit(11)),
    col("Ports", Width::Fit(20)),
    col("Endpoints", Width::Fit(40)),
    col("Age", Width::Fit(6)),
];

impl Kind for EndpointSlices {
    type Object = EndpointSlice;
    type Row = EndpointSliceRow;
    const META: Meta = Meta {
        name: "endpointslices",
        title: "EndpointSlices",
        scope: ScopeRule::Namespaced,
        needs: &[],
    };

    fn project(e: &EndpointSlice, strings: &mut Interner) -> EndpointSliceRow {
        let (namespace, name, created_at) = common::key(&e.metadata);
        // kubectl's formatDiscoveryPorts and formatDiscoveryEndpoints.
        let ports: Vec<String> = e
            .ports
            .iter()
            .flatten()
            .filter_map(|p| p.port.map(|n| n.to_string()))
            .collect();
        let addresses: Vec<&String> = e
            .endpoints
            .iter()
            .flat_map(|ep| ep.addresses.iter())
            .collect();
        // An unknown `ready` counts as ready, as the API asks consumers to.
        let ready = e
            .endpoints
            .iter()
            .filter(|ep| ep.conditions.as_ref().and_then(|c| c.ready) != Some(false))
            .count();
        let service = e
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(SERVICE_NAME))
            .map(|s| strings.line(s))
            .unwrap_or_default();
        EndpointSliceRow {
            namespace: strings.line(&namespace),
            name: name.into(),
            service,
            address_type: strings.line(&e.address_type),
            ports: if ports.is_empty() {
                strings.line("<unset>")
            } else {
                strings.line(&ports.join(","))
            },
            endpoints: if addresses.is_empty() {
                "<unset>".into()
            } else {
                line(&list_more(&addresses, 3)).into_boxed_str()
            },
            ready: ready as u32,
            not_ready: (e.endpoints.len() - ready) as u32,
            created_at,
        }
    }

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(e: &EndpointSliceRow, _: Option<&EndpointSlice>, ctx: &Ctx) -> Vec<Cell> {
        vec![
            Cell::text(e.name.as_str()),
            Cell::text(e.address_type.as_str()),
            Cell::text(e.ports.as_str()),
            Cell::text(&*e.endpoints),
            Cell::text(age_since(e.created_at, ctx.now)),
        ]
    }

    fn describe(e: &EndpointSlice, events: &[EventRow], now: i64) -> Vec<String> {
        let row = EndpointSlices::project(e, &mut Interner::new());
        let mut out = common::header(&e.metadata, now);
        out.push(format!("Service:      {}", row.service));
        out.push(format!("AddressType:  {}", row.address_type));
        out.push(format!("Ports:        {}", row.ports));
        out.push(format!(
            "Endpoints:    {} ready, {} not ready: {}",
            row.ready, row.not_ready, row.endpoints
        ));
        common::events(events, "EndpointSlice", &row.name, now, &mut out);
        out
    }

    fn schema() -> Option<&'static Schema> {
        None
    }

    /// (ready, not ready) endpoints per Service.
    fn publish(rows: &Rows<EndpointSliceRow>, snapshot: &mut Snapshot) {
        let mut per: HashMap<(Text, Text), (u32, u32)> = HashMap::new();
        for e in rows.rows.iter().filter(|e| !e.service.is_empty()) {
            let n = per
                .entry((e.namespace.clone(), e.service.clone()))
                .or_default();
            n.0 += e.ready;
            n.1 += e.not_ready;
        }
        snapshot.endpoints_per_service = Arc::new(per);
    }
}

impl Row for EndpointSliceRow {
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> Key {
        (self.namespace.clone(), self.name.clone())
    }
}

impl Fields for EndpointSliceRow {
    fn field<'a>(&'a self, _: &str, _: &Ctx<'a>) -> Val<'a> {
        Val::Str("")
    }
}
