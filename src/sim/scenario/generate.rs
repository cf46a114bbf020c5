//! Scale scenarios: nodes, deployments, pods and events made up
//! deterministically (the same input gives the same cluster), looking like a
//! real busy cluster: pods spread over nodes, a few of them unhealthy.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::{Exit, Generate, Rules, Workload};
use crate::sim::cluster::store::format_time;

const PODS_PER_DEPLOYMENT: usize = 10;
/// Events are rewritten from a fixed pool (their count going up), so a long
/// run does not grow the store without bound.
pub const EVENT_POOL: usize = 500;

const APPS: &[&str] = &[
    "api", "web", "worker", "cache", "search", "billing", "auth", "cart", "ledger", "notifier",
];

/// A cheap deterministic mix, so "random-looking" choices are stable.
fn mix(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64)
        .wrapping_add(salt)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn node_name(i: usize) -> String {
    format!("node-{i:04}")
}

fn deployment_name(d: usize) -> String {
    format!("{}-{d:03}", APPS[d % APPS.len()])
}

/// Unique within a deployment: the replica index picks a disjoint range.
fn pod_name(i: usize) -> String {
    let d = i / PODS_PER_DEPLOYMENT;
    let replica = (i % PODS_PER_DEPLOYMENT) as u64;
    let suffix = replica * 0x1999 + mix(i, 7) % 0x1999;
    format!("{}-7c9f{:x}-{suffix:05x}", deployment_name(d), d % 16)
}

fn ago(now: Timestamp, seconds: i64) -> String {
    format_time(now - SignedDuration::from_secs(seconds))
}

pub fn objects(g: &Generate, now: Timestamp) -> Vec<Value> {
    let mut out = Vec::with_capacity(g.nodes + g.pods + 2 * (g.pods / PODS_PER_DEPLOYMENT + 1));
    for i in 0..g.nodes {
        out.push(node(i, now));
    }
    let deployments = g.pods.div_ceil(PODS_PER_DEPLOYMENT);
    for d in 0..deployments {
        let replicas = PODS_PER_DEPLOYMENT.min(g.pods - d * PODS_PER_DEPLOYMENT);
        let deployment = deployment(g, d, replicas, now);
        out.push(replica_set(&deployment, d, now));
        out.push(deployment);
    }
    for i in 0..g.pods {
        out.push(pod(g, i, now));
    }
    // Old revisions, scaled to 0, as Deployments keep them.
    for r in deployments..g.replica_sets.max(deployments) {
        let d = r % deployments.max(1);
        let replicas = PODS_PER_DEPLOYMENT.min(g.pods.saturating_sub(d * PODS_PER_DEPLOYMENT));
        out.push(old_replica_set(&deployment(g, d, replicas, now), d, r, now));
    }
    for s in 0..g.services {
        out.extend(service(g, s, deployments, now));
    }
    out
}

/// An old revision of Deployment `d` (the `r`th ReplicaSet), scaled to 0.
fn old_replica_set(deployment: &Value, d: usize, r: usize, now: Timestamp) -> Value {
    let mut rs = replica_set(deployment, d, now);
    let name = deployment["metadata"]["name"].as_str().unwrap_or_default();
    let hash = format!("{:x}", mix(r, 11) % 0xff_ffff);
    rs["metadata"]["name"] = json!(format!("{name}-{hash}"));
    rs["metadata"]["uid"] = json!(format!("rs-old-{r}"));
    rs["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = json!("0");
    rs["spec"]["selector"]["matchLabels"]["pod-template-hash"] = json!(hash);
    rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    rs["spec"]["replicas"] = json!(0);
    rs["status"] = json!({ "replicas": 0 });
    rs
}

/// Service `s`, selecting Deployment `s % deployments`'s pods, and the
/// EndpointSlice of those pods' addresses.
fn service(g: &Generate, s: usize, deployments: usize, now: Timestamp) -> [Value; 2] {
    let d = s % deployments.max(1);
    let app = deployment_name(d);
    let name = format!("{app}-svc-{s:05}");
    let pods = (d * PODS_PER_DEPLOYMENT..((d + 1) * PODS_PER_DEPLOYMENT).min(g.pods))
        .map(|i| {
            json!({ "addresses": [ format!("10.{}.{}.{}", 100 + i / 65_536, (i / 256) % 256, i % 256) ],
                    "conditions": { "ready": i % 50 != 7 && i % 50 != 23 },
                    "targetRef": { "kind": "Pod", "name": pod_name(i), "namespace": g.namespace } })
        })
        .collect::<Vec<_>>();
    [
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": { "name": name, "namespace": g.namespace,
                "creationTimestamp": ago(now, 86_400 * 10), "labels": { "app": app } },
            "spec": { "type": "ClusterIP",
                "clusterIP": format!("10.96.{}.{}", s / 256 % 256, s % 256),
                "selector": { "app": app },
                "ports": [ { "name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080 } ] }
        }),
        json!({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": { "name": format!("{name}-{:05x}", mix(s, 13) % 0xfffff), "namespace": g.namespace,
                "creationTimestamp": ago(now, 86_400 * 10),
                "labels": { "kubernetes.io/service-name": name } },
            "addressType": "IPv4",
            "ports": [ { "name": "http", "port": 8080, "protocol": "TCP" } ],
            "endpoints": pods
        }),
    ]
}

