//! Connecting as kubectl would: the kubeconfig (`--kubeconfig`, KUBECONFIG,
//! ~/.kube/config), a context, exec and token auth through kube's own
//! loading. Errors become a reason a responder can act on.

use std::path::PathBuf;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

#[derive(Debug, Clone, Default)]
pub struct ClusterConfig {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

/// A client, with the context and default namespace it resolved to.
pub struct Connected {
    pub client: Client,
    pub context: Option<String>,
    pub default_namespace: String,
    /// What the client was built from (the gateway builds its own from it).
    pub config: Config,
}

fn read_kubeconfig(cfg: &ClusterConfig) -> Result<Kubeconfig, String> {
    match &cfg.kubeconfig {
        Some(path) => Kubeconfig::read_from(path)
            .map_err(|e| format!("cannot read kubeconfig {}: {e}", path.display())),
        None => Kubeconfig::read()
            .map_err(|e| format!("no kubeconfig found (KUBECONFIG or ~/.kube/config): {e}")),
    }
}

/// The context a session would use: `--context`, else the kubeconfig's current one.
pub fn current_context(cfg: &ClusterConfig) -> Option<String> {
    cfg.context
        .clone()
        .or_else(|| read_kubeconfig(cfg).ok().and_then(|k| k.current_context))
}

pub fn list_contexts(cfg: &ClusterConfig) -> Result<Vec<String>, String> {
    Ok(read_kubeconfig(cfg)?
        .contexts
        .into_iter()
        .map(|c| c.name)
        .collect())
}

/// Each context's API server URL, as the kubeconfig names it (the journal
/// records which cluster a change went to, not only the context's name).
pub fn context_servers(cfg: &ClusterConfig) -> std::collections::BTreeMap<String, String> {
    let Ok(kubeconfig) = read_kubeconfig(cfg) else {
        return Default::default();
    };
    kubeconfig
        .contexts
        .iter()
        .filter_map(|named| {
            let cluster = &named.context.as_ref()?.cluster;
            let server = kubeconfig
                .clusters
                .iter()
                .find(|c| &c.name == cluster)?
                .cluster
                .as_ref()?
                .server
                .clone()?;
            Some((named.name.clone(), server))
        })
        .collect()
}

/// The namespace a context names in the kubeconfig, if it names one.
pub fn context_namespace(cfg: &ClusterConfig, context: Option<&str>) -> Option<String> {
    let kubeconfig = read_kubeconfig(cfg).ok()?;
    let name = context
        .map(str::to_string)
        .or_else(|| kubeconfig.current_context.clone())?;
    kubeconfig
        .contexts
        .into_iter()
        .find(|c| c.name == name)?
        .context?
        .namespace
}

pub async fn connect(cfg: &ClusterConfig) -> Result<Connected, String> {
    connect_guarded(cfg, None).await
}

/// `connect`, with the read-only gate in front of the client when `guard`
/// is given: in read-only mode no change leaves through it.
pub async fn connect_guarded(
    cfg: &ClusterConfig,
    guard: Option<&super::gateway::ReadOnly>,
) -> Result<Connected, String> {
    let kubeconfig = read_kubeconfig(cfg)?;
    let context = cfg
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone());
    if let Some(name) = &context
        && !kubeconfig.contexts.iter().any(|c| &c.name == name)
    {
        return Err(format!("context `{name}` is not in the kubeconfig"));
    }
    let options = KubeConfigOptions {
        context: context.clone(),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| format!("kubeconfig: {e}"))?;
    // A read timeout bounds the wait for each chunk, never a whole list: a
    // 100,000-pod list streams for as long as it needs.
    config.read_timeout = Some(std::time::Duration::from_secs(300));
    // The watchers retry with their own backoff and show the outage while
    // they do; a silent client-level retry would show stale data as live.
    config.default_retry = false;
    let default_namespace = config.default_namespace.clone();
    let builder = kube::client::ClientBuilder::try_from(config.clone())
        .map_err(|e| format!("cannot build a client: {}", describe(&e)))?;
    let client = match guard {
        Some(read_only) => builder
            .with_layer(&super::gateway::guard::GuardLayer::new(read_only.clone()))
            .build(),
        None => builder.build(),
    };
    Ok(Connected {
        client,
        context,
        default_namespace,
        config,
    })
}

/// A kube error as a responder should read it.
pub fn describe(err: &kube::Error) -> String {
    match err {
        kube::Error::Api(status) => match status.code {
            401 => "unauthorized (401): the credentials were refused; log in again".into(),
            403 => format!("forbidden: {}", status.message),
            404 => format!("not found: {}", status.message),
            code => format!("API error {code}: {}", status.message),
        },
        other => {
            // kube's own message ("ServiceError: client error (Connect)")
            // hides the cause; the innermost source says it ("Connection
            // refused (os error 111)", "invalid peer certificate: ...").
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(inner) = source {
                let message = inner.to_string();
                if !text.contains(&message) {
                    text = format!("{text}: {message}");
                }
                source = inner.source();
            }
            let lower = text.to_lowercase();
            if lower.contains("connection refused")
                || lower.contains("dns")
                || lower.contains("connect")
            {
                format!("unreachable: {text}")
            } else if lower.contains("certificate") || lower.contains("tls") {
                format!("TLS: {text}")
            } else {
                text
            }
        }
    }
}
