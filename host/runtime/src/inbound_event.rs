//! Events an ATS pushes to the host (webhooks): checked here, against the connector's
//! `event-verification` and the secret the host holds, before anything of them reaches the
//! connector. The connector never sees the secret; a delivery that fails here causes no request.
//!
//! Comparisons of credentials and signatures take constant time (`subtle`, `hmac`'s
//! `verify_slice`), so a forger learns nothing from how fast a refusal comes.

use crate::secrets::Secret;
use ats_model::{EventScheme, EventVerification, SignatureEncoding, Timestamp};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::io::Read;
use subtle::ConstantTimeEq;

/// Why a delivery was refused (for the log; the ATS only hears 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventRefused {
    #[error("no `{0}` header")]
    Missing(String),
    #[error("the `{header}` header does not start with `{prefix}`")]
    WrongScheme { header: String, prefix: String },
    #[error("the credential does not match")]
    BadCredential,
    #[error("the signature does not match")]
    BadSignature,
    #[error("the signature does not cover `{0}`")]
    NotSigned(String),
    #[error("the body does not match its `{0}` digest")]
    DigestMismatch(String),
    #[error("`{header}` is not a time: {value}")]
    BadTime { header: String, value: String },
    #[error("sent {age} s ago, outside the {window} s replay window")]
    Stale { age: i64, window: i64 },
    #[error("the connection holds no `{0}` secret to check events with")]
    NoSecret(String),
}

/// What the host knows to check a delivery: the secret, and the user name when the scheme has
/// one.
pub struct EventCredentials<'a> {
    pub secret: &'a Secret,
    pub username: Option<&'a str>,
}

/// A delivery as received: header names lowercase, the body before any decoding.
pub struct Delivery<'a> {
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Delivery<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, EventRefused> {
        self.header(name)
            .ok_or_else(|| EventRefused::Missing(name.to_string()))
    }
}

/// A delivery that passed: `identity` is the same for a replay of the same signed request, and
/// for the same event delivered twice with the same body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedEvent {
    /// The signature (or credential) with the time and body digest: a replay repeats it.
    pub replay_key: String,
    /// The body's SHA-256: a duplicate delivery of one event repeats it.
    pub body_digest: String,
}

