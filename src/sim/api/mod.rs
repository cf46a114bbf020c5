//! The Kubernetes API over HTTP: routing API paths to the handlers
//! (discovery, read, watch, logs, writes, metrics.k8s.io), the faults a
//! scenario injects, and the audit log. Every handler reaches the cluster
//! through [`SimState::cluster`], its one lock.

pub mod alertmanager;
mod auth;
mod events_v1;
mod health;
mod hpa_v1;
mod kinds;
mod logs;
mod metrics;
mod openapi;
pub mod patch;
mod protobuf;
mod read;
pub mod resources;
pub mod status;
pub mod strict;
pub mod table;
pub mod validation;
mod watch;
mod write;
pub mod write_log;

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::sim::cluster::Cluster;
use resources::Resource;
use status::{ApiError, json_response};

/// Everything the handlers share.
pub(crate) struct SimState {
    pub cluster: Mutex<Cluster>,
    pub forbidden: Vec<String>,
    pub require_token: Option<String>,
    /// True while an outage window is open.
    pub outage: tokio::sync::watch::Sender<bool>,
    /// True once the simulator is shutting down; long requests end.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    pub audit: Option<Mutex<std::fs::File>>,
    pub server_address: String,
    /// The scenario's alerts, served at `/api/v2/alerts`.
    pub alerts: Vec<crate::sim::scenario::Alert>,
    pub silences: Mutex<Vec<alertmanager::Silence>>,
    /// Every change made, in order (a drill's report lists them).
    pub writes: Mutex<Vec<write_log::SimWrite>>,
    /// Why the simulation stopped: a panic in one of its tasks, caught.
    /// From then on every request is answered 503 with the reason (the
    /// app's panes show it), and the cluster is not run any further.
    pub stopped: Mutex<Option<String>>,
    /// Test hook: the next request panics with this text (a bug that
    /// still panics, to prove the drill survives it).
    pub panic_next: Mutex<Option<String>>,
}

impl SimState {
    /// The cluster, brought up to its clock: whatever came due since the
    /// last request (a crash, a restart, a timed phase) has happened.
    pub fn cluster(&self) -> MutexGuard<'_, Cluster> {
        // A panic while holding the lock leaves the store consistent (each
        // write is one insert), so a poisoned lock is still usable.
        let mut cluster = self.cluster.lock().unwrap_or_else(|p| p.into_inner());
        // A stopped simulation is not run again (what panicked would again).
        if self.stopped().is_some() {
            return cluster;
        }
        cluster.catch_up();
        let down = cluster.outage();
        self.outage.send_if_modified(|o| {
            let changed = *o != down;
            *o = down;
            changed
        });
        cluster
    }

    pub fn stopped(&self) -> Option<String> {
        self.stopped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Ends the simulation after a caught panic: long requests end (as in
    /// an outage) and every request from now on is answered 503.
    pub fn stop(&self, reason: String) {
        tracing::error!("the drill's simulator stopped: {reason}");
        let mut stopped = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        stopped.get_or_insert(reason);
        drop(stopped);
        self.outage.send_replace(true);
    }

    pub fn silences(&self) -> MutexGuard<'_, Vec<alertmanager::Silence>> {
        self.silences.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A future that resolves when a long request (watch, log follow) must end.
    pub async fn interrupted(&self) {
        let mut outage = self.outage.subscribe();
        let mut shutdown = self.shutdown.subscribe();
        tokio::select! {
            _ = outage.wait_for(|o| *o) => {}
            _ = shutdown.wait_for(|s| *s) => {}
        }
    }
}

pub(crate) type Params = HashMap<String, String>;

/// A request for a resource: `/api/v1/namespaces/shop/pods/web-1/log`.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub resource: &'static Resource,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

enum Route {
    Version,
    /// `/healthz`, `/readyz`, `/livez`, or one of their checks.
    Health(String, Option<String>),
    /// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`.
    AccessReview,
    /// `POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews`.
    RulesReview,
    /// `/openapi/v2`, `/openapi/v3`, `/openapi/v3/<group-version path>`.
    OpenApi(Option<String>),
    /// The drill's Alertmanager: `/api/v2/<rest>`.
    Alertmanager(String),
    Api,
    Apis,
    ResourceList(String, String),
    Resource(Target),
}

pub(crate) fn router(state: Arc<SimState>) -> Router {
    Router::new().fallback(guarded).with_state(state)
}

/// The text of a caught panic.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

/// [`handle`] with its panics caught: a bug that still panics ends the
/// simulation (answered 500 once, then 503 with the reason) instead of
/// the task, the server, or the app around it.
async fn guarded(
    State(state): State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    use futures::FutureExt;
    if let Some(reason) = state.stopped() {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            format!("simulator stopped: {reason}"),
        )
        .into_response();
    }
    let answer =
        std::panic::AssertUnwindSafe(handle(State(state.clone()), method, uri, headers, body))
            .catch_unwind()
            .await;
    match answer {
        Ok(response) => response,
        Err(panic) => {
            let reason = panic_text(&*panic);
            state.stop(reason.clone());
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                format!("simulator stopped: {reason}"),
            )
            .into_response()
        }
    }
}

