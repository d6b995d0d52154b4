//! Which destinations a connection's plugin may reach, as the operator granted them.
//!
//! The model is Spin's `allowed_outbound_hosts`: an entry names a scheme, a host and a port,
//! and a request leaves only when all three match one entry. Matching is exact and
//! case-insensitive; there are no wildcards. An entry without a scheme means HTTPS: plain HTTP
//! is allowed only where the operator wrote `http://` (loopback test servers), so credentials
//! never cross the network in clear text by accident.
//!
//! | entry                        | allows                                           |
//! | ---------------------------- | ------------------------------------------------ |
//! | `api.example.com`            | `https://api.example.com/…` on port 443          |
//! | `https://api.example.com`    | the same                                         |
//! | `api.example.com:8443`       | `https://api.example.com:8443/…` only            |
//! | `http://127.0.0.1:5000`      | `http://127.0.0.1:5000/…` (and HTTPS there)      |
//!
//! Anything else (another host, another port, a sub-domain, an IP address for an allowed name,
//! plain HTTP to an HTTPS entry) is refused: the HTTP hook answers `HttpRequestDenied` and
//! logs a warning.

use http::uri::{Authority, Scheme};
use std::collections::BTreeSet;
use std::fmt;

/// One allowed destination: a host, a port (`None`: the scheme's default) and whether plain
/// HTTP is allowed there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostEntry {
    host: String,
    port: Option<u16>,
    plain_http: bool,
}

impl HostEntry {
    /// Parses `host`, `host:port`, `https://host[:port]` or `http://host[:port]`; a trailing
    /// `/` is tolerated. The error says what is wrong with the entry.
    pub fn parse(entry: &str) -> Result<HostEntry, String> {
        let raw = entry.trim();
        let (plain_http, text) = if let Some(rest) = raw.strip_prefix("http://") {
            (true, rest)
        } else {
            (false, raw.strip_prefix("https://").unwrap_or(raw))
        };
        let text = text.trim_end_matches('/');
        if text.contains("://") || text.contains('/') || text.contains('@') {
            return Err(format!(
                "`{raw}` is not a host: write `host`, `host:port`, `https://host[:port]` or `http://host:port`"
            ));
        }
        match text.parse::<Authority>() {
            Ok(authority) if !authority.host().is_empty() => Ok(HostEntry {
                host: normalise_host(authority.host()),
                port: authority.port_u16(),
                plain_http,
            }),
            _ => Err(format!(
                "`{raw}` is not a host: write `host`, `host:port`, `https://host[:port]` or `http://host:port`"
            )),
        }
    }

    /// Whether a request to `authority` over `scheme` matches this entry.
    fn matches(&self, scheme: Option<&Scheme>, authority: &Authority) -> bool {
        let plain = scheme.map(Scheme::as_str) == Some("http");
        if plain && !self.plain_http {
            return false;
        }
        let default_port = if plain { 80 } else { 443 };
        let port = authority.port_u16().unwrap_or(default_port);
        let entry_port = self.port.unwrap_or(if self.plain_http { 80 } else { 443 });
        normalise_host(authority.host()) == self.host && port == entry_port
    }

    /// Whether this entry grants at least what `asked` asks for: the same host and port, and
    /// plain HTTP only where the grant allows it.
    pub fn covers(&self, asked: &HostEntry) -> bool {
        let port = |e: &HostEntry| e.port.unwrap_or(if e.plain_http { 80 } else { 443 });
        self.host == asked.host
            && (port(self) == port(asked) || (asked.port.is_none() && !asked.plain_http))
            && (self.plain_http || !asked.plain_http)
    }

    /// The host and port, as a plugin would declare them.
    pub fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }
}

impl fmt::Display for HostEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.plain_http { "http" } else { "https" };
        write!(f, "{scheme}://{}", self.authority())
    }
}

/// A set of allowed destinations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    entries: BTreeSet<HostEntry>,
}

