//! Every value a plugin returns, bounded before the host keeps, stores or prints it.
//!
//! A plugin's answer arrives already converted to `ats_model` (`convert`); these pure
//! functions decide what of it the host keeps. Texts meant for a person are cut; values the
//! host stores or acts on are refused whole when they pass a bound, with an error naming the
//! bound and the setting that raises it ([`CallError::ReturnedTooLarge`]) or saying what is
//! wrong with them ([`CallError::ReturnedInvalid`]).
//!
//! | value | bound | past it |
//! | --- | --- | --- |
//! | error messages, panic messages, connection-report texts, write warnings | `max_error_text_bytes` each | cut |
//! | warnings of one write | 100 | the rest cut and counted: the write happened, refusing its result would invite a duplicate retry |
//! | `retry-after` of a rate-limited error | 7 days | lowered to 7 days |
//! | permission checks in a connection report | 1,000 | refused |
//! | records in a page, ids in an id page or in `gone`, record errors of a page, candidates found, record references | `max_page_records` | refused |
//! | a record error's reason and advice | `max_error_text_bytes` each | cut |
//! | one record (of a page, of `get`, a candidate found) | `max_record_bytes` of footprint | refused |
//! | a page, an id page, the candidates found | `max_page_bytes` of footprint | refused |
//! | ids (a record's own, referenced, attachment, written) | 1 KiB, no control character; a record's own id not empty | refused |
//! | cursors | 64 KiB, no control character | refused |
//! | a downloaded file's name and content type | 1 KiB, no control character | refused |
//! | an attachment's extracted text (`attachment_text`) | 200 KiB, control characters but newlines and tabs dropped | cut |
//! | what `describe` says: names, keys, hosts, URLs | 1 KiB each; descriptions `max_error_text_bytes`, cut | refused / cut |
//! | settings, permissions, streams, API hosts, scopes in `describe` | 256 of each | refused |
//! | `describe`'s event verification: header names, prefix, setting keys | 1 KiB each; headers lowercase HTTP tokens; the key's setting a declared secret | refused |
//! | the record `get` answers | of the kind and with the id asked for | refused |
//!
//! A record's **footprint** is the bytes of every text in it (its `raw` payload included) plus
//! 48 bytes for each field, list item and number. It is counted in one walk over the record,
//! without serializing it, and it is at least the record's JSON size whenever no text needs
//! escaping (48 bytes cover the longest key, its punctuation and a 20-digit number). Quotes,
//! backslashes and control characters grow up to 6× when escaped; the bound accepts that, as
//! what it guards is the memory a plugin makes the host hold, which is the texts' bytes.

mod attachment_text;
mod footprint;

use crate::error::{Amount, CallError};
use crate::limits::{PluginLimits, cut_text};
use ats_model as m;
pub use attachment_text::MAX_ATTACHMENT_TEXT_BYTES;
pub(crate) use attachment_text::attachment_text;
pub(crate) use footprint::{Footprint, PER_VALUE_BYTES};

/// Longest id (of a record, a referenced value, an attachment) a plugin may return.
pub(crate) const MAX_ID_BYTES: usize = 1 << 10;
/// Longest cursor a plugin may return.
pub(crate) const MAX_CURSOR_BYTES: usize = 64 << 10;
/// Longest file name or content type of a downloaded attachment.
pub(crate) const MAX_FILE_NAME_BYTES: usize = 1 << 10;
/// Most warnings kept from one write.
pub(crate) const MAX_WARNINGS: usize = 100;
/// Most permission checks in one connection report.
pub(crate) const MAX_PERMISSION_CHECKS: usize = 1000;
/// Longest wait a rate-limited error may ask for. A daily quota resets within a day; a week
/// keeps `now + retry_after` far from overflowing wherever the host adds it to a clock.
pub(crate) const MAX_RETRY_AFTER_SECONDS: u64 = 7 * 86_400;
/// Most settings, permissions, streams, hosts or scopes one `describe` may list.
pub(crate) const MAX_DESCRIBED_ITEMS: usize = 256;
/// How much of a plugin's id an error message shows.
const SHOWN_ID_BYTES: usize = 64;

