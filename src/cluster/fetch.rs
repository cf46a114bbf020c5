//! Full objects and logs, fetched on demand for the detail view (the panes
//! keep only rows).

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::LogParams;
use kube::{Api, Client};

use super::connect::describe as describe_err;
use crate::kinds::rows::EventRow;

/// Lines of logs fetched for the logs view.
pub const LOG_TAIL: i64 = 500;

pub async fn detail(
    client: &Client,
    kind: &str,
    namespace: &str,
    name: &str,
    events: &[EventRow],
    now: i64,
) -> Result<Vec<String>, String> {
    let Some(id) = crate::kinds::by_kind(kind) else {
        return Err(format!("no detail view for {kind}"));
    };
    let mut lines = super::sources::get(id)
        .detail(
            client.clone(),
            namespace.to_string(),
            name.to_string(),
            events.to_vec(),
            now,
        )
        .await?;
    if kind == "Node" {
        // Before the events, where kubectl puts them.
        let at = lines
            .iter()
            .position(|l| l.starts_with("Events:"))
            .unwrap_or(lines.len());
        let mut extras = Vec::new();
        node_extras(client, name, now, &mut extras).await;
        lines.splice(at..at, extras);
    }
    Ok(lines)
}

/// What `kubectl describe node` adds from other objects: the pods on the
/// node with their requests, and its Lease. Each says why when it cannot
/// be read (a viewer may not list pods cluster-wide).
async fn node_extras(client: &Client, name: &str, now: i64, out: &mut Vec<String>) {
    let node = Api::<Node>::all(client.clone())
        .get(name)
        .await
        .unwrap_or_default();
    let pods: Api<Pod> = Api::all(client.clone());
    let on_node = kube::api::ListParams::default().fields(&format!("spec.nodeName={name}"));
    match pods.list(&on_node).await {
        Ok(list) => crate::kinds::describe_node::pods(&node, &list.items, now, out),
        Err(e) => out.push(format!(
            "Non-terminated Pods: cannot list them: {}",
            describe_err(&e)
        )),
    }
    let leases: Api<Lease> = Api::namespaced(client.clone(), "kube-node-lease");
    let lease = leases.get_opt(name).await.ok().flatten();
    crate::kinds::describe_node::lease(lease.as_ref(), now, out);
}

/// The last lines of a pod's logs (its first container), sanitized.
pub async fn logs(
    client: &Client,
    namespace: &str,
    name: &str,
    previous: bool,
) -> Result<Vec<String>, String> {
    let params = LogParams {
        previous,
        tail_lines: Some(LOG_TAIL),
        ..LogParams::default()
    };
    let text = Api::<Pod>::namespaced(client.clone(), namespace)
        .logs(name, &params)
        .await
        .map_err(|e| describe_err(&e))?;
    Ok(crate::sanitize::block(&text)
        .lines()
        .map(str::to_string)
        .collect())
}

/// A pod's logs followed live (`kubectl logs -f --tail`): batches of
/// sanitized lines as they come, ending with why the stream stopped.
pub async fn follow_logs(
    client: &Client,
    namespace: &str,
    name: &str,
) -> Result<impl futures::Stream<Item = Result<Vec<String>, String>> + use<>, String> {
    use futures::{AsyncBufReadExt, StreamExt};
    let params = LogParams {
        follow: true,
        tail_lines: Some(LOG_TAIL),
        ..LogParams::default()
    };
    let reader = Api::<Pod>::namespaced(client.clone(), namespace)
        .log_stream(name, &params)
        .await
        .map_err(|e| describe_err(&e))?;
    // Whatever lines are ready go as one batch, so a burst is one message.
    Ok(reader.lines().ready_chunks(256).map(|batch| {
        batch
            .into_iter()
            .map(|line| {
                line.map(|l| crate::sanitize::line(&l))
                    .map_err(|e| e.to_string())
            })
            .collect()
    }))
}
