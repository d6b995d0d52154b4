//! One test per bound of `returned`: each fails if its bound is not enforced.

use super::*;
use m::ConnectorError as E;

/// `get`'s bounds for an answer of the asked-for kind and id.
fn as_asked(limits: &PluginLimits, answer: m::AtsRecord) -> Result<m::AtsRecord, CallError> {
    let (kind, id) = (answer.kind(), answer.id().to_string());
    record(limits, kind, &id, answer)
}

fn small() -> PluginLimits {
    PluginLimits {
        max_record_bytes: 3_000,
        max_page_records: 3,
        max_page_bytes: 6_000,
        max_error_text_bytes: 16,
        ..PluginLimits::default()
    }
}

fn candidate(id: &str) -> m::Candidate {
    m::Candidate {
        id: id.into(),
        first_name: Some("Ada".into()),
        ..Default::default()
    }
}

fn with_raw(id: &str, raw_bytes: usize) -> m::AtsRecord {
    m::AtsRecord::Candidate(m::Candidate {
        raw: Some("x".repeat(raw_bytes)),
        ..candidate(id)
    })
}

fn page_of(records: Vec<m::AtsRecord>) -> m::Page {
    m::Page {
        records,
        gone: Vec::new(),
        record_errors: Vec::new(),
        next_cursor: Some("after-3".into()),
    }
}

fn too_large(result: Result<impl std::fmt::Debug, CallError>) -> (String, &'static str) {
    match result {
        Err(e @ CallError::ReturnedTooLarge { setting, .. }) => (e.to_string(), setting),
        other => panic!("expected ReturnedTooLarge, got {other:?}"),
    }
}

fn invalid(result: Result<impl std::fmt::Debug, CallError>) -> String {
    match result {
        Err(e @ CallError::ReturnedInvalid { .. }) => e.to_string(),
        other => panic!("expected ReturnedInvalid, got {other:?}"),
    }
}

#[test]
fn every_text_of_a_connector_error_is_cut() {
    let long = "é".repeat(1_000);
    let limits = small();
    let errors = [
        E::Unauthorized {
            message: long.clone(),
        },
        E::PermissionMissing {
            permission: long.clone(),
            message: long.clone(),
        },
        E::NotFound {
            message: long.clone(),
        },
        E::RateLimited {
            retry_after_seconds: Some(5),
            scope: m::RateLimitScope::Daily,
            message: long.clone(),
        },
        E::InvalidInput {
            message: long.clone(),
        },
        E::Conflict {
            message: long.clone(),
        },
        E::Unsupported {
            message: long.clone(),
        },
        E::Transient {
            message: long.clone(),
        },
        E::Misconfigured {
            message: long.clone(),
        },
        E::Internal {
            message: long.clone(),
        },
    ];
    for error in errors {
        let kind = error.kind();
        let cut = connector_error(&limits, error);
        let text = cut.to_string();
        assert!(text.len() < 200, "{kind}: {text}");
        assert!(text.contains("more bytes cut"), "{kind}: {text}");
        assert_eq!(cut.kind(), kind);
    }
    let short = E::NotFound {
        message: "gone".into(),
    };
    assert_eq!(connector_error(&limits, short.clone()), short);
}

#[test]
fn a_panic_message_is_cut_and_other_call_errors_kept() {
    let trap = CallError::Trap {
        message: "p".repeat(200_000),
    };
    match call_error(&small(), trap) {
        CallError::Trap { message } => assert!(message.len() < 100, "{message}"),
        other => panic!("{other:?}"),
    }
    let timeout = CallError::Timeout {
        after: std::time::Duration::from_secs(1),
    };
    assert!(matches!(
        call_error(&small(), timeout),
        CallError::Timeout { .. }
    ));
}

#[test]
fn a_retry_after_past_a_week_is_lowered_to_a_week() {
    let asked = |seconds| E::RateLimited {
        retry_after_seconds: seconds,
        scope: m::RateLimitScope::ShortWindow,
        message: String::new(),
    };
    let kept = |seconds| match connector_error(&small(), asked(seconds)) {
        E::RateLimited {
            retry_after_seconds,
            ..
        } => retry_after_seconds,
        other => panic!("{other:?}"),
    };
    assert_eq!(kept(Some(u64::MAX)), Some(MAX_RETRY_AFTER_SECONDS));
    assert_eq!(kept(Some(30)), Some(30));
    assert_eq!(kept(None), None);
}

