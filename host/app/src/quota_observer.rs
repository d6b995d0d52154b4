//! Connects a connection's [`QuotaMeter`] to the runtime's HTTP hook, so every request to the
//! ATS is admitted by the meter and every answer's rate-limit headers reach it.

use ats_runtime::{RequestInfo, RequestObserver, ResponseInfo};
use ats_sync::QuotaMeter;
use std::sync::Arc;

/// The runtime's [`RequestObserver`] for a metered connection.
pub struct MeteredRequests(pub Arc<QuotaMeter>);

impl RequestObserver for MeteredRequests {
    fn admit(&self, request: &RequestInfo) -> Result<(), String> {
        // Only the ATS's API counts against its quota.
        if !request.api_host {
            return Ok(());
        }
        self.0.admit().map_err(|pause| {
            let until = pause
                .until
                .map(crate::when::timestamp)
                .unwrap_or_else(|| "the quota resets".into());
            format!(
                "the host held this request back: the {} lane's share of the ATS request quota is spent until {until}",
                pause.lane.as_str()
            )
        })
    }

    fn observe(&self, request: &RequestInfo, response: &ResponseInfo<'_>) {
        if request.api_host {
            self.0.observe(response.text_headers());
        }
    }

    fn failed(&self, request: &RequestInfo) {
        if request.api_host {
            self.0.observe_failure();
        }
    }
}