/// One request answered in process, exactly as over HTTP but without a
/// socket (the fuzz tests send thousands); a panic is not caught here.
pub(crate) async fn in_process(
    state: Arc<SimState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(State(state), method, uri, headers, body).await
}

async fn handle(
    State(state): State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params: Params = Query::try_from_uri(&uri)
        .map(|Query(p)| p)
        .unwrap_or_default();
    let route = parse_route(uri.path());
    let verb = verb_of(&method, route.as_ref(), &params);
    let user = write_log::user_of(&headers);
    let dry = dry_run(&params);
    let sent = body.clone();
    let response = respond(&state, &method, route, verb, &params, &headers, body).await;
    audit(&state, verb, &uri, response.status());
    // A dry run may be said in a DELETE's or an eviction's body too; the
    // gateway's gate reads those as the API server does.
    let head = crate::cluster::gateway::gate::Head {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query(),
    };
    let dry = dry
        || matches!(
            crate::cluster::gateway::gate::classify(head, &sent),
            Ok(crate::cluster::gateway::gate::Kind::DryRun)
        );
    if write_log::is_change(verb, response.status(), dry) {
        let at = state.cluster().now().as_second();
        let mut writes = state.writes.lock().unwrap_or_else(|p| p.into_inner());
        writes.push(write_log::SimWrite {
            at,
            user,
            method: method.to_string(),
            path: uri.path().to_string(),
            body: sent,
            status: response.status().as_u16(),
        });
    }
    response
}

