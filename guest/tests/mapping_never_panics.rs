//! Property tests: whatever iCIMS (or anything posing as it) answers, the connector's mapping
//! of people, jobs, workflows, folder lists and events, and its reading of error answers,
//! never panics, and every text it makes is bounded by the answer it came from.
//!
//! Bodies are JSON objects holding the field names the mapping reads (`mapping/*.rs`) with
//! arbitrary values of any type: missing, null, numbers where text is expected, numbers as
//! text, dates with 17-digit years, nested junk, huge strings, control characters. Each body
//! is mapped twice, from `serde_json::Value` and from the borrowed JSON the component uses,
//! and both must agree. Error answers are arbitrary bytes as well as `errors` arrays.

use ats_connector_sdk::http::Response;
use ats_connector_sdk::{Application, Candidate, ConnectorError, FolderKind, Job};
use icims_connector::json::Borrowed;
use icims_connector::mapping::{job, lists, person, workflow};
use icims_connector::settings::{CustomFields, Settings};
use icims_connector::{api, dates, errors, events};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// What a mapped text may add to the longest text of its answer: a number written by
/// `serde_json` (`-1.2345678901234567e-300`) is longer than nothing, never longer than this.
const SLACK: usize = 32;

const PERSON_KEYS: &[&str] = &[
    "firstname",
    "middlename",
    "lastname",
    "email",
    "phones",
    "addresses",
    "folder",
    "source",
    "sourcename",
    "resume",
    "createddate",
    "updateddate",
    "field1",
    "field2",
    "field3",
    "field4",
    "links",
];
const JOB_KEYS: &[&str] = &[
    "jobid",
    "jobtitle",
    "folder",
    "overview",
    "joblocation",
    "department",
    "hiringmanager",
    "recruiter",
    "numberofpositions",
    "createddate",
    "updateddate",
];
const WORKFLOW_KEYS: &[&str] = &[
    "associatedprofile",
    "baseprofile",
    "status",
    "source",
    "sourcename",
    "createddate",
    "updateddate",
    "links",
];
const LIST_KEYS: &[&str] = &["nodes", "listNodes", "values", "_links"];
const EVENT_KEYS: &[&str] = &[
    "customerId",
    "eventType",
    "systemId",
    "userId",
    "personId",
    "jobId",
    "newStatus",
    "oldStatus",
    "links",
];
/// Keys of the values nested in a body: list nodes, phone and address groups, links, files,
/// errors.
const NODE_KEYS: &[&str] = &[
    "id",
    "value",
    "formattedvalue",
    "abbrev",
    "profile",
    "phonenumber",
    "phonetype",
    "addressstreet1",
    "addressstreet2",
    "addresscity",
    "addressstate",
    "addresszip",
    "addresscountry",
    "addresstype",
    "entry",
    "file",
    "filename",
    "name",
    "rel",
    "title",
    "url",
    "href",
    "next",
    "errorCode",
    "errorMessage",
];
const EVENT_TYPES: &[&str] = &[
    "WorkFlowStatusChangeEvent",
    "ApplicationCompletedEvent",
    "AssessmentEvent",
    "PersonUpdateEvent",
    "JobUpdateEvent",
];

// ---- values ----

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        16 => any::<String>(),
        6 => "[\\x00-\\x1f\\x7f \t\n,;a-z\"\\\\]{0,12}",
        2 => Just(String::new()),
        1 => (any::<char>(), 0..20_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
    .boxed()
}

fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?-?[0-9]{1,20}-[0-9]{1,3}-[0-9]{1,3}( [0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3})? ?([AaPp][Mm])?)?[ ]?",
        "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]) (0?[1-9]|1[0-2]):[0-5][0-9] (AM|PM)",
    ]
}

fn number_text() -> impl Strategy<Value = String> {
    "[ ]{0,2}[-+]?[0-9]{1,25}([.][0-9]{0,5})?([eE][-+]?[0-9]{1,4})?[ ]{0,2}"
}

fn link_text() -> impl Strategy<Value = String> {
    "(https://api.icims.com)?/customers/[0-9]{1,5}/(people|jobs|applicantworkflows|v2/lists/x)/?[0-9]{0,22}/?[?#]?(page=[0-9])?"
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0), any::<i64>()].prop_map(Value::from),
        1 => prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        3 => text().prop_map(Value::String),
        2 => date_text().prop_map(Value::String),
        2 => number_text().prop_map(Value::String),
        2 => link_text().prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON at all, a few levels deep.