fn node(i: usize, now: Timestamp) -> Value {
    let not_ready = i % 97 == 13;
    let ready = if not_ready {
        json!({ "type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
                "message": "Kubelet stopped posting node status.",
                "lastHeartbeatTime": ago(now, 300), "lastTransitionTime": ago(now, 240) })
    } else {
        json!({ "type": "Ready", "status": "True", "reason": "KubeletReady",
                "message": "kubelet is posting ready status",
                "lastHeartbeatTime": ago(now, 10), "lastTransitionTime": ago(now, 86_400 * 20) })
    };
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": node_name(i),
            "creationTimestamp": ago(now, 86_400 * 30 + (mix(i, 1) % 86_400) as i64),
            "labels": {
                "kubernetes.io/hostname": node_name(i),
                "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/worker": "",
                "topology.kubernetes.io/zone": format!("zone-{}", ["a", "b", "c"][i % 3]),
            }
        },
        "spec": { "podCIDR": format!("10.{}.{}.0/24", 64 + i / 256, i % 256) },
        "status": {
            "conditions": [
                { "type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory" },
                { "type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure" },
                { "type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID" },
                ready
            ],
            "addresses": [
                { "type": "InternalIP", "address": format!("10.0.{}.{}", i / 250, 10 + i % 250) },
                { "type": "Hostname", "address": node_name(i) }
            ],
            "allocatable": { "cpu": "7910m", "memory": "31Gi", "pods": "110" },
            "capacity": { "cpu": "8", "memory": "32Gi", "pods": "110" },
            "nodeInfo": {
                "kubeletVersion": "v1.37.2",
                "containerRuntimeVersion": "containerd://2.1.4",
                "osImage": "Ubuntu 24.04.3 LTS",
                "kernelVersion": "6.8.0-79-generic",
                "architecture": "amd64",
                "operatingSystem": "linux"
            }
        }
    })
}

/// What the generated pods do wrong, as the simulated kubelet's rules: the
/// crash-looping ones exit, the image of the pulling ones is not in the
/// registry (every other generated image is).
pub fn rules(g: &Generate) -> Rules {
    let mut registry = std::collections::BTreeSet::new();
    for app in APPS {
        for v in 0..20 {
            registry.insert(image(app, v));
        }
    }
    let mut workloads = std::collections::BTreeMap::new();
    for i in (0..g.pods).filter(|i| i % 50 == 7) {
        let exits = Exit {
            after: std::time::Duration::from_secs(5),
            code: 1,
        };
        workloads.insert(
            pod_name(i),
            Workload {
                exits: Some(exits),
                ..Workload::default()
            },
        );
    }
    Rules {
        registry: Some(registry),
        workloads,
    }
}

fn image(app: &str, version: usize) -> String {
    format!("registry.example.com/{app}:v1.{version}.0")
}

fn template_hash(d: usize) -> String {
    format!("7c9f{:x}", d % 16)
}

