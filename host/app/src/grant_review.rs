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
use ats_model::{AuthScheme, ConnectorInfo};
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
