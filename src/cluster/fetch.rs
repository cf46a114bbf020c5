//! Full objects and logs, fetched on demand for the detail view (the panes
//! keep only rows).

use k8s_openapi::api::core::v1::Pod;
use kube::api::LogParams;
use kube::{Api, Client};

use super::connect::describe as describe_err;
use super::rows::EventRow;

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
    let Some(id) = super::kinds::by_kind(kind) else {
        return Err(format!("no detail view for {kind}"));
    };
    super::kinds::get(id)
        .detail(
            client.clone(),
            namespace.to_string(),
            name.to_string(),
            events.to_vec(),
            now,
        )
        .await
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
