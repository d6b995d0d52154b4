//! The conformance suite: runs any `ats:connector` plugin, through a live [`Connection`],
//! against the contract's invariants, and reports pass/fail per invariant with a one-line reason.
//!
//! | invariant | what must hold | module |
//! | --- | --- | --- |
//! | `describe` | ids and names non-empty, semver version, kebab-case unique settings, auth names declared secret settings, unique permissions and streams, `api-hosts` non-empty unless auth is none | [`describe`] |
//! | `check-connection` | it answers, and reports every declared permission exactly once | here |
//! | `paging` | every stream pages to its end without repeating a record; a cursor from the middle page resumes with exactly the records after it; `list-ids` covers what was listed | [`reads`] |
//! | `updated-since` | incremental streams return only records updated at or after it, and all of them | [`reads`] |
//! | `typed-errors` | `get` of a missing record is `not-found`; an undeclared write is `unsupported`; never `internal` | here |
//! | `writes-round-trip` | a created (and updated) candidate reads back as written; find, apply (idempotently) | [`writes`] |
//! | `attachment-text` | offered: listed attachments answer text or none; a missing attachment or candidate none or `not-found`, never `internal`; not offered: `unsupported` | [`attachment_text`] |
//! | `allowed-hosts` | no request was refused or left the declared `api-hosts` during the suite; the allow-list built from them refuses other hosts | here |
//!
//! The suite writes data when the connector declares writes (see [`writes`]): point it at a
//! sandbox, or set [`SuiteOptions::writes`] to false.

pub mod attachment_text;
pub mod describe;
pub mod reads;
pub mod report;
pub mod writes;

pub use report::{ConformanceReport, Invariant, InvariantResult, Outcome};

use ats_model::{ConnectorError, RecordKind, WriteCapability};
use ats_runtime::outbound_http::allow_list::AllowList;
use ats_runtime::{CallError, Connection};
use std::collections::BTreeSet;

/// How to run the suite.
#[derive(Debug, Clone)]
pub struct SuiteOptions {
    /// The `page-size-hint` sent with every read: small, so streams take several pages.
    pub page_size: u32,
    /// Pages read per stream before the suite calls it endless.
    pub max_pages: usize,
    /// Run the write round-trip (creates records in the ATS).
    pub writes: bool,
}

impl Default for SuiteOptions {
    fn default() -> Self {
        SuiteOptions {
            page_size: 10,
            max_pages: 10_000,
            writes: true,
        }
    }
}

/// Runs every invariant against `connection` and reports each one. Never panics on a
/// misbehaving plugin: every failure becomes a line of the report.
pub async fn run_suite(connection: &Connection, options: &SuiteOptions) -> ConformanceReport {
    let before = connection.stats();
    let info = connection.info();
    let mut results = Vec::new();
    let mut record = |invariant, outcome| results.push(InvariantResult { invariant, outcome });

    let problems = describe::problems(info);
    record(
        Invariant::Describe,
        if problems.is_empty() {
            Outcome::Pass(format!(
                "{} settings, {} permissions, {} streams, {} writes",
                info.settings.len(),
                info.permissions.len(),
                info.streams.len(),
                info.writes.len()
            ))
        } else {
            Outcome::Fail(problems.join("; "))
        },
    );
    record(
        Invariant::CheckConnection,
        check_connection(connection).await,
    );
    let (paging, reads) = reads::paging(connection, options).await;
    record(Invariant::Paging, paging);
    record(
        Invariant::UpdatedSince,
        reads::updated_since(connection, &reads, options).await,
    );
    record(
        Invariant::TypedErrors,
        typed_errors(connection, &reads).await,
    );
    record(
        Invariant::RecordErrors,
        reads::record_errors(connection, &reads).await,
    );
    record(
        Invariant::WritesRoundTrip,
        if options.writes {
            writes::round_trip(connection, &reads).await
        } else {
            Outcome::Skip("writes disabled for this run".into())
        },
    );
    record(
        Invariant::AttachmentText,
        attachment_text::attachment_text(connection, &reads).await,
    );
    // Last, so it sees every request the suite made.
    record(Invariant::AllowedHosts, allowed_hosts(connection, &before));

    ConformanceReport {
        connector: format!("{} {}", info.id, info.version),
        results,
    }
}

