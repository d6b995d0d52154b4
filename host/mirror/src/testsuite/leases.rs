//! Stream leases: one holder at a time, renewed by its heartbeat, taken over after expiry with
//! a higher token, given up on release.

use crate::Mirror;
use crate::lease::Lease;

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
