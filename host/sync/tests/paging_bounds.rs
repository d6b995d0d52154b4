//! A connector's cursors are untrusted input: a connector whose paging never ends (endless
//! empty pages with fresh cursors, or a cursor it already returned) fails the run with an error
//! that says so, instead of reading for ever. The pages written before it stay committed.

mod fake_ats;

use ats_mirror::{StreamError, StreamLabel};
use ats_model::{AtsRecord, Candidate, IdPage, ListRequest, Page, RecordKind};
use ats_sync::{
    Engine, EngineConfig, NoProgress, QuotaMeter, ReconcileEnd, RecordSource, RunEnd, SourceError,
};
use fake_ats::{engine_with, run};
use std::sync::atomic::{AtomicU64, Ordering};

/// An engine with the default config (the paging bound at its default).
fn default_engine(path: &std::path::Path) -> Engine {
    engine_with(path, EngineConfig::default())
}

/// Three pages of ten candidates each, then the broken part.
const GOOD_PAGES: u64 = 3;

/// After this many calls the fake gives up and ends its paging, so that an engine without the
/// bounds finishes (and fails the test) instead of reading for ever.
const GIVE_UP_AFTER: u64 = 1_000;

#[derive(Clone, Copy)]
enum Broken {
    /// After the good pages: empty pages, each with a new next cursor.
    EmptyPagesForEver,
    /// After the good pages: the last good cursor, again and again.
    RepeatsItsCursor,
}

/// A connector whose paging never ends, in one of two ways.
struct BrokenPaging {
    broken: Broken,
    calls: AtomicU64,
}

impl BrokenPaging {
    fn new(broken: Broken) -> Self {
        BrokenPaging {
            broken,
            calls: AtomicU64::new(0),
        }
    }

    fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// The ids of the next page and the cursor after it.
    fn next_page(&self) -> (Vec<String>, Option<String>) {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if call >= GIVE_UP_AFTER {
            return (vec![], None);
        }
        let good = call.min(GOOD_PAGES);
        let ids = if call <= GOOD_PAGES {
            ((good - 1) * 10 + 1..=good * 10)
                .map(|i| i.to_string())
                .collect()
        } else {
            vec![]
        };
        let cursor = match self.broken {
            Broken::EmptyPagesForEver => format!("p{call}"),
            Broken::RepeatsItsCursor => format!("p{good}"),
        };
        (ids, Some(cursor))
    }
}

impl RecordSource for BrokenPaging {
    async fn list_records(
        &self,
        _kind: RecordKind,
        _request: ListRequest,
    ) -> Result<Page, SourceError> {
        let (ids, next_cursor) = self.next_page();
        let records = ids
            .into_iter()
            .map(|id| {
                AtsRecord::Candidate(Candidate {
                    id,
                    updated_at: Some(1_700_000_000),
                    ..Candidate::default()
                })
            })
            .collect();
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
        _cursor: Option<String>,
    ) -> Result<IdPage, SourceError> {
        let (ids, next_cursor) = self.next_page();
        Ok(IdPage { ids, next_cursor })
    }

    async fn get(&self, _kind: RecordKind, id: &str) -> Result<AtsRecord, SourceError> {
        Ok(AtsRecord::Candidate(Candidate {
            id: id.to_string(),
            ..Candidate::default()
        }))
    }
}

/// Syncs from `source`; expects a failed run and returns its error, pages and the mirror's ids.
async fn failed_run(source: &BrokenPaging, engine: &Engine) -> (StreamError, u64, usize) {
    let meter = QuotaMeter::new(None);
    let end = engine
        .sync_stream(source, &meter, &run(false), &NoProgress)
        .await
        .unwrap();
    let RunEnd::Failed {
        error,
        label,
        totals,
        ..
    } = end
    else {
        panic!("the run should have failed: {end:?}")
    };
    assert_eq!(label, StreamLabel::Failed);
    let ids = engine
        .store()
        .ids("acme", RecordKind::Candidate)
        .await
        .unwrap();
    (error, totals.pages, ids.len())
}

