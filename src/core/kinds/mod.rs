//! The kind registry, in the pure core: every kind the panes, checks and
//! simulator know is declared once, in a module of its own (its object
//! type, the projected row with its key and sort, the columns as kubectl
//! prints them and as the panes show them, the filter text, the
//! describe-style detail, the check fields). The store, the snapshot, the
//! pane tabs, the check roots, `validate` and the simulator's `kubectl get`
//! tables all read `REGISTRY`; how a kind is read from an API server (its
//! kube-rs `Api` and watcher) is the cluster layer's `sources`, built from
//! the same list (`for_each_kind!`). Nothing here touches the network.
//! Adding a kind: a module here, a line in `for_each_kind!`, and its
//! resource in the simulator's discovery (docs/architecture.md).

pub mod columns;
pub mod common;
pub mod describe;
pub mod describe_node;
pub mod format;
pub mod intern;
pub mod labels;
pub mod project;
pub mod rows;
pub mod schema;
pub mod selector;
pub mod snapshot;

pub mod configmap;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod endpointslice;
pub mod event;
pub mod hpa;
pub mod ingress;
pub mod job;
mod keys_only;
pub mod networkpolicy;
pub mod node;
pub mod pdb;
pub mod pod;
pub mod pv;
pub mod pvc;
pub mod replicaset;
pub mod secret;
pub mod service;
pub mod statefulset;
pub mod storageclass;
pub mod workload;

use std::any::Any;
use std::cmp::Ordering;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;

pub use columns::{Cell, Column, Tone, Width};
pub use schema::{Ctx, Fields, Schema, Ty, Val};

use intern::{Interner, Text};
use labels::Labels;
use rows::EventRow;
use snapshot::{ResourceState, Rows, Snapshot};

/// Namespace and name (an empty namespace for cluster-scoped kinds): a
/// row's key in the store. Pod keys share the row's own text.
pub type Key = (Text, Text);

/// Which rows of a kind a playbook's focus takes in (the panes and the
/// checks use the same rule: `Scope::admits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// Cluster-scoped: nodes, volumes, storage classes; never narrowed.
    Cluster,
    /// The focus namespace.
    Namespaced,
    /// The focus namespace and label selector (pods).
    Selected,
    /// The focus namespace, and what happened to the focus node (events).
    Regarding,
}

/// How a kind is named in playbooks, checks and panes.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// The pane's name in a playbook's `panes:` and the check root: `pvcs`.
    pub name: &'static str,
    /// The pane's title: `PVCs`.
    pub title: &'static str,
    pub scope: ScopeRule,
    /// Kinds whose rows this one's values or cells read (a Service's
    /// endpoints come from EndpointSlices): watched along with it.
    pub needs: &'static [&'static str],
}

/// A row of any kind: its key, its text for the `/` filter, and its values
/// for checks.
pub trait Row: Any + Fields + Send + Sync + Debug + 'static {
    fn namespace(&self) -> &str;
    fn name(&self) -> &str;
    /// The store's key. Rows that hold their namespace and name as `Text`
    /// give their own copies, so the key costs no allocation.
    fn key(&self) -> Key {
        (Text::from(self.namespace()), Text::from(self.name()))
    }
    fn labels(&self) -> Option<&Labels> {
        None
    }
    /// (kind, name) of the object an event is about.
    fn regarding(&self) -> Option<(&str, &str)> {
        None
    }
    /// Whether the `/` filter keeps it: its name, and its kind's own words.
    fn matches(&self, filter: &str) -> bool {
        self.name().contains(filter)
    }
}

