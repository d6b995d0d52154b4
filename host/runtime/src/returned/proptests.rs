//! Property tests: whatever a plugin returns, converting it (`convert`) and bounding it
//! (`returned`) never panics, and what the host keeps is within the limits — or refused with
//! a short message, and refused only when a bound is really passed.
//!
//! The values are the generated binding types a plugin's exports return, with arbitrary texts
//! (empty, unicode, control characters, some large) and numbers (extremes included), checked
//! against arbitrary limits as well as the defaults.

use super::*;
use crate::bindings::{wit as c, wit_types as w};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Longest message a refusal may carry, whatever the plugin returned.
const MAX_REFUSAL_MESSAGE: usize = 1 << 10;
/// What `cut_text` adds to a text it cuts (`… [N more bytes cut]`).
const CUT_NOTE: usize = 64;

// ---- texts and numbers ----

/// Mostly short arbitrary unicode; control characters, empty strings and large texts too.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        12 => any::<String>(),
        4 => "[\\x00-\\x1f\\x7f\u{80}-\u{9f} a-z\"\\\\]{0,12}",
        2 => Just(String::new()),
        1 => (any::<char>(), 0..12_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
    .boxed()
}

/// Texts for ids and cursors: the shapes above plus ids near the 1 KiB bound.
fn id_text() -> BoxedStrategy<String> {
    prop_oneof![
        8 => text(),
        4 => "[0-9A-Za-z-]{1,16}",
        1 => (MAX_ID_BYTES - 2..MAX_ID_BYTES + 3).prop_map(|n| "7".repeat(n)),
        1 => (MAX_CURSOR_BYTES - 2..MAX_CURSOR_BYTES + 3).prop_map(|n| "c".repeat(n)),
    ]
    .boxed()
}

/// A raw payload: usually ordinary, sometimes hundreds of KiB.
fn raw() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        10 => proptest::option::of(text()),
        1 => (0..600_000usize).prop_map(|n| Some("{".repeat(n))),
    ]
    .boxed()
}

fn timestamp() -> BoxedStrategy<i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        Just(-1),
        any::<i64>(),
    ]
    .boxed()
}

fn opt<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

/// Arbitrary limits (small enough to be passed) and, a quarter of the time, the defaults.
fn limits() -> impl Strategy<Value = PluginLimits> {
    prop_oneof![
        1 => Just(PluginLimits::default()),
        3 => (0..8usize, 0..200_000usize, 0..400_000usize, 0..2_000usize).prop_map(
            |(records, record_bytes, page_bytes, text_bytes)| PluginLimits {
                max_page_records: records,
                max_record_bytes: record_bytes,
                max_page_bytes: page_bytes,
                max_error_text_bytes: text_bytes,
                ..PluginLimits::default()
            }
        ),
    ]
}

/// A limit on, just under, just over or anywhere up to twice `actual`, or none at all.
fn near(actual: usize) -> BoxedStrategy<usize> {
    prop_oneof![
        Just(actual.saturating_sub(1)),
        Just(actual),
        Just(actual.saturating_add(1)),
        0..=actual.saturating_mul(2).saturating_add(1),
        Just(usize::MAX),
    ]
    .boxed()
}

/// Limits at the edges of a value's own count, largest record and total size (so an off-by-one
/// in a bound shows), or arbitrary ones.
fn limits_near(count: usize, largest: usize, total: usize) -> BoxedStrategy<PluginLimits> {
    prop_oneof![
        3 => (near(count), near(largest), near(total), 0..2_000usize).prop_map(
            |(records, record_bytes, page_bytes, text_bytes)| PluginLimits {
                max_page_records: records,
                max_record_bytes: record_bytes,
                max_page_bytes: page_bytes,
                max_error_text_bytes: text_bytes,
                ..PluginLimits::default()
            }
        ),
        1 => limits(),
    ]
    .boxed()
}

/// The size a page's oracle counts: its records' footprints and its `gone` ids'.
fn page_sizes(page: &m::Page) -> (usize, usize, usize) {
    let largest = page
        .records
        .iter()
        .map(Footprint::footprint)
        .max()
        .unwrap_or(0);
    let count = page.records.len().max(page.gone.len());
    (count, largest, page_total(page))
}

