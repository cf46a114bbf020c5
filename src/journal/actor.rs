//! The journal as an actor: one thread owns the sink, so fsync never blocks
//! the UI's event loop; the loop sends events and gets records back.

use std::sync::mpsc as std_mpsc;

use tokio::sync::oneshot;

use super::{JournalError, Sink};
use crate::engine::{Event, Record};

struct Request {
    first_seq: u64,
    at: jiff::Timestamp,
    events: Vec<Event>,
    reply: oneshot::Sender<Result<Vec<Record>, JournalError>>,
}

#[derive(Clone)]
pub struct JournalHandle {
    tx: std_mpsc::Sender<Request>,
}

pub fn spawn(mut sink: Box<dyn Sink>) -> JournalHandle {
    let (tx, rx) = std_mpsc::channel::<Request>();
    std::thread::Builder::new()
        .name("journal".into())
        .spawn(move || {
            for req in rx {
                let result = sink.append(req.first_seq, req.at, req.events);
                let _ = req.reply.send(result);
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!("cannot start the journal thread: {e}"));
    JournalHandle { tx }
}

impl JournalHandle {
    /// Appends and waits for durability. Errors if the journal thread is gone.
    pub async fn append(
        &self,
        first_seq: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    ) -> Result<Vec<Record>, JournalError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Request {
                first_seq,
                at,
                events,
                reply,
            })
            .map_err(|_| JournalError::Other("the journal writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| JournalError::Other("the journal writer has stopped".into()))?
    }
}
