//! How each kind is read from an API server: its kube-rs `Api` (namespaced
//! in one namespace or all, or cluster-scoped, from the object type's own
//! scope), its watcher into the store, and the GET behind a describe. Made
//! from the core's kind list (`for_each_kind!`), in `REGISTRY`'s order.
//! Two kinds read differently: pods are read sparsely off the wire (and,
//! with only a node in focus, by field selector in every namespace), and
//! events come from events.k8s.io/v1 where core/v1 is refused or not served.

use std::any::TypeId;
use std::marker::PhantomData;

use futures::future::BoxFuture;
use k8s_openapi::api::events::v1::Event as EventsV1Event;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope};
use kube::{Api, Client};
use tokio::sync::mpsc;

use super::store::Change;
use super::watch::Focus;
use super::watcher;
use crate::kinds::event::Events;
use crate::kinds::intern::Interner;
use crate::kinds::pod::Pods;
use crate::kinds::project::WatchedPod;
use crate::kinds::rows::EventRow;
use crate::kinds::*;

/// A kind, as the cluster layer reads it.
pub trait Source: Send + Sync {
    /// Watches into the store until aborted.
    fn watch(
        &self,
        client: Client,
        namespace: Option<String>,
        focus: Focus,
        id: KindId,
        tx: mpsc::Sender<Change>,
    ) -> BoxFuture<'static, ()>;
    /// GET one object and describe it.
    fn detail(
        &self,
        client: Client,
        namespace: String,
        name: String,
        events: Vec<EventRow>,
        now: i64,
    ) -> BoxFuture<'static, Result<Vec<String>, String>>;
}

/// An object type's `Api` by its scope: namespaced types in one namespace
/// or all, cluster-scoped ones always all.
pub trait ApiScope {
    fn api<O>(client: &Client, namespace: Option<&str>) -> Api<O>
    where
        O: kube::Resource<Scope = Self, DynamicType = ()>;
}

impl ApiScope for NamespaceResourceScope {
    fn api<O>(client: &Client, namespace: Option<&str>) -> Api<O>
    where
        O: kube::Resource<Scope = Self, DynamicType = ()>,
    {
        match namespace {
            Some(ns) => Api::namespaced(client.clone(), ns),
            None => Api::all(client.clone()),
        }
    }
}

impl ApiScope for ClusterResourceScope {
    fn api<O>(client: &Client, _: Option<&str>) -> Api<O>
    where
        O: kube::Resource<Scope = Self, DynamicType = ()>,
    {
        Api::all(client.clone())
    }
}

/// The `Api` of objects of type `O`, in `namespace` where `O` is namespaced.
pub fn api<O>(client: &Client, namespace: Option<&str>) -> Api<O>
where
    O: kube::Resource<DynamicType = ()>,
    O::Scope: ApiScope,
{
    <O::Scope as ApiScope>::api::<O>(client, namespace)
}

struct Src<K>(PhantomData<K>);

impl<K: Kind> Src<K> {
    const NEW: Src<K> = Src(PhantomData);
}

impl<K> Source for Src<K>
where
    K: Kind,
    <K::Object as kube::Resource>::Scope: ApiScope,
{
    fn watch(
        &self,
        client: Client,
        namespace: Option<String>,
        focus: Focus,
        id: KindId,
        tx: mpsc::Sender<Change>,
    ) -> BoxFuture<'static, ()> {
        if TypeId::of::<K>() == TypeId::of::<Pods>() {
            return Box::pin(watch_pods(client, namespace, focus, id, tx));
        }
        if TypeId::of::<K>() == TypeId::of::<Events>() {
            return Box::pin(watch_events(client, namespace, id, tx));
        }
        let api = api::<K::Object>(&client, namespace.as_deref());
        Box::pin(watcher::watch::<K>(api, id, namespace, None, tx))
    }

    fn detail(
        &self,
        client: Client,
        namespace: String,
        name: String,
        events: Vec<EventRow>,
        now: i64,
    ) -> BoxFuture<'static, Result<Vec<String>, String>> {
        Box::pin(async move {
            let ns = (!namespace.is_empty()).then_some(namespace.as_str());
            let object = api::<K::Object>(&client, ns)
                .get(&name)
                .await
                .map_err(|e| super::connect::describe(&e))?;
            Ok(K::describe(&object, &events, now))
        })
    }
}

macro_rules! sources {
    ($($kind:ident :: $ty:ident),*) => {
        /// Every kind's source, in `REGISTRY`'s order.
        static SOURCES: &[&dyn Source] = &[$(&Src::<crate::kinds::$kind::$ty>::NEW),*];
    };
}
runbook_core::for_each_kind!(sources);

/// The source of kind `id`.
pub fn get(id: KindId) -> &'static dyn Source {
    SOURCES[id.index()]
}

/// Pods, read sparsely off the wire (the same rows, a fraction of the
/// work); with only a node in focus, the pods on that node in every
/// namespace.
async fn watch_pods(
    client: Client,
    namespace: Option<String>,
    focus: Focus,
    id: KindId,
    tx: mpsc::Sender<Change>,
) {
    let (_, fields) = focus.watch_scope();
    let api: Api<WatchedPod> = api(&client, namespace.as_deref());
    watcher::watch_with(
        api,
        id,
        namespace,
        fields,
        tx,
        |p: &WatchedPod, strings: &mut Interner| Pods::project(&p.0, strings),
    )
    .await;
}

/// Events from core/v1, or from events.k8s.io/v1 where the role may read
/// only those (core answers 403) or core events are not served (404).
async fn watch_events(client: Client, ns: Option<String>, id: KindId, tx: mpsc::Sender<Change>) {
    let core: Api<k8s_openapi::api::core::v1::Event> = api(&client, ns.as_deref());
    let one = kube::api::ListParams::default().limit(1);
    let core_refused = matches!(
        core.list(&one).await,
        Err(kube::Error::Api(s)) if s.code == 403 || s.code == 404
    );
    let v1: Api<EventsV1Event> = api(&client, ns.as_deref());
    if core_refused && v1.list(&one).await.is_ok() {
        tracing::info!("core/v1 events refused; watching events.k8s.io/v1");
        watcher::watch_with(v1, id, ns, None, tx, |e, _| {
            crate::kinds::project::event_row_v1(e)
        })
        .await;
    } else {
        watcher::watch::<Events>(core, id, ns, None, tx).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_source() {
        assert_eq!(SOURCES.len(), REGISTRY.len());
    }
}