/// One kind, typed. Each kind module implements it on a unit struct.
pub trait Kind: Sized + Send + Sync + 'static {
    type Object: k8s_openapi::Resource
        + k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>
        + Clone
        + DeserializeOwned
        + Debug
        + Send
        + Sync
        + 'static;
    type Row: Row;
    const META: Meta;

    fn project(object: &Self::Object, strings: &mut Interner) -> Self::Row;
    /// Display order: trouble first where the kind has a notion of it.
    fn order(a: &Self::Row, b: &Self::Row) -> Ordering {
        (a.namespace(), a.name()).cmp(&(b.namespace(), b.name()))
    }
    fn columns() -> &'static [Column];
    /// One cell per column. `object` is there only in the simulator's
    /// tables, for the columns the row does not keep (a pod's IP).
    fn cells(row: &Self::Row, object: Option<&Self::Object>, ctx: &Ctx) -> Vec<Cell>;
    fn describe(object: &Self::Object, events: &[EventRow], now: i64) -> Vec<String>;
    fn schema() -> Option<&'static Schema>;
    /// Derived data the snapshot carries for this kind (pods per node).
    fn publish(rows: &Rows<Self::Row>, snapshot: &mut Snapshot) {
        let _ = (rows, snapshot);
    }
}

/// A kind's place in `REGISTRY`. Only the registry makes one (`id`,
/// `id_of`, `by_kind`, `KindId::all`), so every id names a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KindId(u8);

impl KindId {
    /// Its place in `REGISTRY` (and in anything kept per kind).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// Every kind, in the registry's order.
    pub fn all() -> impl Iterator<Item = KindId> {
        (0..REGISTRY.len()).map(|i| KindId(i as u8))
    }
}

/// A kind with its types erased, as the store, panes and checks use it.
pub trait DynKind: Send + Sync {
    fn meta(&self) -> Meta;
    /// `Pod`, `PersistentVolumeClaim`.
    fn kind(&self) -> &'static str;
    /// The RBAC resource: `persistentvolumeclaims`.
    fn plural(&self) -> &'static str;
    fn group(&self) -> &'static str;
    fn namespaced(&self) -> bool;
    fn columns(&self) -> &'static [Column];
    fn schema(&self) -> Option<&'static Schema>;
    fn empty(&self, state: ResourceState) -> Arc<dyn AnyRows>;
    /// The sorted rows of a table of `Arc<K::Row>`s.
    fn collect(
        &self,
        rows: Vec<Arc<dyn Any + Send + Sync>>,
        state: ResourceState,
    ) -> Arc<dyn AnyRows>;
    fn publish(&self, rows: &dyn AnyRows, snapshot: &mut Snapshot);
    fn cells(&self, row: &dyn Row, ctx: &Ctx) -> Vec<Cell>;
    /// An object given as JSON, projected as its watcher would (tests,
    /// fixtures and tools feed the store with these).
    fn row_json(
        &self,
        object: &serde_json::Value,
        strings: &mut Interner,
    ) -> Result<(Key, Arc<dyn Any + Send + Sync>), String>;
    /// A `kubectl get` Table's cells for an object given as JSON.
    fn print(&self, object: &serde_json::Value, now: i64) -> Result<Vec<Cell>, String>;
    /// Describes an object given as JSON.
    fn describe_json(
        &self,
        object: &serde_json::Value,
        events: &[EventRow],
        now: i64,
    ) -> Result<Vec<String>, String>;
}

/// The rows of one kind in a snapshot, typed inside.
pub trait AnyRows: Any + Send + Sync + Debug {
    fn state(&self) -> &ResourceState;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn row(&self, i: usize) -> Option<&dyn Row>;
    fn iter(&self) -> Box<dyn Iterator<Item = &dyn Row> + '_>;
    fn as_any(&self) -> &dyn Any;
    /// The rows' allocation, so a check can tell an unchanged list.
    fn identity(&self) -> Arc<dyn Any + Send + Sync>;
}

