//! Stream leases: one holder at a time, renewed by its heartbeat, taken over after expiry with
//! a higher token, given up on release.

use super::fixtures::{CONN, candidate, candidates, state};
use crate::lease::Lease;
use crate::{Mirror, MirrorError, PageWrite};
use ats_model::RecordKind;

const TTL: i64 = 30;

async fn take(m: &dyn Mirror, holder: &str, now: i64) -> Option<Lease> {
    m.try_lease("acme", "candidates", holder, TTL, now)
        .await
        .unwrap()
}

pub async fn a_lease_is_held_by_one_process_until_it_expires(m: &dyn Mirror) {
    let a = take(m, "host-a", 1_000)
        .await
        .expect("a free stream is taken");
    assert_eq!((a.holder.as_str(), a.expires_at), ("host-a", 1_000 + TTL));
    assert_eq!(
        take(m, "host-b", 1_010).await,
        None,
        "a live lease is exclusive"
    );
    // Other streams and connections are separate.
    assert!(
        m.try_lease("acme", "jobs", "host-b", TTL, 1_010)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        m.try_lease("globex", "candidates", "host-b", TTL, 1_010)
            .await
            .unwrap()
            .is_some()
    );
    // The holder taking it again extends it, same token.
    let again = take(m, "host-a", 1_020).await.unwrap();
    assert_eq!((again.token, again.expires_at), (a.token, 1_020 + TTL));
}

pub async fn the_heartbeat_keeps_a_lease_and_a_lost_lease_cannot_be_renewed(m: &dyn Mirror) {
    let a = take(m, "host-a", 1_000).await.unwrap();
    let renewed = m
        .renew_lease(&a, TTL, 1_025)
        .await
        .unwrap()
        .expect("renewed");
    assert_eq!(renewed.expires_at, 1_025 + TTL);
    assert_eq!(take(m, "host-b", 1_050).await, None, "renewed: still held");
    // host-a stops (killed): after expiry host-b takes over with a higher token.
    let b = take(m, "host-b", 1_025 + TTL + 1)
        .await
        .expect("expired: taken over");
    assert!(b.token > a.token);
    assert_eq!(
        m.renew_lease(&a, TTL, 1_060).await.unwrap(),
        None,
        "a's lease is lost"
    );
    assert_eq!(take(m, "host-a", 1_060).await, None);
}

pub async fn a_released_lease_is_free_at_once(m: &dyn Mirror) {
    let a = take(m, "host-a", 1_000).await.unwrap();
    m.release_lease(&a).await.unwrap();
    let b = take(m, "host-b", 1_001).await.expect("released: free");
    assert!(b.token > a.token);
    // Releasing a lease already lost leaves the new holder's alone.
    m.release_lease(&a).await.unwrap();
    assert_eq!(take(m, "host-c", 1_002).await, None);
    assert!(m.renew_lease(&b, TTL, 1_003).await.unwrap().is_some());
}

pub async fn a_page_written_under_a_lost_lease_is_refused_whole(m: &dyn Mirror) {
    let page = |id: &str, lease: &Lease| PageWrite {
        kind: RecordKind::Candidate,
        records: candidates(vec![candidate(id, "Ada", "Lovelace", "ada@example.com")]),
        gone: Vec::new(),
        record_errors: Vec::new(),
        fence: Some(lease.fence()),
    };
    let a = take(m, "host-a", 1_000).await.unwrap();
    m.apply_page(CONN, "candidates", page("1", &a), &state("a-1"), 1_001)
        .await
        .expect("the holder writes");
    // host-a stalls past its lease; host-b takes the stream and commits a page.
    let b = take(m, "host-b", 1_000 + TTL + 1).await.unwrap();
    m.apply_page(CONN, "candidates", page("2", &b), &state("b-1"), 1_040)
        .await
        .expect("the new holder writes");
    // host-a wakes up and tries to commit the page it had in flight.
    let stale = m
        .apply_page(CONN, "candidates", page("3", &a), &state("a-2"), 1_041)
        .await;
    assert!(
        matches!(&stale, Err(MirrorError::LeaseLost { conn, stream })
            if conn == CONN && stream == "candidates"),
        "{stale:?}"
    );
    let message = stale.unwrap_err().to_string();
    assert!(
        message.contains("taken over by another process"),
        "{message}"
    );
    // Nothing of the stale page: neither its record nor its checkpoint.
    assert!(
        m.record(CONN, RecordKind::Candidate, "3")
            .await
            .unwrap()
            .is_none()
    );
    let saved = m.stream_state(CONN, "candidates").await.unwrap().unwrap();
    assert_eq!(saved.cursor.as_deref(), Some("b-1"));
    // A lease released is no fence either; a write without a fence is not checked.
    m.release_lease(&b).await.unwrap();
    assert!(matches!(
        m.apply_page(CONN, "candidates", page("4", &b), &state("b-2"), 1_042)
            .await,
        Err(MirrorError::LeaseLost { .. })
    ));
    let mut unfenced = page("5", &b);
    unfenced.fence = None;
    m.apply_page(CONN, "candidates", unfenced, &state("c-1"), 1_043)
        .await
        .expect("no fence, no check");
}
