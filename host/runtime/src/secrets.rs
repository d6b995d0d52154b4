//! Secrets of a connection (client secret, password, API key).
//!
//! They stay in the host: the plugin never sees them (not through `wasi:config`, not in
//! requests it can read back). The type prints as `[redacted]` everywhere, so a secret cannot
//! slip into a log line, an error or a `Debug` dump by accident; the one way to read it is
//! crate-private and used only where the host authenticates a request.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::{Arc, RwLock};

/// A secret value. `Debug` and `Display` print `[redacted]`.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(SecretString::from(value.into()))
    }

    /// The value, for the host's authentication code only.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// True when the value is empty (counts as missing).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Replaces every secret value of a connection, and every value derived from one, with
/// `[redacted]`.
///
/// Derived values count: the `Basic` header's base64, an API key with its prefix, the
/// urlencoded client secret, and each OAuth access token the host fetches (added when fetched,
/// which is why clones share one list). Used on everything a plugin logs or returns as text,
/// and on every answer before the plugin reads it: a plugin cannot read secrets, but an ATS or
/// a proxy may echo a credential back.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    values: Arc<RwLock<Vec<Secret>>>,
    /// Values that replace one another (access tokens), oldest first, at most [`ROTATING_KEPT`].
    rotating: Arc<RwLock<Vec<Secret>>>,
    /// Both lists, longest first, as one shared snapshot (every log line reads it).
    everything: Arc<RwLock<Arc<[Secret]>>>,
    /// The values long enough to mask in answers, as one shared snapshot: every answer takes
    /// it, so it must cost a pointer copy, not a list copy.
    needles: Arc<RwLock<Arc<[Secret]>>>,
}

/// Access tokens remembered: a connection refreshes its token for as long as it runs, and an
/// expired token is worth little, so the list must not grow without end.
const ROTATING_KEPT: usize = 8;

/// Shorter values are not scrubbed from answers (they would match ordinary data); they are
/// still redacted from texts.
pub(crate) const MIN_SCRUBBED_LEN: usize = 8;

impl Redactor {
    pub(crate) fn new(secrets: impl IntoIterator<Item = Secret>) -> Redactor {
        let redactor = Redactor::default();
        for secret in secrets {
            redactor.add(&secret);
        }
        redactor
    }

    /// Adds a value to redact for the connection's life (no-op when empty or known).
    pub(crate) fn add(&self, secret: &Secret) {
        self.insert(&self.values, secret, usize::MAX);
    }

    /// Adds a value that replaces earlier ones of its kind (an access token): only the last
    /// [`ROTATING_KEPT`] are kept.
    pub(crate) fn add_rotating(&self, secret: &Secret) {
        self.insert(&self.rotating, secret, ROTATING_KEPT);
    }

    fn insert(&self, list: &RwLock<Vec<Secret>>, secret: &Secret, keep: usize) {
        if secret.is_empty() {
            return;
        }
        {
            let Ok(mut values) = list.write() else {
                return;
            };
            if values.iter().any(|v| v.expose() == secret.expose()) {
                return;
            }
            values.push(secret.clone());
            let over = values.len().saturating_sub(keep);
            values.drain(..over);
        }
        // Longest first, so a secret that contains another is replaced whole.
        let mut all: Vec<Secret> = Vec::new();
        for list in [&self.values, &self.rotating] {
            if let Ok(values) = list.read() {
                all.extend(values.iter().cloned());
            }
        }
        all.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        let long: Arc<[Secret]> = all
            .iter()
            .filter(|s| s.expose().len() >= MIN_SCRUBBED_LEN)
            .cloned()
            .collect();
        if let Ok(mut needles) = self.needles.write() {
            *needles = long;
        }
        if let Ok(mut everything) = self.everything.write() {
            *everything = all.into();
        }
    }

    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        let all = match self.everything.read() {
            Ok(all) => all.clone(),
            Err(_) => return "[redacted: the secret list is unavailable]".into(),
        };
        for secret in all.iter() {
            if text.contains(secret.expose()) {
                text = text.replace(secret.expose(), "[redacted]");
            }
        }
        text
    }

    /// `value` with every string inside it redacted (errors and reports a plugin returns).
    pub(crate) fn redact_all<T>(&self, value: T) -> T
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        let Ok(mut tree) = serde_json::to_value(&value) else {
            return value;
        };
        if self.redact_tree(&mut tree) {
            // The tree had the value's own shape, with only string contents changed.
            if let Ok(redacted) = serde_json::from_value(tree) {
                return redacted;
            }
        }
        value
    }

    /// Redacts every string in `tree`; true when one changed.
    fn redact_tree(&self, tree: &mut serde_json::Value) -> bool {
        match tree {
            serde_json::Value::String(text) => {
                let redacted = self.redact(text);
                let changed = redacted != *text;
                *text = redacted;
                changed
            }
            // Every item is visited: a short-circuiting `any` would leave later ones unredacted.
            serde_json::Value::Array(items) => {
                let mut changed = false;
                for item in items {
                    changed |= self.redact_tree(item);
                }
                changed
            }
            serde_json::Value::Object(fields) => {
                let mut changed = false;
                for item in fields.values_mut() {
                    changed |= self.redact_tree(item);
                }
                changed
            }
            _ => false,
        }
    }

    /// The values long enough to scrub from answers, as byte needles, longest first.
    pub(crate) fn needles(&self) -> Arc<[Secret]> {
        self.needles
            .read()
            .map(|n| n.clone())
            .unwrap_or_else(|_| Arc::from(Vec::new()))
    }
}

