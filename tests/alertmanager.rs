//! The alerts module against a real Alertmanager (Debian's
//! prometheus-alertmanager on loopback): reading firing alerts, matching
//! them to playbooks with params from their labels, silences created and
//! expired (and refused in read-only mode), and the ways it fails.

#[path = "support/alertmanager.rs"]
mod am;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use am::{Alertmanager, alert};
use runbook::alerts::silence::{self, SilenceRequest};
use runbook::alerts::{self, AlertError, Auth, Client, Endpoint, MatchedBy, Secret};
use runbook::playbook::catalog::Catalog;

fn client(url: &str) -> Client {
    Client::new(&Endpoint::new(url)).expect("client")
}

/// A user playbook beside the built-ins: a more specific entry (matchers)
/// and a param filled `fromLabel`.
const EDGE: &str = r#"apiVersion: runbook/v1
kind: Playbook
metadata:
  name: edge-5xx
  title: The edge answers 5xx for {{ service }}
  alerts:
    - { name: IngressHigh5xxRate, matchers: { severity: critical } }
params:
  - { name: namespace, required: true, fromLabel: exported_namespace }
  - { name: service, required: true, fromLabel: exported_service }
start: a
steps: [ { id: a, title: "Look at {{ service }} in {{ namespace }}", outcome: resolved } ]
"#;

fn catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("edge-5xx.yaml"), EDGE).expect("write");
    let catalog = Catalog::load(&[dir.path().to_path_buf()]);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    (dir, catalog)
}

fn page() -> serde_json::Value {
    serde_json::json!([
        alert(
            &[
                ("alertname", "KubePodCrashLooping"),
                ("namespace", "shop"),
                ("pod", "checkout-6d8f9-x2k4q"),
                ("severity", "warning")
            ],
            &[("summary", "Pod shop/checkout-6d8f9-x2k4q is crash looping")],
        ),
        alert(
            &[
                ("alertname", "KubeDeploymentReplicasMismatch"),
                ("namespace", "shop"),
                ("deployment", "checkout"),
                ("severity", "warning")
            ],
            &[],
        ),
        alert(
            &[
                ("alertname", "KubeNodeNotReady"),
                ("node", "ip-10-0-1-17.eu-west-1.compute.internal"),
                ("severity", "warning")
            ],
            &[],
        ),
        alert(
            &[
                ("alertname", "IngressHigh5xxRate"),
                ("namespace", "ingress-nginx"),
                ("exported_namespace", "shop"),
                ("exported_service", "checkout"),
                ("severity", "critical")
            ],
            &[],
        ),
        alert(
            &[("alertname", "DiskWillFillIn4Hours"), ("instance", "db-1")],
            &[(
                "runbook_url",
                "https://wiki.example.com/runbooks/node-not-ready"
            )],
        ),
        alert(&[("alertname", "Watchdog"), ("severity", "none")], &[]),
    ])
}