fn page_total(page: &m::Page) -> usize {
    page.records
        .iter()
        .map(Footprint::footprint)
        .chain(page.gone.iter().map(|id| id.len() + PER_VALUE_BYTES))
        .sum()
}

/// A value with limits near its own sizes.
fn with_limits<T: Clone + std::fmt::Debug + 'static, S: Strategy<Value = T> + 'static>(
    value: S,
    sizes: impl Fn(&T) -> (usize, usize, usize) + 'static,
) -> BoxedStrategy<(T, PluginLimits)> {
    value
        .prop_flat_map(move |v| {
            let (count, largest, total) = sizes(&v);
            (Just(v), limits_near(count, largest, total))
        })
        .boxed()
}

// ---- the generated types ----

fn named_ref() -> impl Strategy<Value = w::NamedRef> {
    (id_text(), opt(text())).prop_map(|(id, name)| w::NamedRef { id, name })
}

fn stage() -> impl Strategy<Value = w::Stage> {
    use w::Stage::*;
    select(
        &[
            New, Screening, Interview, Offer, Hired, Rejected, Withdrawn, Other,
        ][..],
    )
}

prop_compose! {
    fn address()(
        street in opt(text()), city in opt(text()), region in opt(text()),
        postal_code in opt(text()), country in opt(text()), kind in opt(text())
    ) -> w::Address {
        w::Address { street, city, region, postal_code, country, kind }
    }
}

prop_compose! {
    fn contact()(
        emails in vec((text(), opt(text()), any::<bool>()), 0..3),
        phones in vec((text(), opt(text())), 0..3),
        addresses in vec(address(), 0..2),
        urls in vec((text(), select(&[w::UrlKind::Linkedin, w::UrlKind::Github, w::UrlKind::Website, w::UrlKind::Other][..])), 0..3)
    ) -> (Vec<w::Email>, Vec<w::Phone>, Vec<w::Address>, Vec<w::ProfileUrl>) {
        (
            emails.into_iter().map(|(address, kind, primary)| w::Email { address, kind, primary }).collect(),
            phones.into_iter().map(|(number, kind)| w::Phone { number, kind }).collect(),
            addresses,
            urls.into_iter().map(|(url, kind)| w::ProfileUrl { url, kind }).collect(),
        )
    }
}

prop_compose! {
    fn attachment()(
        id in id_text(),
        kind in select(&[w::AttachmentKind::Resume, w::AttachmentKind::CoverLetter, w::AttachmentKind::Other][..]),
        file_name in opt(text()), content_type in opt(text())
    ) -> w::AttachmentInfo {
        w::AttachmentInfo { id, kind, file_name, content_type }
    }
}

prop_compose! {
    fn candidate()(
        id in id_text(),
        names in (opt(text()), opt(text()), opt(text())),
        (emails, phones, addresses, urls) in contact(),
        work in (opt(text()), opt(text()), vec(text(), 0..4)),
        history in (vec(experience(), 0..3), vec(education(), 0..2)),
        folder in opt(named_ref()),
        source in (opt(text()), opt(text())),
        tags in vec(text(), 0..4),
        attachments in vec(attachment(), 0..2),
        times in (opt(timestamp()), opt(timestamp())),
        raw in raw()
    ) -> w::Candidate {
        w::Candidate {
            id,
            first_name: names.0, middle_name: names.1, last_name: names.2,
            emails, phones, addresses, urls,
            current_title: work.0, current_company: work.1, skills: work.2,
            experience: history.0, education: history.1,
            folder, source: source.0, source_detail: source.1, tags, attachments,
            custom_fields: Vec::new(),
            created_at: times.0, updated_at: times.1, raw,
        }
    }
}

prop_compose! {
    fn experience()(
        texts in (opt(text()), opt(text()), opt(text())),
        times in (opt(timestamp()), opt(timestamp())),
    ) -> w::WorkExperience {
        w::WorkExperience {
            title: texts.0, employer: texts.1, description: texts.2,
            started_at: times.0, ended_at: times.1,
        }
    }
}

