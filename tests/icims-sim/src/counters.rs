//! Request counters, by endpoint kind and by customer. Tests assert on them ("a whole sync
//! used exactly one token", "N searches and M GETs"). Faulted requests are counted apart and
//! not under their endpoint kind.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::record_type::RecordType;

/// What a request was, once routed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    Customer,
    Search(RecordType),
    Get(RecordType),
    Create(RecordType),
    Patch(RecordType),
    Delete(RecordType),
    Binary,
    /// A file field's extracted text (`…/fields/{field}/text`), apart from its bytes.
    Text,
    Lists,
    Other,
}

const KINDS: usize = 6 + 5 * 4;

impl Endpoint {
    /// Stable label used in counters and fault scripts (`search.people`, `get.jobs`, …).
    pub fn label(self) -> &'static str {
        match self {
            Endpoint::Token => "token",
            Endpoint::Customer => "customer",
            Endpoint::Binary => "binary",
            Endpoint::Text => "text",
            Endpoint::Lists => "lists",
            Endpoint::Other => "other",
            Endpoint::Search(t) => [
                "search.people",
                "search.jobs",
                "search.companies",
                "search.applicantworkflows",
            ][t as usize],
            Endpoint::Get(t) => [
                "get.people",
                "get.jobs",
                "get.companies",
                "get.applicantworkflows",
            ][t as usize],
            Endpoint::Create(t) => [
                "create.people",
                "create.jobs",
                "create.companies",
                "create.applicantworkflows",
            ][t as usize],
            Endpoint::Patch(t) => [
                "patch.people",
                "patch.jobs",
                "patch.companies",
                "patch.applicantworkflows",
            ][t as usize],
            Endpoint::Delete(t) => [
                "delete.people",
                "delete.jobs",
                "delete.companies",
                "delete.applicantworkflows",
            ][t as usize],
        }
    }

    fn index(self) -> usize {
        match self {
            Endpoint::Token => 0,
            Endpoint::Customer => 1,
            Endpoint::Binary => 2,
            Endpoint::Lists => 3,
            Endpoint::Other => 4,
            Endpoint::Text => 5,
            Endpoint::Search(t) => 6 + t as usize,
            Endpoint::Get(t) => 10 + t as usize,
            Endpoint::Create(t) => 14 + t as usize,
            Endpoint::Patch(t) => 18 + t as usize,
            Endpoint::Delete(t) => 22 + t as usize,
        }
    }

    fn all() -> Vec<Endpoint> {
        let mut v = vec![
            Endpoint::Token,
            Endpoint::Customer,
            Endpoint::Binary,
            Endpoint::Text,
            Endpoint::Lists,
            Endpoint::Other,
        ];
        for t in RecordType::ALL {
            v.extend([
                Endpoint::Search(t),
                Endpoint::Get(t),
                Endpoint::Create(t),
                Endpoint::Patch(t),
                Endpoint::Delete(t),
            ]);
        }
        v
    }
}

#[derive(Debug)]
pub struct Counters {
    total: AtomicU64,
    faulted: AtomicU64,
    kinds: [AtomicU64; KINDS],
}

/// A copy of the counters. `total` counts every request to the API and login hosts;
/// `by_endpoint` only those that were not faulted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountersSnapshot {
    pub total: u64,
    pub faulted: u64,
    pub token: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    /// Requests that named a known customer, by customer id.
    pub by_customer: BTreeMap<String, u64>,
}

impl CountersSnapshot {
    /// Count for one endpoint label (0 when absent).
    pub fn endpoint(&self, label: &str) -> u64 {
        self.by_endpoint.get(label).copied().unwrap_or(0)
    }

    /// Sum of all labels starting with `prefix` (e.g. `search`).
    pub fn endpoints_with_prefix(&self, prefix: &str) -> u64 {
        self.by_endpoint
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v)
            .sum()
    }
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            total: AtomicU64::new(0),
            faulted: AtomicU64::new(0),
            kinds: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl Counters {
    pub fn request(&self) {
        self.total.fetch_add(1, Ordering::Relaxed);
    }

    pub fn faulted(&self) {
        self.faulted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn endpoint(&self, e: Endpoint) {
        self.kinds[e.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub fn reset(&self) {
        self.total.store(0, Ordering::Relaxed);
        self.faulted.store(0, Ordering::Relaxed);
        for k in &self.kinds {
            k.store(0, Ordering::Relaxed);
        }
    }

    pub fn snapshot(&self) -> CountersSnapshot {
        let mut by_endpoint = BTreeMap::new();
        for e in Endpoint::all() {
            let n = self.kinds[e.index()].load(Ordering::Relaxed);
            if n > 0 {
                by_endpoint.insert(e.label().to_string(), n);
            }
        }
        CountersSnapshot {
            total: self.total.load(Ordering::Relaxed),
            faulted: self.faulted.load(Ordering::Relaxed),
            token: self.kinds[Endpoint::Token.index()].load(Ordering::Relaxed),
            by_endpoint,
            by_customer: BTreeMap::new(),
        }
    }
}
