//! The service's work queue and delivery memory: what one process queues, any takes once;
//! claims expire with their holder; re-reads of one record coalesce; replays are refused.

use crate::Mirror;
use crate::deliveries::{DeliveryKeys, Sighting};
use crate::work_queue::Work;
use ats_model::RecordKind;
use std::collections::BTreeSet;

const TTL: i64 = 30;

fn reread(id: &str) -> Work {
    Work::Reread {
        kind: RecordKind::Application,
        id: id.into(),
    }
}

fn sync(stream: &str) -> Work {
    Work::Sync {
        streams: vec![stream.into()],
        full: false,
    }
}

pub async fn rereads_of_one_record_coalesce_until_taken(m: &dyn Mirror) {
    assert!(m.enqueue_work("acme", &reread("7"), 1_000).await.unwrap());
    assert!(
        !m.enqueue_work("acme", &reread("7"), 1_000).await.unwrap(),
        "a second event for a waiting record coalesces"
    );
    assert!(
        m.enqueue_work("globex", &reread("7"), 1_000).await.unwrap(),
        "per connection"
    );
    assert!(m.enqueue_work("acme", &sync("jobs"), 1_000).await.unwrap());
    assert!(
        m.enqueue_work("acme", &sync("jobs"), 1_000).await.unwrap(),
        "asked syncs are kept apart"
    );
    let taken = m.take_work("acme", "host-a", 10, TTL, 1_000).await.unwrap();
    let works: Vec<&Work> = taken.iter().map(|t| &t.work).collect();
    assert_eq!(
        works,
        [&reread("7"), &sync("jobs"), &sync("jobs")],
        "oldest first"
    );
    assert!(taken.iter().all(|t| t.conn == "acme" && t.attempts == 0));
    assert!(
        m.enqueue_work("acme", &reread("7"), 1_001).await.unwrap(),
        "once taken, a new event queues the record again"
    );
    m.clear_work("acme").await.unwrap();
    assert_eq!(m.connections_with_work(5_000).await.unwrap(), ["globex"]);
}

pub async fn taken_work_is_held_until_finished_or_its_claim_expires(m: &dyn Mirror) {
    m.enqueue_work("acme", &reread("1"), 1_000).await.unwrap();
    let a = m.take_work("acme", "host-a", 10, TTL, 1_000).await.unwrap();
    assert_eq!(a.len(), 1);
    assert!(
        m.take_work("acme", "host-b", 10, TTL, 1_010)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(m.connections_with_work(1_010).await.unwrap().is_empty());
    // host-a dies: its claim expires and host-b takes the item over.
    assert_eq!(
        m.connections_with_work(1_000 + TTL).await.unwrap(),
        ["acme"]
    );
    let b = m
        .take_work("acme", "host-b", 10, TTL, 1_000 + TTL)
        .await
        .unwrap();
    assert_eq!((b.len(), b[0].id, b[0].attempts), (1, a[0].id, 1));
    m.finish_work("host-a", &[a[0].id]).await.unwrap();
    assert_eq!(
        m.connections_with_work(1_000 + 2 * TTL).await.unwrap(),
        ["acme"],
        "a holder that lost the item cannot finish it"
    );
    m.finish_work("host-b", &[b[0].id]).await.unwrap();
    assert!(m.connections_with_work(9_999).await.unwrap().is_empty());
    assert!(
        m.take_work("acme", "host-c", 10, TTL, 9_999)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn handed_back_work_waits_for_its_time(m: &dyn Mirror) {
    m.enqueue_work("acme", &sync("candidates"), 1_000)
        .await
        .unwrap();
    m.enqueue_work("acme", &reread("9"), 1_000).await.unwrap();
    let taken = m.take_work("acme", "host-a", 10, TTL, 1_000).await.unwrap();
    let ids: Vec<i64> = taken.iter().map(|t| t.id).collect();
    // Meanwhile another event names record 9 again.
    m.enqueue_work("acme", &reread("9"), 1_001).await.unwrap();
    m.defer_work("host-a", &ids, 2_000).await.unwrap();
    let now = m.take_work("acme", "host-b", 10, TTL, 1_500).await.unwrap();
    assert_eq!(
        now.iter().map(|t| &t.work).collect::<Vec<_>>(),
        [&reread("9")],
        "the new event's item is there; the handed-back re-read of 9 merged into it"
    );
    let ids: Vec<i64> = now.iter().map(|t| t.id).collect();
    m.finish_work("host-b", &ids).await.unwrap();
    assert!(m.connections_with_work(1_999).await.unwrap().is_empty());
    let later = m.take_work("acme", "host-b", 10, TTL, 2_000).await.unwrap();
    assert_eq!(
        later
            .iter()
            .map(|t| (&t.work, t.attempts))
            .collect::<Vec<_>>(),
        [(&sync("candidates"), 1)]
    );
}

pub async fn two_takers_at_once_never_share_an_item(m: &dyn Mirror) {
    for i in 0..60 {
        m.enqueue_work("acme", &reread(&i.to_string()), 1_000)
            .await
            .unwrap();
    }
    let mut seen = BTreeSet::new();
    let mut taken = 0;
    loop {
        let (a, b) = futures_join(
            m.take_work("acme", "host-a", 4, TTL, 1_000),
            m.take_work("acme", "host-b", 4, TTL, 1_000),
        )
        .await;
        let (a, b) = (a.unwrap(), b.unwrap());
        if a.is_empty() && b.is_empty() {
            break;
        }
        for t in a.iter().chain(&b) {
            assert!(seen.insert(t.id), "item {} taken twice", t.id);
            taken += 1;
        }
    }
    assert_eq!(taken, 60);
}

/// Both futures polled together, without a dependency on a futures crate.
async fn futures_join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none()
            && let std::task::Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let std::task::Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        if ra.is_some() && rb.is_some() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    (ra.unwrap(), rb.unwrap())
}

pub async fn replays_are_refused_and_second_deliveries_are_duplicates(m: &dyn Mirror) {
    const KEEP: i64 = 600;
    let see = |conn: &'static str, key: &'static str, body: &'static str, now: i64| async move {
        let keys = DeliveryKeys {
            replay_key: key,
            body_digest: body,
        };
        m.remember_delivery(conn, keys, KEEP, now).await.unwrap()
    };
    assert_eq!(see("acme", "k1", "b1", 1_000).await, Sighting::New);
    assert_eq!(see("acme", "k1", "b1", 1_001).await, Sighting::Replayed);
    assert_eq!(see("acme", "k2", "b1", 1_002).await, Sighting::Duplicate);
    assert_eq!(see("acme", "k3", "b2", 1_003).await, Sighting::New);
    assert_eq!(
        see("globex", "k1", "b1", 1_004).await,
        Sighting::New,
        "per connection"
    );
    m.forget_delivery_body("acme", "b2").await.unwrap();
    assert_eq!(
        see("acme", "k4", "b2", 1_005).await,
        Sighting::New,
        "a refused body is forgotten"
    );
    assert_eq!(
        see("acme", "k1", "b9", 1_000 + KEEP + 1).await,
        Sighting::New,
        "past the window a delivery is forgotten"
    );
}
