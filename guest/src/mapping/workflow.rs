//! Recruiting workflows (`/applicantworkflows/{id}`, icims-api.md §4) ⇄ [`Application`].
//!
//! A workflow links a job (`baseprofile`) and a person (`associatedprofile`); its `status` is a
//! customer-configured list node, mapped to a generic stage through the `status-map` setting.

use ats_connector_sdk::{Application, RecordError};
use serde_json::{Map, Value, json};

use super::{date, named_ref, text};
use crate::json::JsonView;
use crate::settings::StatusMap;
use crate::urls::trailing_id;

/// Maps a workflow GET body. `raw` is the text received. A workflow that came back without
/// its person or job cannot be an application: it is a record error, not a failed read.
pub fn application<J: JsonView>(
    id: &str,
    body: &J,
    raw: &str,
    statuses: &StatusMap,
) -> Result<Application, RecordError> {
    let candidate_id = linked_id(body, "associatedprofile", "/people/");
    let job_id = linked_id(body, "baseprofile", "/jobs/");
    let (candidate_id, job_id) = match (candidate_id, job_id) {
        (Some(candidate), Some(job)) => (candidate, job),
        (None, None) => return Err(unmappable(id, "its person and its job")),
        (None, Some(_)) => return Err(unmappable(id, "its person (`associatedprofile`)")),
        (Some(_), None) => return Err(unmappable(id, "its job (`baseprofile`)")),
    };
    let status = named_ref(body, "status");
    Ok(Application {
        id: id.to_string(),
        candidate_id,
        job_id,
        stage: status.as_ref().map(|s| statuses.stage_of(&s.id)),
        status,
        source: text(body, "source"),
        source_detail: text(body, "sourcename"),
        applied_at: date(body, "createddate"),
        custom_fields: Vec::new(),
        updated_at: date(body, "updateddate"),
        raw: Some(raw.to_string()),
    })
}

/// A workflow the contract cannot carry: an application needs its person and its job.
fn unmappable(id: &str, missing: &str) -> RecordError {
    RecordError {
        id: id.to_string(),
        reason: format!("workflow {id} came back without {missing}"),
        advice: "ask the customer's iCIMS admin to let the integration user see the workflow's \
                 `associatedprofile` and `baseprofile` fields; the host asks for the workflow \
                 again on later runs"
            .into(),
    }
}

/// The id of a profile link (`{"id":1,"value":…,"profile":…}`), else of the matching URL in
/// `links` (all three workflow links are `rel: self`; they differ only by URL and title).
fn linked_id<J: JsonView>(body: &J, key: &str, path_part: &str) -> Option<String> {
    body.get(key)
        .and_then(|link| super::text(link, "id"))
        .or_else(|| {
            body.get("links")?
                .as_array()?
                .iter()
                .filter_map(|l| l.get("url")?.as_str())
                .find(|url| url.contains(path_part))
                .and_then(trailing_id)
        })
}

/// The status `(id, name)` a workflow body carries, for the status-name cache.
pub fn status_seen<J: JsonView>(body: &J) -> Option<(String, String)> {
    let status = named_ref(body, "status")?;
    Some((status.id, status.name?))
}

/// `POST /applicantworkflows` body (§4.1): ids are plain numbers.
pub fn create_body(
    job_id: u64,
    person_id: u64,
    status_id: Option<&str>,
    source: &str,
    source_name: Option<&str>,
) -> Value {
    let mut body = Map::new();
    body.insert("baseprofile".into(), json!(job_id));
    body.insert("associatedprofile".into(), json!(person_id));
    if let Some(status) = status_id {
        body.insert("status".into(), json!({ "id": status }));
    }
    body.insert("source".into(), json!(source));
    if let Some(name) = source_name {
        body.insert("sourcename".into(), json!(name));
    }
    Value::Object(body)
}

