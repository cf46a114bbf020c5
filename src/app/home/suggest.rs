//! Names from the cluster for the params form: the namespaces, deployments
//! and nodes a param can name, listed once in the background through the
//! kubeconfig the session would use, under a short deadline. Without a
//! cluster (no kubeconfig, unreachable, forbidden, too slow) the form offers
//! nothing and says nothing: suggestions are a convenience, never a check.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Namespace, Node, Pod};
use kube::Api;
use kube::api::ListParams;
use kube::core::{ObjectList, PartialObjectMeta};

use crate::cluster::connect::{ClusterConfig, connect, describe};
use crate::kinds::common::controller_named;

/// Connecting and the three lists together; the form is usable meanwhile.
pub const DEADLINE: Duration = Duration::from_secs(3);

/// At most this many of each kind are listed: enough to pick from, and a
/// bounded answer from a cluster of any size.
const LIMIT: u32 = 500;

/// How many names the form shows at once.
pub const SHOWN: usize = 8;

/// The kind of object a param names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Namespace,
    Deployment,
    Node,
}

impl Kind {
    /// By the param's name: `namespace`, `deployment` or `node`, alone or
    /// as its last word (`target-namespace`, `drain_node`).
    pub fn of_param(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let last = lower.rsplit(['-', '_']).next().unwrap_or_default();
        match last {
            "namespace" | "ns" => Some(Kind::Namespace),
            "deployment" => Some(Kind::Deployment),
            "node" => Some(Kind::Node),
            _ => None,
        }
    }
}

/// What the cluster answered, each list sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub namespaces: Vec<String>,
    pub nodes: Vec<String>,
    /// (namespace, name)
    pub deployments: Vec<(String, String)>,
    /// The Deployment of the pod an alert names (kube-prometheus alerts
    /// carry `pod`, not `deployment`), when one was asked for and found.
    pub owner: Option<PodOwner>,
}

/// A pod (namespace, name), as an alert's labels name it.
pub type PodRef = (String, String);

/// How a pod leads to its Deployment: pod → ReplicaSet → Deployment, read
/// from each one's controller reference.
#[derive(Debug, Clone, PartialEq)]
pub struct PodOwner {
    pub namespace: String,
    pub pod: String,
    pub replicaset: String,
    pub deployment: String,
}

impl PodOwner {
    /// `pod checkout-6d8f9-x2k4q → ReplicaSet checkout-6d8f9 → Deployment checkout`
    pub fn chain(&self, arrow: &str) -> String {
        format!(
            "pod {} {arrow} ReplicaSet {} {arrow} Deployment {}",
            self.pod, self.replicaset, self.deployment
        )
    }
}

impl Names {
    /// The names to offer for `typed`: those that start with it, then those
    /// that contain it, at most `SHOWN`. Deployments are those of
    /// `namespace` when it has any (a namespace not typed in full yet
    /// narrows nothing).
    pub fn candidates(&self, kind: Kind, typed: &str, namespace: Option<&str>) -> Vec<String> {
        let all: Vec<&str> = match kind {
            Kind::Namespace => self.namespaces.iter().map(String::as_str).collect(),
            Kind::Node => self.nodes.iter().map(String::as_str).collect(),
            Kind::Deployment => {
                let here: Vec<&str> = self
                    .deployments
                    .iter()
                    .filter(|(ns, _)| Some(ns.as_str()) == namespace)
                    .map(|(_, n)| n.as_str())
                    .collect();
                if here.is_empty() {
                    let mut every: Vec<&str> =
                        self.deployments.iter().map(|(_, n)| n.as_str()).collect();
                    every.sort_unstable();
                    every.dedup();
                    every
                } else {
                    here
                }
            }
        };
        let starts = all.iter().filter(|n| n.starts_with(typed));
        let contains = all
            .iter()
            .filter(|n| !n.starts_with(typed) && n.contains(typed));
        starts
            .chain(contains)
            .take(SHOWN)
            .map(|n| n.to_string())
            .collect()
    }
}

/// The names being listed; the failure is one line for the log.
pub type NamesFetch = Pin<Box<dyn Future<Output = Result<Names, String>> + Send>>;

/// Starts a listing through `cfg` when the form first needs one, with the
/// pod whose Deployment to look up, if the form wants one.
pub type NamesFactory = Box<dyn FnOnce(Option<PodRef>) -> NamesFetch + Send>;

/// A listing through `cfg` (the session's `--kubeconfig` and `--context`).
pub fn factory(cfg: ClusterConfig) -> NamesFactory {
    Box::new(move |pod| Box::pin(fetch(cfg, pod)))
}

/// Lists namespaces, deployments and nodes, and finds `pod`'s Deployment,
/// within `DEADLINE`. A kind that cannot be listed (forbidden, say) is left
/// empty; only when none can is it an error.
pub async fn fetch(cfg: ClusterConfig, pod: Option<PodRef>) -> Result<Names, String> {
    match tokio::time::timeout(DEADLINE, fetch_all(cfg, pod)).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "the cluster did not answer within {}s",
            DEADLINE.as_secs()
        )),
    }
}