impl<R: Row> AnyRows for Rows<R> {
    fn state(&self) -> &ResourceState {
        &self.state
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn row(&self, i: usize) -> Option<&dyn Row> {
        self.rows.get(i).map(|r| &**r as &dyn Row)
    }
    fn iter(&self) -> Box<dyn Iterator<Item = &dyn Row> + '_> {
        Box::new(self.rows.iter().map(|r| &**r as &dyn Row))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn identity(&self) -> Arc<dyn Any + Send + Sync> {
        self.rows.clone()
    }
}

struct Reg<K>(PhantomData<K>);

impl<K: Kind> Reg<K> {
    const NEW: Reg<K> = Reg(PhantomData);
}

fn typed<K: Kind>(row: &dyn Row) -> Option<&K::Row> {
    (row as &dyn Any).downcast_ref::<K::Row>()
}

impl<K: Kind> DynKind for Reg<K> {
    fn meta(&self) -> Meta {
        K::META
    }
    fn kind(&self) -> &'static str {
        <K::Object as k8s_openapi::Resource>::KIND
    }
    fn plural(&self) -> &'static str {
        <K::Object as k8s_openapi::Resource>::URL_PATH_SEGMENT
    }
    fn group(&self) -> &'static str {
        <K::Object as k8s_openapi::Resource>::GROUP
    }
    fn namespaced(&self) -> bool {
        K::META.scope != ScopeRule::Cluster
    }
    fn columns(&self) -> &'static [Column] {
        K::columns()
    }
    fn schema(&self) -> Option<&'static Schema> {
        K::schema()
    }
    fn empty(&self, state: ResourceState) -> Arc<dyn AnyRows> {
        Arc::new(Rows::<K::Row> {
            state,
            rows: Arc::default(),
        })
    }
    fn collect(
        &self,
        rows: Vec<Arc<dyn Any + Send + Sync>>,
        state: ResourceState,
    ) -> Arc<dyn AnyRows> {
        let mut typed: Vec<Arc<K::Row>> = rows
            .into_iter()
            .filter_map(|r| r.downcast::<K::Row>().ok())
            .collect();
        typed.sort_by(|a, b| K::order(a, b));
        Arc::new(Rows {
            state,
            rows: Arc::new(typed),
        })
    }
    fn publish(&self, rows: &dyn AnyRows, snapshot: &mut Snapshot) {
        if let Some(rows) = rows.as_any().downcast_ref::<Rows<K::Row>>() {
            K::publish(rows, snapshot);
        }
    }
    fn cells(&self, row: &dyn Row, ctx: &Ctx) -> Vec<Cell> {
        typed::<K>(row).map_or_else(Vec::new, |r| K::cells(r, None, ctx))
    }
    fn row_json(
        &self,
        object: &serde_json::Value,
        strings: &mut Interner,
    ) -> Result<(Key, Arc<dyn Any + Send + Sync>), String> {
        let typed: K::Object = serde_json::from_value(object.clone()).map_err(|e| e.to_string())?;
        let row = K::project(&typed, strings);
        Ok((row.key(), Arc::new(row)))
    }
    fn print(&self, object: &serde_json::Value, now: i64) -> Result<Vec<Cell>, String> {
        let typed: K::Object = serde_json::from_value(object.clone()).map_err(|e| e.to_string())?;
        let row = K::project(&typed, &mut Interner::new());
        Ok(K::cells(&row, Some(&typed), &Ctx::new(now, None)))
    }
    fn describe_json(
        &self,
        object: &serde_json::Value,
        events: &[EventRow],
        now: i64,
    ) -> Result<Vec<String>, String> {
        let typed: K::Object = serde_json::from_value(object.clone()).map_err(|e| e.to_string())?;
        Ok(K::describe(&typed, events, now))
    }
}

/// Calls `$then!` with every kind, in the order the panes list them after
/// a playbook's own: the one list `REGISTRY` and the cluster layer's
/// sources are both made from, so they cannot disagree.
#[macro_export]
macro_rules! for_each_kind {
    ($then:ident) => {
        $then! {
            pod::Pods,
            event::Events,
            node::Nodes,
            deployment::Deployments,
            statefulset::StatefulSets,
            daemonset::DaemonSets,
            job::Jobs,
            cronjob::CronJobs,
            replicaset::ReplicaSets,
            service::Services,
            endpointslice::EndpointSlices,
            ingress::Ingresses,
            pvc::Pvcs,
            pv::Pvs,
            storageclass::StorageClasses,
            hpa::Hpas,
            pdb::Pdbs,
            networkpolicy::NetworkPolicies,
            configmap::ConfigMaps,
            secret::Secrets
        }
    };
}