#[test]
fn connection_report_texts_are_cut_and_too_many_checks_refused() {
    let long = || Some("y".repeat(10_000));
    let check = m::PermissionCheck {
        permission: "p".repeat(10_000),
        state: m::PermissionState::Missing,
        detail: long(),
    };
    let report = connection_report(
        &small(),
        m::ConnectionReport {
            account_name: long(),
            environment: long(),
            permissions: vec![check.clone()],
        },
    )
    .unwrap();
    let texts = [
        report.account_name.as_deref().unwrap(),
        report.environment.as_deref().unwrap(),
        report.permissions[0].permission.as_str(),
        report.permissions[0].detail.as_deref().unwrap(),
    ];
    for text in texts {
        assert!(
            text.len() < 100 && text.contains("more bytes cut"),
            "{text}"
        );
    }
    let message = invalid(connection_report(
        &small(),
        m::ConnectionReport {
            account_name: None,
            environment: None,
            permissions: vec![check; MAX_PERMISSION_CHECKS + 1],
        },
    ));
    assert!(message.contains("1,001 permission checks"), "{message}");
}

#[test]
fn an_ordinary_page_passes_unchanged() {
    let page = page_of(vec![with_raw("1", 100), with_raw("2", 100)]);
    assert_eq!(super::page(&small(), page.clone()).unwrap(), page);
}

#[test]
fn a_page_of_more_than_max_page_records_is_refused() {
    let records = (0..4).map(|i| with_raw(&i.to_string(), 0)).collect();
    let (message, setting) = too_large(page(&small(), page_of(records)));
    assert_eq!(setting, "max_page_records");
    assert!(
        message.contains("a page of 4 records (limit 3 records, `max_page_records`)"),
        "{message}"
    );
}

#[test]
fn a_record_past_max_record_bytes_is_refused_naming_its_id_and_the_setting() {
    let limits = PluginLimits::default();
    let huge = with_raw("4711", 9 << 20);
    let size = huge.footprint();
    let (message, setting) = too_large(page(&limits, page_of(vec![huge.clone()])));
    assert_eq!(setting, "max_record_bytes");
    let expected = format!(
        "the plugin returned candidate `4711` of {} (limit 8 MiB, `max_record_bytes`): report it to the connector's maintainers",
        Amount::Bytes(size)
    );
    assert!(message.starts_with(&expected), "{message}");
    let (_, setting) = too_large(as_asked(&limits, huge));
    assert_eq!(setting, "max_record_bytes");
    assert!(as_asked(&limits, with_raw("4711", 1 << 20)).is_ok());
}

#[test]
fn a_page_past_max_page_bytes_is_refused_at_the_record_that_passes_it() {
    let records = vec![
        with_raw("1", 1_500),
        with_raw("2", 1_500),
        with_raw("3", 1_500),
    ];
    let (message, setting) = too_large(page(&small(), page_of(records)));
    assert_eq!(setting, "max_page_bytes");
    assert!(
        message.contains("a page (counted up to candidate `3`)"),
        "{message}"
    );
    assert!(message.contains("limit 6,000 bytes"), "{message}");
}

#[test]
fn gone_ids_count_like_records() {
    let mut many = page_of(Vec::new());
    many.gone = (0..4).map(|i| i.to_string()).collect();
    let (message, _) = too_large(page(&small(), many));
    assert!(message.contains("`gone` list of 4 ids"), "{message}");
    let mut bad = page_of(Vec::new());
    bad.gone = vec!["1".into(), String::new()];
    let message = invalid(page(&small(), bad));
    assert!(
        message.contains("id #2 of a page's `gone` list, which is empty"),
        "{message}"
    );
}

#[test]
fn an_id_page_with_too_many_ids_or_too_many_bytes_is_refused() {
    let ids = |n: usize, len: usize| m::IdPage {
        ids: (0..n).map(|i| format!("{i:0len$}")).collect(),
        next_cursor: None,
    };
    assert!(id_page(&small(), ids(3, 10)).is_ok());
    let (message, setting) = too_large(id_page(&small(), ids(4, 10)));
    assert_eq!(setting, "max_page_records");
    assert!(message.contains("an id page of 4 ids"), "{message}");
    let limits = PluginLimits {
        max_page_bytes: 1_000,
        ..small()
    };
    let (_, setting) = too_large(id_page(&limits, ids(3, 900)));
    assert_eq!(setting, "max_page_bytes");
}