fn junk() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(3, 32, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..5).prop_map(Value::Array),
                vec(
                    (
                        prop_oneof![select(NODE_KEYS).prop_map(String::from), any::<String>()],
                        inner
                    ),
                    0..5
                )
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
        .boxed()
}

/// An object holding some of `keys` (each with probability `present`), each with a value from
/// `value`, and a few junk members.
fn object_of(
    keys: &'static [&'static str],
    present: f64,
    value: impl Strategy<Value = Value> + Clone,
) -> impl Strategy<Value = Value> {
    (
        vec(proptest::option::weighted(present, value), keys.len()),
        vec((any::<String>(), junk()), 0..2),
    )
        .prop_map(move |(values, extra)| {
            let mut members = Map::new();
            for (key, value) in keys.iter().zip(values) {
                if let Some(value) = value {
                    members.insert(key.to_string(), value);
                }
            }
            members.extend(extra);
            Value::Object(members)
        })
}

/// A list node, a phone or address group, a link, a file, an error entry — or a mix of them.
fn node() -> BoxedStrategy<Value> {
    let inner =
        prop_oneof![4 => leaf(), 1 => object_of(&["id", "value", "abbrev", "href"], 0.5, leaf())];
    object_of(NODE_KEYS, 0.2, inner).boxed()
}

/// What the mapping finds under one of its keys.
fn field() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => leaf(),
        3 => node(),
        2 => vec(node(), 0..4).prop_map(Value::Array),
        1 => vec(leaf(), 0..4).prop_map(Value::Array),
        1 => junk(),
    ]
    .boxed()
}

fn body(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    object_of(keys, 0.6, field())
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[0-9]{1,8}", 1 => text()]
}

// ---- settings ----

fn settings() -> Settings {
    let get = |key: &str| {
        match key {
            "customer-id" => Some("1234"),
            "client-id" => Some("abc"),
            "status-map" => Some("new=D10100;interview=C12296;hired=C23504;rejected=C1"),
            "job-state-map" => Some("open=D31001;closed=C1"),
            _ => None,
        }
        .map(str::to_string)
    };
    Settings::parse(&get).expect("valid test settings")
}

fn custom_fields() -> [CustomFields; 2] {
    let named = |key: &str| Some(key.to_string());
    [
        CustomFields {
            linkedin: named("field1"),
            title: named("field2"),
            company: named("field3"),
            skills: named("field4"),
        },
        CustomFields {
            linkedin: None,
            title: None,
            company: None,
            skills: None,
        },
    ]
}

// ---- the texts each mapping makes ----

fn candidate_texts(c: &Candidate) -> Vec<&str> {
    let mut texts = vec![c.id.as_str()];
    for t in [
        &c.first_name,
        &c.middle_name,
        &c.last_name,
        &c.current_title,
        &c.current_company,
        &c.source,
        &c.source_detail,
    ] {
        texts.extend(t.as_deref());
    }
    for e in &c.emails {
        texts.push(&e.address);
        texts.extend(e.kind.as_deref());
    }
    for p in &c.phones {
        texts.push(&p.number);
        texts.extend(p.kind.as_deref());
    }
    for a in &c.addresses {
        for part in [
            &a.street,
            &a.city,
            &a.region,
            &a.postal_code,
            &a.country,
            &a.kind,
        ] {
            texts.extend(part.as_deref());
        }
    }
    texts.extend(c.urls.iter().map(|u| u.url.as_str()));
    texts.extend(c.skills.iter().map(String::as_str));
    texts.extend(c.tags.iter().map(String::as_str));
    if let Some(f) = &c.folder {
        texts.push(&f.id);
        texts.extend(f.name.as_deref());
    }
    for a in &c.attachments {
        texts.push(&a.id);
        texts.extend(a.file_name.as_deref());
        texts.extend(a.content_type.as_deref());
    }
    texts
}

fn job_texts(j: &Job) -> Vec<&str> {
    let mut texts = vec![j.id.as_str()];
    for t in [
        &j.requisition_number,
        &j.title,
        &j.description,
        &j.location,
        &j.department,
    ] {
        texts.extend(t.as_deref());
    }
    for r in [&j.folder, &j.hiring_manager, &j.recruiter]
        .into_iter()
        .flatten()
    {
        texts.push(&r.id);
        texts.extend(r.name.as_deref());
    }
    texts
}

