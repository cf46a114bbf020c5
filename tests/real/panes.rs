//! Every registered kind's pane shows the rows `kubectl get -o wide` prints
//! for the same objects on the real API server: the same headers as the
//! registry declares, and for each column the pane shows, the same cell.

use std::collections::BTreeMap;

use runbook::kinds;
use runbook::kinds::snapshot::ResourceState;

use super::table::{self, Table};
use super::*;

/// One object or more of every kind, in namespace NS (nodes, volumes and
/// classes named after it). No kubelet runs: pods stay Pending, so the
/// controllers' statuses are those of a cluster whose pods never start.
pub const FIXTURES: &str = r#"
apiVersion: v1
kind: Node
metadata:
  name: NS-node
  labels: { kubernetes.io/hostname: NS-node, node-role.kubernetes.io/worker: "" }
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: NS-sc }
provisioner: example.com/none
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: NS-pv }
spec:
  capacity: { storage: 5Gi }
  accessModes: [ ReadWriteOnce ]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: NS-sc
  hostPath: { path: /tmp/NS-pv }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: NS }
spec:
  accessModes: [ ReadWriteOnce ]
  storageClassName: NS-sc
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: Pod
metadata: { name: lone, namespace: NS, labels: { app: lone } }
spec:
  containers: [ { name: c, image: "registry.example/lone:1" } ]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: NS, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [ { name: web, image: "registry.example/web:1" } ] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: NS }
spec:
  replicas: 1
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [ { name: db, image: "registry.example/db:1" } ] }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: NS }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      nodeSelector: { kubernetes.io/hostname: NS-node }
      containers: [ { name: agent, image: "registry.example/agent:1" } ]
---
apiVersion: batch/v1
kind: Job
metadata: { name: once, namespace: NS }
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [ { name: once, image: "registry.example/once:1" } ]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: NS }
spec:
  schedule: "0 3 * * *"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [ { name: report, image: "registry.example/report:1" } ]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: NS }
spec:
  selector: { app: web }
  ports: [ { name: http, port: 80, targetPort: 8080 } ]
---
apiVersion: v1
kind: Service
metadata: { name: edge, namespace: NS }
spec:
  type: NodePort
  selector: { app: edge }
  ports: [ { name: http, port: 80, targetPort: 8080 }, { name: admin, port: 9000, protocol: UDP } ]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual
  namespace: NS
  labels: { kubernetes.io/service-name: manual }
addressType: IPv4
ports: [ { name: http, port: 8080, protocol: TCP } ]
endpoints:
  - addresses: [ 10.244.0.12 ]
    conditions: { ready: true }
  - addresses: [ 10.244.1.7 ]
    conditions: { ready: false }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: NS }
spec:
  ingressClassName: nginx
  tls: [ { hosts: [ shop.example.com ], secretName: shop-tls } ]
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: NS }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: NS }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: web } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: db, namespace: NS }
spec:
  maxUnavailable: 50%
  selector: { matchLabels: { app: db } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: NS }
spec:
  podSelector: {}
  policyTypes: [ Ingress ]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-only, namespace: NS }
spec:
  podSelector: { matchLabels: { app: web } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: NS }
data: { mode: fast, level: "3" }
---
apiVersion: v1
kind: Secret
metadata: { name: creds, namespace: NS }
type: Opaque
stringData: { user: admin, password: hunter2 }
---
apiVersion: v1
kind: Secret
metadata: { name: shop-tls, namespace: NS }
type: kubernetes.io/tls
data: { tls.crt: "", tls.key: "" }
---
apiVersion: v1
kind: Event
metadata: { name: web.manual, namespace: NS }
involvedObject: { apiVersion: apps/v1, kind: Deployment, name: web, namespace: NS }
type: Warning
reason: Manual
message: "written by the test"
source: { component: runbook-test }
count: 3
"#;

/// The fixtures with their namespace filled in.
pub fn fixtures(ns: &str) -> String {
    FIXTURES.replace("NS", ns)
}

