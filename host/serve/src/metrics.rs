//! `GET /metrics`: what an operator's Prometheus scrapes. Counters and histograms are kept as
//! things happen (API requests, requests to the ATS, pages); quota and sync lag are read from
//! the mirror at scrape time, in the same words as `ats status`, so they cannot drift from it.
//!
//! Labels are the route template (never the path, so no id or tenant name), the connection and
//! the stream: a bounded set an operator already knows. No secret, header or body is recorded.

use crate::api_error::ApiError;
use crate::service::Service;
use ats_app::status_view::{connection_quota, stream_statuses};
use ats_mirror::RunMode;
use ats_runtime::{RequestInfo, RequestObserver, ResponseInfo};
use ats_sync::{Progress, RunTotals};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ApiLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AtsLabels {
    connection: String,
    /// `2xx`, `4xx`, `429`, `5xx`, or `failed` (no answer).
    outcome: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectionLabels {
    connection: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    connection: String,
    stream: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LaneLabels {
    connection: String,
    lane: String,
}

/// Prometheus's scrape. No token: serve it where only operators reach, as `/healthz`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "OpenMetrics text: API and ATS requests, latencies, pages, quota by lane, sync lag",
        content_type = "application/openmetrics-text")))]
pub async fn scrape(State(service): State<Arc<Service>>) -> Response {
    match service.metrics.render(&service).await {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => ApiError::internal(format!("cannot read the metrics: {e}")).into_response(),
    }
}

type Seconds = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    api_requests: Family<ApiLabels, Counter>,
    api_seconds: Seconds,
    ats_requests: Family<AtsLabels, Counter>,
    ats_seconds: Family<ConnectionLabels, Histogram, fn() -> Histogram>,
    page_seconds: Family<StreamLabels, Histogram, fn() -> Histogram>,
    quota_available: Family<LaneLabels, Gauge>,
    quota_remaining: Family<ConnectionLabels, Gauge>,
    sync_lag: Family<StreamLabels, Gauge<f64, AtomicU64>>,
}

/// 1 ms to ~33 s, doubling: API answers, ATS answers and pages all fall inside.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut m = Metrics {
            registry: Registry::with_prefix("ats"),
            api_requests: Family::default(),
            api_seconds: Family::new_with_constructor(latency),
            ats_requests: Family::default(),
            ats_seconds: Family::new_with_constructor(latency),
            page_seconds: Family::new_with_constructor(latency),
            quota_available: Family::default(),
            quota_remaining: Family::default(),
            sync_lag: Family::default(),
        };
        let registry = &mut m.registry;
        registry.register(
            "api_requests",
            "Requests the service answered, by route template, method and status",
            m.api_requests.clone(),
        );
        registry.register(
            "api_request_seconds",
            "Time to answer an API request, by route template",
            m.api_seconds.clone(),
        );
        registry.register(
            "ats_requests",
            "Requests sent to the ATS, by connection and outcome (2xx, 4xx, 429, 5xx, failed)",
            m.ats_requests.clone(),
        );
        registry.register(
            "ats_request_seconds",
            "Time from sending a request to the ATS to its answer's head, by connection",
            m.ats_seconds.clone(),
        );
        registry.register(
            "sync_page_seconds",
            "Time to read and store one page of a stream, by connection and stream",
            m.page_seconds.clone(),
        );
        registry.register(
            "quota_lane_available",
            "Requests a lane may still send to the ATS in this quota window",
            m.quota_available.clone(),
        );
        registry.register(
            "quota_remaining",
            "Requests left in the ATS's quota window, as its last answer said",
            m.quota_remaining.clone(),
        );
        registry.register(
            "sync_lag_seconds",
            "Seconds since a stream last finished a successful run (absent before the first)",
            m.sync_lag.clone(),
        );
        m
    }
}

impl Metrics {
    /// Records an answered API request.
    pub fn api_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.api_requests
            .get_or_create(&ApiLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.api_seconds
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(took.as_secs_f64());
    }

    fn ats_outcome(&self, connection: &str, outcome: &str) {
        self.ats_requests
            .get_or_create(&AtsLabels {
                connection: connection.to_string(),
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// The text Prometheus scrapes, with the quota and lag gauges read from the mirror now.
    pub async fn render(&self, service: &Service) -> anyhow::Result<String> {
        self.quota_available.clear();
        self.quota_remaining.clear();
        self.sync_lag.clear();
        let now = ats_sync::meter::now();
        for row in service.host.mirror.connections().await? {
            // Not `connection_status`: its record counts scan the mirror on every scrape.
            if let Some(quota) = &connection_quota(&service.host, &row) {
                for lane in &quota.lanes {
                    if let Some(available) = lane.available {
                        self.quota_available
                            .get_or_create(&LaneLabels {
                                connection: row.name.clone(),
                                lane: lane.lane.as_str().to_string(),
                            })
                            .set(available.min(i64::MAX as u64) as i64);
                    }
                }
                if let Some(remaining) = quota.remaining {
                    self.quota_remaining
                        .get_or_create(&ConnectionLabels {
                            connection: row.name.clone(),
                        })
                        .set(remaining.min(i64::MAX as u64) as i64);
                }
            }
            for stream in &stream_statuses(&service.host, &row).await? {
                if let Some(at) = stream.last_success_at {
                    self.sync_lag
                        .get_or_create(&StreamLabels {
                            connection: row.name.clone(),
                            stream: stream.stream.clone(),
                        })
                        .set(now.saturating_sub(at).max(0) as f64);
                }
            }
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

impl RequestObserver for Metrics {
    fn observe(&self, request: &RequestInfo, response: &ResponseInfo<'_>) {
        let outcome = match response.status {
            429 => "429",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.ats_outcome(&request.connection, outcome);
        self.ats_seconds
            .get_or_create(&ConnectionLabels {
                connection: request.connection.clone(),
            })
            .observe(response.elapsed.as_secs_f64());
    }

    fn failed(&self, request: &RequestInfo) {
        self.ats_outcome(&request.connection, "failed");
    }
}

/// A worker's [`Progress`]: times each page of each stream (from the run's start or the page
/// before) into `sync_page_seconds`.
pub struct PageTimer<'a> {
    pub metrics: &'a Metrics,
    pub connection: &'a str,
    last: Mutex<HashMap<String, Instant>>,
}

impl<'a> PageTimer<'a> {
    pub fn new(metrics: &'a Metrics, connection: &'a str) -> PageTimer<'a> {
        PageTimer {
            metrics,
            connection,
            last: Mutex::default(),
        }
    }

    fn last(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Progress for PageTimer<'_> {
    fn run_started(&self, stream: &str, _mode: RunMode, _resumed: bool) {
        self.last().insert(stream.to_string(), Instant::now());
    }

    fn page_committed(&self, stream: &str, _totals: &RunTotals) {
        let now = Instant::now();
        let started = self.last().insert(stream.to_string(), now);
        if let Some(started) = started {
            self.metrics
                .page_seconds
                .get_or_create(&StreamLabels {
                    connection: self.connection.to_string(),
                    stream: stream.to_string(),
                })
                .observe(now.duration_since(started).as_secs_f64());
        }
    }

    fn waiting(&self, stream: &str, _why: &str, wait: Duration) {
        // A wait for the quota is not the page's time: the next page starts after it.
        self.last()
            .insert(stream.to_string(), Instant::now() + wait);
    }
}
