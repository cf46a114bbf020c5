use super::*;

fn head<'a>(method: &'a str, target: &'a str) -> Head<'a> {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    Head {
        method,
        path,
        query,
    }
}

fn kind(method: &str, target: &str) -> Kind {
    classify(head(method, target), b"").expect("classifies")
}

fn read_only(method: &str, target: &str, body: &str) -> Decision {
    decide(head(method, target), body.as_bytes(), true)
}

#[test]
fn reads_pass_in_read_only_mode() {
    for target in [
        "/api/v1/namespaces/shop/pods",
        "/api/v1/namespaces/shop/pods?watch=true&resourceVersion=10",
        "/api/v1/watch/namespaces/shop/pods",
        "/api/v1/namespaces/shop/pods/web-1/log?follow=true",
        "/apis/apps/v1/namespaces/shop/deployments/checkout",
        "/apis/apps/v1/namespaces/shop/deployments/checkout/scale",
        "/api/v1/nodes",
        "/version",
        "/openapi/v2",
        "/apis",
        "/api/v1",
    ] {
        for method in ["GET", "HEAD"] {
            assert_eq!(
                read_only(method, target, ""),
                Decision::Pass(Kind::Read),
                "{method} {target}"
            );
        }
    }
}

#[test]
fn writes_are_refused_in_read_only_mode_and_pass_otherwise() {
    let cases = [
        ("DELETE", "/api/v1/namespaces/shop/pods/x"),
        ("DELETE", "/api/v1/namespaces/shop/pods"),
        ("POST", "/api/v1/namespaces/shop/pods"),
        ("PUT", "/api/v1/namespaces/shop/pods/x"),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout",
        ),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout/scale",
        ),
        ("POST", "/api/v1/namespaces/shop/pods/x/eviction"),
        ("PATCH", "/api/v1/nodes/node-a"),
        (
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings",
        ),
        (
            "PUT",
            "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval",
        ),
        (
            "POST",
            "/api/v1/namespaces/shop/serviceaccounts/default/token",
        ),
        ("POST", "/apis/authentication.k8s.io/v1/tokenreviews"),
        ("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews"),
        (
            "POST",
            "/apis/authorization.k8s.io/v1/namespaces/shop/localsubjectaccessreviews",
        ),
        ("POST", "/api/v1"),
        ("OPTIONS", "/api/v1/namespaces/shop/pods"),
        ("PROPFIND", "/api/v1/namespaces/shop/pods"),
        ("get", "/api/v1/namespaces/shop/pods"),
    ];
    for (method, target) in cases {
        let refused = read_only(method, target, "");
        assert!(
            matches!(&refused, Decision::ReadOnly(m) if m.starts_with("read-only session")),
            "{method} {target}: {refused:?}"
        );
        assert_eq!(
            decide(head(method, target), b"", false),
            Decision::Pass(Kind::Write),
            "{method} {target}"
        );
    }
}

#[test]
fn streams_are_refused_in_read_only_mode_whatever_the_method() {
    for (target, stream) in [
        ("/api/v1/namespaces/shop/pods/x/exec?command=sh", "exec"),
        ("/api/v1/namespaces/shop/pods/x/attach", "attach"),
        ("/api/v1/namespaces/shop/pods/x/portforward", "portforward"),
        ("/api/v1/namespaces/shop/pods/x/proxy/metrics", "proxy"),
        ("/api/v1/namespaces/shop/services/web:80/proxy/", "proxy"),
        ("/api/v1/nodes/node-a/proxy/configz", "proxy"),
        ("/api/v1/proxy/namespaces/shop/pods/x", "proxy"),
    ] {
        for method in ["GET", "POST", "HEAD"] {
            assert_eq!(kind(method, target), Kind::Stream(stream.into()));
            assert!(matches!(
                read_only(method, target, ""),
                Decision::ReadOnly(_)
            ));
        }
        assert_eq!(
            decide(head("GET", target), b"", false),
            Decision::Pass(Kind::Stream(stream.into()))
        );
    }
}