prop_compose! {
    fn education()(
        texts in (opt(text()), opt(text()), opt(text())),
        ended_at in opt(timestamp()),
    ) -> w::Education {
        w::Education { school: texts.0, degree: texts.1, field: texts.2, ended_at }
    }
}

prop_compose! {
    fn job()(
        id in id_text(),
        texts in (opt(text()), opt(text()), opt(text()), opt(text()), opt(text()), opt(text())),
        state in opt(select(&[w::JobState::Open, w::JobState::Closed, w::JobState::Draft, w::JobState::OnHold][..])),
        refs in (opt(named_ref()), opt(named_ref()), opt(named_ref())),
        address in opt(address()),
        openings in opt(prop_oneof![Just(u32::MAX), Just(0), any::<u32>()]),
        times in (opt(timestamp()), opt(timestamp())),
        raw in raw()
    ) -> w::Job {
        w::Job {
            id, requisition_number: texts.0, title: texts.1, state, folder: refs.0,
            description: texts.2, qualifications: texts.5, location: texts.3, address, department: texts.4,
            hiring_manager: refs.1, recruiter: refs.2, openings,
            custom_fields: Vec::new(),
            created_at: times.0, updated_at: times.1, raw,
        }
    }
}

prop_compose! {
    fn application()(
        ids in (id_text(), id_text(), id_text()),
        status in opt(named_ref()), stage in opt(stage()),
        source in (opt(text()), opt(text())),
        times in (opt(timestamp()), opt(timestamp())),
        raw in raw()
    ) -> w::Application {
        w::Application {
            id: ids.0, candidate_id: ids.1, job_id: ids.2, status, stage,
            source: source.0, source_detail: source.1,
            applied_at: times.0, custom_fields: Vec::new(), updated_at: times.1, raw,
        }
    }
}

fn ats_record() -> BoxedStrategy<w::AtsRecord> {
    prop_oneof![
        3 => candidate().prop_map(w::AtsRecord::Candidate).boxed(),
        2 => job().prop_map(w::AtsRecord::Job).boxed(),
        2 => application().prop_map(w::AtsRecord::Application).boxed(),
        1 => (id_text(), opt(text()), opt(stage()), raw())
            .prop_map(|(id, name, stage, raw)| w::AtsRecord::Status(w::Status { id, name, stage, raw })),
        1 => (id_text(), opt(text()), select(&[w::FolderKind::Candidate, w::FolderKind::Job, w::FolderKind::Other][..]), raw())
            .prop_map(|(id, name, kind, raw)| w::AtsRecord::Folder(w::Folder { id, name, kind, raw })),
    ]
    .boxed()
}

prop_compose! {
    fn page()(
        records in vec(ats_record(), 0..7),
        gone in vec(id_text(), 0..6),
        next_cursor in opt(id_text())
    ) -> w::Page {
        w::Page { records, gone, record_errors: Vec::new(), next_cursor }
    }
}

fn connector_error() -> impl Strategy<Value = w::ConnectorError> {
    use w::ConnectorError as E;
    let scope = select(
        &[
            w::RateLimitScope::ShortWindow,
            w::RateLimitScope::Daily,
            w::RateLimitScope::Unknown,
        ][..],
    );
    let retry = opt(prop_oneof![Just(u64::MAX), Just(0), any::<u64>()]);
    prop_oneof![
        text().prop_map(E::Unauthorized),
        (text(), text()).prop_map(|(permission, message)| E::PermissionMissing(
            w::PermissionDenied {
                permission,
                message
            }
        )),
        text().prop_map(E::NotFound),
        (retry, scope, text()).prop_map(|(retry_after_seconds, scope, message)| {
            E::RateLimited(w::RateLimit {
                retry_after_seconds,
                scope,
                message,
            })
        }),
        text().prop_map(E::InvalidInput),
        text().prop_map(E::Conflict),
        text().prop_map(E::Unsupported),
        text().prop_map(E::Transient),
        text().prop_map(E::Misconfigured),
        text().prop_map(E::Internal),
    ]
}

fn permission_check(
    text: fn() -> BoxedStrategy<String>,
) -> impl Strategy<Value = c::PermissionCheck> {
    let state = select(
        &[
            c::PermissionState::Granted,
            c::PermissionState::Missing,
            c::PermissionState::NotCheckable,
        ][..],
    );
    (text(), state, opt(text())).prop_map(|(permission, state, detail)| c::PermissionCheck {
        permission,
        state,
        detail,
    })
}