/// Whether the pane of `id` shows what `kubectl get -o wide` prints now;
/// the difference when it does not.
fn compare(
    cp: &kube::ControlPlane,
    snap: &runbook::kinds::snapshot::Snapshot,
    id: kinds::KindId,
    ns: &str,
) -> Result<(), String> {
    let kind = kinds::get(id);
    let cluster = !kind.namespaced();
    let plural = kind.plural();
    let resource = if kind.group().is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{}", kind.group())
    };
    let now = jiff::Timestamp::now().as_second();
    let out = if cluster {
        cp.kubectl(&["get", &resource, "-o", "wide"])
    } else {
        cp.kubectl(&["get", &resource, "-n", ns, "-o", "wide"])
    };
    if !out.status.success() {
        return Err(format!(
            "kubectl get {resource}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let printed: Table = table::parse(&String::from_utf8_lossy(&out.stdout));
    // Cluster-scoped kinds: only what this test made (named after its namespace).
    let ours = |name: &str| !cluster || name.starts_with(ns);
    if !printed.rows.is_empty() && printed.headers != table::declared_headers(kind) {
        return Err(format!(
            "{plural}: kubectl prints {:?}, the registry declares {:?}",
            printed.headers,
            table::declared_headers(kind)
        ));
    }
    let by_kubectl: BTreeMap<String, BTreeMap<String, String>> = printed
        .rows
        .into_iter()
        .filter(|r| ours(&r["NAME"]))
        .map(|r| (r["NAME"].clone(), r))
        .collect();
    let by_pane = table::pane_rows(snap, id, kind, now, ours);
    let names = |m: &BTreeMap<String, BTreeMap<String, String>>| -> Vec<String> {
        m.keys().cloned().collect()
    };
    if names(&by_kubectl) != names(&by_pane) {
        return Err(format!(
            "{plural}: kubectl lists {:?}, the pane {:?}",
            names(&by_kubectl),
            names(&by_pane)
        ));
    }
    let mut wrong = Vec::new();
    for (name, pane) in &by_pane {
        let printed = &by_kubectl[name];
        for (header, cell) in pane {
            let Some(want) = printed.get(header) else {
                wrong.push(format!("{name}: kubectl has no {header} column"));
                continue;
            };
            // The events pane has no COUNT column: it says the count
            // after the message, as `(x3)`.
            let want = match printed.get("COUNT").map(|c| c.parse::<u32>()) {
                Some(Ok(n)) if n > 1 && header == "MESSAGE" => format!("{want} (x{n})"),
                _ => want.clone(),
            };
            let want = &want;
            if !table::same(want, cell) {
                wrong.push(format!("{name} {header}: kubectl {want:?}, pane {cell:?}"));
            }
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("{plural}:\n  {}", wrong.join("\n  ")))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kinds_pane_shows_what_kubectl_get_prints() {
    let Some(cp) = control_plane() else { return };
    let ns = namespace(cp, "real-panes");
    cp.apply(&fixtures(&ns));
    let all: Vec<kinds::KindId> = kinds::KindId::all().collect();
    let handle = panes(&cp.admin(), &ns, all.clone()).await;
    let mut rx = handle.snapshots.clone();
    until(&mut rx, "every kind live", |s| {
        all.iter().all(|&id| *s.state(id) == ResourceState::Live)
    })
    .await;
    // The controllers keep writing (statuses, events, replicas); a kind
    // agrees once the pane and a kubectl run after it say the same.
    let mut left: Vec<kinds::KindId> = all.clone();
    let mut last: BTreeMap<kinds::KindId, String> = BTreeMap::new();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !left.is_empty() {
        let snap = rx.borrow_and_update().clone();
        left.retain(|&id| match compare(cp, &snap, id, &ns) {
            Ok(()) => false,
            Err(why) => {
                last.insert(id, why);
                true
            }
        });
        if left.is_empty() {
            break;
        }
        // A new snapshot, or a second for the next kubectl run.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), rx.changed()).await;
        if tokio::time::Instant::now() > deadline {
            let diffs: Vec<&String> = left.iter().filter_map(|id| last.get(id)).collect();
            panic!(
                "panes that never showed what kubectl prints:\n{}",
                diffs
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}