async fn check_connection(connection: &Connection) -> Outcome {
    let report = match connection.check_connection().await {
        Ok(report) => report,
        Err(e) => return Outcome::Fail(format!("check-connection failed: {e}")),
    };
    let declared: Vec<&str> = connection
        .info()
        .permissions
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let mut reported = BTreeSet::new();
    for check in &report.permissions {
        if !declared.contains(&check.permission.as_str()) {
            return Outcome::Fail(format!(
                "reports permission `{}`, which describe does not declare",
                check.permission
            ));
        }
        if !reported.insert(check.permission.as_str()) {
            return Outcome::Fail(format!("reports `{}` twice", check.permission));
        }
    }
    let unreported: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|p| !reported.contains(p))
        .collect();
    if !unreported.is_empty() {
        return Outcome::Fail(format!(
            "does not report declared permission(s) {}",
            unreported.join(", ")
        ));
    }
    let missing = report.missing().count();
    Outcome::Pass(format!(
        "account {:?}, {} permissions reported, {missing} missing",
        report.account_name.as_deref().unwrap_or("unnamed"),
        report.permissions.len()
    ))
}

/// A name for a typed answer, for messages.
pub(crate) fn answer_name(result: &Result<impl Sized, CallError>) -> String {
    match result {
        Ok(_) => "success".into(),
        Err(CallError::Connector(e)) => format!("`{}` ({e})", e.kind()),
        Err(other) => format!("a failed call ({other})"),
    }
}

/// An id no record has: numeric (ATSs with numeric ids answer 404 rather than "bad id") and far
/// beyond every id listed.
pub(crate) fn missing_id(reads: &std::collections::BTreeMap<String, reads::FullRead>) -> String {
    let max = reads
        .values()
        .flat_map(|r| &r.records)
        .filter_map(|r| r.id().parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    (max.max(900_000_000) + 7_654_321).to_string()
}

async fn typed_errors(
    connection: &Connection,
    reads: &std::collections::BTreeMap<String, reads::FullRead>,
) -> Outcome {
    let info = connection.info();
    let id = missing_id(reads);
    let kinds: BTreeSet<_> = info.streams.iter().map(|s| s.kind.as_str()).collect();
    let mut checked = Vec::new();
    for kind in kinds.iter().filter_map(|k| RecordKind::parse(k)) {
        let answer = connection.get(kind, &id).await;
        if !matches!(
            answer,
            Err(CallError::Connector(ConnectorError::NotFound { .. }))
        ) {
            return Outcome::Fail(format!(
                "get of missing {} `{id}` answered {}, expected `not-found`",
                kind.as_str(),
                answer_name(&answer)
            ));
        }
        checked.push(format!("get {}", kind.as_str()));
    }
    // A write the connector does not declare must say `unsupported` (on a missing candidate,
    // so a connector that wrongly supports it changes nothing).
    if !info.writes.contains(&WriteCapability::AddTag) {
        let answer = connection.add_tag(&id, "conformance").await;
        if !matches!(
            answer,
            Err(CallError::Connector(ConnectorError::Unsupported { .. }))
        ) {
            return Outcome::Fail(format!(
                "undeclared add-tag answered {}, expected `unsupported`",
                answer_name(&answer)
            ));
        }
        checked.push("undeclared add-tag".into());
    }
    if checked.is_empty() {
        return Outcome::Skip("no stream kind to probe and add-tag is declared".into());
    }
    Outcome::Pass(format!("{} typed as expected", checked.join(", ")))
}

fn allowed_hosts(connection: &Connection, before: &ats_runtime::RequestStats) -> Outcome {
    let info = connection.info();
    let after = connection.stats();
    let refused = after.refused - before.refused;
    if refused > 0 {
        return Outcome::Fail(format!(
            "{refused} request(s) to undeclared hosts were refused by the sandbox during the suite"
        ));
    }
    let declared = AllowList::new(&info.api_hosts);
    let undeclared: Vec<&String> = after
        .by_host
        .iter()
        .filter(|(host, n)| **n > before.by_host.get(*host).copied().unwrap_or(0))
        .map(|(host, _)| host)
        .filter(|host| !allows(&declared, host))
        .collect();
    if !undeclared.is_empty() {
        return Outcome::Fail(format!(
            "requests went to host(s) outside api-hosts: {}",
            undeclared
                .iter()
                .map(|h| h.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // The probe: the allow-list built from the declaration admits each declared host and
    // refuses one that is not.
    if let Some(host) = info.api_hosts.iter().find(|h| !allows(&declared, h)) {
        return Outcome::Fail(format!(
            "api-host `{host}` does not parse as an allowed host"
        ));
    }
    if allows(&declared, "conformance-probe.invalid") {
        return Outcome::Fail("the allow-list admits an undeclared host".into());
    }
    let sent = after.sent - before.sent;
    Outcome::Pass(format!(
        "{sent} requests, all to {}; 0 refused",
        info.api_hosts.join(", ")
    ))
}

fn allows(list: &AllowList, host: &str) -> bool {
    let Ok(authority) = host.parse::<http::uri::Authority>() else {
        return false;
    };
    // Try both schemes: a port-less entry means the scheme's default port.
    list.allows(Some(&http::uri::Scheme::HTTPS), &authority)
        || list.allows(Some(&http::uri::Scheme::HTTP), &authority)
}
