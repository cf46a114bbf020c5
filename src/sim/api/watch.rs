//! Watches: a chunked stream of JSON lines, one event each.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use super::read::{Filter, present};
use super::resources::Resource;
use super::status::{ApiError, status_body};
use super::table;
use super::{Params, SimState, Target, is_true};
use crate::sim::cluster::store::{Change, ChangeType};

/// The API server sends a bookmark about once a minute; sooner here so
/// short drills and tests see them.
const BOOKMARK_EVERY: Duration = Duration::from_secs(5);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

struct Stream {
    resource: &'static Resource,
    namespace: Option<String>,
    filter: Filter,
    table: bool,
    tx: mpsc::Sender<Result<Bytes, Infallible>>,
}

impl Stream {
    fn matches(&self, object: &Value) -> bool {
        let ns_ok = match &self.namespace {
            Some(ns) => object["metadata"]["namespace"].as_str() == Some(ns),
            None => true,
        };
        object["kind"].as_str() == Some(self.resource.kind) && ns_ok && self.filter.matches(object)
    }

    async fn send(&self, kind: &str, object: &Value) -> bool {
        let object = if kind == "ERROR" || kind == "BOOKMARK" {
            object.clone()
        } else {
            let shown = present(self.resource, object);
            if self.table {
                let rv = shown["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                table::table(self.resource, &[shown], &rv, None, jiff::Timestamp::now())
            } else {
                shown
            }
        };
        let mut line = json!({ "type": kind, "object": object }).to_string();
        line.push('\n');
        self.tx.send(Ok(Bytes::from(line))).await.is_ok()
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Value {
        let mut metadata = json!({ "resourceVersion": rv.to_string() });
        if initial_end {
            metadata["annotations"] = json!({ "k8s.io/initial-events-end": "true" });
        }
        json!({
            "kind": self.resource.kind,
            "apiVersion": self.resource.api_version(),
            "metadata": metadata,
        })
    }

    /// What a change looks like through this watch's filters.
    fn view(&self, change: &Change) -> Option<(&'static str, Arc<Value>)> {
        let now = self.matches(&change.object);
        let before = change.previous.as_ref().is_some_and(|p| self.matches(p));
        match change.change {
            ChangeType::Added if now => Some(("ADDED", change.object.clone())),
            ChangeType::Deleted if before => Some(("DELETED", change.object.clone())),
            ChangeType::Modified if now && before => Some(("MODIFIED", change.object.clone())),
            ChangeType::Modified if now => Some(("ADDED", change.object.clone())),
            ChangeType::Modified if before => Some(("DELETED", change.object.clone())),
            _ => None,
        }
    }
}

fn expired(rv: &str) -> Value {
    status_body(
        410,
        "Expired",
        &format!("too old resource version: {rv}"),
        None,
    )
}

pub(crate) fn serve(
    state: Arc<SimState>,
    target: &Target,
    params: &Params,
    table: bool,
) -> Result<Response, ApiError> {
    if target.name.is_some() || target.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let filter = Filter::from_params(params)?;
    let bookmarks = is_true(params.get("allowWatchBookmarks"));
    let initial_events = is_true(params.get("sendInitialEvents"));
    // `timeout` is a Go duration (kubectl --request-timeout sends it).
    let timeout = match (params.get("timeoutSeconds"), params.get("timeout")) {
        (Some(t), _) => Duration::from_secs(
            t.parse::<u64>()
                .map_err(|_| ApiError::bad_request("timeoutSeconds must be a number"))?,
        ),
        (None, Some(t)) => humantime::parse_duration(t)
            .map_err(|_| ApiError::bad_request(format!("invalid timeout {t:?}")))?,
        (None, None) => DEFAULT_TIMEOUT,
    };
    let requested = params.get("resourceVersion").cloned().unwrap_or_default();
    let from = match requested.as_str() {
        "" | "0" => None,
        rv => Some(
            rv.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {rv}")))?,
        ),
    };

    let (tx, rx) = mpsc::channel(64);
    let stream = Stream {
        resource: target.resource,
        namespace: target.namespace.clone(),
        filter,
        table,
        tx,
    };

    // Everything the stream starts from is taken under one lock with the
    // subscription, so no change falls between them.
    let start = {
        let cluster = state.cluster();
        let store = &cluster.store;
        match from {
            Some(rv) if !initial_events => store
                .changes_since(rv)
                .map(|(backlog, rx)| (Vec::new(), backlog, rx, rv)),
            _ => {
                let (objects, rv, rx) =
                    store.snapshot_and_subscribe(target.resource.kind, target.namespace.as_deref());
                Some((objects, Vec::new(), rx, rv))
            }
        }
    };

    tokio::spawn(async move {
        let Some((initial, backlog, live, rv)) = start else {
            stream.send("ERROR", &expired(&requested)).await;
            return;
        };
        run(
            state,
            stream,
            initial,
            backlog,
            live,
            rv,
            bookmarks,
            initial_events,
            timeout,
        )
        .await;
    });

    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::TRANSFER_ENCODING, "chunked")
        .body(body)
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                e.to_string(),
            )
        })
}

#[allow(clippy::too_many_arguments)]
async fn run(
    state: Arc<SimState>,
    stream: Stream,
    initial: Vec<Arc<Value>>,
    backlog: Vec<Arc<Change>>,
    mut live: broadcast::Receiver<Arc<Change>>,
    mut last_rv: u64,
    bookmarks: bool,
    initial_events: bool,
    timeout: Duration,
) {
    for object in initial.iter().filter(|o| stream.matches(o)) {
        if !stream.send("ADDED", object).await {
            return;
        }
    }
    if initial_events
        && !stream
            .send("BOOKMARK", &stream.bookmark(last_rv, true))
            .await
    {
        return;
    }
    for change in &backlog {
        last_rv = change.rv;
        if let Some((kind, object)) = stream.view(change)
            && !stream.send(kind, &object).await
        {
            return;
        }
    }
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let mut ticker = tokio::time::interval(BOOKMARK_EVERY);
    ticker.tick().await;
    loop {
        tokio::select! {
            _ = &mut deadline => return,
            _ = state.interrupted() => return,
            _ = stream.tx.closed() => return,
            _ = ticker.tick(), if bookmarks => {
                if !stream.send("BOOKMARK", &stream.bookmark(last_rv, false)).await {
                    return;
                }
            }
            received = live.recv() => match received {
                Ok(change) => {
                    last_rv = change.rv;
                    if let Some((kind, object)) = stream.view(&change)
                        && !stream.send(kind, &object).await
                    {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Too slow a reader loses its place, as with a compacted
                    // etcd: the client must list again.
                    stream.send("ERROR", &expired(&last_rv.to_string())).await;
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}