/// The ReplicaSet a Deployment's pods belong to (its template is the
/// Deployment's, so the deployment controller has nothing to roll out).
fn replica_set(deployment: &Value, d: usize, now: Timestamp) -> Value {
    let name = deployment["metadata"]["name"].as_str().unwrap_or_default();
    let hash = template_hash(d);
    let mut template = deployment["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let replicas = deployment["spec"]["replicas"].clone();
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": format!("{name}-{hash}"),
            "namespace": deployment["metadata"]["namespace"],
            "uid": format!("rs-{d}"),
            "generation": 1,
            "creationTimestamp": ago(now, 86_400 * 10),
            "labels": { "app": name, "pod-template-hash": hash },
            "annotations": { "deployment.kubernetes.io/revision": "1" },
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                "uid": deployment["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true } ]
        },
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": { "app": name, "pod-template-hash": hash } },
            "template": template
        },
        "status": { "replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas }
    })
}

fn deployment(g: &Generate, d: usize, replicas: usize, now: Timestamp) -> Value {
    let name = deployment_name(d);
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": name,
            "namespace": g.namespace,
            "uid": format!("deploy-{d}"),
            "annotations": { "deployment.kubernetes.io/revision": "1" },
            "generation": 1,
            "creationTimestamp": ago(now, 86_400 * 10),
            "labels": { "app": name }
        },
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": { "app": name } },
            "template": {
                "metadata": { "labels": { "app": name } },
                "spec": { "containers": [ { "name": APPS[d % APPS.len()],
                    "image": image(APPS[d % APPS.len()], d % 20) } ] }
            }
        },
        "status": {
            "replicas": replicas, "updatedReplicas": replicas,
            "readyReplicas": replicas, "availableReplicas": replicas,
            "observedGeneration": 1
        }
    })
}

fn pod(g: &Generate, i: usize, now: Timestamp) -> Value {
    let d = i / PODS_PER_DEPLOYMENT;
    let app = deployment_name(d);
    let container = APPS[d % APPS.len()];
    let name = pod_name(i);
    let node = if g.nodes == 0 {
        String::new()
    } else {
        node_name((mix(i, 3) % g.nodes as u64) as usize)
    };
    let started = ago(now, 3600 + (mix(i, 5) % (86_400 * 5)) as i64);
    // The pods that cannot pull name a tag the registry does not have.
    let image = if i % 50 == 23 {
        format!("{}-rc.1", image(container, d % 20))
    } else {
        image(container, d % 20)
    };
    let (phase, ready, state, last_state, restarts) = match i % 50 {
        7 => (
            "Running",
            false,
            json!({ "waiting": { "reason": "CrashLoopBackOff",
                "message": format!("back-off 5m0s restarting failed container={container} pod={name}") } }),
            json!({ "terminated": { "reason": "Error", "exitCode": 1,
                "startedAt": ago(now, 400), "finishedAt": ago(now, 390) } }),
            (mix(i, 9) % 40 + 5) as i64,
        ),
        23 => (
            "Pending",
            false,
            json!({ "waiting": { "reason": "ImagePullBackOff",
                "message": format!("Back-off pulling image \"{image}\"") } }),
            json!({}),
            0,
        ),
        _ => (
            "Running",
            true,
            json!({ "running": { "startedAt": started } }),
            json!({}),
            (mix(i, 11) % 3) as i64,
        ),
    };
    let ready_text = if ready { "True" } else { "False" };
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": g.namespace,
            "creationTimestamp": started,
            "labels": { "app": app, "pod-template-hash": template_hash(d) },
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": format!("{app}-{}", template_hash(d)), "uid": format!("rs-{d}"),
                "controller": true, "blockOwnerDeletion": true } ]
        },
        "spec": {
            "nodeName": node,
            "containers": [ { "name": container, "image": image,
                "resources": { "requests": { "cpu": "100m", "memory": "128Mi" },
                               "limits": { "memory": "256Mi" } } } ]
        },
        "status": {
            "phase": phase,
            "podIP": format!("10.{}.{}.{}", 64 + i / 65_536, (i / 256) % 256, i % 256),
            "startTime": started,
            "conditions": [
                { "type": "PodScheduled", "status": "True" },
                { "type": "Initialized", "status": "True" },
                { "type": "ContainersReady", "status": ready_text },
                { "type": "Ready", "status": ready_text }
            ],
            "containerStatuses": [ {
                "name": container, "image": image, "ready": ready, "started": ready,
                "restartCount": restarts, "state": state, "lastState": last_state
            } ]
        }
    })
}