fn application_texts(a: &Application) -> Vec<&str> {
    let mut texts = vec![a.id.as_str(), &a.candidate_id, &a.job_id];
    texts.extend(a.source.as_deref());
    texts.extend(a.source_detail.as_deref());
    if let Some(s) = &a.status {
        texts.push(&s.id);
        texts.extend(s.name.as_deref());
    }
    texts
}

fn error_texts(e: &ConnectorError) -> Vec<&str> {
    match e {
        ConnectorError::PermissionMissing(p) => vec![&p.permission, &p.message],
        ConnectorError::RateLimited(r) => vec![&r.message],
        ConnectorError::Unauthorized(m)
        | ConnectorError::NotFound(m)
        | ConnectorError::InvalidInput(m)
        | ConnectorError::Conflict(m)
        | ConnectorError::Unsupported(m)
        | ConnectorError::Transient(m)
        | ConnectorError::Misconfigured(m)
        | ConnectorError::Internal(m) => vec![m],
    }
}

/// Every text is at most `bound` bytes.
fn all_within(texts: Vec<&str>, bound: usize) -> Result<(), TestCaseError> {
    for text in texts {
        prop_assert!(
            text.len() <= bound,
            "a {}-byte text, bound {bound}",
            text.len()
        );
    }
    Ok(())
}

/// The answer's text and its `Value`, read back from the text as the connector reads it.
fn parsed(body: &Value) -> (String, Value) {
    let raw = body.to_string();
    let full: Value = serde_json::from_str(&raw).expect("serde_json reads what it wrote");
    (raw, full)
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "x-ratelimit-remaining",
                "X-RateLimit-Reset",
                "x-ratelimit-limit",
                "retry-after",
                "content-type",
            ][..]
        )
        .prop_map(String::from),
        any::<String>(),
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        number_text(),
        text(),
        Just(u64::MAX.to_string()),
        Just("18446744073709551616".to_string()),
    ]
}

/// An iCIMS error answer, arbitrary JSON, or arbitrary bytes.
fn answer_body() -> impl Strategy<Value = Vec<u8>> {
    let errors = vec(node(), 0..6).prop_map(|list| serde_json::json!({ "errors": list }));
    prop_oneof![
        3 => errors.prop_map(|v| v.to_string().into_bytes()),
        1 => (0..3_000usize).prop_map(|n| format!("{{\"errors\":[{}{{}}]}}", "{},".repeat(n)).into_bytes()),
        2 => body(PERSON_KEYS).prop_map(|v| v.to_string().into_bytes()),
        2 => vec(any::<u8>(), 0..256),
        1 => text().prop_map(String::into_bytes),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        select(
            &[
                200u16, 201, 204, 400, 401, 403, 404, 408, 409, 429, 500, 503
            ][..]
        ),
        any::<u16>(),
    ]
}