#[test]
fn candidates_found_are_bounded_in_count_and_size() {
    let found = |n: usize| (0..n).map(|i| candidate(&i.to_string())).collect();
    assert_eq!(candidates(&small(), found(3)).unwrap().len(), 3);
    let (message, setting) = too_large(candidates(&small(), found(4)));
    assert_eq!(setting, "max_page_records");
    assert!(message.contains("4 candidates"), "{message}");
    let big = m::Candidate {
        raw: Some("z".repeat(4_000)),
        ..candidate("77")
    };
    let (message, setting) = too_large(candidates(&small(), vec![big]));
    assert_eq!(setting, "max_record_bytes");
    assert!(message.contains("candidate `77`"), "{message}");
}

#[test]
fn ids_must_be_short_non_empty_and_free_of_control_characters() {
    let limits = small();
    let message = invalid(as_asked(
        &limits,
        with_raw(&"9".repeat(MAX_ID_BYTES + 1), 0),
    ));
    assert!(
        message
            .contains("the id of a candidate, which is 1,025 bytes long (an id is at most 1 KiB)"),
        "{message}"
    );
    let message = invalid(as_asked(&limits, with_raw("12\n34", 0)));
    assert!(
        message.contains("holds the control character U+000A at byte 2 (`12\u{FFFD}34`)"),
        "{message}"
    );
    let message = invalid(as_asked(&limits, with_raw("", 0)));
    assert!(message.contains("is empty"), "{message}");
    assert!(as_asked(&limits, with_raw(&"9".repeat(MAX_ID_BYTES), 0)).is_ok());

    let application = m::AtsRecord::Application(m::Application {
        id: "5".into(),
        candidate_id: "1\u{0}".into(),
        job_id: "2".into(),
        ..Default::default()
    });
    let message = invalid(as_asked(&limits, application));
    assert!(
        message.contains("the `candidate_id` id of application `5`"),
        "{message}"
    );
    let job = m::AtsRecord::Job(m::Job {
        id: "8".into(),
        recruiter: Some(m::NamedRef {
            id: "r".repeat(5_000),
            name: None,
        }),
        ..Default::default()
    });
    assert!(invalid(as_asked(&limits, job)).contains("`recruiter` id of job `8`"));

    let refs = |id: &str| {
        vec![m::RecordRef {
            kind: m::RecordKind::Job,
            id: id.into(),
        }]
    };
    assert!(record_refs(&limits, refs("3")).is_ok());
    assert!(invalid(record_refs(&limits, refs("\u{1b}[2J"))).contains("record #1 to re-read"));
    let many = (0..4).flat_map(|_| refs("3")).collect();
    assert_eq!(too_large(record_refs(&limits, many)).1, "max_page_records");
}

#[test]
fn an_error_message_shows_at_most_a_little_of_a_bad_id() {
    let id = format!("{}\u{7}", "a".repeat(MAX_ID_BYTES - 1));
    let message = invalid(as_asked(&small(), with_raw(&id, 0)));
    assert!(message.len() < 400, "{message}");
}

#[test]
fn cursors_are_bounded_and_free_of_control_characters() {
    let with_cursor = |cursor: String| m::Page {
        next_cursor: Some(cursor),
        ..page_of(Vec::new())
    };
    assert!(page(&small(), with_cursor("c".repeat(MAX_CURSOR_BYTES))).is_ok());
    let message = invalid(page(
        &small(),
        with_cursor("c".repeat(MAX_CURSOR_BYTES + 1)),
    ));
    assert!(
        message.contains("`next_cursor`, which is 65,537 bytes long (a cursor is at most 64 KiB)"),
        "{message}"
    );
    let ids = m::IdPage {
        ids: Vec::new(),
        next_cursor: Some("a\u{85}b".into()),
    };
    assert!(invalid(id_page(&small(), ids)).contains("U+0085"));
}

