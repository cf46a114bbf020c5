//! The listener: HTTP/1.1 with upgrades, one task per connection, and every
//! connection ending when the gateway stops. A hostile or broken client
//! can only ever get an error answer or a closed connection; nothing here
//! panics on input.
//!
//! Nobody without a token can stall the others. A new connection is
//! *pending*: it must send a request head within `FIRST_HEAD_TIMEOUT`, and
//! when `MAX_PENDING` are waiting the oldest is closed for the newest, so
//! a pile of idle sockets never keeps a command out. A head without a
//! valid token is answered 401 and the connection closed. Only a
//! connection that showed a live token takes one of the `MAX_CONNECTIONS`
//! slots (and one of its command's own, `limit::CONNECTIONS_PER_COMMAND`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::Core;
use super::credential::Issued;
use super::status::Refusal;

/// Connections with a live token served at once.
const MAX_CONNECTIONS: usize = 256;
/// Connections waiting for their first request head at once; past this
/// the oldest is closed.
const MAX_PENDING: usize = 128;
/// A new connection's first request head must arrive within this.
const FIRST_HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// A later request's head must arrive within this, and an idle keep-alive
/// connection is closed after it.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// The listener's bookkeeping of connections.
pub(super) struct Slots {
    authenticated: Arc<Semaphore>,
    pending: Mutex<VecDeque<(u64, Arc<Notify>)>>,
    next: AtomicU64,
}

impl Slots {
    fn new() -> Slots {
        Slots {
            authenticated: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            pending: Mutex::new(VecDeque::new()),
            next: AtomicU64::new(0),
        }
    }

    fn pending(&self) -> MutexGuard<'_, VecDeque<(u64, Arc<Notify>)>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new connection, pending; the oldest pending one is closed when
    /// too many wait.
    fn arrive(self: &Arc<Self>) -> Arc<Conn> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let evicted = Arc::new(Notify::new());
        let mut pending = self.pending();
        while pending.len() >= MAX_PENDING {
            if let Some((_, oldest)) = pending.pop_front() {
                oldest.notify_one();
            }
        }
        pending.push_back((id, Arc::clone(&evicted)));
        drop(pending);
        Arc::new(Conn {
            id,
            slots: Arc::clone(self),
            evicted,
            held: tokio::sync::Mutex::new(None),
        })
    }

    fn leave_pending(&self, id: u64) {
        self.pending().retain(|(p, _)| *p != id);
    }
}

/// One connection, as the listener and its requests see it.
pub(super) struct Conn {
    id: u64,
    slots: Arc<Slots>,
    /// Notified when the connection is closed to make room for a newer one.
    evicted: Arc<Notify>,
    /// Its slots, once a request showed a live token.
    held: tokio::sync::Mutex<Option<Held>>,
}

struct Held {
    _any: OwnedSemaphorePermit,
    _command: OwnedSemaphorePermit,
}

impl Conn {
    /// A request showed `issued`'s live token: the connection takes its
    /// slots (once), waiting for a free one among all commands'; a
    /// command that holds too many connections already is refused.
    pub async fn admit(&self, issued: &Issued) -> Result<(), Refusal> {
        let mut held = self.held.lock().await;
        if held.is_some() {
            return Ok(());
        }
        let command = Arc::clone(&issued.live.connections)
            .try_acquire_owned()
            .map_err(|_| {
                Refusal::too_many(format!(
                    "runbook gateway: a command may hold {} connections at once, and this one has them all open",
                    super::limit::CONNECTIONS_PER_COMMAND
                ))
            })?;
        let any = Arc::clone(&self.slots.authenticated)
            .acquire_owned()
            .await
            .map_err(|_| Refusal::unavailable("runbook gateway: stopping"))?;
        *held = Some(Held {
            _any: any,
            _command: command,
        });
        self.slots.leave_pending(self.id);
        Ok(())
    }

    /// Resolves when the connection must close before it showed a token:
    /// its first head is late, or a newer connection needs its place.
    async fn unwelcome(&self) {
        let late = async {
            tokio::time::sleep(FIRST_HEAD_TIMEOUT).await;
            if self.held.lock().await.is_some() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            _ = late => {}
            _ = self.evicted.notified() => {}
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.slots.leave_pending(self.id);
    }
}

pub(super) async fn accept(listener: TcpListener, core: Arc<Core>) {
    let slots = Arc::new(Slots::new());
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // EMFILE and friends: wait a little rather than spin.
                tracing::warn!("gateway: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let conn = slots.arrive();
        let core = Arc::clone(&core);
        tokio::spawn(connection(stream, core, conn));
    }
}

async fn connection(stream: tokio::net::TcpStream, core: Arc<Core>, conn: Arc<Conn>) {
    let mut shutdown = core.shutdown.subscribe();
    let served = serve(
        TokioIo::new(stream),
        Arc::clone(&core),
        Arc::clone(&conn),
        None,
    );
    tokio::select! {
        () = served => {}
        () = conn.unwelcome() => {}
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}

/// A CONNECT tunnel through the gateway (as the cluster's proxy), served
/// like a connection whose requests are all `issued`'s, until its
/// credential is revoked or the gateway stops. It keeps the connection's
/// slots.
pub(super) async fn serve_tunnel(
    io: hyper::upgrade::Upgraded,
    core: Arc<Core>,
    conn: Arc<Conn>,
    issued: Issued,
) {
    let mut shutdown = core.shutdown.subscribe();
    let revoked = issued.live.revoked();
    let served = serve(io, Arc::clone(&core), conn, Some(issued));
    tokio::select! {
        () = served => {}
        () = revoked => {}
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}

async fn serve<I>(io: I, core: Arc<Core>, conn: Arc<Conn>, tunnel: Option<Issued>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let tunnel = tunnel.map(Arc::new);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let core = Arc::clone(&core);
        let conn = Arc::clone(&conn);
        let tunnel = tunnel.clone();
        async move {
            let response = super::forward::respond(core, &conn, tunnel.as_deref(), request).await;
            Ok::<_, Infallible>(response)
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let served = builder.serve_connection(io, service).with_upgrades();
    if let Err(e) = served.await {
        tracing::debug!("gateway: connection ended: {e}");
    }
}