#[test]
fn the_callers_own_questions_pass() {
    for target in [
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        "/apis/authentication.k8s.io/v1beta1/selfsubjectreviews",
    ] {
        assert_eq!(
            read_only("POST", target, "{}"),
            Decision::Pass(Kind::Question),
            "{target}"
        );
    }
    // Same names in another group, or not a create: not questions.
    for (method, target) in [
        ("POST", "/apis/evil.example.com/v1/selfsubjectaccessreviews"),
        (
            "DELETE",
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        ),
        (
            "POST",
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x/status",
        ),
    ] {
        assert_eq!(kind(method, target), Kind::Write, "{method} {target}");
    }
}

#[test]
fn server_side_dry_runs_pass() {
    for (method, target) in [
        ("POST", "/api/v1/namespaces/shop/pods?dryRun=All"),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/checkout?dryRun=All&fieldManager=kubectl",
        ),
        ("PUT", "/api/v1/namespaces/shop/configmaps/c?dryRun=All"),
        ("DELETE", "/api/v1/namespaces/shop/pods/x?dryRun=All"),
        ("POST", "/api/v1/namespaces/shop/pods/x/eviction?dryRun=All"),
        ("PATCH", "/api/v1/nodes/a?dry%52un=All"),
        ("PATCH", "/api/v1/nodes/a?dryRun=All&dryRun=All"),
    ] {
        assert_eq!(
            read_only(method, target, ""),
            Decision::Pass(Kind::DryRun),
            "{method} {target}"
        );
    }
}

#[test]
fn anything_short_of_a_clear_dry_run_is_a_write() {
    for (method, target) in [
        ("PATCH", "/api/v1/nodes/a?dryRun=all"),
        ("PATCH", "/api/v1/nodes/a?dryrun=All"),
        ("PATCH", "/api/v1/nodes/a?dryRun="),
        ("PATCH", "/api/v1/nodes/a?dryRun=All&dryRun=None"),
        ("PATCH", "/api/v1/nodes/a?dryRun=All;x=1"),
        ("PATCH", "/api/v1/nodes/a?x=%zz&dryRun=All"),
        // Minting a token, or a non-resource path, is never a dry run.
        (
            "POST",
            "/api/v1/namespaces/shop/serviceaccounts/default/token?dryRun=All",
        ),
        ("POST", "/logs?dryRun=All"),
        // A stream is a stream.
        ("POST", "/api/v1/namespaces/shop/pods/x/exec?dryRun=All"),
    ] {
        assert!(
            matches!(read_only(method, target, ""), Decision::ReadOnly(_)),
            "{method} {target}"
        );
    }
}

#[test]
fn a_delete_with_a_body_is_a_dry_run_only_if_the_body_says_so() {
    let target = "/api/v1/namespaces/shop/pods/x?dryRun=All";
    let says = r#"{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}"#;
    assert_eq!(
        read_only("DELETE", "/api/v1/namespaces/shop/pods/x", says),
        Decision::Pass(Kind::DryRun)
    );
    // The server reads the body, not the query, when there is a body.
    for body in [
        r#"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}"#,
        r#"{"dryRun":["All"],"DryRun":[]}"#,
        r#"{"DRYRUN":["All"]}"#,
        r#"{"dryRun":[]}"#,
        r#"{"dryRun":"All"}"#,
        "dryRun: [All]",
        "not json",
    ] {
        assert!(
            matches!(read_only("DELETE", target, body), Decision::ReadOnly(_)),
            "{body}"
        );
    }
    // An empty body leaves the query in charge.
    assert_eq!(
        read_only("DELETE", target, " \n"),
        Decision::Pass(Kind::DryRun)
    );
}

