//! The quota meter of one connection, fed by the HTTP hook: it admits and settles every request
//! against the connection's ledger.
//!
//! The ledger lives either in this process (tests, tools without a database) or in a
//! [`LedgerStore`] (the mirror's database), where every process on that database spends from
//! the same one: each admission and each settled answer is one atomic update of the stored
//! ledger, so two processes can never both take the last request.

use crate::lane_context::current_lane;
use crate::quota::{Lane, QuotaLedger, QuotaPause, RateLimitHeaders};
use ats_mirror::LedgerStore;
use ats_model::{QuotaSpec, Timestamp};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How long a lane waits when the shared ledger could not be updated.
const STORE_RETRY_SECONDS: i64 = 5;

/// Counts a connection's requests and decides whether the next one may leave.
pub struct QuotaMeter {
    /// The ledger as this process last saw it: the ledger itself when nothing is shared, and
    /// what decisions fall back on when the shared store cannot be reached.
    local: Mutex<QuotaLedger>,
    shared: Option<Shared>,
    headers: HeaderNames,
    sent: AtomicU64,
    refused: AtomicU64,
}

/// A ledger kept in a store, shared with other processes.
struct Shared {
    store: Arc<dyn LedgerStore>,
    connection: String,
    /// This meter's name among the ledger's senders (its requests in flight are its own).
    sender: String,
    /// The ledger a connection starts with, before any is stored.
    initial: QuotaLedger,
}

impl std::fmt::Debug for QuotaMeter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuotaMeter")
            .field("connection", &self.shared.as_ref().map(|s| &s.connection))
            .field("sender", &self.shared.as_ref().map(|s| &s.sender))
            .field("headers", &self.headers)
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct HeaderNames {
    limit: Option<String>,
    remaining: Option<String>,
    reset: Option<String>,
}

impl HeaderNames {
    fn of(spec: Option<&QuotaSpec>) -> HeaderNames {
        HeaderNames {
            limit: spec.and_then(|s| s.limit_header.clone()),
            remaining: spec.and_then(|s| s.remaining_header.clone()),
            reset: spec.and_then(|s| s.reset_header.clone()),
        }
    }
}

/// Seconds since the epoch, now.
pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as Timestamp)
        .unwrap_or(0)
}

/// The encoding of a ledger in a [`LedgerStore`].
pub fn encode_ledger(ledger: &QuotaLedger) -> String {
    // A struct of numbers, options and string keys: encoding cannot fail.
    serde_json::to_string(ledger).expect("a quota ledger encodes as JSON")
}

/// A ledger read back from a [`LedgerStore`]; `None` when the stored value is not one.
pub fn decode_ledger(stored: &str) -> Option<QuotaLedger> {
    serde_json::from_str(stored).ok()
}

/// A name for a new meter that no other meter, in this process or another, has.
fn new_sender() -> String {
    static MADE: AtomicU64 = AtomicU64::new(0);
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{started:x}-{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    )
}

impl QuotaMeter {
    /// A meter with its own ledger in this process.
    pub fn new(spec: Option<&QuotaSpec>) -> Self {
        Self::with_ledger(spec, None)
    }

    /// A meter with its own ledger in this process that continues from a ledger saved by an
    /// earlier process (when given), so a restart never forgets what the window has spent.
    pub fn with_ledger(spec: Option<&QuotaSpec>, saved: Option<QuotaLedger>) -> Self {
        let ledger = saved
            .map(QuotaLedger::restored)
            .unwrap_or_else(|| QuotaLedger::new(spec.and_then(|s| s.requests_per_day)));
        QuotaMeter {
            local: Mutex::new(ledger),
            shared: None,
            headers: HeaderNames::of(spec),
            sent: Default::default(),
            refused: Default::default(),
        }
    }

    /// A meter that spends from `connection`'s ledger in `store`, shared with every other meter
    /// (in any process) on that store.
    pub fn shared(spec: Option<&QuotaSpec>, store: Arc<dyn LedgerStore>, connection: &str) -> Self {
        let initial = QuotaLedger::new(spec.and_then(|s| s.requests_per_day));
        QuotaMeter {
            local: Mutex::new(initial.clone()),
            shared: Some(Shared {
                store,
                connection: connection.to_string(),
                sender: new_sender(),
                initial,
            }),
            headers: HeaderNames::of(spec),
            sent: Default::default(),
            refused: Default::default(),
        }
    }