#[tokio::test]
async fn firing_alerts_match_playbooks_and_fill_their_params() {
    let am = Alertmanager::start();
    am.post_alerts(page());
    let (_dir, catalog) = catalog();
    let firing = client(&am.url).firing().await.expect("firing alerts");
    assert_eq!(firing.len(), 6);
    let by_name = |name: &str| {
        firing
            .iter()
            .find(|a| a.name() == name)
            .unwrap_or_else(|| panic!("{name} not listed"))
    };

    let crash = by_name("KubePodCrashLooping");
    assert_eq!(
        crash.fingerprint,
        alerts::fingerprint(&crash.labels),
        "our fingerprint is Alertmanager's"
    );
    assert_eq!(
        crash.summary(),
        Some("Pod shop/checkout-6d8f9-x2k4q is crash looping")
    );
    assert!(crash.starts_at.is_some());
    assert_eq!(
        crash.generator_url.as_deref(),
        Some("http://prometheus.example:9090/graph?g0.expr=up")
    );
    let m = alerts::best(crash, &catalog.entries).expect("matched by name");
    assert_eq!(
        (m.playbook.as_str(), m.by),
        ("pod-crashloop", MatchedBy::Name)
    );
    assert_eq!(
        m.filled.params,
        BTreeMap::from([("namespace".to_string(), "shop".to_string())])
    );
    assert_eq!(
        m.filled.missing,
        ["deployment"],
        "the form asks for the rest"
    );

    let mismatch =
        alerts::best(by_name("KubeDeploymentReplicasMismatch"), &catalog.entries).expect("match");
    assert_eq!(mismatch.playbook, "pod-crashloop");
    assert_eq!(mismatch.filled.params["deployment"], "checkout");
    assert!(mismatch.filled.missing.is_empty());

    let node = alerts::best(by_name("KubeNodeNotReady"), &catalog.entries).expect("match");
    assert_eq!(node.playbook, "node-not-ready");
    assert_eq!(
        node.filled.params["node"],
        "ip-10-0-1-17.eu-west-1.compute.internal"
    );

    let edge = alerts::matches(by_name("IngressHigh5xxRate"), &catalog.entries);
    let names: Vec<&str> = edge.iter().map(|m| m.playbook.as_str()).collect();
    assert_eq!(
        names,
        ["edge-5xx", "ingress-backend", "service-5xx"],
        "matchers rank above a bare name"
    );
    assert_eq!(edge[0].by, MatchedBy::Matchers(1));
    assert_eq!(
        edge[0].filled.params["namespace"], "shop",
        "fromLabel, not the namespace label"
    );
    assert_eq!(edge[0].filled.params["service"], "checkout");

    let disk = alerts::best(by_name("DiskWillFillIn4Hours"), &catalog.entries).expect("by url");
    assert_eq!(
        (disk.playbook.as_str(), disk.by),
        ("node-not-ready", MatchedBy::RunbookUrl)
    );
    assert_eq!(disk.filled.missing, ["node"]);

    assert!(
        alerts::best(by_name("Watchdog"), &catalog.entries).is_none(),
        "unmatched"
    );
}

#[tokio::test]
async fn one_alert_name_opens_different_playbooks_by_its_labels() {
    let am = Alertmanager::start();
    let waiting = |reason: &str, pod: &str| {
        alert(
            &[
                ("alertname", "KubeContainerWaiting"),
                ("namespace", "shop"),
                ("pod", pod),
                ("container", "app"),
                ("reason", reason),
            ],
            &[],
        )
    };
    am.post_alerts(serde_json::json!([
        waiting("ImagePullBackOff", "a"),
        waiting("CreateContainerConfigError", "b"),
        waiting("ContainerCreating", "c"),
    ]));
    let catalog = Catalog::load(&[]);
    let firing = client(&am.url).firing().await.expect("firing");
    let opened = |pod: &str| {
        let a = firing
            .iter()
            .find(|a| a.label("pod") == Some(pod))
            .unwrap_or_else(|| panic!("pod {pod} not listed"));
        alerts::best(a, &catalog.entries).map(|m| m.playbook)
    };
    assert_eq!(opened("a").as_deref(), Some("image-pull-backoff"));
    assert_eq!(opened("b").as_deref(), Some("pod-crashloop"));
    assert_eq!(
        opened("c"),
        None,
        "a container still being created is no pull problem"
    );
}

#[tokio::test]
async fn a_silence_hides_the_alert_until_it_is_expired() {
    let am = Alertmanager::start();
    am.post_alerts(page());
    let c = client(&am.url);
    let firing = c.firing().await.expect("firing");
    let crash = firing
        .iter()
        .find(|a| a.name() == "KubePodCrashLooping")
        .expect("listed");
    let now = jiff::Timestamp::now();
    let request = SilenceRequest::for_alert(
        crash,
        now,
        Duration::from_secs(3600),
        "20251125-070000-pod-crashloop-ab12",
        "alice",
        "bastion",
    )
    .expect("request");

    let refused = silence::create(&c, request.clone(), true)
        .await
        .expect_err("read-only");
    assert!(matches!(refused, AlertError::ReadOnly(_)), "{refused}");
    assert!(am.silences().is_empty(), "read-only sends nothing");

    let created = silence::create(&c, request, false).await.expect("silence");
    let fp = crash.fingerprint.clone();
    am.wait_until("the silenced alert leaves the firing list", |listed| {
        !listed.iter().any(|a| a["fingerprint"] == fp.as_str())
    });
    let listed = am.silences();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], created.id.as_str());
    assert_eq!(
        listed[0]["comment"],
        "runbook session 20251125-070000-pod-crashloop-ab12: alice@bastion is working on KubePodCrashLooping"
    );
    assert_eq!(listed[0]["createdBy"], "alice");
    let state = silence::get(&c, &created.id).await.expect("get");
    assert_eq!(state.state, "active");
    assert_eq!(state.matchers, crash.labels);
    assert!(
        c.firing()
            .await
            .expect("firing")
            .iter()
            .all(|a| a.fingerprint != fp)
    );

    let refused = silence::expire(&c, &created.id, true)
        .await
        .expect_err("read-only");
    assert!(matches!(refused, AlertError::ReadOnly(_)), "{refused}");
    assert_eq!(
        silence::get(&c, &created.id).await.expect("get").state,
        "active"
    );

    silence::expire(&c, &created.id, false)
        .await
        .expect("expire");
    assert_eq!(
        silence::get(&c, &created.id).await.expect("get").state,
        "expired"
    );
    am.wait_until("the alert fires again", |listed| {
        listed.iter().any(|a| a["fingerprint"] == fp.as_str())
    });
    let err = silence::expire(&c, "00000000-0000-0000-0000-000000000000", false)
        .await
        .expect_err("no such silence");
    assert!(err.to_string().contains("silence not found"), "{err}");
}

