//! Per-command credentials: a random token and a kubeconfig that names the
//! gateway as its only cluster. The token identifies the command that sends
//! a write; it is revoked and the file removed when the credential is
//! dropped (the command has ended).
//!
//! The token is the first segment of the server URL's path
//! (`http://127.0.0.1:PORT/TOKEN`), not a bearer token: client-go (kubectl,
//! helm) loads a user's credentials only for an `https://` server and sends
//! none to a plain-HTTP one, while every client keeps a server URL's path.
//! On loopback the two protect alike; a URL is printed more often than a
//! header, so the runner redacts the token from a command's output. The
//! kubeconfig also names the gateway as the cluster's proxy with the token
//! as the proxy's password (`proxy_url`), which is how the token arrives
//! when a client drops the server URL's path (an absolute
//! `kubectl get --raw /api/...`).

use std::collections::HashMap;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use sha2::{Digest as _, Sha256};
use tokio::sync::{Semaphore, watch};

/// Who holds a token: the command it was issued for, and the upstream
/// epoch (the context) it is pinned to.
#[derive(Debug, Clone)]
pub(super) struct Issued {
    /// Tells commands apart (for the limits) without the token.
    pub id: u64,
    pub label: String,
    pub epoch: u64,
    pub context: String,
    pub live: Arc<Live>,
}

/// What a command holds while its credential lives: its share of the
/// gateway, and the signal that ends its streams when it is revoked.
#[derive(Debug)]
pub(super) struct Live {
    revoked: watch::Sender<bool>,
    /// Watches, followed logs and streams open at once.
    pub long: Arc<Semaphore>,
    /// Connections open at once.
    pub connections: Arc<Semaphore>,
}

impl Live {
    fn new() -> Live {
        Live {
            revoked: watch::channel(false).0,
            long: Arc::new(Semaphore::new(super::limit::LONG_PER_COMMAND)),
            connections: Arc::new(Semaphore::new(super::limit::CONNECTIONS_PER_COMMAND)),
        }
    }

    pub fn is_revoked(&self) -> bool {
        *self.revoked.borrow()
    }

    /// Resolves once the credential is revoked (the command ended).
    pub fn revoked(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut revoked = self.revoked.subscribe();
        async move {
            let _ = revoked.wait_for(|r| *r).await;
        }
    }
}

/// The live tokens, by their SHA-256, so a lookup's timing says nothing
/// about them.
#[derive(Default)]
pub(super) struct Registry {
    tokens: Mutex<HashMap<[u8; 32], Issued>>,
    next: AtomicU64,
}

impl Registry {
    fn tokens(&self) -> MutexGuard<'_, HashMap<[u8; 32], Issued>> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The holder of `token`, if it is live.
    pub fn check(&self, token: &str) -> Option<Issued> {
        self.tokens().get(&digest(token)).cloned()
    }

    /// Revokes a token: no new request passes, and its watches and
    /// streams end.
    fn revoke(&self, key: &[u8; 32]) {
        if let Some(issued) = self.tokens().remove(key) {
            issued.live.revoked.send_replace(true);
        }
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// 256 bits from the operating system's CSPRNG, as hex.
fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What a credential's kubeconfig says.
pub(super) struct Grant<'a> {
    pub server: String,
    pub context: &'a str,
    pub namespace: Option<&'a str>,
    pub epoch: u64,
    pub label: &'a str,
}

/// A command's way to the gateway. Dropping it revokes the token and
/// removes the kubeconfig and kubectl's cache beside it.
pub struct Credential {
    kubeconfig: PathBuf,
    cache: PathBuf,
    /// Kept only to redact it from the command's output.
    token: String,
    key: [u8; 32],
    label: String,
    registry: Arc<super::Core>,
}

impl std::fmt::Debug for Credential {
    // Never the token: only where the file is and whom it is for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("kubeconfig", &self.kubeconfig)
            .field("label", &self.label)
            .finish()
    }
}

impl Credential {
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// kubectl's discovery and HTTP cache for this command alone. A cache
    /// shared across commands would be keyed by the gateway's address,
    /// which stays the same when the session switches context.
    pub fn cache_dir(&self) -> &Path {
        &self.cache
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// The secret, for redacting a command's output. Never log it.
    pub fn secret(&self) -> &str {
        &self.token
    }

    /// The environment a command gets: `KUBECONFIG` and `KUBECACHEDIR`.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("KUBECONFIG".into(), self.kubeconfig.display().to_string()),
            ("KUBECACHEDIR".into(), self.cache.display().to_string()),
        ]
    }

    /// Writes the kubeconfig into `dir` (0600, a new file) and registers
    /// the token.
    pub(super) fn issue(
        core: &Arc<super::Core>,
        dir: &Path,
        grant: Grant<'_>,
    ) -> std::io::Result<Credential> {
        let registry = &core.tokens;
        let n = registry.next.fetch_add(1, Ordering::Relaxed);
        let stem = format!("gateway-{}-{n}", std::process::id());
        let kubeconfig = dir.join(format!("{stem}.kubeconfig"));
        let cache = dir.join(format!("{stem}.cache"));
        let token = new_token()?;
        write_kubeconfig(&kubeconfig, &grant, &token)?;
        let key = digest(&token);
        registry.tokens().insert(
            key,
            Issued {
                id: n,
                label: grant.label.to_string(),
                epoch: grant.epoch,
                context: grant.context.to_string(),
                live: Arc::new(Live::new()),
            },
        );
        Ok(Credential {
            kubeconfig,
            cache,
            token,
            key,
            label: grant.label.to_string(),
            registry: Arc::clone(core),
        })
    }
}

impl Drop for Credential {
    fn drop(&mut self) {
        self.registry.tokens.revoke(&self.key);
        if let Err(e) = std::fs::remove_file(&self.kubeconfig)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!("cannot remove {}: {e}", self.kubeconfig.display());
        }
        let _ = std::fs::remove_dir_all(&self.cache);
    }
}

/// The gateway itself as the cluster's HTTP proxy, with the token as the
/// proxy's password: Go's HTTP client sends it as `Proxy-Authorization` on
/// every request (and on the CONNECT that carries an exec or port-forward
/// stream). That is how the token arrives when a client drops the server
/// URL's path (an absolute `kubectl get --raw /api/...` replaces it). The
/// server URL's password cannot carry it: websocket clients refuse a URL
/// with one.
fn proxy_url(server: &str, token: &str) -> Option<String> {
    let host = server.strip_prefix("http://")?;
    Some(format!("http://runbook:{token}@{host}"))
}

/// JSON is YAML: every client reads it, and no context name (they can hold
/// `:`, `/`, `@`) needs quoting rules.
fn write_kubeconfig(path: &Path, grant: &Grant<'_>, token: &str) -> std::io::Result<()> {
    let mut context =
        serde_json::json!({ "cluster": "runbook-gateway", "user": "runbook-gateway" });
    if let Some(ns) = grant.namespace {
        context["namespace"] = ns.into();
    }
    let mut cluster = serde_json::json!({ "server": format!("{}/{token}", grant.server) });
    if let Some(proxy) = proxy_url(&grant.server, token) {
        cluster["proxy-url"] = proxy.into();
    }
    let config = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{
            "name": "runbook-gateway",
            "cluster": cluster,
        }],
        "users": [{ "name": "runbook-gateway", "user": {} }],
        "contexts": [{ "name": grant.context, "context": context }],
        "current-context": grant.context,
        "preferences": {},
    });
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(config.to_string().as_bytes())?;
    file.sync_all()
}
