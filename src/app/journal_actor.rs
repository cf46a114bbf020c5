//! The journal as an actor: one thread owns the sink, so fsync never blocks
//! the UI's event loop. The actor numbers the records as it writes them,
//! so any number of writes may be in flight and each gets its own sequence
//! numbers, in order; it answers every write, in the order written, through
//! one callback, so answers can never overtake one another.

use std::sync::mpsc as std_mpsc;

use tokio::sync::oneshot;

use crate::engine::{Event, Record};
use crate::journal::Sink;

/// The answer to one write: its request id, and the records as written.
#[derive(Debug)]
pub struct Written {
    pub id: u64,
    pub result: Result<Vec<Record>, String>,
}

enum Request {
    Append {
        id: u64,
        at: jiff::Timestamp,
        events: Vec<Event>,
    },
    /// Answered once every write sent before it is answered.
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct JournalHandle {
    tx: std_mpsc::Sender<Request>,
}

/// Starts the actor on `sink`; the next record written is number
/// `next_seq`. `answer` is called on the actor's thread, in write order.
pub fn spawn(
    mut sink: Box<dyn Sink>,
    next_seq: u64,
    answer: impl Fn(Written) + Send + 'static,
) -> JournalHandle {
    let (tx, rx) = std_mpsc::channel::<Request>();
    let started = std::thread::Builder::new()
        .name("journal".into())
        .spawn(move || {
            let mut next = next_seq;
            for req in rx {
                match req {
                    Request::Append { id, at, events } => {
                        let result = sink.append(next, at, events).map_err(|e| e.to_string());
                        if let Ok(records) = &result {
                            next += records.len() as u64;
                        }
                        answer(Written { id, result });
                    }
                    Request::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
    if let Err(e) = started {
        tracing::error!("cannot start the journal thread: {e}");
    }
    JournalHandle { tx }
}

impl JournalHandle {
    /// Queues a write; its answer comes through the actor's callback. Errs
    /// only if the journal thread is gone.
    pub fn append(&self, id: u64, at: jiff::Timestamp, events: Vec<Event>) -> Result<(), String> {
        self.tx
            .send(Request::Append { id, at, events })
            .map_err(|_| "the journal writer has stopped".to_string())
    }

    /// Waits until every write queued so far has been answered.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Request::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::journal::MemorySink;

    fn note(text: &str) -> Event {
        Event::Note {
            step: "s".into(),
            text: text.into(),
        }
    }

    #[tokio::test]
    async fn writes_in_flight_get_their_own_numbers_and_answer_in_order() {
        let answers = Arc::new(Mutex::new(Vec::new()));
        let sink = answers.clone();
        let handle = spawn(Box::new(MemorySink::default()), 5, move |w| {
            sink.lock().expect("lock").push(w)
        });
        let at = jiff::Timestamp::UNIX_EPOCH;
        for id in 1..=20 {
            handle
                .append(id, at, vec![note("a"), note("b")])
                .expect("queued");
        }
        handle.flush().await;
        let answers = answers.lock().expect("lock");
        let ids: Vec<u64> = answers.iter().map(|w| w.id).collect();
        assert_eq!(ids, (1..=20).collect::<Vec<_>>());
        let seqs: Vec<u64> = answers
            .iter()
            .flat_map(|w| w.result.as_ref().expect("written").iter().map(|r| r.seq))
            .collect();
        assert_eq!(seqs, (5..45).collect::<Vec<_>>());
    }
}
