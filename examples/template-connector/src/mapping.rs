//! The example ATS's JSON records ↔ the contract's types. Pure code: no I/O, so it is
//! unit-tested natively (`cargo test -p template-connector`).
//!
//! Rules every mapping follows:
//! - a field the ATS did not send stays `None` / empty, never a made-up default;
//! - the whole ATS payload goes into `raw`, so nothing is lost;
//! - ids become strings exactly as the ATS spells them.

use ats_connector_sdk::{
    Application, AtsRecord, Candidate, CandidateInput, ConnectorError, ConnectorResult, Email, Job,
    JobState, NamedRef, Phone, RecordKind, Stage,
};
use serde_json::{Map, Value, json};

/// The URL segment of a record kind, or `unsupported` for kinds this ATS has no API for.
pub fn path_of(kind: RecordKind) -> ConnectorResult<&'static str> {
    match kind {
        RecordKind::Candidate => Ok("candidates"),
        RecordKind::Job => Ok("jobs"),
        RecordKind::Application => Ok("applications"),
        // Statuses are a fixed list in this ATS and it has no folders: say so, typed.
        RecordKind::Status | RecordKind::Folder => Err(ats_connector_sdk::unsupported(&format!(
            "reading {kind:?} records"
        ))),
    }
}

fn text(record: &Value, field: &str) -> Option<String> {
    record.get(field)?.as_str().map(str::to_string)
}

/// Ids are numbers in this ATS's JSON; the contract wants strings.
pub fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn required_id(record: &Value, field: &str) -> ConnectorResult<String> {
    record.get(field).and_then(id_of).ok_or_else(|| {
        // The ATS broke its own format: that is a bug on one side, not the user's input.
        ConnectorError::Internal(format!("the ATS sent a record without `{field}`"))
    })
}

/// Maps one record of `kind` from the ATS's JSON.
pub fn record_from_json(kind: RecordKind, record: &Value) -> ConnectorResult<AtsRecord> {
    let raw = Some(record.to_string());
    let id = required_id(record, "id")?;
    let created_at = record.get("created_at").and_then(Value::as_i64);
    let updated_at = record.get("updated_at").and_then(Value::as_i64);
    Ok(match kind {
        RecordKind::Candidate => AtsRecord::Candidate(Candidate {
            id,
            first_name: text(record, "first_name"),
            middle_name: None,
            last_name: text(record, "last_name"),
            emails: text(record, "email")
                .map(|address| Email {
                    address,
                    kind: None,
                    primary: true,
                })
                .into_iter()
                .collect(),
            phones: text(record, "phone")
                .map(|number| Phone { number, kind: None })
                .into_iter()
                .collect(),
            addresses: vec![],
            urls: vec![],
            current_title: text(record, "title"),
            current_company: text(record, "company"),
            skills: vec![],
            experience: vec![],
            education: vec![],
            folder: None,
            source: text(record, "source"),
            source_detail: None,
            tags: vec![],
            attachments: vec![],
            custom_fields: vec![],
            created_at,
            updated_at,
            raw,
        }),
        RecordKind::Job => AtsRecord::Job(Job {
            id,
            requisition_number: None,
            title: text(record, "title"),
            state: text(record, "status").and_then(|s| job_state(&s)),
            folder: None,
            description: None,
            qualifications: None,
            location: text(record, "location"),
            address: None,
            department: text(record, "department"),
            hiring_manager: None,
            recruiter: None,
            openings: record
                .get("openings")
                .and_then(Value::as_u64)
                .map(|n| n as u32),
            custom_fields: vec![],
            created_at,
            updated_at,
            raw,
        }),
        RecordKind::Application => {
            let status = text(record, "status");
            AtsRecord::Application(Application {
                id,
                candidate_id: required_id(record, "candidate_id")?,
                job_id: required_id(record, "job_id")?,
                stage: status.as_deref().and_then(stage_of),
                status: status.map(|s| NamedRef { id: s, name: None }),
                source: text(record, "source"),
                source_detail: None,
                applied_at: created_at,
                custom_fields: vec![],
                updated_at,
                raw,
            })
        }
        RecordKind::Status | RecordKind::Folder => return Err(path_of(kind).unwrap_err()),
    })
}

fn job_state(status: &str) -> Option<JobState> {
    match status {
        "open" => Some(JobState::Open),
        "closed" => Some(JobState::Closed),
        "draft" => Some(JobState::Draft),
        "on_hold" => Some(JobState::OnHold),
        _ => None,
    }
}