#[test]
fn ambiguous_paths_are_malformed_in_every_mode() {
    for target in [
        "/api/v1/namespaces/shop/pods/x%2Fexec",
        "/api/v1/namespaces/shop//pods/x",
        "/api/v1/namespaces/shop/pods/x/../exec",
        "*",
    ] {
        for ro in [true, false] {
            assert!(
                matches!(decide(head("GET", target), b"", ro), Decision::Malformed(_)),
                "{target}"
            );
        }
    }
}

#[test]
fn the_refusal_names_what_was_refused() {
    let Decision::ReadOnly(message) = read_only("DELETE", "/api/v1/namespaces/shop/pods/x", "")
    else {
        panic!("refused");
    };
    assert_eq!(
        message,
        "read-only session: runbook's gateway refuses delete pods \"x\" in namespace \"shop\"; nothing was sent to the cluster"
    );
    let Decision::ReadOnly(message) =
        read_only("POST", "/api/v1/namespaces/shop/pods/x/exec?command=sh", "")
    else {
        panic!("refused");
    };
    assert!(
        message.contains("refuses exec pods/exec \"x\""),
        "{message}"
    );
}

#[test]
fn read_only_cannot_be_turned_off() {
    let flag = ReadOnly::new(false);
    let shared = flag.clone();
    assert!(!flag.is_on());
    shared.enforce();
    assert!(flag.is_on());
    shared.enforce();
    assert!(flag.is_on());
}

#[test]
fn only_changes_and_streams_are_journaled() {
    assert!(!Kind::Read.is_journaled());
    assert!(!Kind::Question.is_journaled());
    assert!(Kind::DryRun.is_journaled());
    assert!(Kind::Write.is_journaled());
    assert!(Kind::Stream("exec".into()).is_journaled());
}

#[test]
fn an_eviction_is_a_dry_run_when_its_delete_options_say_so() {
    // `kubectl drain --dry-run=server` puts dryRun in the Eviction's body.
    let path = "/api/v1/namespaces/shop/pods/x/eviction";
    let says = r#"{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"x","namespace":"shop"},"deleteOptions":{"dryRun":["All"]}}"#;
    assert_eq!(read_only("POST", path, says), Decision::Pass(Kind::DryRun));
    // The API server takes either, and refuses a body and query that differ.
    let query = "/api/v1/namespaces/shop/pods/x/eviction?dryRun=All";
    for body in [
        says,
        r#"{"kind":"Eviction","metadata":{"name":"x"}}"#,
        r#"{"kind":"Eviction","deleteOptions":null}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryRun":[]}}"#,
        "",
    ] {
        assert_eq!(
            read_only("POST", query, body),
            Decision::Pass(Kind::DryRun),
            "{body}"
        );
    }
    for body in [
        r#"{"kind":"Eviction","metadata":{"name":"x"}}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryRun":[]}}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryRun":["All"],"DryRun":[]}}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryrun":["All"]}}"#,
        r#"{"kind":"Eviction","DeleteOptions":{"dryRun":["All"]}}"#,
        r#"{"deleteOptions":{"dryRun":["All"]},"deleteoptions":{}}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryRun":"All"}}"#,
        r#"{"kind":"Eviction","deleteOptions":{"dryRun":["All","x"]}}"#,
        "deleteOptions: {dryRun: [All]}",
    ] {
        assert!(
            matches!(read_only("POST", path, body), Decision::ReadOnly(_)),
            "{body}"
        );
    }
    // An unclear body spoils a clear query.
    assert!(matches!(
        read_only(
            "POST",
            query,
            r#"{"deleteOptions":{"dryRun":["All"],"DryRun":["All"]}}"#
        ),
        Decision::ReadOnly(_)
    ));
    // Only an eviction reads its body so.
    assert!(matches!(
        read_only(
            "POST",
            "/api/v1/namespaces/shop/pods",
            r#"{"deleteOptions":{"dryRun":["All"]}}"#
        ),
        Decision::ReadOnly(_)
    ));
}
