//! One kube-rs watcher for one kind, each item projected into a row at once
//! (the object is dropped right away). Watching never ends on an error:
//! errors become a visible state and the stream is rebuilt with backoff.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use kube::Api;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;

use crate::cluster::store::Change;
use crate::kinds::intern::Interner;
use crate::kinds::{self, Kind, KindId, Row};

/// Watches `api` into the store as kind `id`, until the task is aborted.
pub async fn watch<K: Kind>(
    api: Api<K::Object>,
    id: KindId,
    namespace: Option<String>,
    fields: Option<String>,
    tx: mpsc::Sender<Change>,
) {
    watch_with(api, id, namespace, fields, tx, K::project).await;
}

/// `watch`, with the projection given (events project two object types).
pub async fn watch_with<O, R>(
    api: Api<O>,
    id: KindId,
    namespace: Option<String>,
    fields: Option<String>,
    tx: mpsc::Sender<Change>,
    project: impl Fn(&O, &mut Interner) -> R,
) where
    O: kube::Resource<DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug
        + Send
        + 'static,
    R: Row,
{
    // After an error the watcher is rebuilt, so recovery is always a fresh
    // list ending in InitDone: a resumed watch would give no sign that the
    // data is live again. The delay backs off to 30 s and resets on success.
    let mut delay = Duration::from_millis(500);
    let mut strings = Interner::new();
    let row = |o: &O, strings: &mut Interner| {
        let row = project(o, strings);
        let key = row.key();
        (key, Arc::new(row) as Arc<dyn Any + Send + Sync>)
    };
    loop {
        let mut config = watcher::Config::default().page_size(500).any_semantic();
        if let Some(fields) = &fields {
            config = config.fields(fields);
        }
        let mut stream = watcher::watcher(api.clone(), config).boxed();
        while let Some(item) = stream.next().await {
            let change = match item {
                Ok(Event::Init) => Change::Init(id),
                Ok(Event::InitApply(o)) => {
                    let (key, r) = row(&o, &mut strings);
                    Change::InitApply(id, key, r)
                }
                Ok(Event::InitDone) => {
                    delay = Duration::from_millis(500);
                    Change::InitDone(id)
                }
                Ok(Event::Apply(o)) => {
                    let (key, r) = row(&o, &mut strings);
                    Change::Apply(id, key, r)
                }
                Ok(Event::Delete(o)) => {
                    let (key, _) = row(&o, &mut strings);
                    Change::Delete(id, key)
                }
                Err(e) => {
                    tracing::warn!("{} watch: {e}", kinds::get(id).plural());
                    let state = crate::cluster::watch::classify(id, namespace.as_deref(), &e);
                    if tx.send(Change::Failed(id, state)).await.is_err() {
                        return;
                    }
                    break;
                }
            };
            if tx.send(change).await.is_err() {
                return;
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(30));
    }
}
