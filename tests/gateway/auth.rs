//! Token and exec-credential kubeconfigs work through the gateway: kube-rs
//! holds the credentials, the command's kubeconfig names only the gateway,
//! and nothing of the real credentials reaches the command.

use super::*;

const LOCKED: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: locked }
objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: web-1, namespace: shop } }
faults:
  requireToken: s3cret
"#;

fn kubeconfig(dir: &Path, server: &str, user: &str) -> PathBuf {
    let path = dir.join("locked.kubeconfig");
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- {{ name: c, cluster: {{ server: '{server}' }} }}
users:
- name: u
  user: {user}
contexts:
- {{ name: prod, context: {{ cluster: c, user: u, namespace: shop }} }}
current-context: prod
"
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

#[test]
fn token_and_exec_plugin_credentials_stay_with_runbook() {
    require_kubectl!();
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let (locked, audit_log) = rt.block_on(sim(LOCKED, dir.path(), "locked"));
    let credential = r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"s3cret"}}"#;
    let users = [
        "{ token: s3cret }".to_string(),
        format!(
            "{{ exec: {{ apiVersion: client.authentication.k8s.io/v1, command: sh, args: ['-c', 'echo ''{credential}'''], interactiveMode: Never }} }}"
        ),
    ];
    for user in users {
        let path = kubeconfig(dir.path(), &locked.url(), &user);
        let session = background(
            &rt,
            ClusterConfig {
                kubeconfig: Some(path),
                context: None,
            },
        );
        let Access::Gateway {
            env,
            held,
            secret,
            port,
        } = access(&session.gateway, "kubectl get pods", dir.path())
        else {
            unreachable!()
        };
        let file = &env
            .iter()
            .find(|(k, _)| k == "KUBECONFIG")
            .expect("KUBECONFIG")
            .1;
        let text = std::fs::read_to_string(file).expect("the command's kubeconfig");
        assert!(!text.contains("s3cret") && !text.contains("exec"), "{text}");
        assert!(text.contains("\"current-context\":\"prod\""), "{text}");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(file).expect("metadata").permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        let (out, finish) = rt.block_on(run(
            &["kubectl", "get", "pods"],
            Access::Gateway {
                env,
                held,
                secret,
                port,
            },
            &[],
        ));
        assert_eq!(finish.exit_code, Some(0), "{user}: {out}");
        assert!(out.contains("web-1"), "{out}");
        session.shutdown();
    }
    let refused: Vec<_> = audit(&audit_log)
        .into_iter()
        .filter(|(_, _, status)| *status == 401)
        .collect();
    assert_eq!(refused, [], "every request carried the real token");
}

#[test]
fn without_a_live_token_the_gateway_answers_401() {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let (shop, _) = rt.block_on(sim(SHOP, dir.path(), "shop"));
    let (gateway, _writes) = rt.block_on(gateway_for(&shop, false));
    let credential = gateway.issue("a command", dir.path()).expect("credential");
    let (server, token) = server_of(credential.kubeconfig());
    assert_eq!(token.len(), 64);
    assert_eq!(server, format!("http://{}/{token}", gateway.addr()));
    // The gateway is also the cluster's proxy, the token its password:
    // client-go sends it as Proxy-Authorization, also for `get --raw
    // /path`, which drops the server URL's path.
    let text = std::fs::read_to_string(credential.kubeconfig()).expect("kubeconfig");
    let config: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        config["clusters"][0]["cluster"]["proxy-url"],
        format!("http://runbook:{token}@{}", gateway.addr())
    );
    assert_eq!(credential.secret(), token);
    let base = format!("http://{}", gateway.addr());
    let status = |path: String| {
        let url = format!("{base}{path}");
        rt.block_on(async move { hostile::get(&url).await.0 })
    };
    let pods = "/api/v1/namespaces/shop/pods";
    assert_eq!(status(format!("/{token}{pods}")), 200);
    assert_eq!(status(pods.to_string()), 401);
    assert_eq!(status(format!("/wrong{pods}")), 401);
    assert_eq!(status(format!("/{}{pods}", &token[..63])), 401);
    let basic = |user_password: &str| {
        let url = format!("{base}{pods}");
        let header = format!(
            "Basic {}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, user_password)
        );
        rt.block_on(async move { hostile::get_with(&url, &header).await.0 })
    };
    assert_eq!(basic(&format!("runbook:{token}")), 200);
    assert_eq!(basic(&format!("runbook:{}", &token[..63])), 401);
    assert_eq!(basic("runbook:"), 401);
    let path = credential.kubeconfig().to_path_buf();
    drop(credential);
    assert!(!path.exists(), "the kubeconfig goes with the credential");
    assert_eq!(
        status(format!("/{token}{pods}")),
        401,
        "and so does the token"
    );
    assert_eq!(basic(&format!("runbook:{token}")), 401);
}
