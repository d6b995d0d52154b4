//! The quota meter of one connection, fed by the HTTP hook: it admits and settles every request
//! against the connection's ledger.
//!
//! The ledger lives either in this process (tests, tools without a database) or in a
//! [`LedgerStore`] (the mirror's database), where every process on that database spends from
//! the same one. A shared meter does not write every request to the store: it *reserves* a few
//! requests of a lane at once (one atomic update, so two processes can never both take the last
//! request), admits them from memory, and writes the answers' facts back in batches (with the
//! next reservation, every [`SETTLE_BATCH`] answers or [`SETTLE_INTERVAL`], and on
//! [`QuotaMeter::flush`]). Until written, reserved and answered requests count in the store as
//! this meter's requests in flight, so every other process sees less budget, never more.

use crate::lane_context::current_lane;
use crate::quota::{Lane, QuotaLedger, QuotaPause, RateLimitHeaders};
use ats_mirror::LedgerStore;
use ats_model::{QuotaSpec, Timestamp};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How long a lane waits when the shared ledger could not be updated.
const STORE_RETRY_SECONDS: i64 = 5;

/// The most requests one reservation asks for. Reservations start at one and double while a
/// lane keeps spending them, so a burst costs a store update per 32 requests and a lone request
/// reserves only itself.
pub const MAX_RESERVATION: u64 = 32;

/// How long a reservation may be spent from. Older, it is given back and a new one taken, so
/// that what a meter holds in the store is never older than this (other processes stop counting
/// a silent sender's requests only after [`FLIGHT_LEASE_SECONDS`](crate::quota::FLIGHT_LEASE_SECONDS)).
const RESERVATION_SECONDS: u64 = 10;

/// Answers kept before they are written to the shared ledger without waiting for a reservation.
pub const SETTLE_BATCH: usize = 64;

/// The longest an answer waits before it is written to the shared ledger (checked as requests
/// are admitted and settled).
pub const SETTLE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

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
    /// What this meter holds of the stored ledger that the store does not know yet.
    held: Mutex<Held>,
}

/// A shared meter's reservations and answers not yet written to the store.
#[derive(Debug, Default)]
struct Held {
    /// Requests reserved in the store and not admitted yet, by lane.
    reserved: [u64; 5],
    /// When each lane's reservation was taken.
    reserved_at: [Option<Instant>; 5],
    /// What each lane's next reservation asks for (0: one).
    next_reservation: [u64; 5],
    /// Answers not written yet, in the order they came.
    settled: Vec<Settlement>,
    /// When answers were last written (or the meter made).
    written_at: Option<Instant>,
}

/// How one admitted request ended.
#[derive(Debug, Clone, Copy)]
enum Settlement {
    Answered(RateLimitHeaders, Timestamp),
    Unanswered(Timestamp),
}

impl Settlement {
    fn apply(self, ledger: &mut QuotaLedger, sender: &str) {
        match self {
            Settlement::Answered(facts, at) => ledger.record_response_for(sender, facts, at),
            Settlement::Unanswered(at) => ledger.record_no_response_for(sender, at),
        }
    }
}

impl Held {
    /// Writes what this meter holds into `ledger`: its answers, and (with `give_back`) its
    /// unspent reservations.
    fn apply(&self, ledger: &mut QuotaLedger, sender: &str, give_back: bool, now: Timestamp) {
        for settlement in &self.settled {
            settlement.apply(ledger, sender);
        }
        if give_back {
            for lane in Lane::ALL {
                ledger.give_back_for(sender, lane, self.reserved[lane.index()], now);
            }
        }
    }

    /// Forgets what [`Held::apply`] wrote. What the next reservations ask for is kept: a
    /// flush between two exports should not make the second start from one again.
    fn written(&mut self, gave_back: bool) {
        self.settled.clear();
        self.written_at = Some(Instant::now());
        if gave_back {
            self.reserved = [0; 5];
            self.reserved_at = [None; 5];
        }
    }

    fn is_empty(&self) -> bool {
        self.settled.is_empty() && self.reserved.iter().all(|&r| r == 0)
    }

    fn settling_is_due(&self) -> bool {
        !self.settled.is_empty()
            && (self.settled.len() >= SETTLE_BATCH
                || self
                    .written_at
                    .is_none_or(|at| at.elapsed() >= SETTLE_INTERVAL))
    }