// ---- texts for a person: cut ----

fn cut(limits: &PluginLimits, text: String) -> String {
    if text.len() <= limits.max_error_text_bytes {
        text
    } else {
        cut_text(&text, limits.max_error_text_bytes)
    }
}

/// A connector's error with every text cut to `max_error_text_bytes` and its `retry-after`
/// lowered to [`MAX_RETRY_AFTER_SECONDS`].
pub(crate) fn connector_error(
    limits: &PluginLimits,
    error: m::ConnectorError,
) -> m::ConnectorError {
    use m::ConnectorError as E;
    let cut = |text| cut(limits, text);
    match error {
        E::Unauthorized { message } => E::Unauthorized {
            message: cut(message),
        },
        E::PermissionMissing {
            permission,
            message,
        } => E::PermissionMissing {
            permission: cut(permission),
            message: cut(message),
        },
        E::NotFound { message } => E::NotFound {
            message: cut(message),
        },
        E::RateLimited {
            retry_after_seconds,
            scope,
            message,
        } => E::RateLimited {
            retry_after_seconds: retry_after_seconds.map(|s| s.min(MAX_RETRY_AFTER_SECONDS)),
            scope,
            message: cut(message),
        },
        E::InvalidInput { message } => E::InvalidInput {
            message: cut(message),
        },
        E::Conflict { message } => E::Conflict {
            message: cut(message),
        },
        E::Unsupported { message } => E::Unsupported {
            message: cut(message),
        },
        E::Transient { message } => E::Transient {
            message: cut(message),
        },
        E::Misconfigured { message } => E::Misconfigured {
            message: cut(message),
        },
        E::Internal { message } => E::Internal {
            message: cut(message),
        },
    }
}

/// What a plugin says about itself, bounded: descriptions cut, names and keys refused past
/// [`MAX_ID_BYTES`] or with control characters, lists refused past [`MAX_DESCRIBED_ITEMS`].
/// `describe` is shown to operators and drives connect, grants and scheduling.
pub(crate) fn connector_info(
    limits: &PluginLimits,
    mut info: m::ConnectorInfo,
) -> Result<m::ConnectorInfo, CallError> {
    let name_ok = described_name_ok;
    let count_ok = |what: &str, count: usize| -> Result<(), CallError> {
        if count > MAX_DESCRIBED_ITEMS {
            return Err(CallError::ReturnedInvalid {
                what: format!("the {what} in its description"),
                problem: format!("lists {count} (at most {MAX_DESCRIBED_ITEMS})"),
            });
        }
        Ok(())
    };
    for (what, value) in [
        ("id", &info.id),
        ("name", &info.name),
        ("version", &info.version),
    ] {
        name_ok(what, value)?;
    }
    info.description = cut(limits, std::mem::take(&mut info.description));
    count_ok("settings", info.settings.len())?;
    for setting in &mut info.settings {
        name_ok("setting key", &setting.key)?;
        if let Some(default) = &setting.default_value {
            name_ok("setting default", default)?;
        }
        setting.description = cut(limits, std::mem::take(&mut setting.description));
    }
    count_ok("API hosts", info.api_hosts.len())?;
    for host in &info.api_hosts {
        name_ok("API host", host)?;
    }
    count_ok("permissions", info.permissions.len())?;
    for permission in &mut info.permissions {
        name_ok("permission id", &permission.id)?;
        permission.description = cut(limits, std::mem::take(&mut permission.description));
    }
    count_ok("streams", info.streams.len())?;
    for stream in &info.streams {
        name_ok("stream name", &stream.name)?;
    }
    match &info.auth {
        m::AuthScheme::None => {}
        m::AuthScheme::Oauth2ClientCredentials {
            token_url,
            audience,
            scopes,
            client_id_setting,
            client_secret_setting,
        } => {
            name_ok("token URL", token_url)?;
            name_ok("audience", audience.as_deref().unwrap_or_default())?;
            count_ok("scopes", scopes.len())?;
            for value in scopes
                .iter()
                .chain([client_id_setting, client_secret_setting])
            {
                name_ok("auth setting", value)?;
            }
        }
        m::AuthScheme::HttpBasic {
            username_setting,
            password_setting,
        } => {
            name_ok("auth setting", username_setting)?;
            name_ok("auth setting", password_setting)?;
        }
        m::AuthScheme::ApiKey {
            header,
            prefix,
            key_setting,
        } => {
            for value in [header, prefix, key_setting] {
                name_ok("auth setting", value)?;
            }
        }
    }
    if let Some(events) = &info.event_verification {
        event_verification(&info.settings, events)?;
    }
    Ok(info)
}

