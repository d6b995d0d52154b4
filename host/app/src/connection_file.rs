//! The connection file: one TOML file per connection, safe to commit because it holds no
//! secret values, only where to find them.
//!
//! ```toml
//! name = "acme-sandbox"
//! plugin = "target/wasm32-wasip2/release/icims_connector.wasm"   # relative to this file's folder
//! [grant]               # what the operator allows; the plugin may ask for less, never more
//! api_hosts = ["https://api.icims.com"]               # receive credentials; HTTPS unless `http://`
//! token_url = "https://login.icims.com/oauth/token"   # the one place the client secret goes
//! other_hosts = []                                    # reachable without credentials
//! [limits]              # optional: bounds for this connection (see `ats_runtime::PluginLimits`)
//! call_cpu_seconds = 30
//! [settings]            # non-secret, passed to the plugin via wasi:config
//! customer-id = "1234"
//! [secrets]             # never inline: from the environment or a file
//! client-secret = { env = "ICIMS_CLIENT_SECRET" }
//! # password = { file = "secrets/password.txt" }
//! ```
//!
//! Without `[grant]`, `ats connect --grant-declared` shows what the plugin asks for and saves
//! that as the grant; nothing runs with credentials before an operator granted it.
//!
//! Errors are one line, `file:line:column: what is wrong`, and never repeat a secret's value.

use ats_mirror::SecretRef;
use ats_runtime::{ConnectionSpec, HostGrant, PluginLimits, Secret};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A parsed, validated connection file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionFile {
    /// Where the file was read from.
    pub path: PathBuf,
    pub name: String,
    /// Who owns the connection in the service: only this tenant's API tokens see it.
    pub tenant: String,
    /// The plugin component, resolved against the file's folder.
    pub plugin: PathBuf,
    /// What the operator grants; `None` when the file has no `[grant]`.
    pub grant: Option<HostGrant>,
    /// Bounds overridden for this connection, by name.
    pub limits: BTreeMap<String, u64>,
    pub settings: BTreeMap<String, String>,
    /// Where each secret comes from; file paths resolved against the file's folder.
    pub secrets: BTreeMap<String, SecretRef>,
}