fn connection_report() -> impl Strategy<Value = c::ConnectionReport> {
    // Reports near the 1,000-check bound get short texts, to keep the test fast.
    let short = || "[a-z-]{0,8}".boxed();
    let checks = prop_oneof![
        20 => vec(permission_check(text), 0..8),
        1 => (MAX_PERMISSION_CHECKS - 1..MAX_PERMISSION_CHECKS + 2)
            .prop_flat_map(move |n| vec(permission_check(short), n)),
    ];
    (opt(text()), opt(text()), checks).prop_map(|(account_name, environment, permissions)| {
        c::ConnectionReport {
            account_name,
            environment,
            permissions,
        }
    })
}

fn write_result() -> impl Strategy<Value = w::WriteResult> {
    let warnings = prop_oneof![
        10 => vec(text(), 0..4),
        1 => (MAX_WARNINGS - 1..MAX_WARNINGS + 50).prop_map(|n| vec!["w".repeat(50); n]),
    ];
    (id_text(), warnings).prop_map(|(id, warnings)| w::WriteResult { id, warnings })
}

// ---- the oracle: what the limits allow, worked out apart from `returned` ----

fn id_ok(id: &str, empty_allowed: bool, max: usize) -> bool {
    (empty_allowed || !id.is_empty()) && id.len() <= max && !id.chars().any(char::is_control)
}

fn ref_ok(id: &str) -> bool {
    id_ok(id, true, MAX_ID_BYTES)
}

fn record_ids_ok(record: &m::AtsRecord) -> bool {
    id_ok(record.id(), false, MAX_ID_BYTES)
        && match record {
            m::AtsRecord::Candidate(c) => candidate_refs_ok(c),
            m::AtsRecord::Job(j) => [&j.folder, &j.hiring_manager, &j.recruiter]
                .into_iter()
                .flatten()
                .all(|r| ref_ok(&r.id)),
            m::AtsRecord::Application(a) => {
                ref_ok(&a.candidate_id)
                    && ref_ok(&a.job_id)
                    && a.status.as_ref().is_none_or(|s| ref_ok(&s.id))
            }
            m::AtsRecord::Status(_) | m::AtsRecord::Folder(_) => true,
        }
}

fn candidate_refs_ok(c: &m::Candidate) -> bool {
    c.folder.as_ref().is_none_or(|f| ref_ok(&f.id)) && c.attachments.iter().all(|a| ref_ok(&a.id))
}

fn page_allowed(limits: &PluginLimits, page: &m::Page) -> bool {
    page.records.len() <= limits.max_page_records
        && page.gone.len() <= limits.max_page_records
        && page
            .next_cursor
            .as_deref()
            .is_none_or(|c| id_ok(c, true, MAX_CURSOR_BYTES))
        && page.records.iter().all(record_ids_ok)
        && page.gone.iter().all(|id| id_ok(id, false, MAX_ID_BYTES))
        && page
            .records
            .iter()
            .all(|r| r.footprint() <= limits.max_record_bytes)
        && page_total(page) <= limits.max_page_bytes
}

/// A refusal is one of the two `Returned…` errors, and its message is short.
fn refusal_is_short(error: &CallError) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            error,
            CallError::ReturnedTooLarge { .. } | CallError::ReturnedInvalid { .. }
        ),
        "not a refusal: {error:?}"
    );
    let message = error.to_string();
    prop_assert!(
        message.len() <= MAX_REFUSAL_MESSAGE,
        "a {}-byte message",
        message.len()
    );
    Ok(())
}

fn cut_ok(limits: &PluginLimits, text: &str) -> bool {
    text.len() <= limits.max_error_text_bytes + CUT_NOTE
}