async fn respond(
    state: &Arc<SimState>,
    method: &Method,
    route: Option<Route>,
    verb: &'static str,
    params: &Params,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let injected = state
        .panic_next
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(text) = injected {
        panic!("{text}");
    }
    drop(state.cluster());
    if *state.outage.borrow() {
        return ApiError::unavailable().into_response();
    }
    if let Some(token) = &state.require_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.as_str()) {
            return ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized")
                .into_response();
        }
    }
    let Some(route) = route else {
        return ApiError::page_not_found().into_response();
    };
    let table = wants_table(headers);
    match route {
        Route::Version if method == Method::GET => version_response(),
        Route::AccessReview if method == Method::POST => {
            auth::access_review(&state.forbidden, &body)
        }
        Route::RulesReview if method == Method::POST => auth::rules_review(&state.forbidden, &body),
        Route::Health(endpoint, check) if method == Method::GET => {
            let verbose = params.contains_key("verbose");
            health::serve(&endpoint, check.as_deref(), verbose)
                .unwrap_or_else(|| ApiError::page_not_found().into_response())
        }
        Route::Alertmanager(path) => alertmanager::serve(state, method, &path, params, &body),
        Route::OpenApi(None) if method == Method::GET => {
            json_response(StatusCode::OK, &openapi::v2())
        }
        Route::OpenApi(Some(path)) if method == Method::GET => {
            let doc = if path.is_empty() {
                Some(openapi::v3_root())
            } else {
                openapi::v3_for(&path)
            };
            match doc {
                Some(doc) => json_response(StatusCode::OK, &doc),
                None => ApiError::page_not_found().into_response(),
            }
        }
        Route::Api if method == Method::GET => json_response(
            StatusCode::OK,
            &resources::api_versions(&state.server_address),
        ),
        Route::Apis if method == Method::GET => {
            let mut groups = resources::api_group_list();
            // metrics-server is a pod scraping kubelets: none without them.
            if !state.cluster().kubelet {
                resources::drop_group(&mut groups, metrics::GROUP);
            }
            json_response(StatusCode::OK, &groups)
        }
        Route::ResourceList(group, version) if method == Method::GET => json_response(
            StatusCode::OK,
            &resources::api_resource_list(&group, &version),
        ),
        Route::Resource(target) => {
            if let Some(denied) = forbidden(state, verb, &target) {
                return denied.into_response();
            }
            if hpa_v1::is_v1(target.resource)
                && target.subresource.is_none()
                && matches!(*method, Method::POST | Method::PUT | Method::PATCH)
            {
                return hpa_v1::write(state, method, &target, params, headers, &body).await;
            }
            let result = match (method.clone(), target.subresource.as_deref()) {
                _ if target.resource.group == metrics::GROUP && !state.cluster().kubelet => {
                    Err(ApiError::page_not_found())
                }
                _ if target.resource.group == metrics::GROUP => {
                    metrics::serve(state, method, &target, params)
                }
                (Method::GET, Some("log")) => logs::serve(state.clone(), &target, params),
                (Method::GET, _) if verb == "watch" => {
                    watch::serve(state.clone(), &target, params, table)
                }
                (Method::GET, _) => {
                    read::serve(state, &target, params, table, wants_metadata(headers))
                }
                (Method::PATCH, _) => write::patch(state, &target, params, headers, &body),
                (Method::PUT, _) => write::update(state, &target, params, &body),
                (Method::DELETE, _) => write::delete(state, &target, params, &body),
                (Method::POST, Some("eviction")) => write::evict(state, &target, params, &body),
                (Method::POST, _) => write::create(state, &target, params, &body),
                _ => Err(ApiError::method_not_allowed()),
            };
            let mut response = result.unwrap_or_else(IntoResponse::into_response);
            if let Some(warning) = deprecated(target.resource) {
                response.headers_mut().insert(
                    axum::http::header::WARNING,
                    axum::http::HeaderValue::from_static(warning),
                );
            }
            response
        }
        _ => ApiError::method_not_allowed().into_response(),
    }
}

/// The `Warning` header kube-apiserver v1.37.2 sends with every answer
/// about a deprecated resource (kubectl prints it on stderr).
fn deprecated(r: &Resource) -> Option<&'static str> {
    (r.group.is_empty() && r.plural == "endpoints").then_some(
        "299 - \"v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\"",
    )
}

fn forbidden(state: &SimState, verb: &str, target: &Target) -> Option<ApiError> {
    let r = target.resource;
    let sub = target.subresource.as_deref();
    let denied = auth::denies(&state.forbidden, r.group, r.plural, sub);
    denied.then(|| {
        let sub = sub.map(|s| format!("{}/{s}", r.plural));
        ApiError::forbidden(
            verb,
            r.group,
            sub.as_deref().unwrap_or(r.plural),
            target.namespace.as_deref(),
        )
    })
}

/// The Kubernetes audit verb of a request.
fn verb_of(method: &Method, route: Option<&Route>, params: &Params) -> &'static str {
    let target = match route {
        Some(Route::Resource(t)) => Some(t),
        _ => None,
    };
    let named = target.is_some_and(|t| t.name.is_some());
    match *method {
        Method::GET if target.is_none() => "get",
        Method::GET if is_true(params.get("watch")) => "watch",
        Method::GET if named => "get",
        Method::GET => "list",
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if named => "delete",
        Method::DELETE => "deletecollection",
        _ => "unknown",
    }
}

pub(crate) fn is_true(value: Option<&String>) -> bool {
    matches!(value.map(String::as_str), Some("1" | "true" | "True"))
}

pub(crate) fn dry_run(params: &Params) -> bool {
    params.get("dryRun").is_some_and(|v| v == "All")
}

/// `Accept: application/json;as=PartialObjectMetadataList;...`: kube-rs'
/// `list_metadata`, which the app counts a node's pods with.
fn wants_metadata(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("as=PartialObjectMetadataList"))
}

