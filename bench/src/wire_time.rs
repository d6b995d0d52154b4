//! The time a connection's requests spend on the wire to the ATS (from sending to the answer's
//! head, as the runtime reports it), so latency figures can leave the simulator's own time out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Default)]
pub struct WireTime {
    nanos: AtomicU64,
    count: AtomicU64,
}

impl WireTime {
    /// The time and the requests counted since the last call.
    pub fn take(&self) -> (Duration, u64) {
        (
            Duration::from_nanos(self.nanos.swap(0, Ordering::Relaxed)),
            self.count.swap(0, Ordering::Relaxed),
        )
    }
}

impl ats_runtime::RequestObserver for WireTime {
    fn observe(&self, _: &ats_runtime::RequestInfo, response: &ats_runtime::ResponseInfo<'_>) {
        self.nanos
            .fetch_add(response.elapsed.as_nanos() as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}
