//! Search API request bodies and id paging (icims-api.md §5).
//!
//! Search answers ids only — at most 1,000 per call, ascending — and has no cursor: the next
//! page repeats the query with `<type>.id > <last id>`. A search must have at least one filter,
//! so a full read filters on `<type>.id > 0`. Incremental reads add `<type>.updateddate >=`
//! the since-time (UTC, `yyyy-mm-dd hh:mm a`, rounded down to the minute).

use ats_connector_sdk::ConnectorError;
use serde_json::{Value, json};

use crate::cursor::ReadCursor;
use crate::dates;
use crate::profile::ProfileType;

/// The most ids one search returns.
pub const PAGE_MAX: usize = 1000;

/// One filter: `{"name":…,"value":[…],"operator":…}`.
pub fn filter(name: &str, value: &str, operator: &str) -> Value {
    json!({ "name": name, "value": [value], "operator": operator })
}

/// The search for one page of a read: ids after the cursor, changed since its time.
pub fn page_query(profile: ProfileType, cursor: &ReadCursor) -> Value {
    let prefix = profile.filter_prefix();
    let mut filters = vec![filter(
        &format!("{prefix}.id"),
        &cursor.after.to_string(),
        ">",
    )];
    if let Some(since) = cursor.since {
        filters.push(filter(
            &format!("{prefix}.updateddate"),
            &dates::format(since),
            ">=",
        ));
    }
    json!({ "filters": filters })
}

/// A search that matches nothing (`<type>.id < 0`): proves the list permission, costs one call.
pub fn matching_nothing(profile: ProfileType) -> Value {
    json!({ "filters": [filter(&format!("{}.id", profile.filter_prefix()), "0", "<")] })
}

/// Workflows in a status that match nothing: proves the permission to search by status.
pub fn workflows_in_status_matching_nothing(status_id: &str) -> Value {
    json!({ "filters": [
        filter("applicantworkflow.status", status_id, "="),
        filter("applicantworkflow.id", "0", "<"),
    ] })
}

/// People with any of these emails (`=` on text is "contains", so callers re-check exactly).
pub fn people_by_email(emails: &[String]) -> Value {
    let filters: Vec<Value> = emails
        .iter()
        .map(|e| filter("person.email", e, "="))
        .collect();
    json!({ "filters": filters, "operator": "|" })
}

/// People with this first and last name (callers re-check exactly).
pub fn people_by_name(first: &str, last: &str) -> Value {
    json!({ "filters": [filter("person.firstname", first, "="), filter("person.lastname", last, "=")], "operator": "&" })
}

/// The workflow linking a person to a job, if any.
pub fn workflow_of(person_id: &str, job_id: &str) -> Value {
    json!({ "filters": [
        filter("applicantworkflow.person.id", person_id, "="),
        filter("applicantworkflow.job.id", job_id, "="),
    ], "operator": "&" })
}

/// The ids of `{"searchResults":[{"id":…,"self":…}]}` (ids are numbers, or strings in some docs).
pub fn result_ids(body: &Value) -> Result<Vec<u64>, ConnectorError> {
    let results = body
        .get("searchResults")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ConnectorError::Internal(format!(
                "search answer has no `searchResults` array: {}",
                truncate(body)
            ))
        })?;
    results
        .iter()
        .map(|r| {
            let id = r.get("id");
            id.and_then(Value::as_u64)
                .or_else(|| {
                    id.and_then(Value::as_str)
                        .and_then(|s| s.trim().parse().ok())
                })
                .ok_or_else(|| {
                    ConnectorError::Internal(format!("search result without a numeric id: {r}"))
                })
        })
        .collect()
}

/// Which ids of a search answer make this page, and where the next page starts.
///
/// `limit` (the host's page-size hint, at most 1,000) only shrinks a page. There is a next page
/// when ids were left over, or when the search was full (exactly 1,000: more may follow).
pub fn plan_page(ids: &[u64], limit: usize, cursor: ReadCursor) -> (&[u64], Option<ReadCursor>) {
    let limit = limit.clamp(1, PAGE_MAX);
    let taken = &ids[..ids.len().min(limit)];
    let more = taken.len() < ids.len() || ids.len() >= PAGE_MAX;
    let next = match taken.last() {
        Some(last) if more => Some(cursor.after(*last)),
        _ => None,
    };
    (taken, next)
}

fn truncate(body: &Value) -> String {
    body.to_string().chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_read_starts_with_id_greater_than_zero() {
        let body = page_query(ProfileType::Person, &ReadCursor::start(None));
        assert_eq!(
            body,
            json!({"filters":[{"name":"person.id","value":["0"],"operator":">"}]})
        );
    }

    #[test]
    fn incremental_page_adds_updateddate_rounded_down() {
        let since = dates::parse("2024-01-31 10:00 PM").unwrap() + 59;
        let body = page_query(
            ProfileType::Workflow,
            &ReadCursor::start(Some(since)).after(1000),
        );
        assert_eq!(
            body,
            json!({"filters":[
                {"name":"applicantworkflow.id","value":["1000"],"operator":">"},
                {"name":"applicantworkflow.updateddate","value":["2024-01-31 10:00 PM"],"operator":">="}
            ]})
        );
    }

    #[test]
    fn match_bodies() {
        assert_eq!(
            people_by_email(&["a@x.com".into(), "b@x.com".into()]),
            json!({"filters":[{"name":"person.email","value":["a@x.com"],"operator":"="},{"name":"person.email","value":["b@x.com"],"operator":"="}],"operator":"|"})
        );
        assert_eq!(
            workflow_of("1", "2")["filters"][1]["name"],
            "applicantworkflow.job.id"
        );
        assert_eq!(
            matching_nothing(ProfileType::Job)["filters"][0],
            json!({"name":"job.id","value":["0"],"operator":"<"})
        );
        assert_eq!(people_by_name("Ada", "Lovelace")["operator"], "&");
    }

    #[test]
    fn reads_ids_as_numbers_or_strings() {
        let body = json!({"searchResults":[{"id":1000,"self":"x"},{"id":"1001"}]});
        assert_eq!(result_ids(&body).unwrap(), vec![1000, 1001]);
        assert_eq!(
            result_ids(&json!({"searchResults":[]})).unwrap(),
            Vec::<u64>::new()
        );
        assert!(result_ids(&json!({"errors":[]})).is_err());
        assert!(result_ids(&json!({"searchResults":[{"id":"x"}]})).is_err());
    }

    #[test]
    fn paging_plan() {
        let start = ReadCursor::start(Some(5));
        let full: Vec<u64> = (1..=1000).collect();
        let (taken, next) = plan_page(&full, PAGE_MAX, start);
        assert_eq!(taken.len(), 1000);
        assert_eq!(next, Some(start.after(1000)));

        let short: Vec<u64> = (1..=10).collect();
        assert_eq!(plan_page(&short, PAGE_MAX, start), (&short[..], None));
        let (taken, next) = plan_page(&short, 4, start);
        assert_eq!(taken, &[1, 2, 3, 4]);
        assert_eq!(next, Some(start.after(4)));
        assert_eq!(plan_page(&[], 4, start), (&[][..], None));
        // A hint above 1,000 never grows a page.
        assert_eq!(plan_page(&full, 5000, start).0.len(), 1000);
    }
}