#[test]
fn write_warnings_are_cut_and_counted_and_the_id_checked() {
    let write = |id: &str, warnings: Vec<String>| m::WriteResult {
        id: id.into(),
        warnings,
    };
    let kept = write_result(
        &small(),
        write("1", vec!["w".repeat(1_000); MAX_WARNINGS + 5]),
    )
    .unwrap();
    assert_eq!(kept.warnings.len(), MAX_WARNINGS + 1);
    assert!(kept.warnings[0].contains("more bytes cut"));
    assert_eq!(kept.warnings[MAX_WARNINGS], "… [5 more warnings cut]");
    assert!(write_result(&small(), write("", Vec::new())).is_ok());
    assert!(invalid(write_result(&small(), write("1\r\n", Vec::new()))).contains("record written"));
    let rejected = m::RejectResult {
        write: write("2", vec!["v".repeat(1_000)]),
        reason_stored: false,
    };
    assert!(reject_result(&small(), rejected).unwrap().write.warnings[0].len() < 100);
}

#[test]
fn a_downloaded_file_name_is_bounded_and_free_of_control_characters() {
    let file = |name: &str| m::AttachmentFile {
        file_name: Some(name.into()),
        content_type: Some("application/pdf".into()),
        content: vec![1, 2, 3],
    };
    assert!(attachment_file(file("cv.pdf")).is_ok());
    assert!(invalid(attachment_file(file("cv.pdf\r\nSet-Cookie: x"))).contains("file name"));
    assert!(invalid(attachment_file(file(&"n".repeat(2_000)))).contains("at most 1 KiB"));
}

#[test]
fn a_footprint_is_at_least_the_json_size_of_plain_text() {
    let record = m::AtsRecord::Application(m::Application {
        id: "1".into(),
        candidate_id: "2".into(),
        job_id: "3".into(),
        status: Some(m::NamedRef {
            id: "S".into(),
            name: Some("New".into()),
        }),
        stage: Some(m::Stage::New),
        applied_at: Some(i64::MIN),
        updated_at: Some(i64::MAX),
        raw: Some("{\"a\":1}".replace('"', "'")),
        ..Default::default()
    });
    let json = serde_json::to_vec(&record).unwrap().len();
    assert!(
        json <= record.footprint(),
        "{json} > {}",
        record.footprint()
    );
}

fn described() -> m::ConnectorInfo {
    m::ConnectorInfo {
        id: "p".into(),
        description: "x".repeat(100),
        api_hosts: vec!["api.example.com".into()],
        ..m::ConnectorInfo::default()
    }
}

#[test]
fn a_description_is_cut_and_its_names_and_lists_are_bounded() {
    let info = connector_info(&small(), described()).unwrap();
    assert!(info.description.len() < 100, "{}", info.description);

    let mut long_host = described();
    long_host.api_hosts = vec!["h".repeat(MAX_ID_BYTES + 1)];
    assert!(matches!(
        connector_info(&small(), long_host),
        Err(CallError::ReturnedInvalid { .. })
    ));
    let mut many_hosts = described();
    many_hosts.api_hosts = (0..=MAX_DESCRIBED_ITEMS).map(|i| format!("h{i}")).collect();
    assert!(matches!(
        connector_info(&small(), many_hosts),
        Err(CallError::ReturnedInvalid { .. })
    ));
    let mut control = described();
    control.id = "evil\nid".into();
    assert!(connector_info(&small(), control).is_err());
}

#[test]
fn a_get_answer_of_another_kind_or_id_is_refused() {
    let limits = PluginLimits::default();
    let asked = with_raw("4711", 0);
    assert!(record(&limits, m::RecordKind::Candidate, "4711", asked.clone()).is_ok());
    let other_id = invalid(record(
        &limits,
        m::RecordKind::Candidate,
        "4712",
        asked.clone(),
    ));
    assert!(
        other_id.contains("candidate `4712`") && other_id.contains("is candidate `4711`"),
        "{other_id}"
    );
    let other_kind = invalid(record(&limits, m::RecordKind::Job, "4711", asked));
    assert!(other_kind.contains("is candidate `4711`"), "{other_kind}");
}

fn with_events(events: m::EventVerification) -> m::ConnectorInfo {
    let setting = |key: &str, secret| m::SettingSpec {
        key: key.into(),
        description: String::new(),
        required: false,
        secret,
        default_value: None,
    };
    m::ConnectorInfo {
        settings: vec![setting("event-user", false), setting("event-secret", true)],
        event_verification: Some(events),
        ..described()
    }
}

