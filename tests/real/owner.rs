//! The params form's lookup of an alert's pod (#24 item 18) on the real
//! controllers: the pod the ReplicaSet controller made leads, by controller
//! references, to the Deployment that owns its ReplicaSet.

use ::kube::Api;
use ::kube::api::ListParams;
use k8s_openapi::api::core::v1::Pod;
use runbook::app::home::suggest;
use runbook::cluster::connect::ClusterConfig;

use super::*;

const WEB: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: NS }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [ { name: web, image: "registry.example/web:1" } ]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alerts_pod_leads_to_its_deployment() {
    let Some(cp) = control_plane() else { return };
    let ns = namespace(cp, "real-owner");
    cp.apply(&WEB.replace("NS", &ns));
    let pods: Api<Pod> = Api::namespaced(client(&cp.admin()).await, &ns);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let pod = loop {
        let list = pods
            .list_metadata(&ListParams::default().labels("app=web"))
            .await
            .expect("pods");
        if let Some(name) = list.items.into_iter().find_map(|p| p.metadata.name) {
            break name;
        }
        assert!(tokio::time::Instant::now() < deadline, "no pod of web");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let cfg = ClusterConfig {
        kubeconfig: Some(cp.admin()),
        context: None,
    };
    let names = suggest::fetch(cfg, Some((ns.clone(), pod.clone())))
        .await
        .expect("names");
    let owner = names.owner.expect("the pod's owner");
    assert_eq!(owner.deployment, "web");
    assert!(pod.starts_with(&owner.replicaset), "{owner:?}");
}