/// A kind in `REGISTRY`, with its place there: `id::<K>()` is total.
pub trait Registered: Kind {
    const INDEX: u8;
}

macro_rules! registry {
    ($($kind:ident :: $ty:ident),*) => {
        /// Every kind, in the order the panes list them after a playbook's own.
        pub static REGISTRY: &[&dyn DynKind] = &[$(&Reg::<$kind::$ty>::NEW),*];
        registered!(0u8; $($kind::$ty),*);
    };
}

macro_rules! registered {
    ($at:expr; $kind:ident :: $ty:ident $(, $rest_kind:ident :: $rest_ty:ident)*) => {
        impl Registered for $kind::$ty {
            const INDEX: u8 = $at;
        }
        registered!($at + 1; $($rest_kind::$rest_ty),*);
    };
    ($at:expr;) => {};
}
for_each_kind!(registry);

/// The panes a playbook gets when it names none: pods, events, nodes, then
/// the workloads.
pub const DEFAULT_PANES: &[&str] = &[
    "pods",
    "events",
    "nodes",
    "deployments",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
];

/// The registry's place of the kind named `name` (`pvcs`).
/// Every pane's name, in the registry's order (what a playbook may name).
pub fn pane_names() -> Vec<&'static str> {
    REGISTRY.iter().map(|k| k.meta().name).collect()
}

pub fn id_of(name: &str) -> Option<KindId> {
    KindId::all().find(|id| get(*id).meta().name == name)
}

/// The kind whose Kubernetes kind is `kind` (`PersistentVolumeClaim`).
pub fn by_kind(kind: &str) -> Option<KindId> {
    KindId::all().find(|id| get(*id).kind() == kind)
}

/// The registry's place of `K`, which `for_each_kind!` made sure it has.
pub fn id<K: Registered>() -> KindId {
    KindId(K::INDEX)
}

pub fn get(id: KindId) -> &'static dyn DynKind {
    REGISTRY[id.index()]
}

/// The kinds a check can read, by root name.
pub fn roots() -> impl Iterator<Item = (&'static str, &'static Schema)> {
    REGISTRY
        .iter()
        .filter_map(|k| k.schema().map(|s| (k.meta().name, s)))
}

/// `kinds` and every kind they need, without repeats.
pub fn with_needs(kinds: impl IntoIterator<Item = KindId>) -> Vec<KindId> {
    let mut out: Vec<KindId> = Vec::new();
    let mut todo: Vec<KindId> = kinds.into_iter().collect();
    while let Some(k) = todo.pop() {
        if out.contains(&k) {
            continue;
        }
        out.push(k);
        todo.extend(get(k).meta().needs.iter().filter_map(|n| id_of(n)));
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `id::<K>()` is the place `REGISTRY` gives `K`, for every kind.
    #[test]
    fn each_kinds_id_is_its_place_in_the_registry() {
        macro_rules! check {
            ($($kind:ident :: $ty:ident),*) => {
                $(assert_eq!(
                    get(id::<$kind::$ty>()).meta().name,
                    <$kind::$ty as Kind>::META.name
                );)*
            };
        }
        for_each_kind!(check);
        assert_eq!(KindId::all().count(), REGISTRY.len());
    }

    #[test]
    fn names_kinds_and_roots_are_unique() {
        let mut names: Vec<&str> = REGISTRY.iter().map(|k| k.meta().name).collect();
        let mut kinds: Vec<&str> = REGISTRY.iter().map(|k| k.kind()).collect();
        names.sort_unstable();
        names.dedup();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(names.len(), REGISTRY.len());
        assert_eq!(kinds.len(), REGISTRY.len());
        for k in REGISTRY {
            let cols = k.columns();
            assert!(
                cols.iter().any(|c| c.width == Width::Name),
                "{} has a NAME column",
                k.meta().name
            );
            for need in k.meta().needs {
                assert!(id_of(need).is_some(), "{need} is registered");
            }
        }
        for pane in DEFAULT_PANES {
            assert!(id_of(pane).is_some(), "{pane}");
        }
    }
}
