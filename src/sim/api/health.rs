//! `/healthz`, `/readyz` and `/livez` as kube-apiserver v1.37.2 answers
//! them: `ok` as text/plain, `?verbose` lists each check (the same names
//! the real one lists, all passing: the simulator is one process), and
//! `/healthz/<check>` answers that one check.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The checks the real server's `/livez?verbose` (and `/healthz?verbose`)
/// lists, in its order.
const LIVE: &[&str] = &[
    "ping",
    "log",
    "loopback-serving-certificate",
    "etcd",
    "poststarthook/start-apiserver-admission-initializer",
    "poststarthook/generic-apiserver-start-informers",
    "poststarthook/priority-and-fairness-config-consumer",
    "poststarthook/priority-and-fairness-filter",
    "poststarthook/storage-object-count-tracker-hook",
    "poststarthook/start-apiextensions-informers",
    "poststarthook/start-apiextensions-controllers",
    "poststarthook/crd-informer-synced",
    "poststarthook/start-system-namespaces-controller",
    "poststarthook/peer-endpoint-reconciler-controller",
    "poststarthook/start-cluster-authentication-info-controller",
    "poststarthook/start-kube-apiserver-identity-lease-controller",
    "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
    "poststarthook/storage-readiness",
    "poststarthook/start-legacy-token-tracking-controller",
    "poststarthook/start-service-ip-repair-controllers",
    "poststarthook/rbac/bootstrap-roles",
    "poststarthook/scheduling/bootstrap-system-priority-classes",
    "poststarthook/priority-and-fairness-config-producer",
    "poststarthook/bootstrap-controller",
    "poststarthook/start-kubernetes-service-cidr-controller",
    "poststarthook/start-kube-aggregator-informers",
    "poststarthook/apiservice-status-local-available-controller",
    "poststarthook/apiservice-status-remote-available-controller",
    "poststarthook/apiservice-registration-controller",
    "poststarthook/apiservice-discovery-controller",
    "poststarthook/kube-apiserver-autoregistration",
    "autoregister-completion",
    "poststarthook/apiservice-openapi-controller",
    "poststarthook/apiservice-openapiv3-controller",
];

/// `/readyz?verbose`: the live checks without the serving certificate,
/// with etcd's readiness and the informers' sync after etcd, and the
/// shutdown check last.
fn ready() -> Vec<&'static str> {
    let mut checks = vec!["ping", "log", "etcd", "etcd-readiness", "informer-sync"];
    checks.extend(LIVE.iter().skip_while(|c| **c != "etcd").skip(1).copied());
    checks.push("shutdown");
    checks
}

/// The answer to `GET /<endpoint>[/<check>]`; `None` for a path no
/// health endpoint has (answered 404 by the caller).
pub fn serve(endpoint: &str, check: Option<&str>, verbose: bool) -> Option<Response> {
    let checks = match endpoint {
        "healthz" | "livez" => LIVE.to_vec(),
        "readyz" => ready(),
        _ => return None,
    };
    let body = match check {
        Some(one) if checks.contains(&one) => "ok".to_string(),
        Some(_) => return None,
        None if verbose => {
            let mut text: String = checks.iter().map(|c| format!("[+]{c} ok\n")).collect();
            text.push_str(&format!("{endpoint} check passed\n"));
            text
        }
        None => "ok".to_string(),
    };
    Some(
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            body,
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readyz_lists_what_the_real_one_lists() {
        let ready = ready();
        assert_eq!(
            &ready[..6],
            [
                "ping",
                "log",
                "etcd",
                "etcd-readiness",
                "informer-sync",
                "poststarthook/start-apiserver-admission-initializer"
            ]
        );
        assert_eq!(ready.last(), Some(&"shutdown"));
        assert!(!ready.contains(&"loopback-serving-certificate"));
        assert_eq!(ready.len(), LIVE.len() + 2);
    }
}