fn assert_tells_to_report_it(error: &StreamError) {
    assert_eq!(error.kind, "paging");
    let advice = error.advice.as_deref().unwrap_or_default();
    assert!(advice.contains("connector's maintainer"), "{advice}");
}

#[tokio::test]
async fn endless_empty_pages_with_new_cursors_fail_the_run_after_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let engine = default_engine(&dir.path().join("mirror.sqlite"));
    let source = BrokenPaging::new(Broken::EmptyPagesForEver);
    let (error, pages, ids) = failed_run(&source, &engine).await;

    assert!(
        error
            .message
            .contains("kept returning empty pages with a next cursor"),
        "{}",
        error.message
    );
    assert_tells_to_report_it(&error);
    // Fifty empty pages are accepted (and committed), the fifty-first stops the run; the
    // engine retried nothing.
    assert_eq!(source.calls(), GOOD_PAGES + 51);
    assert_eq!(pages, GOOD_PAGES + 50);
    assert_eq!(ids, 30, "the records of the good pages stay");
    let state = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.cursor.as_deref(), Some("p53"), "the checkpoint stays");
    assert_eq!(state.last_error.as_ref(), Some(&error));
}

#[tokio::test]
async fn the_bound_on_empty_pages_is_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let config = EngineConfig {
        max_pages_without_progress: 2,
        ..EngineConfig::default()
    };
    let engine = engine_with(&dir.path().join("mirror.sqlite"), config);
    let source = BrokenPaging::new(Broken::EmptyPagesForEver);
    let (error, pages, _) = failed_run(&source, &engine).await;
    assert!(
        error.message.contains("3 pages in a row"),
        "{}",
        error.message
    );
    assert_eq!((source.calls(), pages), (GOOD_PAGES + 3, GOOD_PAGES + 2));
}

#[tokio::test]
async fn a_repeated_cursor_fails_the_run_at_once_and_keeps_the_pages_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = default_engine(&dir.path().join("mirror.sqlite"));
    let source = BrokenPaging::new(Broken::RepeatsItsCursor);
    let (error, pages, ids) = failed_run(&source, &engine).await;

    assert!(
        error.message.contains("already returned in this run"),
        "{}",
        error.message
    );
    assert_tells_to_report_it(&error);
    // The fourth page names the third page's cursor again: it is neither written nor followed.
    assert_eq!(source.calls(), GOOD_PAGES + 1);
    assert_eq!((pages, ids), (GOOD_PAGES, 30));
    let state = engine
        .store()
        .stream_state("acme", "candidates")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.cursor.as_deref(), Some("p3"), "the checkpoint stays");
}

#[tokio::test]
async fn an_id_scan_of_endless_empty_pages_is_abandoned_after_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let engine = default_engine(&dir.path().join("mirror.sqlite"));
    let source = BrokenPaging::new(Broken::EmptyPagesForEver);
    let meter = QuotaMeter::new(None);
    let end = engine
        .reconcile(&source, &meter, "acme", RecordKind::Candidate, 0)
        .await
        .unwrap();
    let ReconcileEnd::Abandoned { error } = end else {
        panic!("the scan should have been abandoned: {end:?}")
    };
    assert!(error.message.contains("empty pages"), "{}", error.message);
    assert_tells_to_report_it(&error);
    assert_eq!(source.calls(), GOOD_PAGES + 51);
}

#[tokio::test]
async fn an_id_scan_that_repeats_a_cursor_is_abandoned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = default_engine(&dir.path().join("mirror.sqlite"));
    let source = BrokenPaging::new(Broken::RepeatsItsCursor);
    let meter = QuotaMeter::new(None);
    let end = engine
        .reconcile(&source, &meter, "acme", RecordKind::Candidate, 0)
        .await
        .unwrap();
    let ReconcileEnd::Abandoned { error } = end else {
        panic!("the scan should have been abandoned: {end:?}")
    };
    assert!(
        error.message.contains("already returned"),
        "{}",
        error.message
    );
    assert_eq!(source.calls(), GOOD_PAGES + 1);
}