fn wants_table(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("as=Table"))
}

fn parse_route(path: &str) -> Option<Route> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segments.as_slice() {
        ["version"] => return Some(Route::Version),
        [endpoint @ ("healthz" | "readyz" | "livez"), check @ ..] => {
            let check = (!check.is_empty()).then(|| check.join("/"));
            return Some(Route::Health(endpoint.to_string(), check));
        }
        ["openapi", "v2"] => return Some(Route::OpenApi(None)),
        ["api", "v2", rest @ ..] => return Some(Route::Alertmanager(rest.join("/"))),
        ["openapi", "v3", rest @ ..] => return Some(Route::OpenApi(Some(rest.join("/")))),
        [
            "apis",
            "authorization.k8s.io",
            "v1",
            "selfsubjectaccessreviews",
        ] => {
            return Some(Route::AccessReview);
        }
        [
            "apis",
            "authorization.k8s.io",
            "v1",
            "selfsubjectrulesreviews",
        ] => {
            return Some(Route::RulesReview);
        }
        ["api"] => return Some(Route::Api),
        ["apis"] => return Some(Route::Apis),
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    if !resources::group_served(group, version) {
        return None;
    }
    let owned = |s: &&str| Some(s.to_string());
    let target = match rest {
        [] => return Some(Route::ResourceList(group.into(), version.into())),
        ["namespaces", ns, plural, tail @ ..]
            if resources::find(group, version, plural).is_some_and(|r| r.namespaced) =>
        {
            Target {
                resource: resources::find(group, version, plural)?,
                namespace: Some(ns.to_string()),
                name: tail.first().and_then(owned),
                subresource: match tail {
                    [_] | [] => None,
                    [_, sub] => Some(sub.to_string()),
                    _ => return None,
                },
            }
        }
        [plural, tail @ ..] => {
            let resource = resources::find(group, version, plural)?;
            if resource.namespaced && !tail.is_empty() {
                return None;
            }
            Target {
                resource,
                namespace: None,
                name: tail.first().and_then(owned),
                subresource: match tail {
                    [_] | [] => None,
                    [_, sub] => Some(sub.to_string()),
                    _ => return None,
                },
            }
        }
    };
    if let Some(sub) = &target.subresource
        && !target.resource.subresources.iter().any(|(s, _)| s == sub)
    {
        return None;
    }
    Some(Route::Resource(target))
}

/// `/version` as kube-apiserver v1.37.2 built from source answers it
/// (`tests/controlplane`): the gitCommit is the unexpanded placeholder a
/// build outside git leaves. Indented and in `version.Info`'s field order,
/// as the server writes it (`kubectl get --raw /version` shows it as is).
const VERSION: &[(&str, &str)] = &[
    ("major", "1"),
    ("minor", "37"),
    ("emulationMajor", "1"),
    ("emulationMinor", "37"),
    ("minCompatibilityMajor", "1"),
    ("minCompatibilityMinor", "36"),
    ("gitVersion", "v1.37.2"),
    ("gitCommit", "$Format:%H$"),
    ("gitTreeState", "clean"),
    ("buildDate", "2026-11-20T00:00:00Z"),
    ("goVersion", "go1.26.8"),
    ("compiler", "gc"),
    ("platform", "linux/amd64"),
];

fn version_response() -> Response {
    let fields: Vec<String> = VERSION
        .iter()
        .map(|(k, v)| format!("  {}: {}", json!(k), json!(v)))
        .collect();
    let body = format!("{{\n{}\n}}", fields.join(",\n"));
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// `<RFC3339 time> <VERB> <path?query> <status>`, one line per request.
fn audit(state: &SimState, verb: &str, uri: &Uri, status: StatusCode) {
    let Some(file) = &state.audit else {
        return;
    };
    let target = uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or_else(|| uri.path());
    let line = format!(
        "{} {verb} {target} {}\n",
        jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
        status.as_u16()
    );
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(err) = file.write_all(line.as_bytes()) {
        tracing::warn!("audit log write failed: {err}");
    }
}

#[cfg(test)]
mod tests;
