//! iCIMS integration events (webhooks, icims-api.md §10) → records to re-read.
//!
//! Payload: `customerId`, `eventType`, `systemId` (the workflow id for workflow events), `userId`,
//! `links: [{rel,title,url}]` with rel `applicantWorkflow`, `job`, `person`, `user`; Status Flow
//! Update adds `newStatus`, `oldStatus`, `jobId`, `personId`. Events are hints: the host re-reads
//! the records, so nothing here trusts the payload beyond ids.

use ats_connector_sdk::{ConnectorError, RecordKind, RecordRef};
use serde_json::Value;

use crate::urls::trailing_id;

/// Event types whose `systemId` is a recruiting workflow. `AssessmentEvent` is the documented
/// name of the Application Complete event; `ApplicationCompletedEvent` is what code receives.
const WORKFLOW_EVENTS: &[&str] = &[
    "WorkFlowStatusChangeEvent",
    "ApplicationCompletedEvent",
    "AssessmentEvent",
];

/// The records an event body points at, application first. A `customerId` other than the
/// connection's is refused (one endpoint may serve many customers; the host routed it wrong).
pub fn records_to_reread(body: &str, customer_id: u64) -> Result<Vec<RecordRef>, ConnectorError> {
    let event: Value = serde_json::from_str(body).map_err(|e| {
        ConnectorError::InvalidInput(format!("the iCIMS event is not valid JSON: {e}"))
    })?;
    if !event.is_object() {
        return Err(ConnectorError::InvalidInput(
            "the iCIMS event is not a JSON object".into(),
        ));
    }
    let text = |key: &str| match event.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if let Some(customer) = text("customerId")
        && customer != customer_id.to_string()
    {
        return Err(ConnectorError::InvalidInput(format!(
            "the event is for iCIMS customer {customer}, but this connection is customer {customer_id}"
        )));
    }
    let mut refs: Vec<RecordRef> = Vec::new();
    let mut add = |kind: RecordKind, id: String| {
        if !refs.iter().any(|r| r.kind == kind && r.id == id) {
            refs.push(RecordRef { kind, id });
        }
    };
    let event_type = text("eventType").unwrap_or_default();
    if WORKFLOW_EVENTS.contains(&event_type.as_str()) {
        if let Some(id) = text("systemId") {
            add(RecordKind::Application, id);
        }
        if let Some(id) = text("personId") {
            add(RecordKind::Candidate, id);
        }
        if let Some(id) = text("jobId") {
            add(RecordKind::Job, id);
        }
    }
    for link in event
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = match link.get("rel").and_then(Value::as_str) {
            Some("applicantWorkflow") => RecordKind::Application,
            Some("person") => RecordKind::Candidate,
            Some("job") => RecordKind::Job,
            _ => continue, // `user` is the iCIMS user who acted, not a record we mirror.
        };
        if let Some(id) = link
            .get("url")
            .and_then(Value::as_str)
            .and_then(trailing_id)
        {
            add(kind, id);
        }
    }
    Ok(refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPLETED: &str = r#"{ "customerId":"2187", "systemId":"13820", "userId":"11219", "eventType":"ApplicationCompletedEvent",
      "returnUrl":"https://jobs-x.icims.com/jobs/2039/assessment?i=1",
      "links":[ {"rel":"applicantWorkflow","title":"Applicant Workflow","url":"https://api.icims.com/customers/2187/applicantworkflows/13820"},
                {"rel":"job","title":"Job Profile","url":"https://api.icims.com/customers/2187/jobs/2039"},
                {"rel":"person","title":"Person Profile","url":"https://api.icims.com/customers/2187/people/11219"},
                {"rel":"user","title":"Posting User","url":"https://api.icims.com/customers/2187/people/11219"} ] }"#;

    fn view(refs: &[RecordRef]) -> Vec<(RecordKind, &str)> {
        refs.iter().map(|r| (r.kind, r.id.as_str())).collect()
    }

    #[test]
    fn application_completed() {
        let refs = records_to_reread(COMPLETED, 2187).unwrap();
        assert_eq!(
            view(&refs),
            vec![
                (RecordKind::Application, "13820"),
                (RecordKind::Job, "2039"),
                (RecordKind::Candidate, "11219")
            ]
        );
    }

    #[test]
    fn status_change_uses_its_ids_and_links() {
        let body = r#"{"customerId":2187,"eventType":"WorkFlowStatusChangeEvent","systemId":"55","newStatus":"C2","oldStatus":"D10100",
                       "personId":"7","jobId":"8","links":[{"rel":"applicantWorkflow","url":"https://api.icims.com/customers/2187/applicantworkflows/55"}]}"#;
        assert_eq!(
            view(&records_to_reread(body, 2187).unwrap()),
            vec![
                (RecordKind::Application, "55"),
                (RecordKind::Candidate, "7"),
                (RecordKind::Job, "8")
            ]
        );
    }

    #[test]
    fn unknown_types_use_links_only() {
        let body = r#"{"customerId":"2187","eventType":"JobEditEvent","systemId":"2039","links":[{"rel":"job","url":"https://api.icims.com/customers/2187/jobs/2039"}]}"#;
        assert_eq!(
            view(&records_to_reread(body, 2187).unwrap()),
            vec![(RecordKind::Job, "2039")]
        );
        assert!(
            records_to_reread(r#"{"eventType":"RemoteLoginEvent","systemId":"1"}"#, 2187)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn refuses_other_customers_and_malformed_bodies() {
        assert!(
            matches!(records_to_reread(COMPLETED, 1), Err(ConnectorError::InvalidInput(m)) if m.contains("2187"))
        );
        assert!(matches!(
            records_to_reread("{not json", 2187),
            Err(ConnectorError::InvalidInput(_))
        ));
        assert!(matches!(
            records_to_reread("[1]", 2187),
            Err(ConnectorError::InvalidInput(_))
        ));
    }
}
