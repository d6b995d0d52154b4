//! A native stand-in for a connector, for engine tests: candidates with ids 1..=n, id-ordered
//! pages, an `updated-since` filter, and scriptable failures.

#![allow(dead_code)]

use ats_mirror::MirrorStore;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::{
    AtsRecord, Candidate, ConnectorError, IdPage, ListRequest, Page, RecordKind, StreamSpec,
};
use ats_sync::backoff::BackoffPolicy;
use ats_sync::{Engine, EngineConfig, RecordSource, SourceError, StreamRun};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// An engine over a fresh SQLite mirror at `path` with `config`.
pub fn engine_with(path: &std::path::Path, config: EngineConfig) -> Engine {
    let store: Arc<dyn MirrorStore> = Arc::new(SqliteMirror::open(path).unwrap());
    Engine::new(store, config)
}

/// An engine whose retries wait milliseconds, reading pages of 100.
pub fn engine(path: &std::path::Path) -> Engine {
    engine_with(
        path,
        EngineConfig {
            backoff: BackoffPolicy {
                base: Duration::from_millis(1),
                cap: Duration::from_millis(5),
                max_retries: 3,
            },
            page_size: 100,
            ..EngineConfig::default()
        },
    )
}

/// A run of connection `acme`'s incremental `candidates` stream.
pub fn run(force_full: bool) -> StreamRun {
    StreamRun {
        connection: "acme".into(),
        stream: StreamSpec {
            name: "candidates".into(),
            kind: RecordKind::Candidate,
            default_interval_seconds: 600,
            incremental: true,
            lists_ids: true,
        },
        force_full,
        overlap_seconds: 60,
        fence: None,
    }
}

/// What the fake does on a given call number (1-based).
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this error.
    Error(ats_model::ConnectorError),
    /// Never answer (the caller's future is dropped: a killed process).
    Hang,
}

#[derive(Default)]
pub struct FakeAts {
    pub people: Mutex<BTreeMap<u64, i64>>,
    pub faults: Mutex<BTreeMap<u64, Fault>>,
    pub calls: AtomicU64,
    pub records_served: AtomicU64,
    /// `get` calls answered (faulted ones not counted).
    pub gets: AtomicU64,
    /// What `get` of an id answers instead of the person (a misbehaving connector).
    pub get_answers: Mutex<BTreeMap<String, AtsRecord>>,
}

impl FakeAts {
    pub fn with_people(n: u64) -> Self {
        let fake = FakeAts::default();
        {
            let mut people = fake.people.lock().unwrap();
            for id in 1..=n {
                people.insert(id, 1_700_000_000 + id as i64);
            }
        }
        fake
    }

    pub fn touch(&self, id: u64, updated_at: i64) {
        self.people.lock().unwrap().insert(id, updated_at);
    }

    pub fn remove(&self, id: u64) {
        self.people.lock().unwrap().remove(&id);
    }

    /// Makes `get` of `id` answer `record`.
    pub fn answer_get_with(&self, id: &str, record: AtsRecord) {
        self.get_answers
            .lock()
            .unwrap()
            .insert(id.to_string(), record);
    }

    pub fn fault_on_call(&self, call: u64, fault: Fault) {
        self.faults.lock().unwrap().insert(call, fault);
    }

    fn candidate(id: u64, updated_at: i64) -> AtsRecord {
        AtsRecord::Candidate(Candidate {
            id: id.to_string(),
            first_name: Some(format!("First{id}")),
            last_name: Some("Last".into()),
            updated_at: Some(updated_at),
            ..Candidate::default()
        })
    }

    async fn next_call(&self) -> Result<(), SourceError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let fault = self.faults.lock().unwrap().remove(&call);
        match fault {
            None => Ok(()),
            Some(Fault::Error(e)) => Err(SourceError::Connector(e)),
            Some(Fault::Hang) => std::future::pending().await,
        }
    }
}

impl RecordSource for FakeAts {
    async fn list_records(
        &self,
        kind: RecordKind,
        request: ListRequest,
    ) -> Result<Page, SourceError> {
        assert_eq!(kind, RecordKind::Candidate);
        self.next_call().await?;
        let after: u64 = request
            .cursor
            .as_deref()
            .map(|c| c.parse().unwrap())
            .unwrap_or(0);
        let size = request.page_size_hint.unwrap_or(100) as usize;
        let people = self.people.lock().unwrap();
        let matching: Vec<(u64, i64)> = people
            .range(after + 1..)
            .filter(|(_, updated)| request.updated_since.is_none_or(|since| **updated >= since))
            .take(size + 1)
            .map(|(id, u)| (*id, *u))
            .collect();
        let more = matching.len() > size;
        let records: Vec<AtsRecord> = matching
            .iter()
            .take(size)
            .map(|(id, u)| Self::candidate(*id, *u))
            .collect();
        self.records_served
            .fetch_add(records.len() as u64, Ordering::SeqCst);
        let next_cursor = if more {
            records.last().map(|r| r.id().to_string())
        } else {
            None
        };
        Ok(Page {
            records,
            gone: vec![],
            record_errors: vec![],
            next_cursor,
        })
    }

    async fn list_ids(
        &self,
        _kind: RecordKind,
        cursor: Option<String>,
    ) -> Result<IdPage, SourceError> {
        self.next_call().await?;
        let after: u64 = cursor.as_deref().map(|c| c.parse().unwrap()).unwrap_or(0);
        let people = self.people.lock().unwrap();
        let ids: Vec<u64> = people
            .range(after + 1..)
            .map(|(id, _)| *id)
            .take(51)
            .collect();
        let more = ids.len() > 50;
        let ids: Vec<String> = ids.iter().take(50).map(u64::to_string).collect();
        let next_cursor = if more { ids.last().cloned() } else { None };
        Ok(IdPage { ids, next_cursor })
    }

    /// A person by id, `not-found` when removed; scripted answers first
    /// ([`FakeAts::answer_get_with`]).
    async fn get(&self, kind: RecordKind, id: &str) -> Result<AtsRecord, SourceError> {
        assert_eq!(kind, RecordKind::Candidate);
        self.next_call().await?;
        self.gets.fetch_add(1, Ordering::SeqCst);
        if let Some(other) = self.get_answers.lock().unwrap().get(id) {
            return Ok(other.clone());
        }
        let person = id
            .parse::<u64>()
            .ok()
            .and_then(|n| self.people.lock().unwrap().get(&n).map(|u| (n, *u)));
        match person {
            Some((n, updated_at)) => Ok(Self::candidate(n, updated_at)),
            None => Err(SourceError::Connector(ConnectorError::NotFound {
                message: format!("no person {id}"),
            })),
        }
    }
}
