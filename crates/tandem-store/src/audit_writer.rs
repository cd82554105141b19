//! Group commit of audit entries: many requests' entries in one write transaction.
//!
//! Every read of personal data by staff is audited, and a read audited in its own write
//! transaction queues on SQLite's single writer: under load the queue, not the reading, set a
//! page's time. Here each caller hands its entry to one writer task and waits for the
//! transaction holding it to commit; entries that arrive while a transaction commits go
//! together in the next one. Nobody is answered before their entry is committed, and an entry
//! that cannot be written is that caller's error, so an entry is never lost: a caller whose
//! entry did not commit (the process stopped, the writer failed) never returns its reading.

use crate::backend::Pool;
use crate::{AuditEntry, Store, StoreError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{mpsc, oneshot};

/// The most callers one transaction serves; more wait for the next.
const GROUP_MOST: usize = 1_000;

/// A caller's entries and the caller, waiting for their commit.
type Waiting = (Vec<AuditEntry>, oneshot::Sender<Result<(), StoreError>>);

/// The writer of a store's grouped audit entries, started on first use.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditWriter {
    queue: Arc<Mutex<Option<mpsc::UnboundedSender<Waiting>>>>,
    /// Callers handed in and not yet answered, and transactions committed: what shows, to a
    /// test, that entries go in groups.
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    unanswered: AtomicU64,
    committed: AtomicU64,
}

impl AuditWriter {
    /// The queue of a running writer, started anew if there is none or it has stopped (its
    /// runtime ended, as a test's does), so one store serves any number of runtimes in turn.
    fn queue(&self, pool: &Pool) -> mpsc::UnboundedSender<Waiting> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        match queue.as_ref() {
            Some(running) if !running.is_closed() => running.clone(),
            _ => {
                let (sender, waiting) = mpsc::unbounded_channel();
                // The writer holds the pool, not the store: holding the store would hold this
                // queue open, and the writer would outlive every other handle.
                tokio::spawn(write_groups(
                    pool.clone(),
                    waiting,
                    Arc::clone(&self.counts),
                ));
                *queue = Some(sender.clone());
                sender
            }
        }
    }
}

impl Store {
    /// Writes `entries` to the audit log, all in one transaction shared with other callers',
    /// and returns once that transaction has committed (or with the error that kept them out).
    /// For entries that belong to no other write: a change's entries go in the change's own
    /// transaction.
    pub async fn append_audit(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (done, committed) = oneshot::channel();
        let counts = &self.audit_writer.counts;
        counts.unanswered.fetch_add(1, Ordering::Relaxed);
        let sent = self.audit_writer.queue(&self.pool).send((entries, done));
        if sent.is_err() {
            counts.unanswered.fetch_sub(1, Ordering::Relaxed);
            return Err(StoreError::Database(sqlx::Error::WorkerCrashed));
        }
        // The writer drops `done` unanswered only if it stopped mid-group: the entry may not be
        // written, so neither is the caller's answer.
        committed
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    }

    /// Audit entries' callers waiting for their commit, and the group transactions committed so
    /// far, for tests of the group commit.
    #[cfg(feature = "testing")]
    pub fn audit_groups(&self) -> (u64, u64) {
        let counts = &self.audit_writer.counts;
        (
            counts.unanswered.load(Ordering::Relaxed),
            counts.committed.load(Ordering::Relaxed),
        )
    }
}

/// Takes whatever entries are waiting (at least one), writes them in one transaction, answers
/// their callers, and again until every handle on the store has gone.
async fn write_groups(
    pool: Pool,
    mut waiting: mpsc::UnboundedReceiver<Waiting>,
    counts: Arc<Counts>,
) {
    let mut group = Vec::with_capacity(GROUP_MOST);
    while waiting.recv_many(&mut group, GROUP_MOST).await > 0 {
        let (each, callers): (Vec<Vec<AuditEntry>>, Vec<_>) = group.drain(..).unzip();
        let entries: Vec<AuditEntry> = each.iter().flatten().cloned().collect();
        let answered = callers.len() as u64;
        match commit(&pool, &entries).await {
            Ok(()) => {
                counts.committed.fetch_add(1, Ordering::Relaxed);
                for caller in callers {
                    // A caller that has gone (its request was dropped) needs no answer; its
                    // entry is written all the same.
                    let _ = caller.send(Ok(()));
                }
            }
            Err(err) if callers.len() == 1 => {
                if let Some(caller) = callers.into_iter().next() {
                    let _ = caller.send(Err(err));
                }
            }
            Err(err) => {
                // An entry the database refuses must not fail its neighbours: each caller's
                // entries are tried alone, so each caller gets its own outcome.
                tracing::warn!(error = %err, callers = callers.len(), "a group of audit entries was refused; writing each caller's alone");
                for (entries, caller) in each.into_iter().zip(callers) {
                    let outcome = commit(&pool, &entries).await;
                    if outcome.is_ok() {
                        counts.committed.fetch_add(1, Ordering::Relaxed);
                    }
                    let _ = caller.send(outcome);
                }
            }
        }
        counts.unanswered.fetch_sub(answered, Ordering::Relaxed);
    }
}

async fn commit(pool: &Pool, entries: &[AuditEntry]) -> Result<(), StoreError> {
    let mut tx = pool.begin_write().await?;
    tx.insert_audit(entries).await?;
    tx.commit().await
}
