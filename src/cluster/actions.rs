//! Built-in actions through kube-rs (no kubectl needed): cordon, uncordon,
//! drain (evictions that respect PodDisruptionBudgets), delete pod, rollout
//! restart and scale. Each is previewed with a server-side dry run first.
//!
//! Read-only is a type: every function that sends a mutating request takes
//! a `Mutations`, and read-only mode cannot make one.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{DeleteParams, Patch, PatchParams};
use kube::{Api, Client};

use super::drain::{self, Reporter};

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
    send(client, req, true, &Reporter::silent(), Duration::ZERO).await
}

/// How long a drain keeps retrying an eviction a PodDisruptionBudget refuses.
pub const PDB_WAIT: Duration = Duration::from_secs(60);

/// Does it, reporting progress (drain) as it goes; a drain stops when the
/// reporter says so.
pub async fn execute(
    client: &Client,
    req: &ActionRequest,
    _: &Mutations,
    report: Reporter,
) -> Result<String, String> {
    send(client, req, false, &report, PDB_WAIT).await
}

/// `execute` with a chosen PodDisruptionBudget wait (tests use a short one).
pub async fn execute_with_wait(
    client: &Client,
    req: &ActionRequest,
    _: &Mutations,
    report: Reporter,
    pdb_wait: Duration,
) -> Result<String, String> {
    send(client, req, false, &report, pdb_wait).await
}

async fn send(
    client: &Client,
    req: &ActionRequest,
    dry_run: bool,
    report: &Reporter,
    pdb_wait: Duration,
) -> Result<String, String> {
    let would = if dry_run { "would be " } else { "" };
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
            if dry_run {
                drain::preview(client, &req.name, cordoned).await
            } else {
                drain::run(client, &req.name, cordoned, report, pdb_wait).await
            }
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
