//! Every host-side resource a plugin can make the host spend is bounded, with an error that
//! names the bound, and a well-behaved connection in the same process keeps syncing meanwhile.

use ats_model::{ListRequest, RecordKind};
use ats_runtime::CallError;
use e2e_tests::hostile::{Auth, Hostile};
use e2e_tests::runtime_fixtures::LogCapture;
use std::time::{Duration, Instant};

async fn read(
    h: &Hostile,
    mode: &str,
    limits: &[(&str, u64)],
) -> Result<ats_model::Page, CallError> {
    let live = h.connect(mode, mode, Auth::ApiKey, limits).await.unwrap();
    let read = h
        .beside_a_healthy_sync(
            live.connection
                .list_records(RecordKind::Candidate, ListRequest::default()),
        )
        .await;
    h.attacker_saw_nothing();
    read
}

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_maps_are_bounded_in_size() {
    let h = Hostile::start().await;
    // 120 KiB of header values in one `fields`, over the 64 KiB default.
    let error = read(&h, "fields-bomb", &[]).await.unwrap_err().to_string();
    assert!(error.contains("max_header_bytes"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wasi_resources_per_call_are_bounded() {
    let h = Hostile::start().await;
    let before = rss_bytes();
    // Header maps allowed, their number is not: 40,000 of 120 KiB would be 4.8 GB.
    let limits = [("max_header_bytes", 256 << 10), ("max_resources", 256)];
    let error = read(&h, "fields-bomb", &limits)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("max_resources"), "{error}");
    let grown = rss_bytes().saturating_sub(before);
    assert!(grown < 512 << 20, "the host grew by {grown} bytes: {error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffered_request_bodies_are_bounded_per_connection() {
    let h = Hostile::start().await;
    let live = h
        .connect("bodies", "big-bodies", Auth::ApiKey, &[])
        .await
        .unwrap();
    let error = h
        .beside_a_healthy_sync(
            live.connection
                .list_records(RecordKind::Candidate, ListRequest::default()),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("of 40 uploads"), "{error}");
    assert!(live.connection.stats().refused_over_budget > 0, "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_are_bounded_per_connection() {
    let h = Hostile::start().await;
    let live = h
        .connect(
            "flood",
            "request-flood",
            Auth::ApiKey,
            &[("max_requests_in_flight", 8)],
        )
        .await
        .unwrap();
    h.beside_a_healthy_sync(
        live.connection
            .list_records(RecordKind::Candidate, ListRequest::default()),
    )
    .await
    .unwrap();
    let stats = live.connection.stats();
    assert!(stats.peak_in_flight <= 8, "peak {}", stats.peak_in_flight);
    assert_eq!(stats.sent, 2000, "every request was answered in turn");
}

#[tokio::test(flavor = "current_thread")]
async fn a_log_flood_is_cut_and_counted() {
    let (logs, _guard) = LogCapture::install();
    let h = Hostile::start().await;
    let started = Instant::now();
    read(&h, "log-flood", &[]).await.unwrap();
    let text = logs.text();
    let lines = text
        .matches("target: plugin")
        .count()
        .max(text.matches(" plugin:").count());
    let allowed = 1000 + 200 * (started.elapsed().as_secs() + 1) as usize;
    assert!(
        lines <= allowed,
        "{lines} plugin lines passed (allowed {allowed})"
    );
    assert!(text.contains("dropped"), "the drop is reported");
    assert!(text.len() < 64 << 20, "{} bytes of logs", text.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugin_storage_is_bounded_per_connection() {
    let h = Hostile::start().await;
    let error = read(&h, "keyvalue-flood", &[("max_storage_bytes", 8 << 20)])
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("max_storage_bytes"), "{error}");
    assert!(
        error.contains("stored 7 values") || error.contains("stored 8 values"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_error_text_is_cut() {
    let h = Hostile::start().await;
    let error = read(&h, "huge-error", &[]).await.unwrap_err().to_string();
    assert!(error.len() < 16 << 10, "{} bytes of error", error.len());
    assert!(error.contains("more bytes cut"), "the cut is said");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_attachment_text_is_cut_and_its_control_characters_dropped() {
    let h = Hostile::start().await;
    let live = h
        .connect("hostile-text", "hostile-text", Auth::ApiKey, &[])
        .await
        .unwrap();
    let text = live
        .connection
        .attachment_text("c1", "resume")
        .await
        .expect("an answer")
        .expect("some text");
    assert!(
        text.len() <= ats_runtime::MAX_ATTACHMENT_TEXT_BYTES,
        "{} bytes",
        text.len()
    );
    assert!(
        text.len() > 100 << 10,
        "the words are kept: {} bytes",
        text.len()
    );
    assert!(
        text.chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t'),
        "no control character but newlines and tabs"
    );
    assert!(
        text.starts_with("zebrafish[2J]0;owned\n\tgenetics 31mzebrafish"),
        "{}",
        &text[..80]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_record_is_refused_not_stored() {
    let h = Hostile::start().await;
    let error = read(&h, "huge-record", &[]).await.unwrap_err().to_string();
    assert!(error.contains("max_record_bytes"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_loop_stops_on_its_cpu_bound_in_seconds() {
    let h = Hostile::start().await;
    let started = Instant::now();
    match read(&h, "busy-loop", &[("call_cpu_seconds", 2)]).await {
        Err(CallError::CpuTimeExceeded { limit }) => assert_eq!(limit, Duration::from_secs(2)),
        other => panic!("expected the CPU bound, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_overflow_is_reported_as_one() {
    let h = Hostile::start().await;
    match read(&h, "stack-overflow", &[]).await {
        Err(e @ CallError::StackOverflow { .. }) => {
            assert!(e.to_string().contains("stack overflow"), "{e}")
        }
        other => panic!("expected a stack overflow, got {other:?}"),
    }
}
