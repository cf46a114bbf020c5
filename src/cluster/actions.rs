//! Built-in actions through kube-rs (no kubectl needed): cordon, uncordon,
//! drain (evictions that respect PodDisruptionBudgets), delete pod, rollout
//! restart and scale. Each is previewed with a server-side dry run first.
//!
//! Read-only is a type: every function that sends a mutating request takes
//! a `Mutations`, and read-only mode cannot make one.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{DeleteParams, EvictParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use tokio::sync::mpsc;

pub use crate::action_kind::ActionKind;

/// Permission to change the cluster. There is none in read-only mode.
#[derive(Debug)]
pub struct Mutations(());

impl Mutations {
    pub fn allow(read_only: bool) -> Option<Mutations> {
        (!read_only).then_some(Mutations(()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionRequest {
    pub kind: ActionKind,
    /// `node/NAME`, `pod/NAME`, `deployment/NAME`, params already rendered.
    pub target: String,
    pub name: String,
    pub namespace: String,
    pub replicas: Option<u32>,
}

impl ActionRequest {
    pub fn new(
        kind: ActionKind,
        target: &str,
        namespace: &str,
        replicas: Option<u32>,
    ) -> Result<Self, String> {
        let (_, name) = target
            .split_once('/')
            .filter(|(_, n)| !n.is_empty())
            .ok_or_else(|| format!("action target `{target}` is not KIND/NAME"))?;
        Ok(ActionRequest {
            kind,
            target: target.to_string(),
            name: name.to_string(),
            namespace: namespace.to_string(),
            replicas,
        })
    }

    /// What the responder types to confirm.
    pub fn confirm_word(&self) -> &str {
        &self.name
    }
}

fn err(e: kube::Error) -> String {
    super::connect::describe(&e)
}

fn patch_params(dry_run: bool) -> PatchParams {
    PatchParams {
        dry_run,
        field_manager: Some("runbook".into()),
        ..PatchParams::default()
    }
}

/// Pods a drain would evict, and the ones it leaves (DaemonSet, mirror).
async fn drain_plan(client: &Client, node: &str) -> Result<(Vec<Pod>, Vec<String>), String> {
    let pods: Api<Pod> = Api::all(client.clone());
    let list = pods
        .list(&ListParams::default().fields(&format!("spec.nodeName={node}")))
        .await
        .map_err(err)?;
    let mut evict = Vec::new();
    let mut skipped = Vec::new();
    for pod in list.items {
        let name = format!(
            "{}/{}",
            pod.metadata.namespace.clone().unwrap_or_default(),
            pod.metadata.name.clone().unwrap_or_default()
        );
        let daemonset = pod
            .metadata
            .owner_references
            .as_ref()
            .is_some_and(|o| o.iter().any(|r| r.kind == "DaemonSet"));
        let mirror = pod
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
        let finished = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        if daemonset {
            skipped.push(format!("{name} (DaemonSet)"));
        } else if mirror {
            skipped.push(format!("{name} (static pod)"));
        } else if !finished {
            evict.push(pod);
        }
    }
    Ok((evict, skipped))
}

async fn evict(client: &Client, pod: &Pod, dry_run: bool) -> Result<(), kube::Error> {
    let api: Api<Pod> = Api::namespaced(
        client.clone(),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
    );
    let params = EvictParams {
        delete_options: None,
        post_options: PostParams {
            dry_run,
            field_manager: None,
        },
    };
    api.evict(pod.metadata.name.as_deref().unwrap_or_default(), &params)
        .await
        .map(|_| ())
}

fn is_pdb_refusal(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 429)
}

/// The pod went between the listing and its eviction (deleted, or evicted
/// by someone else): what the drain wanted is done.
fn is_gone(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

/// Whether the node is cordoned already, so a cordon or drain says so
/// instead of announcing a change that is not one.
async fn is_cordoned(client: &Client, node: &str) -> Result<bool, String> {
    let nodes: Api<Node> = Api::all(client.clone());
    let node = nodes.get(node).await.map_err(err)?;
    Ok(node.spec.and_then(|s| s.unschedulable).unwrap_or(false))
}

/// Cordons `node` unless it already is; says which.
async fn cordon(client: &Client, node: &str, dry_run: bool) -> Result<bool, String> {
    if is_cordoned(client, node).await? {
        return Ok(false);
    }
    let nodes: Api<Node> = Api::all(client.clone());
    nodes
        .patch(
            node,
            &patch_params(dry_run),
            &Patch::Merge(serde_json::json!({"spec": {"unschedulable": true}})),
        )
        .await
        .map_err(err)?;
    Ok(true)
}

/// A server-side dry run: what would change, changing nothing.
pub async fn preview(
    client: &Client,
    req: &ActionRequest,
    _: &Mutations,
) -> Result<String, String> {
    send(client, req, true, None, Duration::ZERO).await
}

/// How long a drain keeps retrying an eviction a PodDisruptionBudget refuses.
pub const PDB_WAIT: Duration = Duration::from_secs(60);

/// Does it, reporting progress (drain) as it goes.
pub async fn execute(
    client: &Client,
    req: &ActionRequest,
    _: &Mutations,
    progress: mpsc::Sender<String>,
) -> Result<String, String> {
    send(client, req, false, Some(progress), PDB_WAIT).await
}

/// `execute` with a chosen PodDisruptionBudget wait (tests use a short one).
pub async fn execute_with_wait(
    client: &Client,
    req: &ActionRequest,
    _: &Mutations,
    progress: mpsc::Sender<String>,
    pdb_wait: Duration,
) -> Result<String, String> {
    send(client, req, false, Some(progress), pdb_wait).await
}

async fn send(
    client: &Client,
    req: &ActionRequest,
    dry_run: bool,
    progress: Option<mpsc::Sender<String>>,
    pdb_wait: Duration,
) -> Result<String, String> {
    let would = if dry_run { "would be " } else { "" };
    let say = |msg: String| {
        let p = progress.clone();
        async move {
            if let Some(p) = p {
                let _ = p.send(msg).await;
            }
        }
    };
    match req.kind {
        ActionKind::Cordon | ActionKind::Uncordon => {
            let on = req.kind == ActionKind::Cordon;
            if is_cordoned(client, &req.name).await? == on {
                return Ok(format!(
                    "node {} is already {}",
                    req.name,
                    if on { "cordoned" } else { "uncordoned" }
                ));
            }
            let nodes: Api<Node> = Api::all(client.clone());
            nodes
                .patch(
                    &req.name,
                    &patch_params(dry_run),
                    &Patch::Merge(serde_json::json!({"spec": {"unschedulable": on}})),
                )
                .await
                .map_err(err)?;
            Ok(format!(
                "node {} {would}{}",
                req.name,
                if on { "cordoned" } else { "uncordoned" }
            ))
        }
        ActionKind::Drain => {
            let cordoned = cordon(client, &req.name, dry_run).await?;
            let (pods, skipped) = drain_plan(client, &req.name).await?;
            if dry_run {
                let mut blocked = Vec::new();
                let mut ok = Vec::new();
                for pod in &pods {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    match evict(client, pod, true).await {
                        Ok(()) => ok.push(name),
                        Err(e) if is_pdb_refusal(&e) => blocked.push(name),
                        // Gone since the listing: nothing left to evict.
                        Err(e) if is_gone(&e) => {}
                        Err(e) => return Err(err(e)),
                    }
                }
                return Ok(format!(
                    "node {} {}; {} pod(s) evicted{}{}{}",
                    req.name,
                    if cordoned {
                        "would be cordoned"
                    } else {
                        "is already cordoned"
                    },
                    ok.len(),
                    if ok.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", ok.join(", "))
                    },
                    if blocked.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; blocked by a PodDisruptionBudget for now: {}",
                            blocked.join(", ")
                        )
                    },
                    if skipped.is_empty() {
                        String::new()
                    } else {
                        format!("; left in place: {}", skipped.join(", "))
                    },
                ));
            }
            let state = if cordoned {
                format!("cordoned {}", req.name)
            } else {
                format!("{} was already cordoned", req.name)
            };
            say(format!("{state}; evicting {} pod(s)", pods.len())).await;
            let mut evicted = 0;
            let mut gone = 0;
            let mut blocked = Vec::new();
            for pod in &pods {
                let name = pod.metadata.name.clone().unwrap_or_default();
                let deadline = tokio::time::Instant::now() + pdb_wait;
                loop {
                    match evict(client, pod, false).await {
                        Ok(()) => {
                            evicted += 1;
                            say(format!("evicted {name}")).await;
                            break;
                        }
                        Err(e) if is_pdb_refusal(&e) && tokio::time::Instant::now() < deadline => {
                            say(format!(
                                "{name}: a PodDisruptionBudget allows no disruption yet; retrying"
                            ))
                            .await;
                            tokio::time::sleep(Duration::from_secs(2).min(pdb_wait)).await;
                        }
                        Err(e) if is_pdb_refusal(&e) => {
                            say(format!(
                                "{name}: still blocked by its PodDisruptionBudget; left in place"
                            ))
                            .await;
                            blocked.push(name);
                            break;
                        }
                        // Deleted or evicted by someone else meanwhile:
                        // off the node, which is what the drain is for.
                        Err(e) if is_gone(&e) => {
                            gone += 1;
                            say(format!("{name}: already gone")).await;
                            break;
                        }
                        Err(e) => return Err(err(e)),
                    }
                }
            }
            Ok(format!(
                "drained {}: evicted {evicted}{}, blocked by a PodDisruptionBudget {}{}",
                req.name,
                if gone > 0 {
                    format!(", already gone {gone}")
                } else {
                    String::new()
                },
                blocked.len(),
                if skipped.is_empty() {
                    String::new()
                } else {
                    format!(", left in place {}", skipped.len())
                }
            ))
        }
        ActionKind::DeletePod => {
            let pods: Api<Pod> = Api::namespaced(client.clone(), &req.namespace);
            pods.delete(
                &req.name,
                &DeleteParams {
                    dry_run,
                    ..DeleteParams::default()
                },
            )
            .await
            .map_err(err)?;
            Ok(format!("pod {}/{} {would}deleted", req.namespace, req.name))
        }
        ActionKind::RolloutRestart => {
            let api: Api<Deployment> = Api::namespaced(client.clone(), &req.namespace);
            let now = jiff::Timestamp::now().to_string();
            let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": now}}}}});
            api.patch(&req.name, &patch_params(dry_run), &Patch::Merge(patch))
                .await
                .map_err(err)?;
            Ok(format!(
                "deployment {}/{} {would}restarted",
                req.namespace, req.name
            ))
        }
        ActionKind::Scale => {
            let replicas = req.replicas.ok_or("scale needs replicas")?;
            let api: Api<Deployment> = Api::namespaced(client.clone(), &req.namespace);
            let before = api.get(&req.name).await.map_err(err)?;
            let from = before.spec.and_then(|s| s.replicas).unwrap_or(1);
            api.patch(
                &req.name,
                &patch_params(dry_run),
                &Patch::Merge(serde_json::json!({"spec": {"replicas": replicas}})),
            )
            .await
            .map_err(err)?;
            Ok(format!(
                "deployment {}/{} {would}scaled from {from} to {replicas}",
                req.namespace, req.name
            ))
        }
    }
}
