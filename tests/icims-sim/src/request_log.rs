//! The per-customer request log, when `SimConfig::request_log` is on: each API request's
//! endpoint, who sent it (a digest of its bearer token: each host process fetches its own token)
//! and when it started and ended. Tests read it to prove that two processes never worked on one
//! customer's record type at the same time.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::Instant;

/// One logged request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// The endpoint's label (`search.people`, `get.applicantworkflows`, …).
    pub endpoint: String,
    /// A digest of the `Authorization` header: the same for every request one token sent.
    pub caller: u64,
    /// Microseconds since the simulator started, when the request arrived and when its answer
    /// was ready (after the configured latency).
    pub started_us: u64,
    pub ended_us: u64,
}

#[derive(Debug)]
pub(crate) struct RequestLog {
    on: bool,
    since: Instant,
    by_customer: Mutex<HashMap<u64, Vec<LoggedRequest>>>,
}

impl RequestLog {
    pub fn new(on: bool) -> RequestLog {
        RequestLog {
            on,
            since: Instant::now(),
            by_customer: Mutex::default(),
        }
    }

    /// When a request arrived, to pass to [`RequestLog::record`] (`None` when the log is off).
    pub fn start(&self) -> Option<Instant> {
        self.on.then(Instant::now)
    }

    pub fn record(
        &self,
        started: Option<Instant>,
        customer: u64,
        endpoint: &str,
        authorization: Option<&str>,
    ) {
        let Some(started) = started else { return };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        authorization.unwrap_or_default().hash(&mut hasher);
        let us = |t: Instant| t.saturating_duration_since(self.since).as_micros() as u64;
        let entry = LoggedRequest {
            endpoint: endpoint.to_string(),
            caller: hasher.finish(),
            started_us: us(started),
            ended_us: us(Instant::now()),
        };
        self.by_customer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(customer)
            .or_default()
            .push(entry);
    }

    /// The customer's requests in the order they ended.
    pub fn of(&self, customer: u64) -> Vec<LoggedRequest> {
        self.by_customer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&customer)
            .cloned()
            .unwrap_or_default()
    }
}
