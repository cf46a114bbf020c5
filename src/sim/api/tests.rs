//! Routing and the API's small rules.
use super::*;

fn target(path: &str) -> Target {
    match parse_route(path) {
        Some(Route::Resource(t)) => t,
        _ => panic!("{path} is not a resource path"),
    }
}

#[test]
fn v1_endpoints_carry_the_real_servers_deprecation_warning() {
    let endpoints = resources::find("", "v1", "endpoints").expect("served");
    assert_eq!(
        deprecated(endpoints),
        Some(
            "299 - \"v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\""
        )
    );
    let pods = resources::find("", "v1", "pods").expect("served");
    assert_eq!(deprecated(pods), None);
}

#[test]
fn routes_namespaced_cluster_and_sub_resources() {
    let t = target("/api/v1/namespaces/shop/pods");
    assert_eq!(
        (t.resource.plural, t.namespace.as_deref(), t.name),
        ("pods", Some("shop"), None)
    );
    let t = target("/api/v1/namespaces/shop/pods/web-1/log");
    assert_eq!(t.name.as_deref(), Some("web-1"));
    assert_eq!(t.subresource.as_deref(), Some("log"));
    let t = target("/api/v1/pods");
    assert_eq!((t.resource.plural, t.namespace), ("pods", None));
    let t = target("/api/v1/namespaces/shop");
    assert_eq!(
        (t.resource.plural, t.name.as_deref()),
        ("namespaces", Some("shop"))
    );
    let t = target("/api/v1/nodes/node-a");
    assert_eq!(
        (t.resource.plural, t.name.as_deref()),
        ("nodes", Some("node-a"))
    );
    let t = target("/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
    assert_eq!(t.subresource.as_deref(), Some("scale"));
    let t = target("/apis/events.k8s.io/v1/events");
    assert_eq!(t.resource.group, "events.k8s.io");
}

#[test]
fn unknown_paths_do_not_route() {
    for path in [
        "/apis/batch/v2/jobs",
        "/api/v1/widgets",
        "/api/v1/pods/x",
        "/api/v1/namespaces/shop/pods/x/exec",
    ] {
        assert!(parse_route(path).is_none(), "{path} routed");
    }
}
