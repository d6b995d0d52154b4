//! What an operator grants a connection, decided before the plugin ever sees a credential.
//!
//! The connection file's `[grant]` is the grant. A file without one can be connected with
//! `--grant-declared`, which grants exactly what the plugin declares (its API hosts over HTTPS
//! and its token URL) after showing it; without either, the host refuses and prints what the
//! plugin asks for, ready to paste into the file. When a connection is connected again with a
//! changed plugin, what changed (version, hosts, token URL, permissions) is shown too.

use crate::connection_file::ConnectionFile;
use crate::host::HostError;
use ats_mirror::PluginDeclared;
use ats_model::{AuthScheme, ConnectorInfo, EventScheme, SignatureEncoding};
use ats_runtime::HostGrant;

/// What `info` declares, as kept with a saved connection.
pub fn declared(info: &ConnectorInfo) -> PluginDeclared {
    PluginDeclared {
        id: info.id.clone(),
        version: info.version.clone(),
        api_hosts: info.api_hosts.clone(),
        token_url: match &info.auth {
            AuthScheme::Oauth2ClientCredentials { token_url, .. } => Some(token_url.clone()),
            _ => None,
        },
        permissions: info.permissions.iter().map(|p| p.id.clone()).collect(),
    }
}

/// The grant for `file`: its `[grant]`, or what the plugin declares when the operator passed
/// `--grant-declared`. Otherwise an error that shows what the plugin asks for.
pub fn grant_for(
    file: &ConnectionFile,
    info: &ConnectorInfo,
    grant_declared: bool,
) -> Result<HostGrant, HostError> {
    if let Some(grant) = &file.grant
        && (!grant.api_hosts.is_empty() || grant.token_url.is_some())
    {
        return Ok(grant.clone());
    }
    let mut asked = HostGrant::declared_by(info);
    if grant_declared {
        if let Some(other) = &file.grant {
            asked.other_hosts = other.other_hosts.clone();
        }
        return Ok(asked);
    }
    Err(HostError::Invalid(format!(
        "connection `{}`: {} has no [grant], so nothing may receive its credentials yet. The plugin asks for: {}. \
         Add this to the file if you trust it, or pass --grant-declared to grant exactly that:\n{}",
        file.name,
        file.path.display(),
        render_grant(&asked).trim_end().replace('\n', "; "),
        grant_toml(&asked)
    )))
}

/// The grant as the operator reads it, one line per destination.
pub fn render_grant(grant: &HostGrant) -> String {
    let mut out = String::new();
    for host in &grant.api_hosts {
        out.push_str(&format!("  credentials may go to {}\n", shown(host)));
    }
    if let Some(url) = &grant.token_url {
        out.push_str(&format!("  the client secret may go to {url}\n"));
    }
    for host in &grant.other_hosts {
        out.push_str(&format!(
            "  reachable without credentials: {}\n",
            shown(host)
        ));
    }
    if out.is_empty() {
        out.push_str("  no destination at all\n");
    }
    out
}

/// How the host verifies the events the plugin's ATS pushes, in one line for the operator:
/// which header, and which settings hold the user name and the key.
pub fn render_event_verification(info: &ConnectorInfo) -> String {
    let Some(v) = &info.event_verification else {
        return "Push events: none accepted (the plugin declares no way to verify them)".into();
    };
    let how = match v.scheme {
        EventScheme::HttpBasic => "HTTP Basic".to_string(),
        EventScheme::SharedToken => "a shared token".to_string(),
        EventScheme::HmacSha256Body | EventScheme::HmacSha256SignedHeaders => format!(
            "HMAC-SHA256 ({}) over {}",
            match v.signature_encoding {
                SignatureEncoding::Hex => "hex",
                SignatureEncoding::Base64 => "base64",
            },
            if v.scheme == EventScheme::HmacSha256Body {
                "the body"
            } else {
                "the signed headers"
            }
        ),
    };
    let mut line = format!("Push events: verified by {how} in header `{}`", v.header);
    if !v.prefix.is_empty() {
        line.push_str(&format!(" after `{}`", v.prefix.trim_end()));
    }
    line.push_str(&format!("; key in secret setting `{}`", v.secret_setting));
    if let Some(user) = &v.username_setting {
        line.push_str(&format!(", user name in `{user}`"));
    }
    if let Some(header) = &v.timestamp_header {
        line.push_str(&format!("; sent time in `{header}`"));
    }
    if let Some(header) = &v.body_digest_header {
        line.push_str(&format!("; body SHA-256 in `{header}`"));
    }
    line
}