/// `PATCH /applicantworkflows/{id}` body that moves it to a status (§4.3).
pub fn status_body(status_id: &str) -> Value {
    json!({ "status": { "id": status_id } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::settings_with;
    use ats_connector_sdk::Stage;

    const WORKFLOW_19288: &str = r#"{
      "baseprofile":      { "id": 1346, "value": "Harbor Discoveries Junior Counselor", "profile": "https://api.icims.com/customers/1234/jobs/1346" },
      "associatedprofile":{ "id": 1, "value": "Shari Davis", "profile": "https://api.icims.com/customers/1234/people/1" },
      "status": { "id": "D10100", "value": "New Submissions - External Portal", "formattedvalue": "New Submissions - External Portal" },
      "source": "Other (Please Specify)", "sourcename": "Applicant from previous year",
      "createddate": "2016-03-01 10:00 AM", "updateddate": "2016-03-02 12:05 PM",
      "links": [
        {"rel":"self","title":"The current profile being viewed.","url":"https://api.icims.com/customers/1234/applicantworkflows/19288"},
        {"rel":"self","title":"The base profile of this workflow.","url":"https://api.icims.com/customers/1234/jobs/1346"},
        {"rel":"self","title":"The associated profile of this workflow.","url":"https://api.icims.com/customers/1234/people/1"}
      ] }"#;

    #[test]
    fn borrowed_json_maps_like_values() {
        let statuses = settings_with(&[("status-map", "interview=C12296")]).status_map;
        let full: Value = serde_json::from_str(WORKFLOW_19288).unwrap();
        let light = crate::json::Borrowed::parse(WORKFLOW_19288).unwrap();
        assert_eq!(
            format!(
                "{:?}",
                application("19288", &light, WORKFLOW_19288, &statuses)
            ),
            format!(
                "{:?}",
                application("19288", &full, WORKFLOW_19288, &statuses)
            )
        );
        assert_eq!(status_seen(&light), status_seen(&full));
    }

    #[test]
    fn maps_a_captured_workflow() {
        let statuses = settings_with(&[("status-map", "new=D10100;hired=C23504")]).status_map;
        let body: Value = serde_json::from_str(WORKFLOW_19288).unwrap();
        let app = application("19288", &body, WORKFLOW_19288, &statuses).unwrap();
        assert_eq!(
            (
                app.id.as_str(),
                app.candidate_id.as_str(),
                app.job_id.as_str()
            ),
            ("19288", "1", "1346")
        );
        assert_eq!(app.status.as_ref().map(|s| s.id.as_str()), Some("D10100"));
        assert_eq!(app.stage, Some(Stage::New));
        assert_eq!(app.source.as_deref(), Some("Other (Please Specify)"));
        assert_eq!(
            app.source_detail.as_deref(),
            Some("Applicant from previous year")
        );
        assert_eq!(app.applied_at, crate::dates::parse("2016-03-01 10:00 AM"));
        assert_eq!(app.updated_at, crate::dates::parse("2016-03-02 12:05 PM"));
        assert_eq!(
            status_seen(&body),
            Some(("D10100".into(), "New Submissions - External Portal".into()))
        );
    }

    #[test]
    fn unmapped_status_is_other_and_links_fill_hidden_profiles() {
        let statuses = settings_with(&[]).status_map;
        let body = serde_json::json!({"status": {"id": "C1"}, "links": [
            {"rel":"self","url":"https://api.icims.com/customers/1/applicantworkflows/9"},
            {"rel":"self","url":"https://api.icims.com/customers/1/jobs/8"},
            {"rel":"self","url":"https://api.icims.com/customers/1/people/7"}]});
        let app = application("9", &body, "{}", &statuses).unwrap();
        assert_eq!((app.candidate_id.as_str(), app.job_id.as_str()), ("7", "8"));
        assert_eq!(app.stage, Some(Stage::Other));
        assert!(app.source.is_none() && app.applied_at.is_none());
        assert!(application("9", &serde_json::json!({}), "{}", &statuses).is_err());
    }

    #[test]
    fn create_body_matches_the_documented_shape() {
        assert_eq!(
            create_body(
                1008,
                2468,
                Some("D10100"),
                "Other (Please Specify)",
                Some("platform")
            ),
            serde_json::json!({"baseprofile":1008,"associatedprofile":2468,"status":{"id":"D10100"},"source":"Other (Please Specify)","sourcename":"platform"})
        );
        assert_eq!(
            create_body(1, 2, None, "s", None),
            serde_json::json!({"baseprofile":1,"associatedprofile":2,"source":"s"})
        );
        assert_eq!(
            status_body("C38354"),
            serde_json::json!({"status":{"id":"C38354"}})
        );
    }
}
