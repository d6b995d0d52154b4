//! Connects a connection's [`QuotaMeter`] to the runtime's HTTP hook, so every request to the
//! ATS is admitted by the meter and every answer's rate-limit headers reach it.

use ats_runtime::{ContextCarrier, RequestInfo, RequestObserver, ResponseInfo};
use ats_sync::QuotaMeter;
use std::sync::Arc;

/// The runtime's [`RequestObserver`] for a metered connection, and what else watches its
/// requests.
pub struct MeteredRequests {
    pub meter: Arc<QuotaMeter>,
    /// Told of every admitted request and its answer; they never hold one back.
    pub taps: Vec<Arc<dyn RequestObserver>>,
}

impl RequestObserver for MeteredRequests {
    /// The lane of the task that runs the plugin call (sync, re-read, feature), for `admit`.
    fn carry_context(&self) -> ContextCarrier {
        let lane = ats_sync::lane_context::current_lane();
        Box::new(move |send| Box::pin(ats_sync::lane_context::with_lane(lane, send)))
    }

    fn admit(&self, request: &RequestInfo) -> Result<(), String> {
        // Only the ATS's API counts against its quota.
        if !request.api_host {
            return self.tap_admit(request);
        }
        self.meter.admit().map_err(|pause| {
            let until = pause
                .until
                .map(crate::when::timestamp)
                .unwrap_or_else(|| "the quota resets".into());
            format!(
                "the host held this request back: the {} lane's share of the ATS request quota is spent until {until}",
                pause.lane.as_str()
            )
        })?;
        self.tap_admit(request)
    }

    fn observe(&self, request: &RequestInfo, response: &ResponseInfo<'_>) {
        if request.api_host {
            self.meter.observe(response.text_headers());
        }
        for tap in &self.taps {
            tap.observe(request, response);
        }
    }

    fn failed(&self, request: &RequestInfo) {
        if request.api_host {
            self.meter.observe_failure();
        }
        for tap in &self.taps {
            tap.failed(request);
        }
    }
}

impl MeteredRequests {
    fn tap_admit(&self, request: &RequestInfo) -> Result<(), String> {
        for tap in &self.taps {
            // A tap only watches: what it answers cannot hold the request back.
            let _ = tap.admit(request);
        }
        Ok(())
    }
}
