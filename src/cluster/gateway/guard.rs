//! The same gate, in front of the session's own client (panes, details,
//! logs and the built-in actions): in read-only mode a change is answered
//! with the gateway's 403 before it leaves the process, whatever the code
//! above it does. Defence in depth beside the `Mutations` permit.

use std::task::{Context, Poll};

use bytes::Bytes;
use futures::FutureExt as _;
use futures::future::BoxFuture;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Full};
use kube::client::{Body, DynBody};
use tower::{BoxError, Layer, Service};

use super::gate::{self, Decision, Head, ReadOnly};
use super::status::Refusal;

#[derive(Clone)]
pub struct GuardLayer {
    read_only: ReadOnly,
}

impl GuardLayer {
    pub fn new(read_only: ReadOnly) -> GuardLayer {
        GuardLayer { read_only }
    }
}

impl<S> Layer<S> for GuardLayer {
    type Service = Guard<S>;

    fn layer(&self, inner: S) -> Guard<S> {
        Guard {
            inner,
            read_only: self.read_only.clone(),
        }
    }
}

pub struct Guard<S> {
    inner: S,
    read_only: ReadOnly,
}

impl<S> Service<Request<Body>> for Guard<S>
where
    S: Service<Request<Body>, Response = Response<Box<DynBody>>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response<Box<DynBody>>;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Self::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        if let Some(refusal) = refused(&request, self.read_only.is_on()) {
            tracing::warn!(method = %request.method(), path = %request.uri().path(), "refused by the read-only gate");
            let response = refusal.response::<Bytes>().map(|bytes| {
                Box::new(Full::new(bytes).map_err(|never| -> BoxError { match never {} }))
                    as Box<DynBody>
            });
            return futures::future::ready(Ok(response)).boxed();
        }
        self.inner
            .call(request)
            .map(|r| r.map_err(Into::into))
            .boxed()
    }
}

fn refused(request: &Request<Body>, read_only: bool) -> Option<Refusal> {
    if !read_only {
        return None;
    }
    // kube's request bodies are bytes, ready at once; a body that is not
    // can only make the gate more careful (it is read as unclear options).
    let body = request
        .body()
        .try_clone()
        .and_then(|b| b.collect().now_or_never())
        .and_then(Result::ok)
        .map_or_else(|| Bytes::from_static(b"?"), |c| c.to_bytes());
    let head = Head {
        method: request.method().as_str(),
        path: request.uri().path(),
        query: request.uri().query(),
    };
    match gate::decide(head, &body, true) {
        Decision::Pass(_) => None,
        Decision::ReadOnly(message) => Some(Refusal::forbidden(message)),
        Decision::Malformed(why) => Some(Refusal::bad_request(why)),
    }
}