/// Overwrites every occurrence of each needle in `data` with a mask of the same length
/// (`[redacted]` then `*`), so lengths and framing stay valid. Returns how many were masked.
pub(crate) fn mask_in_place(data: &mut [u8], needles: &[Secret]) -> usize {
    let mut masked = 0;
    for needle in needles {
        let needle = needle.expose().as_bytes();
        let mut from = 0;
        while let Some(at) = memchr::memmem::find(&data[from..], needle) {
            let start = from + at;
            let slot = &mut data[start..start + needle.len()];
            for (i, byte) in slot.iter_mut().enumerate() {
                *byte = *b"[redacted]".get(i).unwrap_or(&b'*');
            }
            masked += 1;
            from = start + needle.len();
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn redactor_replaces_every_secret() {
        let redactor = Redactor::new([Secret::new("abc"), Secret::new("abcdef"), Secret::new("")]);
        assert_eq!(
            redactor.redact("x abcdef y abc z"),
            "x [redacted] y [redacted] z"
        );
        assert_eq!(redactor.redact("nothing here"), "nothing here");
    }

    #[test]
    fn values_added_later_are_redacted_by_every_clone() {
        let redactor = Redactor::new([]);
        let clone = redactor.clone();
        redactor.add(&Secret::new("token-issued-later"));
        assert_eq!(
            clone.redact("Bearer token-issued-later"),
            "Bearer [redacted]"
        );
    }

    #[test]
    fn every_string_of_a_returned_error_is_redacted() {
        let redactor = Redactor::new([Secret::new("k3y-value")]);
        let error = ats_model::ConnectorError::PermissionMissing {
            permission: "people k3y-value".into(),
            message: "echo: x-api-key: k3y-value".into(),
        };
        let redacted = redactor.redact_all(error);
        assert_eq!(
            redacted,
            ats_model::ConnectorError::PermissionMissing {
                permission: "people [redacted]".into(),
                message: "echo: x-api-key: [redacted]".into(),
            }
        );
    }

    #[test]
    fn only_the_last_tokens_are_kept() {
        let redactor = Redactor::new([Secret::new("the-client-secret")]);
        for i in 0..100 {
            redactor.add_rotating(&Secret::new(format!("access-token-{i:03}")));
        }
        assert_eq!(redactor.needles().len(), 1 + ROTATING_KEPT);
        assert_eq!(redactor.redact("access-token-099"), "[redacted]");
        assert_eq!(redactor.redact("the-client-secret"), "[redacted]");
    }

    #[test]
    fn masking_keeps_the_length() {
        let needles = [Secret::new("abcdefghijkl"), Secret::new("12345678")];
        let mut data = b"x abcdefghijkl y 12345678 z abcdefghijkl".to_vec();
        let before = data.len();
        assert_eq!(mask_in_place(&mut data, &needles), 3);
        assert_eq!(data.len(), before);
        assert_eq!(
            String::from_utf8(data).unwrap(),
            "x [redacted]** y [redacte z [redacted]**"
        );
    }
}