/// Checks `delivery` as `verification` says, at `now`, refusing a timestamp further than
/// `window` seconds from it.
pub fn verify_event(
    verification: &EventVerification,
    credentials: &EventCredentials<'_>,
    delivery: &Delivery<'_>,
    now: Timestamp,
    window: i64,
) -> Result<VerifiedEvent, EventRefused> {
    if credentials.secret.is_empty() {
        return Err(EventRefused::NoSecret(verification.secret_setting.clone()));
    }
    let secret = credentials.secret.expose().as_bytes();
    let value = delivery.required(&verification.header)?;
    let credential =
        strip_prefix(value, &verification.prefix).ok_or_else(|| EventRefused::WrongScheme {
            header: verification.header.clone(),
            prefix: verification.prefix.clone(),
        })?;
    if let Some(header) = &verification.timestamp_header {
        let sent = delivery.required(header)?;
        let at = parse_time(sent).ok_or_else(|| EventRefused::BadTime {
            header: header.clone(),
            value: sent.chars().take(40).collect(),
        })?;
        let age = now.saturating_sub(at);
        if age.abs() > window {
            return Err(EventRefused::Stale { age, window });
        }
    }
    let body_digest = hex::encode(Sha256::digest(delivery.body));
    if let Some(header) = &verification.body_digest_header {
        let claimed = delivery.required(header)?;
        if !claimed.trim().eq_ignore_ascii_case(&body_digest) {
            return Err(EventRefused::DigestMismatch(header.clone()));
        }
    }
    match verification.scheme {
        EventScheme::HttpBasic => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credential.trim())
                .map_err(|_| EventRefused::BadCredential)?;
            let text = String::from_utf8(decoded).map_err(|_| EventRefused::BadCredential)?;
            let (user, password) = text.split_once(':').ok_or(EventRefused::BadCredential)?;
            let user_ok = credentials
                .username
                .is_none_or(|u| bool::from(u.as_bytes().ct_eq(user.as_bytes())));
            let password_ok = bool::from(password.as_bytes().ct_eq(secret));
            if !(user_ok & password_ok) {
                return Err(EventRefused::BadCredential);
            }
        }
        EventScheme::SharedToken => {
            if !bool::from(credential.trim().as_bytes().ct_eq(secret)) {
                return Err(EventRefused::BadCredential);
            }
        }
        EventScheme::HmacSha256Body => {
            let signature = decode_signature(credential.trim(), verification.signature_encoding)?;
            check_mac(secret, delivery.body, &signature)?;
        }
        EventScheme::HmacSha256SignedHeaders => {
            let parts = SignedHeaders::parse(credential)?;
            if let Some(expected) = credentials.username
                && !bool::from(expected.as_bytes().ct_eq(parts.user.as_bytes()))
            {
                return Err(EventRefused::BadCredential);
            }
            for needed in [
                &verification.timestamp_header,
                &verification.body_digest_header,
            ]
            .into_iter()
            .flatten()
            {
                if !parts.headers.iter().any(|h| h.eq_ignore_ascii_case(needed)) {
                    return Err(EventRefused::NotSigned(needed.clone()));
                }
            }
            let mut lines = Vec::with_capacity(parts.headers.len());
            for name in &parts.headers {
                let value = delivery.required(name)?;
                lines.push(format!("{}:{}", name.to_ascii_lowercase(), value.trim()));
            }
            let signature = decode_signature(parts.signature, verification.signature_encoding)?;
            check_mac(secret, lines.join("\n").as_bytes(), &signature)?;
        }
    }
    let replay_key = hex::encode(Sha256::digest(
        format!(
            "{value}\n{}\n{body_digest}",
            verification
                .timestamp_header
                .as_deref()
                .and_then(|h| delivery.header(h))
                .unwrap_or_default()
        )
        .as_bytes(),
    ));
    Ok(VerifiedEvent {
        replay_key,
        body_digest,
    })
}

fn strip_prefix<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let value = value.trim_start();
    if value.len() < prefix.len() || !value.is_char_boundary(prefix.len()) {
        return None;
    }
    let (head, rest) = value.split_at(prefix.len());
    head.eq_ignore_ascii_case(prefix).then_some(rest)
}

fn decode_signature(text: &str, encoding: SignatureEncoding) -> Result<Vec<u8>, EventRefused> {
    match encoding {
        SignatureEncoding::Hex => hex::decode(text).map_err(|_| EventRefused::BadSignature),
        SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| EventRefused::BadSignature),
    }
}

fn check_mac(key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), EventRefused> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| EventRefused::BadSignature)?;
    mac.update(message);
    mac.verify_slice(signature)
        .map_err(|_| EventRefused::BadSignature)
}

/// `user=<u>,signedheaders=<a;b;c>,signature=<s>` (iCIMS's layout).
struct SignedHeaders<'a> {
    user: &'a str,
    headers: Vec<&'a str>,
    signature: &'a str,
}

impl<'a> SignedHeaders<'a> {
    fn parse(text: &'a str) -> Result<Self, EventRefused> {
        let (mut user, mut headers, mut signature) = (None, None, None);
        for part in text.split(',') {
            let (key, value) = part
                .trim()
                .split_once('=')
                .ok_or(EventRefused::BadSignature)?;
            match key.trim().to_ascii_lowercase().as_str() {
                "user" => user = Some(value.trim()),
                "signedheaders" => {
                    headers = Some(
                        value
                            .split(';')
                            .map(str::trim)
                            .filter(|h| !h.is_empty())
                            .collect(),
                    )
                }
                "signature" => signature = Some(value.trim()),
                _ => {}
            }
        }
        match (user, headers, signature) {
            (Some(user), Some(headers), Some(signature)) => Ok(SignedHeaders {
                user,
                headers,
                signature,
            }),
            _ => Err(EventRefused::BadSignature),
        }
    }
}

