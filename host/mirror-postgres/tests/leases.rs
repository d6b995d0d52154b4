//! Stream leases across processes: hosts on one database racing for a stream, exactly one wins;
//! after the winner stops renewing, another takes over.

use ats_mirror::LeaseStore;
use ats_mirror_postgres::PgMirror;

#[tokio::test(flavor = "multi_thread")]
async fn hosts_racing_for_one_stream_yield_exactly_one_holder() {
    let url = ats_test_postgres::database();
    let mut hosts = Vec::new();
    for _ in 0..3 {
        hosts.push(PgMirror::connect(&url).await.unwrap());
    }
    for round in 0..10i64 {
        let now = 1_000 + round * 100;
        let races: Vec<_> = (0..12)
            .map(|i| {
                let host = hosts[i % hosts.len()].clone();
                tokio::spawn(async move {
                    host.try_lease("acme", "candidates", &format!("host-{round}-{i}"), 30, now)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut winners = Vec::new();
        for race in races {
            winners.extend(race.await.unwrap());
        }
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        // The winner's lease expires before the next round (30 s < 100 s): the next round's
        // winner takes over with a higher token.
        assert_eq!(winners[0].token, round + 1);
    }
}