/// What is wrong with a connection file. `Display` is one line.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionFileError {
    #[error("cannot read connection file {}: {detail}", path.display())]
    Read { path: PathBuf, detail: String },
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(
        "connection `{connection}`: secret `{key}` comes from environment variable {variable}, which is not set"
    )]
    SecretEnvMissing {
        connection: String,
        key: String,
        variable: String,
    },
    #[error("connection `{connection}`: secret `{key}` comes from file {}, which cannot be read: {detail}", path.display())]
    SecretFileUnreadable {
        connection: String,
        key: String,
        path: PathBuf,
        detail: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: Spanned<String>,
    /// The owner in the service (`default` when absent).
    tenant: Option<Spanned<String>>,
    plugin: Spanned<String>,
    /// Older files: hosts without credentials (now `[grant] other_hosts`).
    #[serde(default)]
    extra_allowed_hosts: Vec<String>,
    grant: Option<Spanned<RawGrant>>,
    #[serde(default)]
    limits: Option<Spanned<BTreeMap<String, u64>>>,
    #[serde(default)]
    settings: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    secrets: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrant {
    #[serde(default)]
    api_hosts: Vec<String>,
    token_url: Option<String>,
    #[serde(default)]
    other_hosts: Vec<String>,
}

impl ConnectionFile {
    /// Reads and validates a connection file. Does not read secrets (see
    /// [`ConnectionFile::resolve_secrets`]) nor check that the plugin exists.
    pub fn load(path: &Path) -> Result<ConnectionFile, ConnectionFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConnectionFileError::Read {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        ConnectionFile::parse(path, &text)
    }

    /// Validates the text of a connection file read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<ConnectionFile, ConnectionFileError> {
        let at = |span: Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ConnectionFileError::At {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => at(span, e.message().trim().replace('\n', " ")),
            None => ConnectionFileError::Invalid {
                path: path.to_path_buf(),
                message: e.message().trim().replace('\n', " "),
            },
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));

        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(at(raw.name.span(), "`name` is empty".into()));
        }
        if raw.plugin.get_ref().trim().is_empty() {
            return Err(at(raw.plugin.span(), "`plugin` is empty".into()));
        }
        let plugin = folder.join(raw.plugin.get_ref().trim());
        let tenant = match &raw.tenant {
            Some(tenant) => {
                let name = tenant.get_ref().trim().to_string();
                ats_mirror::check_tenant(&name).map_err(|m| at(tenant.span(), m))?;
                name
            }
            None => ats_mirror::DEFAULT_TENANT.to_string(),
        };

        let mut settings = BTreeMap::new();
        for (key, value) in raw.settings {
            let span = value.span();
            let text = match value.into_inner() {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ => {
                    return Err(at(
                        span,
                        format!("setting `{key}` must be a string, number or boolean"),
                    ));
                }
            };
            settings.insert(key, text);
        }

        let mut secrets = BTreeMap::new();
        for (key, value) in raw.secrets {
            let span = value.span();
            let reference = match value.into_inner() {
                toml::Value::Table(table) => {
                    secret_ref(&key, &table, folder).map_err(|m| at(span.clone(), m))?
                }
                // Never echo the value: it is probably the secret itself.
                _ => {
                    return Err(at(
                        span.clone(),
                        format!(
                            "secret `{key}` is written inline; secrets never go in the file: use `{key} = {{ env = \"VARIABLE\" }}` or `{key} = {{ file = \"path\" }}`"
                        ),
                    ));
                }
            };
            if settings.contains_key(&key) {
                return Err(at(span, format!("`{key}` is both a setting and a secret")));
            }
            secrets.insert(key, reference);
        }

        let grant = match raw.grant {
            Some(grant) => {
                let span = grant.span();
                let grant = grant.into_inner();
                let hosts = grant.api_hosts.iter().chain(&grant.other_hosts);
                for host in hosts.chain(&raw.extra_allowed_hosts) {
                    ats_runtime::outbound_http::allow_list::HostEntry::parse(host)
                        .map_err(|m| at(span.clone(), format!("[grant]: {m}")))?;
                }
                if let Some(url) = &grant.token_url
                    && url
                        .parse::<http::Uri>()
                        .ok()
                        .and_then(|u| u.authority().cloned())
                        .is_none()
                {
                    return Err(at(
                        span,
                        format!("[grant]: token_url `{url}` is not a URL with a host"),
                    ));
                }
                Some(HostGrant {
                    api_hosts: grant.api_hosts,
                    token_url: grant.token_url,
                    other_hosts: grant
                        .other_hosts
                        .into_iter()
                        .chain(raw.extra_allowed_hosts.iter().cloned())
                        .collect(),
                })
            }
            None if !raw.extra_allowed_hosts.is_empty() => Some(HostGrant {
                other_hosts: raw.extra_allowed_hosts,
                ..HostGrant::default()
            }),
            None => None,
        };
        let limits = match raw.limits {
            Some(limits) => {
                let span = limits.span();
                let limits = limits.into_inner();
                PluginLimits::default()
                    .with_overrides(&limits)
                    .map_err(|m| at(span, format!("[limits]: {m}")))?;
                limits
            }
            None => BTreeMap::new(),
        };

        Ok(ConnectionFile {
            path: path.to_path_buf(),
            name,
            tenant,
            plugin,
            grant,
            limits,
            settings,
            secrets,
        })
    }

    /// Reads every secret from its environment variable or file (trailing newline removed).
    pub fn resolve_secrets(&self) -> Result<BTreeMap<String, Secret>, ConnectionFileError> {
        resolve_secret_refs(&self.name, &self.secrets)
    }

    /// The runtime's connection spec, secrets read, with `grant` (the file's, or one the
    /// operator confirmed) and the file's limits over `base`.
    pub fn to_spec(
        &self,
        grant: HostGrant,
        base: &PluginLimits,
    ) -> Result<ConnectionSpec, ConnectionFileError> {
        let limits =
            base.with_overrides(&self.limits)
                .map_err(|message| ConnectionFileError::Invalid {
                    path: self.path.clone(),
                    message,
                })?;
        Ok(ConnectionSpec {
            name: self.name.clone(),
            settings: self.settings.clone(),
            secrets: self.resolve_secrets()?,
            grant,
            limits: Some(limits),
        })
    }
}

/// Reads each secret of connection `connection` from where its reference points (trailing
/// newline removed). The values live only in memory; errors name the variable or file.
pub fn resolve_secret_refs(
    connection: &str,
    refs: &BTreeMap<String, SecretRef>,
) -> Result<BTreeMap<String, Secret>, ConnectionFileError> {
    let mut secrets = BTreeMap::new();
    for (key, reference) in refs {
        let value = match reference {
            SecretRef::Env(variable) => {
                std::env::var(variable).map_err(|_| ConnectionFileError::SecretEnvMissing {
                    connection: connection.to_string(),
                    key: key.clone(),
                    variable: variable.clone(),
                })?
            }
            SecretRef::File(file) => std::fs::read_to_string(file)
                .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
                .map_err(|e| ConnectionFileError::SecretFileUnreadable {
                    connection: connection.to_string(),
                    key: key.clone(),
                    path: PathBuf::from(file),
                    detail: e.to_string(),
                })?,
        };
        secrets.insert(key.clone(), Secret::new(value));
    }
    Ok(secrets)
}