impl AllowList {
    /// Builds the list from entries (see [`HostEntry::parse`]); entries that are not a host
    /// are skipped with a warning. Use [`AllowList::from_entries`] to refuse them instead.
    pub fn new<I, S>(entries: I) -> AllowList
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list = AllowList::default();
        for entry in entries {
            match HostEntry::parse(entry.as_ref()) {
                Ok(entry) => {
                    list.entries.insert(entry);
                }
                Err(e) => tracing::warn!("ignoring allowed host: {e}"),
            }
        }
        list
    }

    /// A list of already parsed entries.
    pub fn from_entries(entries: impl IntoIterator<Item = HostEntry>) -> AllowList {
        AllowList {
            entries: entries.into_iter().collect(),
        }
    }

    /// Whether a request to `authority` over `scheme` may leave.
    pub fn allows(&self, scheme: Option<&Scheme>, authority: &Authority) -> bool {
        self.entries.iter().any(|e| e.matches(scheme, authority))
    }

    /// The entry of this list that grants `asked`, if any.
    pub fn covering(&self, asked: &HostEntry) -> Option<&HostEntry> {
        self.entries.iter().find(|e| e.covers(asked))
    }

    /// True when nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, sorted.
    pub fn entries(&self) -> impl Iterator<Item = &HostEntry> {
        self.entries.iter()
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
    fn a_bare_host_means_https_on_the_default_port() {
        let list = AllowList::new(["API.example.com"]);
        assert!(allows(&list, "https://api.example.com/v1"));
        assert!(allows(&list, "https://api.EXAMPLE.com:443/v1"));
        assert!(!allows(&list, "http://api.example.com/v1"));
        assert!(!allows(&list, "http://api.example.com:443/v1"));
        assert!(!allows(&list, "https://api.example.com:8443/v1"));
        assert!(!allows(&list, "https://evil.api.example.com/"));
        assert!(!allows(&list, "https://api.example.com.evil.net/"));
        assert!(!allows(&list, "https://example.com/"));
    }

    #[test]
    fn plain_http_only_where_the_entry_says_http() {
        let list = AllowList::new(["http://127.0.0.1:5000", "127.0.0.1:6000"]);
        assert!(allows(&list, "http://127.0.0.1:5000/x"));
        assert!(allows(&list, "https://127.0.0.1:5000/x"));
        assert!(!allows(&list, "http://127.0.0.1:5001/x"));
        assert!(!allows(&list, "http://127.0.0.1/x"));
        assert!(!allows(&list, "http://localhost:5000/x"));
        assert!(!allows(&list, "http://127.0.0.1:6000/x"));
        assert!(allows(&list, "https://127.0.0.1:6000/x"));
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
            "https://d.example.com/path",
        ]);
        assert!(allows(&list, "https://a.example.com/"));
        assert!(allows(&list, "https://b.example.com/"));
        assert!(!allows(&list, "https://c.example.com/"));
        assert!(!allows(&list, "https://d.example.com/"));
        assert!(!AllowList::new(Vec::<String>::new()).allows(None, &"x.com".parse().unwrap()));
        assert!(HostEntry::parse("user@c.example.com").is_err());
    }

    #[test]
    fn ipv6_literals() {
        let list = AllowList::new(["http://[::1]:8080"]);
        assert!(allows(&list, "http://[::1]:8080/"));
        assert!(!allows(&list, "http://[::2]:8080/"));
    }

    #[test]
    fn a_grant_covers_what_a_plugin_declares_and_never_more() {
        let grant = |s: &str| HostEntry::parse(s).unwrap();
        // A plugin declares `host` or `host:port`; the operator's entry decides the scheme.
        assert!(grant("http://127.0.0.1:5000").covers(&grant("127.0.0.1:5000")));
        assert!(grant("https://api.icims.com").covers(&grant("api.icims.com")));
        assert!(grant("api.icims.com:443").covers(&grant("api.icims.com")));
        assert!(!grant("api.icims.com").covers(&grant("evil.example.net")));
        assert!(!grant("api.icims.com").covers(&grant("http://api.icims.com")));
        assert!(!grant("127.0.0.1:5000").covers(&grant("127.0.0.1:5001")));
    }
}