/// A sent-at header: iCIMS's `2017-10-18T14:53:40+0000`, RFC 3339, or an HTTP date.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    use time::OffsetDateTime;
    use time::format_description::well_known::{Rfc2822, Rfc3339};
    let text = text.trim();
    let icims = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
    );
    OffsetDateTime::parse(text, icims)
        .or_else(|_| OffsetDateTime::parse(text, &Rfc3339))
        .or_else(|_| OffsetDateTime::parse(text, &Rfc2822))
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Why an event body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventBodyError {
    #[error("the body is not valid gzip: {0}")]
    BadGzip(String),
    #[error("the decompressed body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the body is not UTF-8 text")]
    NotText,
    #[error("unsupported content-encoding `{0}`: send gzip or none")]
    Encoding(String),
}

/// The body as text: gunzipped when `content-encoding` says gzip, at most `limit` bytes
/// once decompressed (a small gzip can unpack to gigabytes).
pub fn event_body_text(
    headers: &[(String, String)],
    raw: &[u8],
    limit: usize,
) -> Result<String, EventBodyError> {
    let encoding = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    let bytes = match encoding.as_deref() {
        None | Some("") | Some("identity") => {
            if raw.len() > limit {
                return Err(EventBodyError::TooLarge(limit));
            }
            raw.to_vec()
        }
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw)
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| EventBodyError::BadGzip(e.to_string()))?;
            if out.len() > limit {
                return Err(EventBodyError::TooLarge(limit));
            }
            out
        }
        Some(other) => return Err(EventBodyError::Encoding(other.chars().take(20).collect())),
    };
    String::from_utf8(bytes).map_err(|_| EventBodyError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn icims(scheme: EventScheme) -> EventVerification {
        let hmac = scheme == EventScheme::HmacSha256SignedHeaders;
        EventVerification {
            scheme,
            header: "authorization".into(),
            prefix: match scheme {
                EventScheme::HttpBasic => "Basic ",
                EventScheme::SharedToken => "Bearer ",
                _ => "x-icims-v1-hmac-sha256 ",
            }
            .into(),
            secret_setting: "event-secret".into(),
            username_setting: Some("event-username".into()),
            timestamp_header: hmac.then(|| "x-icims-date".into()),
            body_digest_header: hmac.then(|| "x-icims-content-sha256".into()),
            signature_encoding: SignatureEncoding::Hex,
        }
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    const NOW: i64 = 1_508_338_420; // 2017-10-18T14:53:40+0000

    /// A delivery of `headers` and `body`, checked at [`NOW`] with a 5-minute window.
    fn check(
        v: &EventVerification,
        creds: &EventCredentials<'_>,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<VerifiedEvent, EventRefused> {
        verify_event(v, creds, &Delivery { headers, body }, NOW, 300)
    }

    fn signed(key: &str, body: &[u8], date: &str) -> Vec<(String, String)> {
        let digest = hex::encode(Sha256::digest(body));
        let text = format!(
            "content-type:application/json\nhost:example.com\nx-icims-content-sha256:{digest}\nx-icims-date:{date}"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(text.as_bytes());
        let signature = hex::encode(mac.finalize().into_bytes());
        h(&[
            ("content-type", "application/json"),
            ("host", "example.com"),
            ("x-icims-content-sha256", &digest),
            ("x-icims-date", date),
            (
                "authorization",
                &format!(
                    "x-icims-v1-hmac-sha256 user=events,signedheaders=content-type;host;x-icims-content-sha256;x-icims-date,signature={signature}"
                ),
            ),
        ])
    }

    #[test]
    fn hmac_signed_headers_pass_and_every_forgery_fails() {
        let v = icims(EventScheme::HmacSha256SignedHeaders);
        let secret = Secret::new("k3y");
        let creds = EventCredentials {
            secret: &secret,
            username: Some("events"),
        };
        let body = br#"{"eventType":"WorkFlowStatusChangeEvent"}"#;
        let headers = signed("k3y", body, "2017-10-18T14:53:40+0000");
        let ok = check(&v, &creds, &headers, body).unwrap();
        assert_eq!(ok.body_digest, hex::encode(Sha256::digest(body)));
        // Another key, another body, an old or a future date, no signature.
        let forged = signed("guess", body, "2017-10-18T14:53:40+0000");
        assert_eq!(
            check(&v, &creds, &forged, body),
            Err(EventRefused::BadSignature)
        );
        let other_body = br#"{"eventType":"x"}"#;
        assert_eq!(
            check(&v, &creds, &headers, other_body),
            Err(EventRefused::DigestMismatch(
                "x-icims-content-sha256".into()
            ))
        );
        let stale = signed("k3y", body, "2017-10-18T14:40:00+0000");
        assert!(matches!(
            check(&v, &creds, &stale, body),
            Err(EventRefused::Stale { .. })
        ));
        let unsigned: Vec<_> = headers
            .iter()
            .filter(|(n, _)| n != "authorization")
            .cloned()
            .collect();
        assert_eq!(
            check(&v, &creds, &unsigned, body),
            Err(EventRefused::Missing("authorization".into()))
        );
        // A signature that leaves the date out does not count.
        let mut partial = headers.clone();
        partial[4].1 = partial[4].1.replace(";x-icims-date", "");
        assert_eq!(
            check(&v, &creds, &partial, body),
            Err(EventRefused::NotSigned("x-icims-date".into()))
        );
    }

    #[test]
    fn basic_and_bearer() {
        let secret = Secret::new("pa55");
        let creds = EventCredentials {
            secret: &secret,
            username: Some("events"),
        };
        let basic = icims(EventScheme::HttpBasic);
        let good = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("events:pa55")
        );
        let bad = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("events:guess")
        );
        let body = b"{}";
        assert!(check(&basic, &creds, &h(&[("authorization", &good)]), body).is_ok());
        assert_eq!(
            check(&basic, &creds, &h(&[("authorization", &bad)]), body),
            Err(EventRefused::BadCredential)
        );
        assert!(matches!(
            check(
                &basic,
                &creds,
                &h(&[("authorization", "Bearer pa55")]),
                body
            ),
            Err(EventRefused::WrongScheme { .. })
        ));
        let bearer = icims(EventScheme::SharedToken);
        let creds = EventCredentials {
            secret: &secret,
            username: None,
        };
        assert!(
            check(
                &bearer,
                &creds,
                &h(&[("authorization", "bearer pa55")]),
                body
            )
            .is_ok()
        );
        assert_eq!(
            check(
                &bearer,
                &creds,
                &h(&[("authorization", "Bearer pa5")]),
                body
            ),
            Err(EventRefused::BadCredential)
        );
        let empty = Secret::new("");
        let creds = EventCredentials {
            secret: &empty,
            username: None,
        };
        assert!(matches!(
            check(&bearer, &creds, &h(&[("authorization", "Bearer ")]), body),
            Err(EventRefused::NoSecret(_))
        ));
    }

    #[test]
    fn bodies_are_gunzipped_within_a_bound() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&vec![b'a'; 10_000]).unwrap();
        let packed = gz.finish().unwrap();
        let headers = h(&[("content-encoding", "gzip")]);
        assert_eq!(
            event_body_text(&headers, &packed, 10_000).unwrap().len(),
            10_000
        );
        assert_eq!(
            event_body_text(&headers, &packed, 9_999),
            Err(EventBodyError::TooLarge(9_999))
        );
        assert!(matches!(
            event_body_text(&headers, b"not gzip", 100),
            Err(EventBodyError::BadGzip(_))
        ));
        assert_eq!(event_body_text(&[], b"{}", 100).unwrap(), "{}");
        assert_eq!(
            event_body_text(&[], &[0xff, 0xfe], 100),
            Err(EventBodyError::NotText)
        );
        assert!(matches!(
            event_body_text(&h(&[("content-encoding", "br")]), b"x", 100),
            Err(EventBodyError::Encoding(_))
        ));
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("2017-10-18T14:53:40+0000"), Some(NOW));
        assert_eq!(parse_time("2017-10-18T14:53:40Z"), Some(NOW));
        assert_eq!(parse_time("Wed, 18 Oct 2017 14:53:40 +0000"), Some(NOW));
        assert_eq!(parse_time("yesterday"), None);
    }
}