/// A host entry with its scheme spelled out (a bare host means HTTPS).
fn shown(host: &str) -> String {
    ats_runtime::outbound_http::allow_list::HostEntry::parse(host)
        .map(|e| e.to_string())
        .unwrap_or_else(|_| host.to_string())
}

/// The grant as a `[grant]` section.
pub fn grant_toml(grant: &HostGrant) -> String {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!("[grant]\napi_hosts = [{}]\n", list(&grant.api_hosts));
    if let Some(url) = &grant.token_url {
        out.push_str(&format!("token_url = {url:?}\n"));
    }
    out
}

/// What changed between the plugin the operator connected and the one found now, or `None`
/// when nothing did (or nothing was kept).
pub fn render_changes(before: &PluginDeclared, now: &PluginDeclared) -> Option<String> {
    if before == &PluginDeclared::default() || before == now {
        return None;
    }
    let mut out = String::from("The plugin changed since this connection was saved:\n");
    if before.id != now.id {
        out.push_str(&format!("  id: {} -> {}\n", before.id, now.id));
    }
    if before.version != now.version {
        out.push_str(&format!(
            "  version: {} -> {}\n",
            before.version, now.version
        ));
    }
    let diff = |what: &str, old: &[String], new: &[String], out: &mut String| {
        for added in new.iter().filter(|n| !old.contains(n)) {
            out.push_str(&format!("  {what} added: {added}\n"));
        }
        for removed in old.iter().filter(|o| !new.contains(o)) {
            out.push_str(&format!("  {what} removed: {removed}\n"));
        }
    };
    diff("API host", &before.api_hosts, &now.api_hosts, &mut out);
    if before.token_url != now.token_url {
        out.push_str(&format!(
            "  token URL: {} -> {}\n",
            before.token_url.as_deref().unwrap_or("none"),
            now.token_url.as_deref().unwrap_or("none")
        ));
    }
    diff(
        "permission",
        &before.permissions,
        &now.permissions,
        &mut out,
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_version_hosts_and_permissions() {
        let before = PluginDeclared {
            id: "icims".into(),
            version: "0.1.0".into(),
            api_hosts: vec!["api.icims.com".into()],
            token_url: Some("https://login.icims.com/oauth/token".into()),
            permissions: vec!["people.read".into()],
        };
        let mut now = before.clone();
        assert_eq!(render_changes(&before, &now), None);
        now.version = "0.2.0".into();
        now.api_hosts.push("collector.example.net".into());
        now.permissions.push("people.write".into());
        let text = render_changes(&before, &now).unwrap();
        assert!(text.contains("version: 0.1.0 -> 0.2.0"), "{text}");
        assert!(
            text.contains("API host added: collector.example.net"),
            "{text}"
        );
        assert!(text.contains("permission added: people.write"), "{text}");
    }

    #[test]
    fn the_event_verification_reads_as_one_line() {
        let mut info = ConnectorInfo::default();
        assert!(render_event_verification(&info).contains("none accepted"));
        info.event_verification = Some(ats_model::EventVerification {
            scheme: EventScheme::HmacSha256SignedHeaders,
            header: "authorization".into(),
            prefix: "x-icims-v1-hmac-sha256 ".into(),
            secret_setting: "event-secret".into(),
            username_setting: Some("event-username".into()),
            timestamp_header: Some("x-icims-date".into()),
            body_digest_header: Some("x-icims-content-sha256".into()),
            signature_encoding: SignatureEncoding::Hex,
        });
        assert_eq!(
            render_event_verification(&info),
            "Push events: verified by HMAC-SHA256 (hex) over the signed headers in header \
             `authorization` after `x-icims-v1-hmac-sha256`; key in secret setting \
             `event-secret`, user name in `event-username`; sent time in `x-icims-date`; \
             body SHA-256 in `x-icims-content-sha256`"
        );
    }

    #[test]
    fn a_grant_reads_with_its_schemes() {
        let grant = HostGrant {
            api_hosts: vec!["api.icims.com".into(), "http://127.0.0.1:5000".into()],
            token_url: Some("https://login.icims.com/oauth/token".into()),
            other_hosts: vec![],
        };
        let text = render_grant(&grant);
        assert!(
            text.contains("credentials may go to https://api.icims.com"),
            "{text}"
        );
        assert!(
            text.contains("credentials may go to http://127.0.0.1:5000"),
            "{text}"
        );
        assert!(text.contains("client secret may go to https://login.icims.com/oauth/token"));
        assert!(grant_toml(&grant).contains("token_url = \"https://login.icims.com/oauth/token\""));
    }
}