    /// Takes one request from `lane`'s reservation when it has one that is fresh enough.
    fn take(&mut self, lane: Lane) -> bool {
        let i = lane.index();
        let fresh =
            self.reserved_at[i].is_some_and(|at| at.elapsed().as_secs() < RESERVATION_SECONDS);
        if self.reserved[i] > 0 && fresh {
            self.reserved[i] -= 1;
            true
        } else {
            false
        }
    }
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
                held: Mutex::new(Held::default()),
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
    /// remembered locally), on the local ledger otherwise. `None` when the shared ledger could
    /// not be updated (`f`'s change is then lost with the failed transaction).
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

    /// The ledger as it stands now (read from the store when shared, with what this meter
    /// holds written in), for decisions that do not spend and for displays.
    pub fn snapshot(&self) -> QuotaLedger {
        let Some(shared) = &self.shared else {
            return self.local().clone();
        };
        let mut ledger = match shared.store.ledger(&shared.connection) {
            Ok(Some(stored)) => match decode_ledger(&stored) {
                Some(ledger) => {
                    *self.local() = ledger.clone();
                    ledger
                }
                None => self.local().clone(),
            },
            Ok(None) => shared.initial.clone(),
            Err(e) => {
                tracing::warn!(
                    connection = %shared.connection,
                    "the shared quota ledger could not be read, using this process's copy: {e}"
                );
                self.local().clone()
            }
        };
        shared
            .held()
            .apply(&mut ledger, &shared.sender, true, now());
        ledger
    }

    /// Admits one request of the current task's lane, or says why not.
    pub fn admit(&self) -> Result<(), QuotaPause> {
        let lane = current_lane();
        let result = match &self.shared {
            None => self.local().try_admit(lane, now()),
            Some(shared) => self.admit_shared(shared, lane),
        };
        let counter = if result.is_ok() {
            &self.sent
        } else {
            &self.refused
        };
        counter.fetch_add(1, Ordering::Relaxed);
        result
    }

    /// Admits from the lane's reservation, or takes a new one (writing this meter's answers in
    /// the same update).
    fn admit_shared(&self, shared: &Shared, lane: Lane) -> Result<(), QuotaPause> {
        let mut held = shared.held();
        if held.take(lane) {
            if held.settling_is_due() {
                self.write_held(&mut held, false);
            }
            return Ok(());
        }
        let now = now();
        let i = lane.index();
        let wanted = held.next_reservation[i].clamp(1, MAX_RESERVATION);
        let stale = held.reserved[i];
        let result = self.try_update(|ledger, sender| {
            held.apply(ledger, sender, false, now);
            ledger.give_back_for(sender, lane, stale, now);
            ledger.reserve_for(sender, lane, wanted, now)
        });
        match result {
            Some(Ok(granted)) => {
                held.written(false);
                held.reserved[i] = granted - 1;
                held.reserved_at[i] = Some(Instant::now());
                held.next_reservation[i] = (wanted * 2).min(MAX_RESERVATION);
                Ok(())
            }
            Some(Err(pause)) => {
                held.written(false);
                held.reserved[i] = 0;
                held.next_reservation[i] = 1;
                Err(pause)
            }
            // Fail closed: a request the shared ledger did not count must not leave, since
            // another process may have spent the budget this process's copy still shows. The
            // lane waits a moment and asks again.
            None => Err(QuotaPause {
                lane,
                until: Some(now.saturating_add(STORE_RETRY_SECONDS)),
            }),
        }
    }

    /// Writes what `held` holds to the shared ledger; kept for the next try when the store
    /// fails (the store still counts those requests in flight, so nothing is over-spent).
    fn write_held(&self, held: &mut Held, give_back: bool) {
        let now = now();
        if self
            .try_update(|ledger, sender| held.apply(ledger, sender, give_back, now))
            .is_some()
        {
            held.written(give_back);
        }
    }

    /// Writes this meter's answers and gives back its unspent reservations, so that the shared
    /// ledger shows exactly what was sent. Called when a run or a feature call ends, and when
    /// the meter is dropped.
    pub fn flush(&self) {
        if let Some(shared) = &self.shared {
            let mut held = shared.held();
            if !held.is_empty() {
                self.write_held(&mut held, true);
            }
        }
    }

    fn settle(&self, settlement: Settlement) {
        match &self.shared {
            None => settlement.apply(&mut self.local(), ""),
            Some(shared) => {
                let mut held = shared.held();
                held.settled.push(settlement);
                if held.settling_is_due() {
                    self.write_held(&mut held, false);
                }
            }
        }
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
        self.settle(Settlement::Answered(facts, now()));
    }

    /// Settles an admitted request that got no response.
    pub fn observe_failure(&self) {
        self.settle(Settlement::Unanswered(now()));
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

impl Drop for QuotaMeter {
    fn drop(&mut self) {
        self.flush();
    }
}

impl Shared {
    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        // As for the local ledger: a few integer updates, usable after a panic.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
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