// ---- the properties ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn a_person_maps_alike_from_both_readers_and_within_its_answer(body in body(PERSON_KEYS), id in id()) {
        let (raw, full) = parsed(&body);
        let light = Borrowed::parse(&raw).expect("valid JSON");
        for custom in custom_fields() {
            // `raw` is passed through untouched; left out here so the comparison stays cheap.
            let from_full = person::candidate(&id, &full, "", &custom);
            let from_light = person::candidate(&id, &light, "", &custom);
            prop_assert_eq!(format!("{from_full:?}"), format!("{from_light:?}"));
            all_within(candidate_texts(&from_full), raw.len().max(id.len()) + SLACK)?;
        }
    }

    #[test]
    fn a_job_maps_alike_from_both_readers_and_within_its_answer(body in body(JOB_KEYS), id in id()) {
        let (raw, full) = parsed(&body);
        let light = Borrowed::parse(&raw).expect("valid JSON");
        let states = settings().job_state_map;
        let from_full = job::job(&id, &full, "", &states);
        let from_light = job::job(&id, &light, "", &states);
        prop_assert_eq!(format!("{from_full:?}"), format!("{from_light:?}"));
        all_within(job_texts(&from_full), raw.len().max(id.len()) + SLACK)?;
    }

    #[test]
    fn a_workflow_maps_alike_from_both_readers_and_within_its_answer(body in body(WORKFLOW_KEYS), id in id()) {
        let (raw, full) = parsed(&body);
        let light = Borrowed::parse(&raw).expect("valid JSON");
        let statuses = settings().status_map;
        let from_full = workflow::application(&id, &full, "", &statuses);
        let from_light = workflow::application(&id, &light, "", &statuses);
        prop_assert_eq!(format!("{from_full:?}"), format!("{from_light:?}"));
        prop_assert_eq!(workflow::status_seen(&full), workflow::status_seen(&light));
        match &from_full {
            Ok(application) => all_within(application_texts(application), raw.len().max(id.len()) + SLACK)?,
            // The reason names the id; the advice is the connector's own fixed text.
            Err(error) => all_within(vec![&error.id, &error.reason], 2 * id.len() + 200)?,
        }
    }

    #[test]
    fn a_folder_list_maps_within_its_answer(body in body(LIST_KEYS), kind in select(&[FolderKind::Candidate, FolderKind::Job][..])) {
        let (raw, full) = parsed(&body);
        let next = lists::next_page(&full).map(str::len).unwrap_or(0);
        prop_assert!(next <= raw.len());
        for folder in lists::folders(&full, kind) {
            all_within(vec![&folder.id, folder.name.as_deref().unwrap_or("")], raw.len() + SLACK)?;
            prop_assert!(folder.raw.as_deref().map_or(0, str::len) <= raw.len());
        }
    }

    #[test]
    fn an_event_names_records_from_its_own_ids(
        body in body(EVENT_KEYS),
        event_type in proptest::option::of(select(EVENT_TYPES)),
        customer_id in prop_oneof![Just(1234u64), Just(u64::MAX), any::<u64>()],
    ) {
        let mut body = body;
        if let (Some(event_type), Some(members)) = (event_type, body.as_object_mut()) {
            members.insert("eventType".into(), event_type.into());
        }
        let raw = body.to_string();
        match events::records_to_reread(&raw, customer_id) {
            Ok(refs) => {
                prop_assert!(refs.len() <= 16, "{} records", refs.len());
                all_within(refs.iter().map(|r| r.id.as_str()).collect(), raw.len() + SLACK)?;
            }
            Err(error) => all_within(error_texts(&error), raw.len() + 200)?,
        }
    }

    #[test]
    fn an_answer_is_checked_without_panic_and_its_error_is_bounded(
        status in status(),
        headers in vec((header_name(), header_value()), 0..4),
        body in answer_body(),
        permission in prop_oneof![Just("people-get".to_string()), text()],
    ) {
        let checked = errors::check(status, &headers, &body, &permission);
        if let Err(error) = &checked {
            // iCIMS's messages are cut to `MAX_MESSAGE_BYTES`; a non-JSON body shows 200 bytes.
            all_within(error_texts(error), (errors::MAX_MESSAGE_BYTES + 800).max(permission.len()))?;
        }
        let _ = errors::body_errors(&body);
        // The one-pass read agrees with the full check on whether the answer is an error.
        if let Ok(answer) = api::answer_text(Response { status, headers, body }) {
            let one_pass = answer.parse_checked(&permission);
            if checked.is_err() && (200..300).contains(&status) {
                prop_assert!(one_pass.is_err());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn a_date_parses_or_is_none_and_formats_back(text in prop_oneof![date_text(), any::<String>()]) {
        if let Some(seconds) = dates::parse(&text) {
            prop_assert_eq!(dates::parse(&dates::format(seconds)), Some(seconds - seconds.rem_euclid(60)));
        }
    }

    #[test]
    fn any_time_formats(seconds in prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>()]) {
        prop_assert!(dates::format(seconds).len() <= 40);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused_without_panic(text in prop_oneof![
        any::<String>(),
        body(PERSON_KEYS).prop_map(|v| v.to_string()),
        // Cut JSON: a truncated answer.
        (body(JOB_KEYS), any::<prop::sample::Index>()).prop_map(|(v, at)| {
            let text = v.to_string();
            let mut end = at.index(text.len() + 1);
            while !text.is_char_boundary(end) { end -= 1; }
            text[..end].to_string()
        }),
    ]) {
        if let Ok(light) = Borrowed::parse(&text) {
            let settings = settings();
            let candidate = person::candidate("1", &light, &text, &settings.custom);
            all_within(candidate_texts(&candidate), text.len() + SLACK)?;
            let job = job::job("1", &light, &text, &settings.job_state_map);
            all_within(job_texts(&job), text.len() + SLACK)?;
            let _ = workflow::application("1", &light, &text, &settings.status_map);
        }
        let _ = events::records_to_reread(&text, 1234);
    }
}
