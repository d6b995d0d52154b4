//! A connection: one plugin bound to one customer's ATS account (settings, secrets, allowed
//! hosts, storage scope, token cache). Its methods call the plugin's exports, one fresh
//! instance per call.

use crate::bindings::{wit, wit_types as w};
use crate::call::{self, CallContext, ExportFuture, HostState};
use crate::engine::Runtime;
use crate::error::{CallError, RuntimeError};
use crate::limits::PluginLimits;
use crate::outbound_http::auth::Credentials;
use crate::outbound_http::grant::HostGrant;
use crate::outbound_http::{ConnectionHttp, RequestObserver, RequestStats};
use crate::plugin::Plugin;
use crate::returned;
use crate::secrets::{Redactor, Secret};
use crate::storage::PluginStorage;
use ats_model as m;
use std::collections::BTreeMap;
use std::sync::Arc;
use wasmtime::Store;

/// What a connection is made of. Settings reach the plugin; secrets never do.
#[derive(Debug, Clone, Default)]
pub struct ConnectionSpec {
    /// A stable name, unique per host: it scopes the plugin's storage and names log lines.
    pub name: String,
    /// Non-secret settings, by the plugin's setting keys.
    pub settings: BTreeMap<String, String>,
    /// Secret settings (client secret, password, API key), used by the host only.
    pub secrets: BTreeMap<String, Secret>,
    /// What the operator grants: the hosts that receive credentials, the token URL, other
    /// hosts. The plugin's `describe` may ask for less, never more.
    pub grant: HostGrant,
    /// Bounds for this connection; `None` takes the runtime's.
    pub limits: Option<PluginLimits>,
}

/// A plugin bound to an account. Cheap to clone; clones share the token cache and stats.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<ConnectionInner>,
}

struct ConnectionInner {
    plugin: Plugin,
    info: m::ConnectorInfo,
    context: CallContext,
}

impl Runtime {
    /// Binds `plugin` to an account. Describes the plugin with the settings, then checks that
    /// every required setting and secret it names is present (the error names the missing
    /// one), that no secret is passed as a plain setting, and that its credentials resolve.
    pub async fn connect(
        &self,
        plugin: &Plugin,
        spec: ConnectionSpec,
        storage: Arc<dyn PluginStorage>,
        observer: Arc<dyn RequestObserver>,
    ) -> Result<Connection, RuntimeError> {
        let name = spec.name.trim().to_string();
        let invalid = |detail: String| RuntimeError::InvalidConnection {
            connection: name.clone(),
            detail,
        };
        if name.is_empty() {
            return Err(invalid("the connection has no name".into()));
        }
        if let Some(key) = spec.secrets.keys().find(|k| spec.settings.contains_key(*k)) {
            return Err(invalid(format!(
                "`{key}` is given both as a setting and as a secret"
            )));
        }
        let info =
            plugin
                .describe(&spec.settings)
                .await
                .map_err(|source| RuntimeError::Describe {
                    connection: name.clone(),
                    source,
                })?;
        for setting in &info.settings {
            let key = &setting.key;
            if setting.secret {
                if spec.settings.contains_key(key) {
                    return Err(invalid(format!(
                        "`{key}` is a secret: pass it as a secret, not as a plain setting"
                    )));
                }
                if setting.required && spec.secrets.get(key).is_none_or(Secret::is_empty) {
                    return Err(RuntimeError::MissingSecret {
                        connection: name.clone(),
                        key: key.clone(),
                    });
                }
            } else if setting.required
                && setting.default_value.is_none()
                && spec.settings.get(key).is_none_or(|v| v.trim().is_empty())
            {
                return Err(RuntimeError::MissingSetting {
                    connection: name.clone(),
                    key: key.clone(),
                });
            }
        }

        let granted = spec
            .grant
            .narrow(&info)
            .map_err(|detail| RuntimeError::NotGranted {
                connection: name.clone(),
                detail,
            })?;
        let redactor = Redactor::new(spec.secrets.values().cloned());
        let credentials =
            Credentials::resolve(&info.auth, &spec.settings, &spec.secrets, &redactor)
                .map_err(invalid)?;
        let limits = spec
            .limits
            .clone()
            .unwrap_or_else(|| self.inner.config.limits.clone());
        let http = ConnectionHttp::new(
            &name,
            granted,
            credentials,
            observer,
            self.inner.http.clone(),
            redactor.clone(),
            &limits,
        );
        let context = CallContext {
            connection: name.clone(),
            config: crate::config::variables(&spec.settings),
            storage,
            http: Arc::new(http),
            redactor,
            limits: Arc::new(limits),
        };
        tracing::debug!(connection = %name, plugin = %info.id, "connected");
        Ok(Connection {
            inner: Arc::new(ConnectionInner {
                plugin: plugin.clone(),
                info,
                context,
            }),
        })
    }
}