#[tokio::test]
async fn basic_auth_is_sent_and_a_wrong_password_is_named() {
    let am = Alertmanager::start_with(true, None);
    let dir = tempfile::tempdir().expect("tempdir");
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{}\n", am::BASIC_PASSWORD)).expect("write");
    let endpoint = |password: Secret| Endpoint {
        auth: Auth::Basic {
            username: am::BASIC_USER.into(),
            password,
        },
        ..Endpoint::new(am.url.clone())
    };
    let ok = Client::new(&endpoint(Secret::File(pw))).expect("client");
    assert!(ok.firing().await.expect("authorized").is_empty());
    let bad = Client::new(&endpoint(Secret::Inline("wrong".into()))).expect("client");
    let err = bad.firing().await.expect_err("unauthorized");
    assert!(matches!(err, AlertError::Status { .. }), "{err:?}");
    assert!(
        err.to_string().contains("answered 401 Unauthorized"),
        "{err}"
    );
    let none = client(&am.url).firing().await.expect_err("no credentials");
    assert!(none.to_string().contains("401"), "{none}");
}

#[tokio::test]
async fn the_bearer_token_file_is_read_at_every_request() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = seen.clone();
    let app = axum::Router::new().route(
        "/api/v2/alerts",
        axum::routing::get(move |headers: axum::http::HeaderMap| {
            let record = record.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                record.lock().expect("lock").push(auth);
                "[]"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().expect("tempdir");
    let token = dir.path().join("token");
    std::fs::write(&token, "first\n").expect("write");
    let c = Client::new(&Endpoint {
        auth: Auth::BearerTokenFile(token.clone()),
        ..Endpoint::new(format!("http://{addr}/"))
    })
    .expect("client");
    c.firing().await.expect("first");
    std::fs::write(&token, "rotated").expect("rotate");
    c.firing().await.expect("second");
    assert_eq!(
        *seen.lock().expect("lock"),
        ["Bearer first", "Bearer rotated"]
    );
    std::fs::remove_file(&token).expect("remove");
    let err = c.firing().await.expect_err("no token file");
    assert!(matches!(err, AlertError::Credentials { .. }), "{err}");
    server.abort();
}

#[tokio::test]
async fn an_alertmanager_that_is_down_or_silent_is_named_in_one_line() {
    let port = am::free_port();
    let err = client(&format!("http://127.0.0.1:{port}"))
        .firing()
        .await
        .expect_err("down");
    let text = err.to_string();
    assert_eq!(
        text,
        format!("Alertmanager at http://127.0.0.1:{port} is unreachable: Connection refused")
    );

    // Accepts connections and never answers: the deadline ends the wait.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let silent = Client::new(&Endpoint {
        timeout: Duration::from_millis(300),
        ..Endpoint::new(format!("http://{addr}"))
    })
    .expect("client");
    let err = silent.firing().await.expect_err("no answer");
    assert!(matches!(err, AlertError::Timeout { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("Alertmanager at http://{addr} did not answer within 0.3s")
    );
    hold.abort();

    // Something that is not Alertmanager at that URL.
    let am = Alertmanager::start();
    let err = client(&format!("{}/-/healthy", am.url))
        .firing()
        .await
        .expect_err("not json");
    assert!(
        err.to_string().contains("answered 404") || err.to_string().contains("cannot read"),
        "{err}"
    );
}