/// A name, key, host or URL of a description: at most [`MAX_ID_BYTES`], no control character.
fn described_name_ok(what: &str, value: &str) -> Result<(), CallError> {
    if value.len() > MAX_ID_BYTES || value.chars().any(char::is_control) {
        return Err(CallError::ReturnedInvalid {
            what: format!("the {what} in its description"),
            problem: format!(
                "is longer than {MAX_ID_BYTES} bytes or holds a control character (`{}`)",
                cut_text(value, SHOWN_ID_BYTES)
            ),
        });
    }
    Ok(())
}

/// How pushed events are verified: texts bounded like the rest of `describe`; header names
/// lowercase HTTP tokens (the host looks them up); the key in a declared *secret* setting, so
/// that an operator following the description never hands the key to the plugin; and the
/// headers and settings each scheme needs.
fn event_verification(
    settings: &[m::SettingSpec],
    events: &m::EventVerification,
) -> Result<(), CallError> {
    let refuse = |problem: String| CallError::ReturnedInvalid {
        what: "the event verification in its description".into(),
        problem,
    };
    described_name_ok("event verification prefix", &events.prefix)?;
    let token =
        |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b);
    for header in events.headers() {
        described_name_ok("event verification header", header)?;
        if header.is_empty() || !header.bytes().all(token) {
            return Err(refuse(format!(
                "names header `{}`, which is not a lowercase HTTP header name",
                shown(header)
            )));
        }
    }
    for key in events.settings() {
        described_name_ok("event verification setting", key)?;
    }
    let declared = |key: &str| settings.iter().find(|s| s.key == key);
    match declared(&events.secret_setting) {
        Some(s) if s.secret => {}
        found => {
            return Err(refuse(format!(
                "keeps its key in setting `{}`, which is {}",
                shown(&events.secret_setting),
                if found.is_some() {
                    "not a secret setting"
                } else {
                    "not declared"
                }
            )));
        }
    }
    if let Some(user) = &events.username_setting
        && declared(user).is_none()
    {
        return Err(refuse(format!(
            "names user-name setting `{}`, which is not declared",
            shown(user)
        )));
    }
    let needs = |present: bool, what: &str| {
        if present {
            Ok(())
        } else {
            Err(refuse(format!("scheme {:?} needs {what}", events.scheme)))
        }
    };
    match events.scheme {
        m::EventScheme::HttpBasic => {
            needs(events.username_setting.is_some(), "a user-name setting")
        }
        m::EventScheme::HmacSha256SignedHeaders => {
            needs(events.timestamp_header.is_some(), "a timestamp header")?;
            needs(events.body_digest_header.is_some(), "a body-digest header")
        }
        m::EventScheme::SharedToken | m::EventScheme::HmacSha256Body => Ok(()),
    }
}

/// A failed call's error with the plugin's own words in it (its panic message) cut.
pub(crate) fn call_error(limits: &PluginLimits, error: CallError) -> CallError {
    match error {
        CallError::Trap { message } => CallError::Trap {
            message: cut(limits, message),
        },
        other => other,
    }
}

/// A connection report with every text cut; refused past [`MAX_PERMISSION_CHECKS`] checks.
pub(crate) fn connection_report(
    limits: &PluginLimits,
    report: m::ConnectionReport,
) -> Result<m::ConnectionReport, CallError> {
    if report.permissions.len() > MAX_PERMISSION_CHECKS {
        return Err(CallError::ReturnedInvalid {
            what: "a connection report".into(),
            problem: format!(
                "lists {} (a report lists at most {MAX_PERMISSION_CHECKS})",
                Amount::Items {
                    count: report.permissions.len(),
                    of: "permission checks"
                }
            ),
        });
    }
    Ok(m::ConnectionReport {
        account_name: report.account_name.map(|t| cut(limits, t)),
        environment: report.environment.map(|t| cut(limits, t)),
        permissions: report
            .permissions
            .into_iter()
            .map(|p| m::PermissionCheck {
                permission: cut(limits, p.permission),
                state: p.state,
                detail: p.detail.map(|t| cut(limits, t)),
            })
            .collect(),
    })
}