    fn local(&self) -> std::sync::MutexGuard<'_, QuotaLedger> {
        // A panic while holding the lock cannot leave the ledger half-updated (every method is
        // a few integer updates), so a poisoned lock is still usable.
        self.local.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the ledger: in one atomic update of the stored ledger when shared (then
    /// remembered locally), on the local ledger otherwise or when the store fails (for
    /// bookkeeping; admission uses [`QuotaMeter::try_update`], which fails closed).
    fn update<T>(&self, mut f: impl FnMut(&mut QuotaLedger, &str) -> T) -> T {
        match self.try_update(&mut f) {
            Some(out) => out,
            None => {
                let sender = self.shared.as_ref().map_or("", |s| s.sender.as_str());
                f(&mut self.local(), sender)
            }
        }
    }

    /// As [`QuotaMeter::update`], but `None` when the shared ledger could not be updated (`f`'s
    /// change is then lost with the failed transaction).
    fn try_update<T>(&self, mut f: impl FnMut(&mut QuotaLedger, &str) -> T) -> Option<T> {
        let Some(shared) = &self.shared else {
            return Some(f(&mut self.local(), ""));
        };
        let mut out = None;
        let mut seen = None;
        let result = shared
            .store
            .update_ledger(&shared.connection, &mut |stored| {
                let mut ledger = stored
                    .and_then(|s| {
                        let decoded = decode_ledger(s);
                        if decoded.is_none() {
                            tracing::warn!(
                                connection = %shared.connection,
                                "the stored quota ledger is damaged: starting a new one"
                            );
                        }
                        decoded
                    })
                    .unwrap_or_else(|| shared.initial.clone());
                out = Some(f(&mut ledger, &shared.sender));
                let encoded = encode_ledger(&ledger);
                seen = Some(ledger);
                Some(encoded)
            });
        match (result, out) {
            (Ok(()), Some(out)) => {
                if let Some(ledger) = seen {
                    *self.local() = ledger;
                }
                Some(out)
            }
            (result, _) => {
                if let Err(e) = result {
                    tracing::warn!(
                        connection = %shared.connection,
                        "the shared quota ledger could not be updated: {e}"
                    );
                }
                None
            }
        }
    }

    /// The ledger as it stands now (read from the store when shared), for decisions that do
    /// not spend and for displays.
    pub fn snapshot(&self) -> QuotaLedger {
        if let Some(shared) = &self.shared {
            match shared.store.ledger(&shared.connection) {
                Ok(Some(stored)) => {
                    if let Some(ledger) = decode_ledger(&stored) {
                        *self.local() = ledger.clone();
                        return ledger;
                    }
                }
                Ok(None) => return shared.initial.clone(),
                Err(e) => tracing::warn!(
                    connection = %shared.connection,
                    "the shared quota ledger could not be read, using this process's copy: {e}"
                ),
            }
        }
        self.local().clone()
    }

    /// Admits one request of the current task's lane, or says why not.
    pub fn admit(&self) -> Result<(), QuotaPause> {
        let lane = current_lane();
        let now = now();
        // Fail closed: a request the shared ledger did not count must not leave, since another
        // process may have spent the budget this process's copy still shows. The lane waits a
        // moment and asks again.
        let result = self
            .try_update(|ledger, sender| ledger.try_admit_for(sender, lane, now))
            .unwrap_or(Err(QuotaPause {
                lane,
                until: Some(now.saturating_add(STORE_RETRY_SECONDS)),
            }));
        let counter = if result.is_ok() {
            &self.sent
        } else {
            &self.refused
        };
        counter.fetch_add(1, Ordering::Relaxed);
        result
    }

    /// Settles an admitted request with its response headers (`name`, `value`, any case).
    pub fn observe<'a>(&self, headers: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let mut facts = RateLimitHeaders::default();
        for (name, value) in headers {
            let matches = |wanted: &Option<String>| {
                wanted
                    .as_deref()
                    .is_some_and(|w| w.eq_ignore_ascii_case(name))
            };
            let number = value.trim().parse::<u64>().ok();
            if matches(&self.headers.limit) {
                facts.limit = number;
            } else if matches(&self.headers.remaining) {
                facts.remaining = number;
            } else if matches(&self.headers.reset) {
                facts.reset_seconds = number;
            }
        }
        let now = now();
        self.update(|ledger, sender| ledger.record_response_for(sender, facts, now));
    }

    /// Settles an admitted request that got no response.
    pub fn observe_failure(&self) {
        let now = now();
        self.update(|ledger, sender| ledger.record_no_response_for(sender, now));
    }

    /// Requests `lane` may still send now (`None`: no quota known).
    pub fn available(&self, lane: Lane) -> Option<u64> {
        self.snapshot().available(lane, now())
    }

    /// When the current quota window resets, if known.
    pub fn reset_at(&self) -> Option<Timestamp> {
        self.snapshot().reset_at()
    }

    /// Requests admitted and refused by this meter since it was made.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.sent.load(Ordering::Relaxed),
            self.refused.load(Ordering::Relaxed),
        )
    }
}

/// Stores `ledger` (saved by an earlier process, so nothing of it is in flight) as
/// `connection`'s ledger in `store` unless the store already has one; says whether it did.
/// Atomic, so two processes importing at once import once.
pub fn import_ledger(
    store: &dyn LedgerStore,
    connection: &str,
    ledger: QuotaLedger,
) -> Result<bool, ats_mirror::MirrorError> {
    let encoded = encode_ledger(&QuotaLedger::restored(ledger));
    let mut imported = false;
    store.update_ledger(connection, &mut |stored| {
        imported = stored.is_none();
        imported.then(|| encoded.clone())
    })?;
    Ok(imported)
}