fn icims_hmac() -> m::EventVerification {
    m::EventVerification {
        scheme: m::EventScheme::HmacSha256SignedHeaders,
        header: "authorization".into(),
        prefix: "x-icims-v1-hmac-sha256 ".into(),
        secret_setting: "event-secret".into(),
        username_setting: Some("event-user".into()),
        timestamp_header: Some("x-icims-date".into()),
        body_digest_header: Some("x-icims-content-sha256".into()),
        signature_encoding: m::SignatureEncoding::Hex,
    }
}

#[test]
fn an_event_verification_is_kept_when_its_names_are_bounded_and_its_key_secret() {
    let info = connector_info(&small(), with_events(icims_hmac())).unwrap();
    assert_eq!(info.event_verification, Some(icims_hmac()));
}

#[test]
fn an_oversize_or_malformed_event_verification_is_refused() {
    let refused = |change: &dyn Fn(&mut m::EventVerification)| {
        let mut events = icims_hmac();
        change(&mut events);
        invalid(connector_info(&small(), with_events(events)))
    };
    let huge = "x".repeat(MAX_ID_BYTES + 1);
    let message = refused(&|e| e.prefix = huge.clone());
    assert!(message.contains("event verification prefix"), "{message}");
    assert!(message.len() < 300, "shows little of the value: {message}");
    assert!(refused(&|e| e.header = huge.clone()).contains("event verification header"));
    assert!(
        refused(&|e| e.timestamp_header = Some(huge.clone())).contains("event verification header")
    );
    assert!(
        refused(&|e| e.body_digest_header = Some("x-digest\r\nset-cookie: a".into()))
            .contains("control character")
    );
    assert!(refused(&|e| e.header = "X-Signature".into()).contains("not a lowercase HTTP header"));
    assert!(refused(&|e| e.header = "a b".into()).contains("not a lowercase HTTP header"));
    assert!(refused(&|e| e.header = String::new()).contains("not a lowercase HTTP header"));
    assert!(refused(&|e| e.secret_setting = huge.clone()).contains("event verification setting"));
    // An operator told to put the key into a plain setting would hand it to the plugin.
    assert!(refused(&|e| e.secret_setting = "event-user".into()).contains("not a secret"));
    assert!(refused(&|e| e.secret_setting = "nowhere".into()).contains("not declared"));
    assert!(refused(&|e| e.username_setting = Some("nobody".into())).contains("not declared"));
    assert!(refused(&|e| e.timestamp_header = None).contains("a timestamp header"));
    assert!(refused(&|e| e.body_digest_header = None).contains("a body-digest header"));
    assert!(
        refused(&|e| {
            e.scheme = m::EventScheme::HttpBasic;
            e.username_setting = None;
        })
        .contains("a user-name setting")
    );
}

#[test]
fn record_errors_are_counted_checked_and_their_texts_cut() {
    let error = |id: &str, reason: String| m::RecordError {
        id: id.into(),
        reason,
        advice: "grant the field".into(),
    };
    let limits = small();
    let long = "r".repeat(limits.max_error_text_bytes * 3);
    let kept = page(
        &limits,
        m::Page {
            record_errors: vec![error("w1", long)],
            ..page_of(Vec::new())
        },
    )
    .expect("a long reason is cut, not refused");
    assert!(kept.record_errors[0].reason.contains("more bytes cut"));
    assert!(kept.record_errors[0].reason.len() < limits.max_error_text_bytes * 3);
    assert_eq!(kept.record_errors[0].advice, "grant the field");

    let message = invalid(page(
        &limits,
        m::Page {
            record_errors: vec![error("w\n1", "x".into())],
            ..page_of(Vec::new())
        },
    ));
    assert!(message.contains("record error #1"), "{message}");

    let too_many = (0..=limits.max_page_records)
        .map(|i| error(&format!("w{i}"), "x".into()))
        .collect();
    let result = page(
        &limits,
        m::Page {
            record_errors: too_many,
            ..page_of(Vec::new())
        },
    );
    assert!(
        result.is_err(),
        "more record errors than a page may hold are refused"
    );
}
