//! Bad export input is refused with a clear message before anything is written: malformed
//! JSON, an unknown job, an unknown status, a resume that is not a document, a resume too
//! large. The simulator's write counters stay at zero.

mod feature_support;

use ats_features::FeatureError;
use base64::Engine;
use feature_support::*;
use icims_sim::RecordType;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_any_write() {
    let f = start(config(20, 3, 10)).await;
    f.sync().await;
    let job = f.ids(RecordType::Jobs)[0].to_string();
    let people_before = f.ids(RecordType::People).len();
    let base = || {
        json!({
            "first_name": "Bad",
            "last_name": "Input",
            "emails": ["bad.input@example.com"],
        })
    };
    let with = |key: &str, value: serde_json::Value| {
        let mut p = base();
        p[key] = value;
        p.to_string()
    };
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let too_large = {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(11 * 1024 * 1024, b'x');
        b64(&bytes)
    };
    let mut job_and_status = base();
    job_and_status["job_id"] = json!(job);
    job_and_status["status"] = json!("daydreaming");

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "malformed JSON",
            r#"{"first_name": "Bad", "emails": ["x@example.com"],"#.into(),
            "malformed JSON at line 1",
        ),
        (
            "unknown field",
            r#"{"frist_name": "Bad", "emails": ["x@example.com"]}"#.into(),
            "frist_name",
        ),
        (
            "unknown job",
            with("job_id", json!("987654")),
            "unknown job `987654`",
        ),
        (
            "unknown status",
            job_and_status.to_string(),
            "unknown status `daydreaming`",
        ),
        (
            "not a document (type)",
            with(
                "resume",
                json!({"file_name": "me.png", "content_type": "image/png", "base64": b64(b"\x89PNG\r\n")}),
            ),
            "not a document type",
        ),
        (
            "not a document (content)",
            with(
                "resume",
                json!({"file_name": "me.pdf", "content_type": "application/pdf", "base64": b64(b"\x89PNG\r\n\x1a\n")}),
            ),
            "resume",
        ),
        (
            "resume too large",
            with(
                "resume",
                json!({"file_name": "big.pdf", "content_type": "application/pdf", "base64": too_large}),
            ),
            "more than the limit",
        ),
        (
            "bad email",
            with("emails", json!(["not-an-address"])),
            "not an email address",
        ),
    ];
    for (what, profile, expected) in cases {
        f.state().reset_counters();
        let error = f.export(&profile).await.expect_err(what);
        let text = error.to_string();
        println!("{what}: {text}");
        assert!(
            error.is_input_error(),
            "{what}: not an input error: {error:?}"
        );
        assert!(
            !matches!(
                error,
                FeatureError::Connector(_) | FeatureError::Interrupted { .. }
            ),
            "{what}"
        );
        assert!(text.contains(expected), "{what}: {text}");

        assert_eq!(f.writes(), 0, "{what}: something was written");
    }
    assert_eq!(f.ids(RecordType::People).len(), people_before);
}
