//! Connections a tenant makes itself (the service's `POST /v1/connections`), from templates the
//! operator wrote, and their removal.
//!
//! The trust boundary stays where `ats connect` puts it: the operator decides which plugin runs
//! and where it may send credentials. A template is a connection file (same format, same
//! checks) in the folder given to `ats serve --templates`; it must have a `[grant]`. The tenant
//! picks a template and supplies only what the plugin declares as its settings and secrets,
//! never one the template fixes. Secret values the tenant sends are written to files only the
//! host's user can read (`<data>/secrets/<connection>/<key>`) and saved as references, like any
//! other secret; deleting the connection deletes them.

use crate::connection_file::{ConnectionFile, ConnectionFileError};
use crate::host::{Host, HostError};
use ats_mirror::{ConnectionRow, SecretRef};
use ats_model::ConnectionReport;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest secret value a tenant may send, bytes.
pub const MAX_SECRET_BYTES: usize = 16 << 10;

/// The operator's templates, by name.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    by_name: BTreeMap<String, ConnectionFile>,
}

/// Why a template folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the templates folder {}: {detail}", path.display())]
    Folder { path: PathBuf, detail: String },
    #[error(transparent)]
    File(#[from] ConnectionFileError),
    #[error("{}: a template needs a [grant]: the operator decides where credentials may go", path.display())]
    NoGrant { path: PathBuf },
    #[error("{} and {} both name the template `{name}`", first.display(), second.display())]
    Twice {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
}

impl Templates {
    /// Every `*.toml` in `dir`, each a connection file with a `[grant]`.
    pub fn load(dir: &Path) -> Result<Templates, TemplateError> {
        let folder_error = |e: std::io::Error| TemplateError::Folder {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(folder_error)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut by_name: BTreeMap<String, ConnectionFile> = BTreeMap::new();
        for path in paths {
            let file = ConnectionFile::load(&path)?;
            if file.grant.is_none() {
                return Err(TemplateError::NoGrant { path });
            }
            if let Some(first) = by_name.get(&file.name) {
                return Err(TemplateError::Twice {
                    name: file.name.clone(),
                    first: first.path.clone(),
                    second: path,
                });
            }
            by_name.insert(file.name.clone(), file);
        }
        Ok(Templates { by_name })
    }

    pub fn get(&self, name: &str) -> Option<&ConnectionFile> {
        self.by_name.get(name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.by_name.keys().map(String::as_str).collect()
    }
}

/// What a tenant asks for.
#[derive(Debug, Clone, Default)]
pub struct NewConnection {
    pub name: String,
    pub template: String,
    pub settings: BTreeMap<String, String>,
    /// Values, held in memory (never printed) until written to the secret files.
    pub secrets: BTreeMap<String, SecretString>,
    /// Save even when the check finds permissions missing.
    pub allow_missing: bool,
}

/// Why a connection was not made.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("a connection named `{0}` exists already: choose another name")]
    NameTaken(String),
    /// The check ran and found permissions missing; nothing was saved.
    #[error("the ATS account lacks {missing} permission(s) the connector needs; nothing was saved")]
    Missing {
        missing: usize,
        report: Box<ConnectionReport>,
    },
    #[error(transparent)]
    Host(#[from] HostError),
}

impl From<ats_mirror::MirrorError> for CreateError {
    fn from(e: ats_mirror::MirrorError) -> Self {
        CreateError::Host(e.into())
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> CreateError {
    CreateError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Where a connection's tenant-given secrets are kept.
pub fn secrets_dir(host: &Host, connection: &str) -> PathBuf {
    host.paths().data_dir.join("secrets").join(connection)
}

/// Makes `ask` for `tenant`: checks the names and keys, writes the secrets, checks the
/// connection against the ATS and saves it (unless permissions are missing and not allowed).
/// The caller keeps two creates of one name from running at once.
pub async fn create_connection(
    host: &Host,
    templates: &Templates,
    tenant: &str,
    ask: NewConnection,
) -> Result<(ConnectionRow, ConnectionReport), CreateError> {
    ats_mirror::check_connection_name(&ask.name).map_err(|m| invalid("name", m))?;
    let template = templates.get(&ask.template).ok_or_else(|| {
        invalid(
            "template",
            format!(
                "no template `{}`; the operator offers: {}",
                ask.template,
                templates.names().join(", ")
            ),
        )
    })?;
    if host.mirror.connection(&ask.name).await?.is_some() {
        return Err(CreateError::NameTaken(ask.name));
    }
    let plugin = crate::connect::load_plugin(&host.runtime, &template.plugin)
        .await
        .map_err(|e| HostError::Invalid(format!("template `{}`: {e:#}", ask.template)))?;
    let info = plugin
        .describe(&template.settings)
        .await
        .map_err(|e| HostError::Invalid(format!("template `{}`: {e}", ask.template)))?;
    check_keys(template, &info.settings, &ask)?;

    let dir = secrets_dir(host, &ask.name);
    let mut file = template.clone();
    file.name = ask.name.clone();
    file.tenant = tenant.to_string();
    file.settings.extend(ask.settings.clone());
    for (key, value) in &ask.secrets {
        let path = write_secret(&dir, key, value.expose_secret())?;
        file.secrets
            .insert(key.clone(), SecretRef::File(path.display().to_string()));
    }
    let outcome = check_and_save(host, &file, &plugin, ask.allow_missing).await;
    if outcome.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    outcome
}

async fn check_and_save(
    host: &Host,
    file: &ConnectionFile,
    plugin: &ats_runtime::Plugin,
    allow_missing: bool,
) -> Result<(ConnectionRow, ConnectionReport), CreateError> {
    let info = plugin
        .describe(&file.settings)
        .await
        .map_err(|e| HostError::Invalid(format!("connection `{}`: {e}", file.name)))?;
    let grant = file.grant.clone().unwrap_or_default();
    let row = host.row_for(file, plugin, &info, &grant, None);
    let live = host.live_from_row(row.clone()).await?;
    let report = ats_sync::lane_context::with_lane(
        ats_sync::Lane::Interactive,
        live.connection.check_connection(),
    )
    .await;
    live.meter.flush();
    let report = report.map_err(HostError::from)?;
    let missing = report.missing().count();
    if missing > 0 && !allow_missing {
        return Err(CreateError::Missing {
            missing,
            report: Box::new(report),
        });
    }
    host.mirror.upsert_connection(&row).await?;
    Ok((row, report))
}

/// Settings and secrets must be ones the plugin declares, of the right kind, not fixed by the
/// template; every required one must be given by one of the two.
fn check_keys(
    template: &ConnectionFile,
    declared: &[ats_model::SettingSpec],
    ask: &NewConnection,
) -> Result<(), CreateError> {
    let spec = |key: &str| declared.iter().find(|s| s.key == key);
    let names = |secret: bool| -> String {
        let keys: Vec<&str> = declared
            .iter()
            .filter(|s| s.secret == secret)
            .filter(|s| !template.settings.contains_key(&s.key))
            .filter(|s| !template.secrets.contains_key(&s.key))
            .map(|s| s.key.as_str())
            .collect();
        if keys.is_empty() {
            "none".into()
        } else {
            keys.join(", ")
        }
    };
    let given = ask
        .settings
        .keys()
        .map(|k| (k, false))
        .chain(ask.secrets.keys().map(|k| (k, true)));
    for (key, secret) in given {
        let (group, other) = match secret {
            true => ("secrets", "settings"),
            false => ("settings", "secrets"),
        };
        let field = format!("{group}.{key}");
        let Some(s) = spec(key) else {
            return Err(invalid(
                field,
                format!(
                    "the connector has no {} `{key}`; it takes: {}",
                    &group[..group.len() - 1],
                    names(secret)
                ),
            ));
        };
        if s.secret != secret {
            return Err(invalid(
                field,
                format!("`{key}` belongs in `{other}`, not `{group}`"),
            ));
        }
        if template.settings.contains_key(key) || template.secrets.contains_key(key) {
            return Err(invalid(
                field,
                format!("`{key}` is set by the operator's template and cannot be changed"),
            ));
        }
    }
    for (key, value) in &ask.secrets {
        let len = value.expose_secret().len();
        if len == 0 || len > MAX_SECRET_BYTES {
            return Err(invalid(
                format!("secrets.{key}"),
                format!("a secret must be 1 to {MAX_SECRET_BYTES} bytes"),
            ));
        }
    }
    for s in declared
        .iter()
        .filter(|s| s.required && s.default_value.is_none())
    {
        let given = template.settings.contains_key(&s.key)
            || template.secrets.contains_key(&s.key)
            || ask.settings.contains_key(&s.key)
            || ask.secrets.contains_key(&s.key);
        if !given {
            let group = if s.secret { "secrets" } else { "settings" };
            return Err(invalid(
                format!("{group}.{}", s.key),
                format!("`{}` is required: {}", s.key, s.description),
            ));
        }
    }
    Ok(())
}

/// Writes one secret where only this user can read it.
fn write_secret(dir: &Path, key: &str, value: &str) -> Result<PathBuf, CreateError> {
    // The key names a file: the same strict rule as connection names keeps it inside `dir`.
    ats_mirror::check_connection_name(key).map_err(|_| {
        invalid(
            format!("secrets.{key}"),
            "not a secret name the host can keep",
        )
    })?;
    let io = |e: std::io::Error| {
        HostError::Invalid(format!(
            "cannot write a secret under {}: {e}",
            dir.display()
        ))
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io)?;
    let path = dir.join(key);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(&path).map_err(io)?;
    std::io::Write::write_all(&mut out, value.as_bytes()).map_err(io)?;
    Ok(path)
}

/// Removes a connection: its mirror data, its plugin storage and the secrets the host kept
/// for it. `false` when there was no such connection.
pub async fn delete_connection(host: &Host, name: &str) -> Result<bool, HostError> {
    let removed = host.mirror.delete_connection(name).await?;
    let storage = host.storage.clone();
    let scope = name.to_string();
    let cleared = tokio::task::spawn_blocking(move || -> Result<(), String> {
        for key in storage.list_keys(&scope).map_err(|e| e.to_string())? {
            storage.delete(&scope, &key).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    if let Err(e) = cleared {
        return Err(HostError::Invalid(format!(
            "connection `{name}` was removed from the mirror but its plugin storage could not be cleared: {e}"
        )));
    }
    let dir = secrets_dir(host, name);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(HostError::Invalid(format!(
                "connection `{name}` was removed but its secrets under {} could not be: {e}",
                dir.display()
            )));
        }
    }
    Ok(removed)
}
