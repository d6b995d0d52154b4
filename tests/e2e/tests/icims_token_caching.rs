//! One OAuth token serves a whole read; when it expires (sim clock) the host fetches one more.

mod icims_support;

use std::time::Duration;

use ats_model::RecordKind;
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn one_token_per_read_and_refresh_on_expiry() {
    let env = start(config(1_500, 10, 10), &[]).await;
    let state = env.sim.state();
    let pages = read_all(&env.conn, RecordKind::Candidate, None).await;
    assert_eq!(pages.iter().map(|p| p.records.len()).sum::<usize>(), 1_500);
    assert_eq!(state.counters().token, 1, "one token for ~1,500 requests");

    state.advance_clock(Duration::from_secs(86_400 + 60));
    let pages = read_all(&env.conn, RecordKind::Job, None).await;
    assert_eq!(pages.iter().map(|p| p.records.len()).sum::<usize>(), 10);
    assert_eq!(
        state.counters().token,
        2,
        "the expired token was replaced once"
    );
    assert_eq!(env.conn.stats().tokens_fetched, 2);
}
