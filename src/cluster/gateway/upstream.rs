//! Where the gateway forwards to: the session's current context, with the
//! gateway's own client for it. Every switch starts a new epoch; a
//! credential is pinned to the epoch it was issued in, so a command started
//! against one context never has a later request land on another.

use kube::{Client, Config};

use super::status::Refusal;

#[derive(Clone)]
pub(super) enum Link {
    /// Not connected, and why.
    Down(String),
    Connecting,
    Up(Client),
}

#[derive(Clone)]
pub(super) struct Upstream {
    pub epoch: u64,
    pub context: Option<String>,
    pub namespace: Option<String>,
    /// The API server's URL once connected (for the journal's records).
    pub server: Option<String>,
    pub link: Link,
}

impl Default for Upstream {
    fn default() -> Self {
        Upstream {
            epoch: 0,
            context: None,
            namespace: None,
            server: None,
            link: Link::Down("no cluster is connected".into()),
        }
    }
}

impl Upstream {
    pub fn context_name(&self) -> &str {
        self.context.as_deref().unwrap_or("runbook")
    }

    /// The client for a request from a credential of `epoch`.
    pub fn client_for(&self, epoch: u64, issued_for: &str) -> Result<Client, Refusal> {
        if epoch != self.epoch {
            return Err(Refusal::forbidden(format!(
                "runbook gateway: this command was started for context `{issued_for}` and the session has switched to `{}`; run it again",
                self.context_name()
            )));
        }
        match &self.link {
            Link::Up(client) => Ok(client.clone()),
            Link::Connecting => Err(Refusal::not_connected(format!(
                "runbook gateway: still connecting to context `{}`",
                self.context_name()
            ))),
            Link::Down(why) => Err(Refusal::not_connected(match &self.context {
                Some(context) => {
                    format!("runbook gateway: context `{context}` is not connected: {why}")
                }
                None => format!("runbook gateway: {why}"),
            })),
        }
    }
}

/// The gateway's own client for a context: its own connection pool, so a
/// slow command never holds up the panes' watchers, and no read timeout,
/// so `get -w` and `logs -f` may idle. No client-level retries: a child
/// retries as it sees fit, and a write is never sent twice on its behalf.
pub(super) fn client(mut config: Config) -> Result<Client, String> {
    config.read_timeout = None;
    config.default_retry = false;
    Client::try_from(config).map_err(|e| super::super::connect::describe(&e))
}
