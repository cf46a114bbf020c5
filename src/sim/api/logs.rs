//! Pod logs: `GET /api/v1/namespaces/{ns}/pods/{name}/log`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use futures::StreamExt;
use serde_json::Value;

use super::read::lookup;
use super::status::ApiError;
use super::{Params, SimState, Target, is_true};

pub(crate) fn serve(
    state: Arc<SimState>,
    target: &Target,
    params: &Params,
) -> Result<Response, ApiError> {
    let Some(name) = target.name.as_deref() else {
        return Err(ApiError::page_not_found());
    };
    let namespace = target.namespace.as_deref().unwrap_or_default();
    let pod = lookup(&state, target, name)?;
    let container = pick_container(&pod, name, params.get("container"))?;
    if let Some(unreachable) = no_kubelet(&state, &pod, namespace, name, &container) {
        return Err(unreachable);
    }
    let previous = is_true(params.get("previous"));
    if previous && restart_count(&pod, &container) == 0 {
        return Err(ApiError::bad_request(format!(
            "previous terminated container \"{container}\" in pod \"{name}\" not found"
        )));
    }
    if !previous && let Some(reason) = waiting_to_start(&pod, &container) {
        return Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
        )));
    }
    let keys = [
        format!("{namespace}/{name}/{container}"),
        format!("{namespace}/{name}"),
    ];
    // Subscribed before the text is read, so nothing appended in between is lost.
    let cluster = state.cluster();
    let appends = cluster.logs.subscribe();
    let text = cluster
        .logs
        .get(namespace, name, &container)
        .and_then(|log| log.text(previous))
        .unwrap_or_default()
        .to_string();
    drop(cluster);
    let text = match params.get("tailLines").map(|t| t.parse::<usize>()) {
        None => text,
        Some(Ok(n)) => tail(&text, n),
        Some(Err(_)) => return Err(ApiError::bad_request("tailLines must be a number")),
    };
    let builder = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain");
    let body = if is_true(params.get("follow")) && !previous {
        // Send what there is, then what phases append, like a live container,
        // until the client leaves or the simulator stops.
        let first = futures::stream::once(async move { Ok::<_, Infallible>(Bytes::from(text)) });
        let more = tokio_stream::wrappers::BroadcastStream::new(appends).filter_map(move |a| {
            let keep = match a {
                Ok((key, text)) if keys.contains(&key) => Some(Ok(Bytes::from(text))),
                _ => None,
            };
            async move { keep }
        });
        let stop = async move { state.interrupted().await };
        Body::from_stream(first.chain(more.take_until(stop)))
    } else {
        Body::from(text)
    };
    builder.body(body).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            e.to_string(),
        )
    })
}

fn containers(pod: &Value) -> Vec<String> {
    pod["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn pick_container(pod: &Value, name: &str, asked: Option<&String>) -> Result<String, ApiError> {
    let names = containers(pod);
    match asked.filter(|c| !c.is_empty()) {
        Some(c) if names.contains(c) => Ok(c.clone()),
        Some(c) => Err(ApiError::bad_request(format!(
            "container {c} is not valid for pod {name}"
        ))),
        None => match names.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(ApiError::bad_request(format!(
                "pod {name} has no containers"
            ))),
            many => Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                many.join(" ")
            ))),
        },
    }
}

fn restart_count(pod: &Value, container: &str) -> u64 {
    pod["status"]["containerStatuses"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == container))
        .and_then(|c| c["restartCount"].as_u64())
        .unwrap_or(0)
}

/// Why a container that never ran has no log, as the kubelet says it.
fn waiting_to_start(pod: &Value, container: &str) -> Option<&'static str> {
    let status = pod["status"]["containerStatuses"]
        .as_array()?
        .iter()
        .find(|c| c["name"] == container)?;
    if status["restartCount"].as_u64().unwrap_or(0) > 0 {
        return None;
    }
    match status["state"]["waiting"]["reason"].as_str()? {
        "ImagePullBackOff" | "ErrImagePull" | "InvalidImageName" => {
            Some("trying and failing to pull image")
        }
        "ContainerCreating" | "PodInitializing" => Some("ContainerCreating"),
        _ => None,
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = all[start..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Without node agents (the control plane the differential suite runs) the
/// API server's request to the node's kubelet fails, and it answers with
/// the dial error (500, no reason), as kube-apiserver does.
fn no_kubelet(
    state: &SimState,
    pod: &Value,
    namespace: &str,
    name: &str,
    container: &str,
) -> Option<ApiError> {
    let node = pod["spec"]["nodeName"].as_str()?;
    let cluster = state.cluster();
    if cluster.kubelet {
        return None;
    }
    let host = cluster
        .store
        .get(&crate::sim::cluster::Key::new("Node", "", node))
        .and_then(|n| {
            n["status"]["addresses"]
                .as_array()?
                .iter()
                .find(|a| a["type"] == "Hostname")
                .and_then(|a| a["address"].as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| node.to_string());
    Some(ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "",
        kubelet_dial_error(&host, namespace, name, container, NAMESERVER.as_deref()),
    ))
}

/// The first nameserver of this machine's resolv.conf: the API server's Go
/// resolver names the one it asked when a node's name does not resolve.
static NAMESERVER: std::sync::LazyLock<Option<String>> = std::sync::LazyLock::new(|| {
    let conf = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    first_nameserver(&conf)
});

fn first_nameserver(conf: &str) -> Option<String> {
    conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next())
            .flatten()
            .map(|ip| {
                if ip.contains(':') {
                    format!("[{ip}]:53")
                } else {
                    format!("{ip}:53")
                }
            })
    })
}

fn kubelet_dial_error(
    host: &str,
    namespace: &str,
    pod: &str,
    container: &str,
    nameserver: Option<&str>,
) -> String {
    let via = nameserver.map(|n| format!(" on {n}")).unwrap_or_default();
    format!(
        "Get \"https://{host}:10250/containerLogs/{namespace}/{pod}/{container}\": dial tcp: lookup {host}{via}: no such host"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_dial_error_names_the_kubelet_url() {
        assert_eq!(
            kubelet_dial_error("node-1", "conf", "debug", "shell", None),
            "Get \"https://node-1:10250/containerLogs/conf/debug/shell\": dial tcp: lookup node-1: no such host"
        );
        assert_eq!(
            kubelet_dial_error("node-1", "conf", "debug", "shell", Some("10.0.0.2:53")),
            "Get \"https://node-1:10250/containerLogs/conf/debug/shell\": dial tcp: lookup node-1 on 10.0.0.2:53: no such host"
        );
        assert_eq!(
            first_nameserver(
                "# generated\nsearch lan\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n"
            ),
            Some("10.255.255.53:53".into())
        );
        assert_eq!(
            first_nameserver("nameserver ::1\n"),
            Some("[::1]:53".into())
        );
        assert_eq!(first_nameserver(""), None);
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(tail("a\nb\n", 5), "a\nb\n");
        assert_eq!(tail("a\n", 0), "");
    }

    #[test]
    fn a_pod_with_two_containers_needs_a_name() {
        let pod = json!({ "spec": { "containers": [ { "name": "app" }, { "name": "proxy" } ] } });
        let err = pick_container(&pod, "web-1", None).unwrap_err();
        assert!(
            err.body["message"]
                .as_str()
                .unwrap()
                .contains("[app proxy]")
        );
        assert_eq!(
            pick_container(&pod, "web-1", Some(&"proxy".into())).unwrap(),
            "proxy"
        );
        assert!(pick_container(&pod, "web-1", Some(&"db".into())).is_err());
    }
}
