//! Job profiles (`/jobs/{id}`, icims-api.md §9) → [`Job`].

use ats_connector_sdk::{Address, Job};

use super::{date, named_ref, text, text_or_node_value};
use crate::json::JsonView;
use crate::settings::JobStateMap;

/// Maps a job GET body. `raw` is the text received.
pub fn job<J: JsonView>(id: &str, body: &J, raw: &str, states: &JobStateMap) -> Job {
    let folder = named_ref(body, "folder");
    Job {
        id: id.to_string(),
        requisition_number: text(body, "jobid"),
        title: text(body, "jobtitle"),
        state: folder.as_ref().and_then(|f| states.name_of(&f.id)),
        folder,
        description: text(body, "overview"),
        qualifications: text(body, "qualifications"),
        // `joblocation` is an ADDRESSLINK whose `value` is the whole address on one line.
        location: text_or_node_value(body, "joblocation"),
        address: text_or_node_value(body, "joblocation")
            .as_deref()
            .and_then(location_parts),
        department: text_or_node_value(body, "department"),
        hiring_manager: named_ref(body, "hiringmanager"),
        recruiter: named_ref(body, "recruiter"),
        openings: body.get("numberofpositions").and_then(|n| {
            n.as_u64()
                .or_else(|| n.as_str().and_then(|s| s.trim().parse().ok()))
                .and_then(|n| u32::try_from(n).ok())
        }),
        custom_fields: Vec::new(),
        created_at: date(body, "createddate"),
        updated_at: date(body, "updateddate"),
        raw: Some(raw.to_string()),
    }
}