fn secret_ref(key: &str, table: &toml::Table, folder: &Path) -> Result<SecretRef, String> {
    let env = table.get("env");
    let file = table.get("file");
    if let Some(unknown) = table.keys().find(|k| *k != "env" && *k != "file") {
        return Err(format!(
            "secret `{key}`: unknown key `{unknown}` (use `env` or `file`)"
        ));
    }
    match (env, file) {
        (Some(toml::Value::String(variable)), None) if !variable.is_empty() => {
            Ok(SecretRef::Env(variable.clone()))
        }
        (None, Some(toml::Value::String(file))) if !file.is_empty() => Ok(SecretRef::File(
            folder.join(file).to_string_lossy().into_owned(),
        )),
        (Some(_), Some(_)) => Err(format!("secret `{key}`: give `env` or `file`, not both")),
        _ => Err(format!(
            "secret `{key}` needs `env = \"VARIABLE\"` or `file = \"path\"` (a non-empty string)"
        )),
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConnectionFile, ConnectionFileError> {
        ConnectionFile::parse(Path::new("conf/acme.toml"), text)
    }

    #[test]
    fn a_full_file() {
        let file = parse(
            r#"
name = "acme-sandbox"
plugin = "plugins/icims.wasm"
[grant]
api_hosts = ["https://api.icims.com", "http://127.0.0.1:5000"]
token_url = "https://login.icims.com/oauth/token"
other_hosts = ["files.example.com"]
[limits]
call_cpu_seconds = 10
[settings]
customer-id = "1234"
page-size = 50
[secrets]
client-secret = { env = "ICIMS_CLIENT_SECRET" }
password = { file = "secrets/password.txt" }
"#,
        )
        .unwrap();
        assert_eq!(file.name, "acme-sandbox");
        assert_eq!(file.plugin, Path::new("conf/plugins/icims.wasm"));
        assert_eq!(file.settings["page-size"], "50");
        let grant = file.grant.as_ref().unwrap();
        assert_eq!(grant.api_hosts.len(), 2);
        assert_eq!(
            grant.token_url.as_deref(),
            Some("https://login.icims.com/oauth/token")
        );
        assert_eq!(grant.other_hosts, vec!["files.example.com".to_string()]);
        assert_eq!(file.limits["call_cpu_seconds"], 10);
        assert_eq!(
            file.secrets["client-secret"],
            SecretRef::Env("ICIMS_CLIENT_SECRET".into())
        );
        assert_eq!(
            file.secrets["password"],
            SecretRef::File("conf/secrets/password.txt".into())
        );
    }

    #[test]
    fn malformed_toml_says_where() {
        let error = parse("name = \"x\"\nplugin = \"p.wasm\"\n[settings\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("conf/acme.toml:3:"), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn inline_secrets_are_refused_without_echo() {
        let error =
            parse("name = \"x\"\nplugin = \"p.wasm\"\n[secrets]\nclient-secret = \"hunter2\"\n")
                .unwrap_err()
                .to_string();
        assert!(error.starts_with("conf/acme.toml:4:"), "{error}");
        assert!(error.contains("env"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn unknown_keys_and_missing_fields() {
        let error = parse("name = \"x\"\nplugn = \"p.wasm\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("plugn"), "{error}");
        let error = parse("name = \"x\"\n").unwrap_err().to_string();
        assert!(error.contains("plugin"), "{error}");
    }

    #[test]
    fn bad_grants_and_limits_say_where() {
        let error = parse(
            "name = \"x\"\nplugin = \"p.wasm\"\n[grant]\napi_hosts = [\"https://a.example.com/path\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("[grant]") && error.contains("a.example.com/path"),
            "{error}"
        );
        let error = parse("name = \"x\"\nplugin = \"p.wasm\"\n[limits]\ncpu = 3\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`cpu`") && error.contains("call_cpu_seconds"),
            "{error}"
        );
        let file = parse("name = \"x\"\nplugin = \"p.wasm\"\n").unwrap();
        assert!(file.grant.is_none(), "no [grant]: nothing granted");
    }

    #[test]
    fn missing_env_var_is_named() {
        let file = parse(
            "name = \"x\"\nplugin = \"p.wasm\"\n[secrets]\nclient-secret = { env = \"ATS_TEST_SURELY_UNSET_VAR\" }\n",
        )
        .unwrap();
        let error = file.resolve_secrets().unwrap_err().to_string();
        assert!(
            error.contains("ATS_TEST_SURELY_UNSET_VAR") && error.contains("client-secret"),
            "{error}"
        );
    }
}