// ---- records, pages, ids: refused past a bound ----

/// The record `get` answered for `kind` and `id`: refused when it is of another kind or has
/// another id (the host writes it to the mirror under the asked-for reference), when an id is
/// invalid, or when its footprint passes `max_record_bytes`.
pub(crate) fn record(
    limits: &PluginLimits,
    kind: m::RecordKind,
    id: &str,
    record: m::AtsRecord,
) -> Result<m::AtsRecord, CallError> {
    checked_record(limits, &record)?;
    if record.kind() != kind || record.id() != id {
        return Err(CallError::ReturnedInvalid {
            what: format!("the answer to a `get` of {}", named_as(kind, id)),
            problem: format!("is {}", named(&record)),
        });
    }
    Ok(record)
}

/// A page of records, refused whole when it or one of its records passes a bound.
pub(crate) fn page(limits: &PluginLimits, page: m::Page) -> Result<m::Page, CallError> {
    count(limits, "a page", page.records.len(), "records")?;
    count(limits, "a page's `gone` list", page.gone.len(), "ids")?;
    count(
        limits,
        "a page's `record-errors` list",
        page.record_errors.len(),
        "record errors",
    )?;
    if let Some(cursor) = &page.next_cursor {
        check_cursor(|| "a page's `next_cursor`".into(), cursor)?;
    }
    let mut page = page;
    for (i, error) in page.record_errors.iter_mut().enumerate() {
        check_id(
            || format!("the id of record error #{} of a page", i + 1),
            &error.id,
            Empty::Refused,
        )?;
        // Texts for a person: cut, like an error message.
        error.reason = cut(limits, std::mem::take(&mut error.reason));
        error.advice = cut(limits, std::mem::take(&mut error.advice));
    }
    let mut total = 0;
    for record in &page.records {
        let size = checked_record(limits, record)?;
        total = add_to_page(limits, total, size, || {
            format!("a page (counted up to {})", named(record))
        })?;
    }
    for (i, id) in page.gone.iter().enumerate() {
        check_id(
            || format!("id #{} of a page's `gone` list", i + 1),
            id,
            Empty::Refused,
        )?;
        total = add_to_page(limits, total, id.len() + PER_VALUE_BYTES, || {
            format!("a page (counted up to `gone` id #{})", i + 1)
        })?;
    }
    for (i, error) in page.record_errors.iter().enumerate() {
        let size = error.id.len() + error.reason.len() + error.advice.len() + 3 * PER_VALUE_BYTES;
        total = add_to_page(limits, total, size, || {
            format!("a page (counted up to record error #{})", i + 1)
        })?;
    }
    Ok(page)
}

/// A page of ids, refused whole when it passes a bound or one of its ids is invalid.
pub(crate) fn id_page(limits: &PluginLimits, page: m::IdPage) -> Result<m::IdPage, CallError> {
    count(limits, "an id page", page.ids.len(), "ids")?;
    if let Some(cursor) = &page.next_cursor {
        check_cursor(|| "an id page's `next_cursor`".into(), cursor)?;
    }
    let mut total = 0;
    for (i, id) in page.ids.iter().enumerate() {
        check_id(
            || format!("id #{} of an id page", i + 1),
            id,
            Empty::Refused,
        )?;
        total = add_to_page(limits, total, id.len() + PER_VALUE_BYTES, || {
            format!("an id page (counted up to id #{})", i + 1)
        })?;
    }
    Ok(page)
}