/// The parts of a `joblocation` value: `{location name} - {street}  {city}, {state} {zip}
/// {country}` (two spaces before the city, as iCIMS writes it). `None` when the text does not
/// have that shape; the one-line `location` still carries it.
pub fn location_parts(value: &str) -> Option<Address> {
    let value = value.trim();
    // The city starts after the last double space (a location's name may hold commas).
    let (head, tail) = match value.rsplit_once("  ") {
        Some((h, t)) if t.contains(',') => (Some(h), t),
        _ => (None, value.rsplit_once(" - ").map_or(value, |(_, t)| t)),
    };
    let (city, rest) = tail.split_once(',')?;
    let city = city.trim();
    if city.is_empty() {
        return None;
    }
    let street = head
        .map(|h| h.rsplit_once(" - ").map_or(h, |(_, s)| s).trim())
        .filter(|s| !s.is_empty());
    let words: Vec<&str> = rest.split_whitespace().collect();
    let zip_at = words
        .iter()
        .position(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()));
    let (region, zip, country) = match zip_at {
        Some(i) => (
            words[..i].join(" "),
            Some(words[i].to_string()),
            words[i + 1..].join(" "),
        ),
        None => (words.join(" "), None, String::new()),
    };
    let some = |s: String| (!s.is_empty()).then_some(s);
    Some(Address {
        street: street.map(str::to_string),
        city: Some(city.to_string()),
        region: some(region),
        postal_code: zip,
        country: some(country),
        kind: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::settings_with;
    use ats_connector_sdk::JobState;
    use serde_json::Value;

    const JOB_1123: &str = r#"{ "jobid": "2016-1123", "jobtitle": "Theater & Writing Group Mentor",
      "folder": {"id":"D31001","value":"Approved","formattedvalue":"Approved"},
      "hiringmanager": {"id":327,"value":"Hana Manager","profile":"https://api.icims.com/customers/6405/people/327"},
      "recruiter":     {"id":138,"value":"Rick Recruiter","profile":"https://api.icims.com/customers/6405/people/138"},
      "joblocation":   {"id":23,"companyid":1800,"address":"https://api.icims.com/customers/6405/companies/1800/fields/addresses/23",
                        "value":"826 Boston, Inc. - 3035 Washington St  Roxbury, Massachusetts 02119-1227 United States "},
      "department": {"id":"C200","value":"Education","formattedvalue":"Education"},
      "overview": "<p>Mentor teens.</p>", "numberofpositions": 3,
      "createddate": "2016-01-04 9:15 AM", "updateddate": "2016-02-01 04:30 PM",
      "links": [{"rel":"self","title":"The current profile being viewed.","url":"https://api.icims.com/customers/6405/jobs/1123"}] }"#;

    #[test]
    fn borrowed_json_maps_like_values() {
        let states = settings_with(&[("job-state-map", "open=D31001;closed=C1")]).job_state_map;
        let full: Value = serde_json::from_str(JOB_1123).unwrap();
        let light = crate::json::Borrowed::parse(JOB_1123).unwrap();
        assert_eq!(
            format!("{:?}", job("1123", &light, JOB_1123, &states)),
            format!("{:?}", job("1123", &full, JOB_1123, &states))
        );
    }

    #[test]
    fn location_text_comes_apart() {
        let a = location_parts(
            "826 Boston, Inc. - 3035 Washington St  Roxbury, Massachusetts 02119-1227 United States ",
        )
        .unwrap();
        assert_eq!(a.city.as_deref(), Some("Roxbury"), "{a:?}");
        assert_eq!(a.street.as_deref(), Some("3035 Washington St"));
        assert_eq!(a.postal_code.as_deref(), Some("02119-1227"));
        let a = location_parts(
            "Globex - Headquarters - 12 Main Street  Salt Lake City, Utah 84101 United States ",
        )
        .unwrap();
        assert_eq!(a.city.as_deref(), Some("Salt Lake City"));
        assert_eq!(a.region.as_deref(), Some("Utah"));
        assert_eq!(a.postal_code.as_deref(), Some("84101"));
        assert_eq!(a.country.as_deref(), Some("United States"));
        assert_eq!(a.street.as_deref(), Some("12 Main Street"));
        assert!(location_parts("Remote").is_none());
        assert!(location_parts(", , ,").is_none());
    }

    #[test]
    fn maps_a_captured_job() {
        let states = settings_with(&[("job-state-map", "open=D31001;closed=C1")]).job_state_map;
        let body: Value = serde_json::from_str(JOB_1123).unwrap();
        let job = job("1123", &body, JOB_1123, &states);
        assert_eq!(job.id, "1123");
        assert_eq!(job.requisition_number.as_deref(), Some("2016-1123"));
        assert_eq!(job.title.as_deref(), Some("Theater & Writing Group Mentor"));
        assert_eq!(job.state, Some(JobState::Open));
        assert_eq!(job.folder.as_ref().map(|f| f.id.as_str()), Some("D31001"));
        assert!(
            job.location
                .as_deref()
                .unwrap()
                .starts_with("826 Boston, Inc.")
        );
        assert_eq!(job.department.as_deref(), Some("Education"));
        assert_eq!(
            job.hiring_manager
                .as_ref()
                .map(|h| (h.id.as_str(), h.name.as_deref())),
            Some(("327", Some("Hana Manager")))
        );
        assert_eq!(job.recruiter.as_ref().map(|r| r.id.as_str()), Some("138"));
        assert_eq!(job.description.as_deref(), Some("<p>Mentor teens.</p>"));
        assert_eq!(job.openings, Some(3));
        assert_eq!(job.created_at, crate::dates::parse("2016-01-04 09:15 AM"));
        assert!(job.updated_at.is_some());
        assert_eq!(job.raw.as_deref(), Some(JOB_1123));
    }

    #[test]
    fn absent_fields_stay_absent() {
        let states = settings_with(&[]).job_state_map;
        let body = serde_json::json!({"folder": {"id":"D99"}});
        let job = job("5", &body, "{}", &states);
        assert_eq!(job.state, None);
        assert_eq!(job.folder.as_ref().map(|f| f.name.clone()), Some(None));
        assert!(
            job.title.is_none()
                && job.location.is_none()
                && job.openings.is_none()
                && job.hiring_manager.is_none()
        );
    }
}
