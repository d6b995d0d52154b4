//! A full read of more than 1,000 people, jobs and workflows costs exactly one search per
//! 1,000 ids (plus the closing search when a page is full) and one GET per record.

mod icims_support;

use ats_model::RecordKind;
use icims_sim::RecordType;
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn full_read_pages_by_id_with_exact_call_counts() {
    let env = start(config(2_345, 1_000, 2_001), &[]).await;
    let state = env.sim.state();
    for (kind, ty, path, expected) in [
        (
            RecordKind::Candidate,
            RecordType::People,
            "people",
            2_345u64,
        ),
        (RecordKind::Job, RecordType::Jobs, "jobs", 1_000),
        (
            RecordKind::Application,
            RecordType::Workflows,
            "applicantworkflows",
            2_001,
        ),
    ] {
        let ids = state.ids(env.customer, ty).unwrap();
        assert_eq!(ids.len() as u64, expected, "{path} generated");
        state.reset_counters();
        let pages = read_all(&env.conn, kind, None).await;
        let records: Vec<String> = pages
            .iter()
            .flat_map(|p| p.records.iter().map(record_id))
            .collect();
        let want: Vec<String> = ids.iter().map(u32::to_string).collect();
        assert_eq!(records, want, "{path}: every record once, ascending");
        assert!(pages.iter().all(|p| p.gone.is_empty()));
        // One search per page of ≤1,000; a full last page needs one more (empty) search.
        let searches = expected / 1000 + 1;
        let counters = state.counters();
        assert_eq!(
            counters.endpoint(&format!("search.{path}")),
            searches,
            "{path} searches"
        );
        assert_eq!(
            counters.endpoint(&format!("get.{path}")),
            expected,
            "{path} GETs"
        );
        assert_eq!(pages.len() as u64, searches, "{path} pages");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_resumes_exactly_after_its_page_and_hints_only_shrink_pages() {
    let env = start(config(250, 5, 5), &[]).await;
    let request = |cursor, hint| ats_model::ListRequest {
        cursor,
        updated_since: None,
        page_size_hint: hint,
    };
    let first = env
        .conn
        .list_records(RecordKind::Candidate, request(None, Some(100)))
        .await
        .unwrap();
    assert_eq!(first.records.len(), 100);
    let cursor = first.next_cursor.clone().expect("more pages");
    let again = env
        .conn
        .list_records(
            RecordKind::Candidate,
            request(Some(cursor.clone()), Some(100)),
        )
        .await
        .unwrap();
    let twice = env
        .conn
        .list_records(RecordKind::Candidate, request(Some(cursor), Some(100)))
        .await
        .unwrap();
    assert_eq!(
        again.records.iter().map(record_id).collect::<Vec<_>>(),
        twice.records.iter().map(record_id).collect::<Vec<_>>()
    );
    let last_of_first: u64 = record_id(first.records.last().unwrap()).parse().unwrap();
    let first_of_next: u64 = record_id(&again.records[0]).parse().unwrap();
    assert!(first_of_next > last_of_first);
    // list-ids pages the same way without GETs.
    env.sim.state().reset_counters();
    let ids = env
        .conn
        .list_ids(RecordKind::Candidate, None)
        .await
        .unwrap();
    assert_eq!(ids.ids.len(), 250);
    assert!(ids.next_cursor.is_none());
    assert_eq!(env.sim.state().counters().endpoint("get.people"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn gets_are_in_flight_together() {
    let mut config = config(1_000, 5, 5);
    config.latency_ms = 100;
    let env = start(config, &[("max-in-flight", "32")]).await;
    let started = std::time::Instant::now();
    let pages = read_all(&env.conn, RecordKind::Candidate, None).await;
    let elapsed = started.elapsed();
    assert_eq!(pages.iter().map(|p| p.records.len()).sum::<usize>(), 1_000);
    // 1,002 requests at 100 ms each would take 100 s one at a time.
    assert!(elapsed.as_secs() < 20, "1,000 GETs took {elapsed:?}");
}
