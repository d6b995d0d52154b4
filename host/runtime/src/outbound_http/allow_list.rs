//! Which destinations a connection's plugin may reach.
//!
//! The allowed authorities are the plugin's declared `api-hosts` plus the connection's
//! `extra_allowed_hosts`. Matching is exact and case-insensitive; there are no wildcards.
//!
//! | entry               | allows                                                 |
//! | ------------------- | ------------------------------------------------------ |
//! | `api.example.com`   | `https://api.example.com/…`, `http://api.example.com/…` on the scheme's default port (443 / 80) |
//! | `api.example.com:8443` | that host on port 8443 only                         |
//! | `127.0.0.1:5000`    | a local test server on port 5000                       |
//!
//! Anything else (another host, another port, a sub-domain, an IP address for an allowed name)
//! is refused: the HTTP hook answers `HttpRequestDenied` and logs a warning.

use http::uri::{Authority, Scheme};
use std::collections::BTreeSet;

/// A normalised set of allowed `(host, port)` pairs; `None` as port means "the default port of
/// the request's scheme".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    entries: BTreeSet<(String, Option<u16>)>,
}

impl AllowList {
    /// Builds the list from `host` / `host:port` entries. A leading `http://` or `https://`
    /// and a trailing `/` are tolerated; entries that are not an authority are skipped with a
    /// warning.
    pub fn new<I, S>(entries: I) -> AllowList
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list = AllowList::default();
        for entry in entries {
            let raw = entry.as_ref().trim();
            let text = raw
                .strip_prefix("https://")
                .or_else(|| raw.strip_prefix("http://"))
                .unwrap_or(raw)
                .trim_end_matches('/');
            match text.parse::<Authority>() {
                Ok(authority) if !authority.host().is_empty() && !text.contains('@') => {
                    list.entries
                        .insert((normalise_host(authority.host()), authority.port_u16()));
                }
                _ => tracing::warn!("ignoring allowed host `{raw}`: not a host or host:port"),
            }
        }
        list
    }

    /// Whether a request to `authority` over `scheme` may leave.
    pub fn allows(&self, scheme: Option<&Scheme>, authority: &Authority) -> bool {
        let host = normalise_host(authority.host());
        let default_port = match scheme.map(Scheme::as_str) {
            Some("http") => 80,
            _ => 443,
        };
        let port = authority.port_u16().unwrap_or(default_port);
        self.entries.contains(&(host.clone(), Some(port)))
            || (port == default_port && self.entries.contains(&(host, None)))
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn normalise_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(list: &AllowList, url: &str) -> bool {
        let uri: http::Uri = url.parse().unwrap();
        list.allows(uri.scheme(), uri.authority().unwrap())
    }

    #[test]
    fn exact_host_on_default_port() {
        let list = AllowList::new(["API.example.com"]);
        assert!(allows(&list, "https://api.example.com/v1"));
        assert!(allows(&list, "https://api.EXAMPLE.com:443/v1"));
        assert!(allows(&list, "http://api.example.com/v1"));
        assert!(!allows(&list, "https://api.example.com:8443/v1"));
        assert!(!allows(&list, "https://evil.api.example.com/"));
        assert!(!allows(&list, "https://api.example.com.evil.net/"));
        assert!(!allows(&list, "https://example.com/"));
    }

    #[test]
    fn host_with_port_matches_that_port_only() {
        let list = AllowList::new(["127.0.0.1:5000"]);
        assert!(allows(&list, "http://127.0.0.1:5000/x"));
        assert!(!allows(&list, "http://127.0.0.1:5001/x"));
        assert!(!allows(&list, "http://127.0.0.1/x"));
        assert!(!allows(&list, "http://localhost:5000/x"));
    }

    #[test]
    fn explicit_default_port_entry_matches_bare_request() {
        let list = AllowList::new(["login.example.com:443"]);
        assert!(allows(&list, "https://login.example.com:443/token"));
        assert!(allows(&list, "https://login.example.com/token"));
        assert!(!allows(&list, "http://login.example.com/token"));
    }

    #[test]
    fn tolerant_parsing_and_garbage() {
        let list = AllowList::new([
            "https://a.example.com/",
            " b.example.com ",
            "not a host",
            "user@c.example.com",
        ]);
        assert!(allows(&list, "https://a.example.com/"));
        assert!(allows(&list, "https://b.example.com/"));
        assert!(!allows(&list, "https://c.example.com/"));
        assert!(!AllowList::new(Vec::<String>::new()).allows(None, &"x.com".parse().unwrap()));
    }

    #[test]
    fn ipv6_literals() {
        let list = AllowList::new(["[::1]:8080"]);
        assert!(allows(&list, "http://[::1]:8080/"));
        assert!(!allows(&list, "http://[::2]:8080/"));
    }
}
