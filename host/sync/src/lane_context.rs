//! Which lane the current task's requests belong to.
//!
//! The connector's HTTP requests reach the host's hook deep inside a wasm call; a task-local
//! carries the lane there without threading it through the plugin.

use crate::quota::Lane;
use std::future::Future;

tokio::task_local! {
    static LANE: Lane;
}

/// Runs `future` with its requests counted against `lane`.
pub async fn with_lane<F: Future>(lane: Lane, future: F) -> F::Output {
    LANE.scope(lane, future).await
}

/// The lane of the current task; interactive when none was set (a person is waiting).
pub fn current_lane() -> Lane {
    LANE.try_with(|lane| *lane).unwrap_or(Lane::Interactive)
}