/// This ATS's statuses are named after the generic stages, so the mapping is one-to-one.
/// (In iCIMS statuses are per-customer ids and the mapping is a setting: `guest/src/mapping/workflow.rs`.)
pub fn stage_of(status: &str) -> Option<Stage> {
    Stage::parse(status).filter(|stage| *stage != Stage::Other)
}

/// The ATS status for a generic stage.
pub fn status_of(stage: Stage) -> ConnectorResult<&'static str> {
    if stage == Stage::Other {
        return Err(ConnectorError::InvalidInput(
            "stage `other` names no status; pass a status id instead".into(),
        ));
    }
    Ok(stage.as_str())
}

/// The JSON body of a candidate write, and a warning for each value this ATS cannot store.
/// `None` inputs are left out, so a PATCH leaves those fields unchanged.
pub fn candidate_to_json(input: &CandidateInput) -> (Value, Vec<String>) {
    let mut body = Map::new();
    let mut warnings = Vec::new();
    let mut put = |field: &str, value: &Option<String>| {
        if let Some(value) = value {
            body.insert(field.into(), json!(value));
        }
    };
    put("first_name", &input.first_name);
    put("last_name", &input.last_name);
    put("title", &input.current_title);
    put("company", &input.current_company);
    put("source", &input.source);
    if let Some(emails) = &input.emails {
        if let Some(first) = emails.first() {
            body.insert("email".into(), json!(first));
        }
        if emails.len() > 1 {
            warnings.push(format!(
                "this ATS keeps one email; {} others were not written",
                emails.len() - 1
            ));
        }
    }
    if let Some(phones) = &input.phones {
        if let Some(first) = phones.first() {
            body.insert("phone".into(), json!(first.number));
        }
        if phones.len() > 1 {
            warnings.push(format!(
                "this ATS keeps one phone; {} others were not written",
                phones.len() - 1
            ));
        }
    }
    let unstored = [
        ("middle name", input.middle_name.is_some()),
        ("addresses", input.addresses.is_some()),
        ("profile URLs", input.urls.is_some()),
        ("folder", input.folder_id.is_some()),
        ("source detail", input.source_detail.is_some()),
    ];
    for (what, given) in unstored {
        if given {
            warnings.push(format!(
                "this ATS has no field for the {what}; it was not written"
            ));
        }
    }
    (Value::Object(body), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_candidate_keeps_what_the_ats_sent_and_nothing_else() {
        let json =
            json!({"id": 7, "first_name": "Ada", "email": "ada@example.com", "updated_at": 100});
        let AtsRecord::Candidate(c) = record_from_json(RecordKind::Candidate, &json).unwrap()
        else {
            panic!("not a candidate")
        };
        assert_eq!(c.id, "7");
        assert_eq!(c.first_name.as_deref(), Some("Ada"));
        assert_eq!(c.last_name, None);
        assert_eq!(c.emails[0].address, "ada@example.com");
        assert!(c.phones.is_empty());
        assert_eq!(c.updated_at, Some(100));
        assert!(c.raw.unwrap().contains("ada@example.com"));
    }

    #[test]
    fn a_record_without_id_is_an_internal_error_not_a_panic() {
        let err = record_from_json(RecordKind::Job, &json!({"title": "x"})).unwrap_err();
        assert!(matches!(err, ConnectorError::Internal(_)));
    }

    #[test]
    fn statuses_and_stages_round_trip() {
        for status in [
            "new",
            "screening",
            "interview",
            "offer",
            "hired",
            "rejected",
            "withdrawn",
        ] {
            assert_eq!(status_of(stage_of(status).unwrap()).unwrap(), status);
        }
        assert!(matches!(
            status_of(Stage::Other),
            Err(ConnectorError::InvalidInput(_))
        ));
    }

    #[test]
    fn a_candidate_write_leaves_out_none_and_warns_about_unstorable_values() {
        let input = CandidateInput {
            first_name: None,
            middle_name: Some("M".into()),
            last_name: Some("Lovelace".into()),
            emails: Some(vec!["a@x.org".into(), "b@x.org".into()]),
            phones: None,
            addresses: None,
            urls: None,
            current_title: None,
            current_company: None,
            folder_id: None,
            source: None,
            source_detail: None,
        };
        let (body, warnings) = candidate_to_json(&input);
        assert_eq!(body, json!({"last_name": "Lovelace", "email": "a@x.org"}));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
