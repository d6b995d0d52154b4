//! Event notifications (icims-api.md §10): when a workflow's status changes (through the API or
//! the side door) the simulator POSTs a `WorkFlowStatusChangeEvent` to the configured URL,
//! gzip'd JSON, authenticated the way the customer set it up in iCIMS: HTTP Basic, a bearer
//! token (iCIMS's OAuth 2.0 mode, with the token given here rather than fetched), or HMAC
//! `x-icims-v1-hmac-sha256`. iCIMS does not publish the string it signs **[UNKNOWN]**; the
//! simulator signs what the `ats:connector` contract defines for `hmac-sha256-signed-headers`
//! (each signed header as `name:value`, joined by `\n`), over
//! `content-type;host;x-icims-content-sha256;x-icims-date`.
//!
//! Deliveries are sent from a tokio task; each one's headers and body are kept
//! ([`SimState::events_sent`](crate::SimState::events_sent)) so a test can replay or alter one.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::Mutex;

/// Where events go and how they are authenticated.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventConfig {
    /// The receiver's URL (`http://host:port/path`); none sends no events.
    pub url: Option<String>,
    pub auth: EventAuth,
    /// Send the body uncompressed (iCIMS gzips; this tests a receiver's plain path).
    pub plain: bool,
}

/// How the simulator authenticates the events it sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum EventAuth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    Hmac {
        username: String,
        key: String,
    },
}

/// One delivery as sent: what a receiver got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentEvent {
    pub url: String,
    /// Names lowercase.
    pub headers: Vec<(String, String)>,
    /// As sent (gzip'd unless `plain`).
    pub body: Vec<u8>,
    /// The receiver's status, or `None` when it could not be reached.
    pub answered: Option<u16>,
}

/// The signed headers of the HMAC mode, in order.
pub const SIGNED_HEADERS: &[&str] = &[
    "content-type",
    "host",
    "x-icims-content-sha256",
    "x-icims-date",
];

/// `2017-10-18T14:53:40+0000`, the form of `x-icims-date` (icims-api.md, captured values).
pub fn icims_date(unix: i64) -> String {
    let at =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]+0000"
    ))
    .unwrap_or_default()
}

/// The headers of a delivery of `body` (already compressed or not) to `url`, sent at `unix`.
pub fn delivery_headers(
    auth: &EventAuth,
    url: &str,
    body: &[u8],
    gzip: bool,
    unix: i64,
) -> Vec<(String, String)> {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("host".to_string(), host),
        (
            "x-icims-content-sha256".to_string(),
            hex::encode(Sha256::digest(body)),
        ),
        ("x-icims-date".to_string(), icims_date(unix)),
    ];
    if gzip {
        headers.push(("content-encoding".into(), "gzip".into()));
    }
    match auth {
        EventAuth::None => {}
        EventAuth::Basic { username, password } => headers.push((
            "authorization".into(),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
            ),
        )),
        EventAuth::Bearer { token } => {
            headers.push(("authorization".into(), format!("Bearer {token}")))
        }
        EventAuth::Hmac { username, key } => {
            let signature = sign(key, &headers);
            headers.push((
                "authorization".into(),
                format!(
                    "x-icims-v1-hmac-sha256 user={username},signedheaders={},signature={signature}",
                    SIGNED_HEADERS.join(";")
                ),
            ));
        }
    }
    headers
}

/// HMAC-SHA256 (hex) of the signed headers' `name:value` lines.
pub fn sign(key: &str, headers: &[(String, String)]) -> String {
    let text: Vec<String> = SIGNED_HEADERS
        .iter()
        .map(|name| {
            let value = headers
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str());
            format!("{name}:{}", value.trim())
        })
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(text.join("\n").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The body of a status change event.
#[allow(clippy::too_many_arguments)]
pub fn status_change_body(
    api_base: &str,
    customer: u64,
    workflow: u64,
    person: u32,
    job: u32,
    old_status: &str,
    new_status: &str,
) -> Value {
    let base = format!("{api_base}/customers/{customer}");
    json!({
        "customerId": customer.to_string(),
        "eventType": "WorkFlowStatusChangeEvent",
        "systemId": workflow.to_string(),
        "userId": "1",
        "personId": person.to_string(),
        "jobId": job.to_string(),
        "oldStatus": old_status,
        "newStatus": new_status,
        "links": [
            {"rel": "applicantWorkflow", "title": "Applicant Workflow", "url": format!("{base}/applicantworkflows/{workflow}")},
            {"rel": "job", "title": "Job Profile", "url": format!("{base}/jobs/{job}")},
            {"rel": "person", "title": "Person Profile", "url": format!("{base}/people/{person}")},
        ],
    })
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Where events go, and the deliveries sent so far.
#[derive(Debug, Default)]
pub struct EventLog {
    config: Mutex<EventConfig>,
    sent: Mutex<Vec<SentEvent>>,
}

impl EventLog {
    pub fn new(config: EventConfig) -> EventLog {
        EventLog {
            config: Mutex::new(config),
            sent: Mutex::default(),
        }
    }

    pub fn configure(&self, config: EventConfig) {
        *self.config.lock().unwrap_or_else(|e| e.into_inner()) = config;
    }

    fn config(&self) -> EventConfig {
        self.config
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn all(&self) -> Vec<SentEvent> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn push(&self, event: SentEvent) {
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event);
    }
}

/// Sends one event from a tokio task (nothing when no URL is set or no runtime runs).
pub fn send(log: std::sync::Arc<EventLog>, body: &Value, unix: i64) {
    let config = log.config();
    let Some(url) = config.url.clone() else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let text = body.to_string().into_bytes();
    let gzip_it = !config.plain;
    let bytes = if gzip_it { gzip(&text) } else { text };
    let headers = delivery_headers(&config.auth, &url, &bytes, gzip_it, unix);
    runtime.spawn(async move {
        let answered = post(&url, &headers, bytes.clone()).await;
        log.push(SentEvent {
            url,
            headers,
            body: bytes,
            answered,
        });
    });
}

/// POSTs `body` with `headers` to `url`; the status, or `None` when unreachable.
pub async fn post(url: &str, headers: &[(String, String)], body: Vec<u8>) -> Option<u16> {
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut request = http::Request::builder().method("POST").uri(url);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let request = request.body(Full::new(bytes::Bytes::from(body))).ok()?;
    let answer = tokio::time::timeout(std::time::Duration::from_secs(30), client.request(request))
        .await
        .ok()?
        .ok()?;
    let status = answer.status().as_u16();
    let _ = answer.into_body().collect().await;
    Some(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_signatures() {
        assert_eq!(icims_date(1_508_338_420), "2017-10-18T14:53:40+0000");
        let auth = EventAuth::Hmac {
            username: "events".into(),
            key: "k3y".into(),
        };
        let headers = delivery_headers(&auth, "http://127.0.0.1:9/v1/events/acme", b"{}", false, 0);
        let authorization = &headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .unwrap()
            .1;
        assert!(authorization.starts_with(
            "x-icims-v1-hmac-sha256 user=events,signedheaders=content-type;host;x-icims-content-sha256;x-icims-date,signature="
        ));
        let signature = authorization.rsplit('=').next().unwrap();
        assert_eq!(signature, sign("k3y", &headers));
        assert_ne!(signature, sign("other", &headers));
        assert_eq!(headers[1], ("host".into(), "127.0.0.1:9".into()));
    }
}