type Export<T> = Box<
    dyn for<'a> FnOnce(
            &'a wit::Guest,
            &'a mut Store<HostState>,
        ) -> ExportFuture<'a, Result<T, w::ConnectorError>>
        + Send,
>;

impl Connection {
    /// The connection's name.
    pub fn name(&self) -> &str {
        &self.inner.context.connection
    }

    /// What the plugin said about itself for this connection's settings.
    pub fn info(&self) -> &m::ConnectorInfo {
        &self.inner.info
    }

    /// The bounds this connection runs under.
    pub fn limits(&self) -> &PluginLimits {
        &self.inner.context.limits
    }

    /// Replaces every secret of this connection, and every value derived from one (the Basic
    /// base64, access tokens), with `[redacted]`: for any text that came from the plugin.
    pub fn redact(&self, text: &str) -> String {
        self.inner.context.redactor.redact(text)
    }

    /// Requests sent, refused and authenticated so far.
    pub fn stats(&self) -> RequestStats {
        self.inner.context.http.stats()
    }

    /// Calls `export` and bounds its answer (`returned`): `keep` converts and bounds a
    /// success; a connector error or a panic message has its texts cut.
    async fn call<T, M>(
        &self,
        export: &'static str,
        call: Export<T>,
        keep: impl FnOnce(&PluginLimits, T) -> Result<M, CallError>,
    ) -> Result<M, CallError> {
        let plugin = &self.inner.plugin.inner;
        let limits = self.limits();
        let kept = match call::run(
            &plugin.runtime,
            &plugin.pre,
            &self.inner.context,
            export,
            call,
        )
        .await
        .map_err(|e| returned::call_error(limits, e))?
        {
            Ok(value) => keep(limits, value),
            // Cut first, then redact: an ATS may have echoed a credential into the text.
            Err(error) => Err(CallError::Connector(
                self.inner
                    .context
                    .redactor
                    .redact_all(returned::connector_error(limits, error.into())),
            )),
        };
        if let Err(
            refused @ (CallError::ReturnedTooLarge { .. } | CallError::ReturnedInvalid { .. }),
        ) = &kept
        {
            tracing::warn!(connection = %self.name(), export, "plugin answer refused: {refused}");
        }
        kept
    }

    /// Verifies credentials and checks every permission (`check-connection`).
    pub async fn check_connection(&self) -> Result<m::ConnectionReport, CallError> {
        let report = self
            .call(
                "check-connection",
                Box::new(|g, s| Box::pin(async move { g.call_check_connection(s).await })),
                |l, r| returned::connection_report(l, r.into()),
            )
            .await?;
        // An ATS may have echoed a credential into the report's texts.
        Ok(self.inner.context.redactor.redact_all(report))
    }