/// The `seq`-th generated event: a pool entry seen once more.
pub fn event(g: &Generate, seq: u64, now: Timestamp) -> Value {
    let slot = (seq % EVENT_POOL as u64) as usize;
    let count = seq / EVENT_POOL as u64 + 1;
    let pods = g.pods.max(1);
    let target = (mix(slot, 13) % pods as u64) as usize;
    let subject = pod_name(target);
    let (kind, reason, message) = match slot % 4 {
        0 => (
            "Warning",
            "BackOff",
            "Back-off restarting failed container".to_string(),
        ),
        1 => (
            "Normal",
            "Pulled",
            "Container image already present on machine".to_string(),
        ),
        2 => (
            "Warning",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503".to_string(),
        ),
        _ => (
            "Normal",
            "Scheduled",
            format!("Successfully assigned {}/{subject}", g.namespace),
        ),
    };
    let time = format_time(now);
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": { "name": format!("{subject}.{slot:012x}"), "namespace": g.namespace },
        "involvedObject": { "kind": "Pod", "namespace": g.namespace, "name": subject, "apiVersion": "v1" },
        "reason": reason,
        "message": message,
        "type": kind,
        "count": count,
        "firstTimestamp": time,
        "lastTimestamp": time,
        "source": { "component": "kubelet" },
        "reportingComponent": "kubelet"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_mixed() {
        let g = Generate {
            pods: 200,
            nodes: 20,
            events_per_second: 0.0,
            namespace: "load".into(),
            services: 0,
            replica_sets: 0,
        };
        let now = Timestamp::from_second(1_750_000_000).unwrap();
        let a = objects(&g, now);
        assert_eq!(a, objects(&g, now));
        let pods: Vec<&Value> = a.iter().filter(|o| o["kind"] == "Pod").collect();
        assert_eq!(pods.len(), 200);
        assert_eq!(a.iter().filter(|o| o["kind"] == "Node").count(), 20);
        let unhealthy = pods
            .iter()
            .filter(|p| p["status"]["conditions"][3]["status"] == "False")
            .count();
        assert!(unhealthy > 0 && unhealthy < 20, "{unhealthy}");
        let nodes: std::collections::BTreeSet<&str> = pods
            .iter()
            .map(|p| p["spec"]["nodeName"].as_str().unwrap())
            .collect();
        assert!(nodes.len() > 10, "pods spread over {} nodes", nodes.len());
        let names: std::collections::BTreeSet<&str> = pods
            .iter()
            .map(|p| p["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 200, "pod names are unique");
    }

    /// Services with their EndpointSlices and old ReplicaSets, as the
    /// scale benchmark asks for them, projected as the app would.
    #[test]
    fn services_slices_and_old_revisions_are_generated() {
        let g = Generate {
            pods: 200,
            nodes: 20,
            events_per_second: 0.0,
            namespace: "load".into(),
            services: 30,
            replica_sets: 50,
        };
        let now = Timestamp::from_second(1_750_000_000).unwrap();
        let all = objects(&g, now);
        let count = |kind: &str| all.iter().filter(|o| o["kind"] == kind).count();
        assert_eq!((count("Service"), count("EndpointSlice")), (30, 30));
        assert_eq!(count("ReplicaSet"), 50);
        let snap = crate::cluster::store::snapshot_of(&all, now.as_second()).expect("projects");
        let svc = &snap.rows::<crate::kinds::service::Services>().rows[0];
        let (ready, not_ready) = svc.endpoints(&crate::kinds::Ctx::new(0, Some(&snap)));
        assert_eq!(ready + not_ready, 10, "{svc:?}");
        let names: std::collections::BTreeSet<String> = all
            .iter()
            .filter(|o| o["kind"] == "ReplicaSet")
            .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), 50, "ReplicaSet names are unique");
    }
}