/// The candidates `find-candidates` returned, bounded like a page of records.
pub(crate) fn candidates(
    limits: &PluginLimits,
    found: Vec<m::Candidate>,
) -> Result<Vec<m::Candidate>, CallError> {
    count(limits, "the candidates found", found.len(), "candidates")?;
    let mut total = 0;
    for candidate in &found {
        let name = || named_as(m::RecordKind::Candidate, &candidate.id);
        check_id(
            || "the id of a candidate".into(),
            &candidate.id,
            Empty::Refused,
        )?;
        candidate_refs(candidate, &name)?;
        let size = within_record_bytes(limits, candidate.footprint(), &name)?;
        total = add_to_page(limits, total, size, || {
            format!("the candidates found (counted up to {})", name())
        })?;
    }
    Ok(found)
}

/// The records `parse-event` says to re-read, bounded in count, each id checked.
pub(crate) fn record_refs(
    limits: &PluginLimits,
    refs: Vec<m::RecordRef>,
) -> Result<Vec<m::RecordRef>, CallError> {
    count(
        limits,
        "an event's records to re-read",
        refs.len(),
        "records",
    )?;
    for (i, r) in refs.iter().enumerate() {
        check_id(
            || format!("the id of record #{} to re-read ({})", i + 1, r.kind),
            &r.id,
            Empty::Refused,
        )?;
    }
    Ok(refs)
}

// ---- writes ----

/// A write's outcome: its id checked, each warning cut, at most [`MAX_WARNINGS`] kept.
pub(crate) fn write_result(
    limits: &PluginLimits,
    write: m::WriteResult,
) -> Result<m::WriteResult, CallError> {
    check_id(
        || "the id of the record written".into(),
        &write.id,
        Empty::Allowed,
    )?;
    let more = write.warnings.len().saturating_sub(MAX_WARNINGS);
    let mut warnings: Vec<String> = write
        .warnings
        .into_iter()
        .take(MAX_WARNINGS)
        .map(|w| cut(limits, w))
        .collect();
    if more > 0 {
        warnings.push(format!("… [{more} more warnings cut]"));
    }
    Ok(m::WriteResult {
        id: write.id,
        warnings,
    })
}

/// A rejection's outcome, bounded as [`write_result`].
pub(crate) fn reject_result(
    limits: &PluginLimits,
    reject: m::RejectResult,
) -> Result<m::RejectResult, CallError> {
    Ok(m::RejectResult {
        write: write_result(limits, reject.write)?,
        reason_stored: reject.reason_stored,
    })
}

/// A downloaded attachment: its name and content type checked (they may end up in a
/// `Content-Disposition` header or a file name). Its content is bounded by the plugin's memory.
pub(crate) fn attachment_file(file: m::AttachmentFile) -> Result<m::AttachmentFile, CallError> {
    for (value, what) in [
        (&file.file_name, "the file name of an attachment"),
        (&file.content_type, "the content type of an attachment"),
    ] {
        if let Some(value) = value {
            check_text(
                || what.into(),
                value,
                MAX_FILE_NAME_BYTES,
                "a name",
                Empty::Allowed,
            )?;
        }
    }
    Ok(file)
}

// ---- the checks ----

fn too_large(what: String, size: Amount, limit: Amount, setting: &'static str) -> CallError {
    CallError::ReturnedTooLarge {
        what,
        size,
        limit,
        setting,
    }
}

/// Refuses a list of more than `max_page_records` items.
fn count(
    limits: &PluginLimits,
    what: &str,
    count: usize,
    of: &'static str,
) -> Result<(), CallError> {
    if count > limits.max_page_records {
        return Err(too_large(
            what.into(),
            Amount::Items { count, of },
            Amount::Items {
                count: limits.max_page_records,
                of,
            },
            "max_page_records",
        ));
    }
    Ok(())
}

/// Adds one item's footprint to a page's; refuses the page past `max_page_bytes`.
fn add_to_page(
    limits: &PluginLimits,
    total: usize,
    size: usize,
    what: impl FnOnce() -> String,
) -> Result<usize, CallError> {
    let total = total.saturating_add(size);
    if total > limits.max_page_bytes {
        return Err(too_large(
            what(),
            Amount::Bytes(total),
            Amount::Bytes(limits.max_page_bytes),
            "max_page_bytes",
        ));
    }
    Ok(total)
}

