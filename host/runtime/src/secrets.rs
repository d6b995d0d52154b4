//! Secrets of a connection (client secret, password, API key).
//!
//! They stay in the host: the plugin never sees them (not through `wasi:config`, not in
//! requests it can read back). The type prints as `[redacted]` everywhere, so a secret cannot
//! slip into a log line, an error or a `Debug` dump by accident; the one way to read it is
//! crate-private and used only where the host authenticates a request.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

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

/// Replaces every known secret value in a text with `[redacted]`.
///
/// Used on everything a plugin logs: a plugin cannot read secrets, but an ATS may echo a token
/// or a credential back in a response body that the plugin then logs.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    values: Vec<Secret>,
}

impl Redactor {
    pub(crate) fn new(secrets: impl IntoIterator<Item = Secret>) -> Redactor {
        let mut values: Vec<Secret> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        // Longest first, so a secret that contains another is replaced whole.
        values.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        Redactor { values }
    }

    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in &self.values {
            if text.contains(secret.expose()) {
                text = text.replace(secret.expose(), "[redacted]");
            }
        }
        text
    }
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
}