async fn fetch_all(cfg: ClusterConfig, pod: Option<PodRef>) -> Result<Names, String> {
    let client = connect(&cfg).await?.client;
    let params = ListParams::default().limit(LIMIT);
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let nodes: Api<Node> = Api::all(client.clone());
    let deployments: Api<Deployment> = Api::all(client.clone());
    let (namespaces, nodes, deployments, owner) = tokio::join!(
        namespaces.list_metadata(&params),
        nodes.list_metadata(&params),
        deployments.list_metadata(&params),
        owner_of(client, pod),
    );
    let mut first_error = None;
    let mut names = Names {
        namespaces: names_of(namespaces, &mut first_error)
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        nodes: names_of(nodes, &mut first_error)
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        deployments: names_of(deployments, &mut first_error),
        owner,
    };
    if let Some(e) = first_error
        && names.namespaces.is_empty()
        && names.nodes.is_empty()
        && names.deployments.is_empty()
    {
        return Err(e);
    }
    names.namespaces.sort();
    names.nodes.sort();
    names.deployments.sort();
    Ok(names)
}

/// The Deployment that `pod` belongs to through its ReplicaSet; none when
/// it has no such owner or the cluster does not say (only logged: the
/// responder types the name then).
async fn owner_of(client: kube::Client, pod: Option<PodRef>) -> Option<PodOwner> {
    let (namespace, name) = pod?;
    let pods: Api<Pod> = Api::namespaced(client.clone(), &namespace);
    let sets: Api<ReplicaSet> = Api::namespaced(client, &namespace);
    let found = async {
        let pod = pods.get_metadata(&name).await?;
        let Some(replicaset) = controller_named(&pod.metadata, "ReplicaSet") else {
            return Ok(None);
        };
        let set = sets.get_metadata(&replicaset).await?;
        Ok::<_, kube::Error>(
            controller_named(&set.metadata, "Deployment").map(|deployment| PodOwner {
                namespace: namespace.clone(),
                pod: name.clone(),
                replicaset,
                deployment,
            }),
        )
    };
    match found.await {
        Ok(owner) => owner,
        Err(e) => {
            tracing::debug!(
                "params form: no owner for pod {namespace}/{name}: {}",
                describe(&e)
            );
            None
        }
    }
}

/// (namespace, name) of each listed object; a refused list is empty, and
/// its reason kept in `first_error`.
fn names_of<K: Clone>(
    list: Result<ObjectList<PartialObjectMeta<K>>, kube::Error>,
    first_error: &mut Option<String>,
) -> Vec<(String, String)> {
    match list {
        Ok(list) => list
            .items
            .into_iter()
            .map(|o| {
                let m = o.metadata;
                (m.namespace.unwrap_or_default(), m.name.unwrap_or_default())
            })
            .collect(),
        Err(e) => {
            let why = describe(&e);
            tracing::debug!("params form: cannot list names: {why}");
            first_error.get_or_insert(why);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            namespaces: vec!["default".into(), "kube-system".into(), "shop".into()],
            nodes: vec!["node-a".into(), "node-b".into()],
            deployments: vec![
                ("shop".into(), "cart".into()),
                ("shop".into(), "checkout".into()),
                ("staging".into(), "checkout".into()),
                ("staging".into(), "search".into()),
            ],
            owner: None,
        }
    }

    #[test]
    fn a_param_names_a_kind_by_its_name() {
        assert_eq!(Kind::of_param("namespace"), Some(Kind::Namespace));
        assert_eq!(Kind::of_param("target-namespace"), Some(Kind::Namespace));
        assert_eq!(Kind::of_param("drain_node"), Some(Kind::Node));
        assert_eq!(Kind::of_param("Deployment"), Some(Kind::Deployment));
        assert_eq!(Kind::of_param("image"), None);
        assert_eq!(Kind::of_param("nodes"), None);
    }

    #[test]
    fn names_that_start_with_the_text_come_before_those_that_contain_it() {
        let n = names();
        assert_eq!(
            n.candidates(Kind::Namespace, "s", None),
            ["shop", "kube-system"]
        );
        assert_eq!(n.candidates(Kind::Node, "", None), ["node-a", "node-b"]);
        assert!(n.candidates(Kind::Node, "x", None).is_empty());
    }

    #[test]
    fn deployments_are_those_of_the_namespace_given() {
        let n = names();
        assert_eq!(
            n.candidates(Kind::Deployment, "", Some("shop")),
            ["cart", "checkout"]
        );
        assert_eq!(
            n.candidates(Kind::Deployment, "", Some("sho")),
            ["cart", "checkout", "search"],
            "a namespace not typed in full yet narrows nothing"
        );
        assert_eq!(
            n.candidates(Kind::Deployment, "ch", None),
            ["checkout", "search"],
            "every namespace's, once each; those containing the text after"
        );
    }
}