fn within_record_bytes(
    limits: &PluginLimits,
    size: usize,
    name: &dyn Fn() -> String,
) -> Result<usize, CallError> {
    if size > limits.max_record_bytes {
        return Err(too_large(
            name(),
            Amount::Bytes(size),
            Amount::Bytes(limits.max_record_bytes),
            "max_record_bytes",
        ));
    }
    Ok(size)
}

/// Checks a record's ids and size; its footprint when both pass.
fn checked_record(limits: &PluginLimits, record: &m::AtsRecord) -> Result<usize, CallError> {
    let name = || named(record);
    check_id(
        || format!("the id of {}", a_kind(record.kind())),
        record.id(),
        Empty::Refused,
    )?;
    match record {
        m::AtsRecord::Candidate(c) => candidate_refs(c, &name)?,
        m::AtsRecord::Job(j) => {
            for (r, field) in [
                (&j.folder, "folder"),
                (&j.hiring_manager, "hiring_manager"),
                (&j.recruiter, "recruiter"),
            ] {
                if let Some(r) = r {
                    referenced_id(&name, field, &r.id)?;
                }
            }
        }
        m::AtsRecord::Application(a) => {
            referenced_id(&name, "candidate_id", &a.candidate_id)?;
            referenced_id(&name, "job_id", &a.job_id)?;
            if let Some(status) = &a.status {
                referenced_id(&name, "status", &status.id)?;
            }
        }
        m::AtsRecord::Status(_) | m::AtsRecord::Folder(_) => {}
    }
    within_record_bytes(limits, record.footprint(), &name)
}

fn candidate_refs(c: &m::Candidate, name: &dyn Fn() -> String) -> Result<(), CallError> {
    if let Some(folder) = &c.folder {
        referenced_id(name, "folder", &folder.id)?;
    }
    for a in &c.attachments {
        referenced_id(name, "attachments", &a.id)?;
    }
    Ok(())
}

fn referenced_id(name: &dyn Fn() -> String, field: &str, id: &str) -> Result<(), CallError> {
    check_id(
        || format!("the `{field}` id of {}", name()),
        id,
        Empty::Allowed,
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Empty {
    Allowed,
    Refused,
}

fn check_id(what: impl FnOnce() -> String, id: &str, empty: Empty) -> Result<(), CallError> {
    check_text(what, id, MAX_ID_BYTES, "an id", empty)
}

fn check_cursor(what: impl FnOnce() -> String, cursor: &str) -> Result<(), CallError> {
    check_text(what, cursor, MAX_CURSOR_BYTES, "a cursor", Empty::Allowed)
}

/// Refuses an empty (when `empty` says so), too long or control-character-holding `text`.
/// The length is checked first, so the scan reads at most `max` bytes.
fn check_text(
    what: impl FnOnce() -> String,
    text: &str,
    max: usize,
    a: &str,
    empty: Empty,
) -> Result<(), CallError> {
    let problem = if text.is_empty() && empty == Empty::Refused {
        "is empty".to_string()
    } else if text.len() > max {
        format!(
            "is {} long ({a} is at most {})",
            Amount::Bytes(text.len()),
            Amount::Bytes(max)
        )
    } else if let Some((at, c)) = text.char_indices().find(|(_, c)| c.is_control()) {
        format!(
            "holds the control character U+{:04X} at byte {at} (`{}`)",
            u32::from(c),
            shown(text)
        )
    } else {
        return Ok(());
    };
    Err(CallError::ReturnedInvalid {
        what: what(),
        problem,
    })
}

/// A plugin's text as an error message may show it: at most [`SHOWN_ID_BYTES`] of it, control
/// characters replaced.
fn shown(text: &str) -> String {
    cut_text(text, SHOWN_ID_BYTES)
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// "a candidate", "an application".
fn a_kind(kind: m::RecordKind) -> String {
    let article = if kind == m::RecordKind::Application {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

fn named(record: &m::AtsRecord) -> String {
    named_as(record.kind(), record.id())
}

fn named_as(kind: m::RecordKind, id: &str) -> String {
    format!("{kind} `{}`", shown(id))
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests;
