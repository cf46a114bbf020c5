//! The controllers added for the drills, through kube-rs as a client sees
//! them: StatefulSets in order with their claims, a DaemonSet pod per
//! node, a Job's back-off limit, EndpointSlices from ready pods.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{DaemonSet, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{Api, ListParams};

use super::{advance, scenario, soon, start_manual};

const CLUSTER: &str = r#"
apiVersion: runbook/v1
kind: Scenario
metadata: { name: controllers, params: { namespace: shop } }
workloads:
  db: { warmup: 10s }
  migrate: { memoryNeeds: 300Mi, warmup: 10s }
objects:
  - apiVersion: v1
    kind: Node
    metadata: { name: node-a }
    status: { conditions: [ { type: Ready, status: "True" } ], allocatable: { cpu: "4", memory: 16Gi, pods: "110" } }
  - apiVersion: v1
    kind: Node
    metadata: { name: node-b }
    spec: { unschedulable: true }
    status: { conditions: [ { type: Ready, status: "True" } ], allocatable: { cpu: "4", memory: 16Gi, pods: "110" } }
  - apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: { name: standard, annotations: { storageclass.kubernetes.io/is-default-class: "true" } }
    provisioner: example.com/disk
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: db, namespace: shop }
    spec:
      replicas: 3
      serviceName: db
      selector: { matchLabels: { app: db } }
      template:
        metadata: { labels: { app: db } }
        spec: { containers: [ { name: db, image: db:1 } ] }
      volumeClaimTemplates:
        - metadata: { name: data }
          spec: { accessModes: [ ReadWriteOnce ], resources: { requests: { storage: 1Gi } } }
  - apiVersion: v1
    kind: Service
    metadata: { name: db, namespace: shop }
    spec: { selector: { app: db }, ports: [ { port: 5432 } ] }
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: { name: agent, namespace: shop }
    spec:
      selector: { matchLabels: { app: agent } }
      template:
        metadata: { labels: { app: agent } }
        spec: { containers: [ { name: agent, image: agent:1 } ] }
  - apiVersion: batch/v1
    kind: Job
    metadata: { name: migrate, namespace: shop }
    spec:
      backoffLimit: 1
      template:
        metadata: { labels: { app: migrate } }
        spec:
          restartPolicy: Never
          containers: [ { name: migrate, image: migrate:1, resources: { limits: { memory: 100Mi } } } ]
"#;

fn names(pods: &[Pod]) -> Vec<String> {
    let mut n: Vec<String> = pods
        .iter()
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    n.sort();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statefulsets_daemonsets_jobs_and_endpoint_slices() {
    let (handle, client) = start_manual(scenario(CLUSTER)).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let db = ListParams::default().labels("app=db");

    // Ordered: db-1 only once db-0 is ready.
    let first = soon(pods.list(&db)).await.unwrap().items;
    assert_eq!(names(&first), ["db-0"]);
    advance(&handle, Duration::from_secs(40), Duration::from_secs(5));
    let all = soon(pods.list(&db)).await.unwrap().items;
    assert_eq!(names(&all), ["db-0", "db-1", "db-2"]);
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), "shop");
    let claim = soon(claims.get("data-db-1")).await.unwrap();
    assert_eq!(claim.status.and_then(|s| s.phase).as_deref(), Some("Bound"));
    let sts: Api<StatefulSet> = Api::namespaced(client.clone(), "shop");
    let status = soon(sts.get("db")).await.unwrap().status.unwrap();
    assert_eq!(status.ready_replicas, Some(3));

    // The Service's slice lists the three ready pods.
    let slices: Api<EndpointSlice> = Api::namespaced(client.clone(), "shop");
    let slice = soon(slices.list(&ListParams::default().labels("kubernetes.io/service-name=db")))
        .await
        .unwrap()
        .items
        .remove(0);
    let ready = slice
        .endpoints
        .iter()
        .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) == Some(true))
        .count();
    assert_eq!(ready, 3);

    // A daemon pod on each node, the cordoned one too.
    let agents = soon(pods.list(&ListParams::default().labels("app=agent")))
        .await
        .unwrap()
        .items;
    let mut nodes: Vec<String> = agents
        .iter()
        .filter_map(|p| p.spec.as_ref().and_then(|s| s.node_name.clone()))
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["node-a", "node-b"]);
    let ds: Api<DaemonSet> = Api::namespaced(client.clone(), "shop");
    let status = soon(ds.get("agent")).await.unwrap().status.unwrap();
    assert_eq!(status.desired_number_scheduled, 2);

    // OOMKilled twice (backoffLimit 1): the Job fails.
    advance(&handle, Duration::from_secs(120), Duration::from_secs(5));
    let jobs: Api<Job> = Api::namespaced(client.clone(), "shop");
    let job = soon(jobs.get("migrate")).await.unwrap().status.unwrap();
    assert_eq!(job.failed, Some(2));
    let failed = job
        .conditions
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.type_ == "Failed")
        .unwrap();
    assert_eq!(failed.reason.as_deref(), Some("BackoffLimitExceeded"));
    handle.shutdown().await;
}