    /// Reads one page of records (`list-records`).
    pub async fn list_records(
        &self,
        kind: m::RecordKind,
        request: m::ListRequest,
    ) -> Result<m::Page, CallError> {
        let request = w::ListRequest::from(request);
        self.call(
            "list-records",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_list_records(s, kind.into(), &request).await })
            }),
            |l, p| returned::page(l, p.into()),
        )
        .await
    }

    /// Lists one page of current ids (`list-ids`).
    pub async fn list_ids(
        &self,
        kind: m::RecordKind,
        cursor: Option<String>,
    ) -> Result<m::IdPage, CallError> {
        self.call(
            "list-ids",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_list_ids(s, kind.into(), cursor.as_ref()).await })
            }),
            |l, p| returned::id_page(l, p.into()),
        )
        .await
    }

    /// Reads one record (`get`); an answer of another kind or id is refused.
    pub async fn get(&self, kind: m::RecordKind, id: &str) -> Result<m::AtsRecord, CallError> {
        let asked = id.to_string();
        self.call(
            "get",
            Box::new(move |g, s| Box::pin(async move { g.call_get(s, kind.into(), &asked).await })),
            |l, r| returned::record(l, kind, id, r.into()),
        )
        .await
    }

    /// Finds candidates matching any key, most certain first (`find-candidates`).
    pub async fn find_candidates(
        &self,
        query: m::MatchQuery,
    ) -> Result<Vec<m::Candidate>, CallError> {
        let query = w::MatchQuery::from(query);
        self.call(
            "find-candidates",
            Box::new(move |g, s| Box::pin(async move { g.call_find_candidates(s, &query).await })),
            |l, found| returned::candidates(l, found.into_iter().map(Into::into).collect()),
        )
        .await
    }

    /// Creates a candidate (`create-candidate`).
    pub async fn create_candidate(
        &self,
        input: m::CandidateInput,
    ) -> Result<m::WriteResult, CallError> {
        let input = w::CandidateInput::from(input);
        self.call(
            "create-candidate",
            Box::new(move |g, s| Box::pin(async move { g.call_create_candidate(s, &input).await })),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Writes the given values to a candidate (`update-candidate`).
    pub async fn update_candidate(
        &self,
        id: &str,
        input: m::CandidateInput,
    ) -> Result<m::WriteResult, CallError> {
        let id = id.to_string();
        let input = w::CandidateInput::from(input);
        self.call(
            "update-candidate",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_update_candidate(s, &id, &input).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Applies a candidate to a job (`create-application`).
    pub async fn create_application(
        &self,
        input: m::ApplicationInput,
    ) -> Result<m::WriteResult, CallError> {
        let input = w::ApplicationInput::from(input);
        self.call(
            "create-application",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_create_application(s, &input).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Moves an application to another status (`move-application`).
    pub async fn move_application(
        &self,
        id: &str,
        target: m::StatusTarget,
    ) -> Result<m::WriteResult, CallError> {
        let id = id.to_string();
        let target = w::StatusTarget::from(target);
        self.call(
            "move-application",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_move_application(s, &id, &target).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Rejects an application (`reject-application`).
    pub async fn reject_application(
        &self,
        id: &str,
        reason: Option<String>,
    ) -> Result<m::RejectResult, CallError> {
        let id = id.to_string();
        self.call(
            "reject-application",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_reject_application(s, &id, reason.as_deref()).await })
            }),
            |l, r| returned::reject_result(l, r.into()),
        )
        .await
    }

    /// Attaches a file to a candidate (`upload-attachment`).
    pub async fn upload_attachment(
        &self,
        candidate_id: &str,
        file: m::AttachmentUpload,
    ) -> Result<m::WriteResult, CallError> {
        let candidate_id = candidate_id.to_string();
        let file = w::AttachmentUpload::from(file);
        self.call(
            "upload-attachment",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_upload_attachment(s, &candidate_id, &file).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Downloads an attachment (`download-attachment`).
    pub async fn download_attachment(
        &self,
        candidate_id: &str,
        attachment_id: &str,
    ) -> Result<m::AttachmentFile, CallError> {
        let candidate_id = candidate_id.to_string();
        let attachment_id = attachment_id.to_string();
        self.call(
            "download-attachment",
            Box::new(move |g, s| {
                Box::pin(async move {
                    g.call_download_attachment(s, &candidate_id, &attachment_id)
                        .await
                })
            }),
            |_, f| returned::attachment_file(f.into()),
        )
        .await
    }

    /// The text extracted from an attachment (`attachment-text`), bounded
    /// ([`MAX_ATTACHMENT_TEXT_BYTES`](crate::MAX_ATTACHMENT_TEXT_BYTES), control characters
    /// dropped); `None` when the ATS has none.
    pub async fn attachment_text(
        &self,
        candidate_id: &str,
        attachment_id: &str,
    ) -> Result<Option<String>, CallError> {
        let candidate_id = candidate_id.to_string();
        let attachment_id = attachment_id.to_string();
        self.call(
            "attachment-text",
            Box::new(move |g, s| {
                Box::pin(async move {
                    g.call_attachment_text(s, &candidate_id, &attachment_id)
                        .await
                })
            }),
            |_, text| Ok(returned::attachment_text(text)),
        )
        .await
    }

    /// Adds a note to a candidate (`add-note`).
    pub async fn add_note(
        &self,
        candidate_id: &str,
        note: m::NoteInput,
    ) -> Result<m::WriteResult, CallError> {
        let candidate_id = candidate_id.to_string();
        let note = w::NoteInput::from(note);
        self.call(
            "add-note",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_add_note(s, &candidate_id, &note).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Adds a tag to a candidate (`add-tag`).
    pub async fn add_tag(
        &self,
        candidate_id: &str,
        tag: &str,
    ) -> Result<m::WriteResult, CallError> {
        let candidate_id = candidate_id.to_string();
        let tag = tag.to_string();
        self.call(
            "add-tag",
            Box::new(move |g, s| {
                Box::pin(async move { g.call_add_tag(s, &candidate_id, &tag).await })
            }),
            |l, w| returned::write_result(l, w.into()),
        )
        .await
    }

    /// Turns a pushed ATS event into the records to re-read (`parse-event`).
    pub async fn parse_event(
        &self,
        event: m::IncomingEvent,
    ) -> Result<Vec<m::RecordRef>, CallError> {
        let event = w::IncomingEvent::from(event);
        self.call(
            "parse-event",
            Box::new(move |g, s| Box::pin(async move { g.call_parse_event(s, &event).await })),
            |l, refs| returned::record_refs(l, refs.into_iter().map(Into::into).collect()),
        )
        .await
    }
}
