//! The listener: HTTP/1.1 with upgrades, one task per connection, a cap on
//! connections, and every connection ending when the gateway stops. A
//! hostile or broken client can only ever get an error answer or a closed
//! connection; nothing here panics on input.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::Core;

/// Connections served at once; more wait in the listen backlog.
const MAX_CONNECTIONS: usize = 256;
/// A request's head must arrive within this, and an idle keep-alive
/// connection is closed after it, so idle sockets cannot hold every slot.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) async fn accept(listener: TcpListener, core: Arc<Core>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // EMFILE and friends: wait a little rather than spin.
                tracing::warn!("gateway: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let core = Arc::clone(&core);
        tokio::spawn(async move {
            let _slot = slot;
            connection(stream, core).await;
        });
    }
}

async fn connection(stream: tokio::net::TcpStream, core: Arc<Core>) {
    let mut shutdown = core.shutdown.subscribe();
    let service_core = Arc::clone(&core);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let core = Arc::clone(&service_core);
        async move { Ok::<_, Infallible>(super::forward::respond(core, request).await) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let served = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::select! {
        result = served => {
            if let Err(e) = result {
                tracing::debug!("gateway: connection ended: {e}");
            }
        }
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}