// ---- the properties ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn a_page_is_kept_whole_within_the_limits_or_refused(
        (page, limits) in with_limits(page(), |p: &w::Page| page_sizes(&m::Page::from(p.clone())))
    ) {
        let converted = m::Page::from(page);
        let allowed = page_allowed(&limits, &converted);
        match super::page(&limits, converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed, "kept a page past a limit");
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed, "refused a page within the limits: {}", error);
                refusal_is_short(&error)?;
            }
        }
    }

    #[test]
    fn a_record_from_get_is_kept_within_the_limits_or_refused(
        (record, limits) in with_limits(ats_record(), |r: &w::AtsRecord| {
            let size = m::AtsRecord::from(r.clone()).footprint();
            (1, size, size)
        })
    ) {
        let converted = m::AtsRecord::from(record);
        let allowed = record_ids_ok(&converted) && converted.footprint() <= limits.max_record_bytes;
        match super::record(&limits, converted.kind(), converted.id(), converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed);
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed, "refused a record within the limits: {}", error);
                refusal_is_short(&error)?;
            }
        }
    }

    #[test]
    fn the_candidates_found_are_kept_within_the_limits_or_refused(
        (found, limits) in with_limits(vec(candidate(), 0..7), |found: &Vec<w::Candidate>| {
            let sizes: Vec<usize> =
                found.iter().map(|c| m::Candidate::from(c.clone()).footprint()).collect();
            (found.len(), sizes.iter().copied().max().unwrap_or(0), sizes.iter().sum())
        })
    ) {
        let converted: Vec<m::Candidate> = found.into_iter().map(Into::into).collect();
        let sizes: Vec<usize> = converted.iter().map(Footprint::footprint).collect();
        let allowed = converted.len() <= limits.max_page_records
            && converted.iter().all(|c| id_ok(&c.id, false, MAX_ID_BYTES) && candidate_refs_ok(c))
            && sizes.iter().all(|s| *s <= limits.max_record_bytes)
            && sizes.iter().sum::<usize>() <= limits.max_page_bytes;
        match candidates(&limits, converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed);
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed, "refused candidates within the limits: {}", error);
                refusal_is_short(&error)?;
            }
        }
    }

    /// A record's footprint is at least its JSON size when no text needs escaping, and at
    /// least a sixth of it whatever the texts.
    #[test]
    fn a_footprint_bounds_the_json_size(record in ats_record()) {
        let converted = m::AtsRecord::from(record);
        let json = serde_json::to_string(&converted).expect("records serialize");
        let (footprint, texts_need_escaping) = (converted.footprint(), json.contains('\\'));
        let json = json.len();
        prop_assert!(json <= 6 * footprint, "{} > 6 × {}", json, footprint);
        if !texts_need_escaping {
            prop_assert!(json <= footprint, "{} > {}", json, footprint);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

    #[test]
    fn an_id_page_is_kept_whole_within_the_limits_or_refused(
        ((ids, next_cursor), limits) in with_limits(
            (vec(id_text(), 0..10), opt(id_text())),
            |(ids, _): &(Vec<String>, Option<String>)| {
                (ids.len(), 0, ids.iter().map(|id| id.len() + PER_VALUE_BYTES).sum())
            },
        )
    ) {
        let converted = m::IdPage::from(w::IdPage { ids, next_cursor });
        let allowed = converted.ids.len() <= limits.max_page_records
            && converted.ids.iter().all(|id| id_ok(id, false, MAX_ID_BYTES))
            && converted.next_cursor.as_deref().is_none_or(|c| id_ok(c, true, MAX_CURSOR_BYTES))
            && converted.ids.iter().map(|id| id.len() + PER_VALUE_BYTES).sum::<usize>()
                <= limits.max_page_bytes;
        match id_page(&limits, converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed);
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed, "refused an id page within the limits: {}", error);
                refusal_is_short(&error)?;
            }
        }
    }

    #[test]
    fn every_text_of_a_connector_error_is_cut(limits in limits(), error in connector_error()) {
        let kept = super::connector_error(&limits, m::ConnectorError::from(error));
        let texts: Vec<&String> = match &kept {
            m::ConnectorError::PermissionMissing { permission, message } => vec![permission, message],
            m::ConnectorError::RateLimited { retry_after_seconds, message, .. } => {
                prop_assert!(retry_after_seconds.is_none_or(|s| s <= MAX_RETRY_AFTER_SECONDS));
                vec![message]
            }
            m::ConnectorError::Unauthorized { message }
            | m::ConnectorError::NotFound { message }
            | m::ConnectorError::InvalidInput { message }
            | m::ConnectorError::Conflict { message }
            | m::ConnectorError::Unsupported { message }
            | m::ConnectorError::Transient { message }
            | m::ConnectorError::Misconfigured { message }
            | m::ConnectorError::Internal { message } => vec![message],
        };
        for text in texts {
            prop_assert!(cut_ok(&limits, text), "{} bytes kept", text.len());
        }
        let shown = CallError::Connector(kept).to_string();
        prop_assert!(shown.len() <= 2 * (limits.max_error_text_bytes + CUT_NOTE) + 200);
    }

    #[test]
    fn a_connection_report_is_cut_or_refused(limits in limits(), report in connection_report()) {
        let converted = m::ConnectionReport::from(report);
        let checks = converted.permissions.len();
        match super::connection_report(&limits, converted) {
            Ok(kept) => {
                prop_assert!(checks <= MAX_PERMISSION_CHECKS);
                prop_assert_eq!(kept.permissions.len(), checks);
                for text in [&kept.account_name, &kept.environment]
                    .into_iter()
                    .flatten()
                    .chain(kept.permissions.iter().map(|p| &p.permission))
                    .chain(kept.permissions.iter().filter_map(|p| p.detail.as_ref()))
                {
                    prop_assert!(cut_ok(&limits, text), "{} bytes kept", text.len());
                }
            }
            Err(error) => {
                prop_assert!(checks > MAX_PERMISSION_CHECKS);
                refusal_is_short(&error)?;
            }
        }
    }

    #[test]
    fn a_write_result_keeps_a_valid_id_and_bounded_warnings(
        limits in limits(), write in write_result(), reason_stored in any::<bool>()
    ) {
        let converted = m::WriteResult::from(write);
        let id_valid = id_ok(&converted.id, true, MAX_ID_BYTES);
        let reject = m::RejectResult::from(w::RejectResult {
            write: w::WriteResult { id: converted.id.clone(), warnings: converted.warnings.clone() },
            reason_stored,
        });
        match super::write_result(&limits, converted.clone()) {
            Ok(kept) => {
                prop_assert!(id_valid);
                prop_assert_eq!(&kept.id, &converted.id);
                prop_assert!(kept.warnings.len() <= MAX_WARNINGS + 1);
                for warning in &kept.warnings {
                    prop_assert!(cut_ok(&limits, warning));
                }
            }
            Err(error) => {
                prop_assert!(!id_valid);
                refusal_is_short(&error)?;
            }
        }
        prop_assert_eq!(super::reject_result(&limits, reject).is_ok(), id_valid);
    }

    #[test]
    fn record_refs_are_kept_within_the_limits_or_refused(
        (refs, limits) in with_limits(
            vec((select(&m::RecordKind::ALL[..]), id_text()), 0..10),
            |refs: &Vec<(m::RecordKind, String)>| (refs.len(), 0, 0),
        )
    ) {
        let converted: Vec<m::RecordRef> = refs
            .into_iter()
            .map(|(kind, id)| m::RecordRef::from(w::RecordRef { kind: kind.into(), id }))
            .collect();
        let allowed = converted.len() <= limits.max_page_records
            && converted.iter().all(|r| id_ok(&r.id, false, MAX_ID_BYTES));
        match record_refs(&limits, converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed);
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed);
                refusal_is_short(&error)?;
            }
        }
    }

    #[test]
    fn a_downloaded_file_keeps_only_short_plain_names(
        file_name in opt(id_text()), content_type in opt(id_text()), content in vec(any::<u8>(), 0..64)
    ) {
        let converted = m::AttachmentFile::from(w::AttachmentFile { file_name, content_type, content });
        let allowed = [&converted.file_name, &converted.content_type]
            .into_iter()
            .flatten()
            .all(|t| id_ok(t, true, MAX_FILE_NAME_BYTES));
        match attachment_file(converted.clone()) {
            Ok(kept) => {
                prop_assert!(allowed);
                prop_assert_eq!(kept, converted);
            }
            Err(error) => {
                prop_assert!(!allowed);
                refusal_is_short(&error)?;
            }
        }
    }
}
