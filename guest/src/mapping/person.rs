//! Person profiles (`/people/{id}`, icims-api.md §6) ⇄ [`Candidate`] / [`CandidateInput`].
//!
//! Reading: `email` is one string; `phones` and `addresses` are collections of groups; `folder`
//! is a list node; `resume` is a FILE field (`{"file":"…/binary"}`). LinkedIn URL, title,
//! company and skills live in customer-specific custom fields named by settings.
//!
//! Writing: iCIMS deletes a value set to `null` or `""` (§3), so bodies carry only values given
//! and never empty ones. Collections are written whole, so updates send the current entries
//! plus the new ones (see [`update_body`]).

use ats_connector_sdk::{
    Address, AttachmentInfo, AttachmentKind, Candidate, CandidateInput, ConnectorError, Education,
    Email, Phone, ProfileUrl, UrlKind, WorkExperience,
};
use serde_json::{Map, Value, json};

use super::{date, named_ref, text, text_or_node_value};
use crate::json::JsonView;
use crate::settings::{CustomFields, Settings};

/// The attachment id of the person's résumé (the FILE field `resume`).
pub const RESUME_ATTACHMENT: &str = "resume";

/// Maps a person GET body. `raw` is the text received.
pub fn candidate<J: JsonView>(id: &str, body: &J, raw: &str, custom: &CustomFields) -> Candidate {
    let field = |key: &Option<String>| key.as_deref().and_then(|k| text_or_node_value(body, k));
    Candidate {
        id: id.to_string(),
        first_name: text(body, "firstname"),
        middle_name: text(body, "middlename"),
        last_name: text(body, "lastname"),
        emails: text(body, "email")
            .map(|address| {
                vec![Email {
                    address,
                    kind: None,
                    primary: true,
                }]
            })
            .unwrap_or_default(),
        phones: entries(body, "phones").filter_map(phone).collect(),
        addresses: entries(body, "addresses")
            .map(address)
            .filter(|a| !is_blank(a))
            .collect(),
        urls: field(&custom.linkedin)
            .map(|url| {
                vec![ProfileUrl {
                    url,
                    kind: UrlKind::Linkedin,
                }]
            })
            .unwrap_or_default(),
        current_title: field(&custom.title),
        current_company: field(&custom.company),
        skills: custom
            .skills
            .as_deref()
            .map(|k| skills(body.get(k)))
            .unwrap_or_default(),
        experience: newest_first(
            entries(body, "workexperience")
                .filter_map(work_experience)
                .collect(),
            |w| w.ended_at.unwrap_or(i64::MAX),
        ),
        education: newest_first(
            entries(body, "education").filter_map(education).collect(),
            |e| e.ended_at.unwrap_or(i64::MAX),
        ),
        folder: named_ref(body, "folder"),
        source: text_or_node_value(body, "source"),
        source_detail: text(body, "sourcename"),
        tags: Vec::new(),
        attachments: resume(body).into_iter().collect(),
        // Filled by the read from the `custom-fields` setting.
        custom_fields: Vec::new(),
        created_at: date(body, "createddate"),
        updated_at: date(body, "updateddate"),
        raw: Some(raw.to_string()),
    }
}

fn entries<'a, J: JsonView>(body: &'a J, key: &str) -> impl Iterator<Item = &'a J> {
    body.get(key)
        .and_then(JsonView::as_array)
        .into_iter()
        .flatten()
}

/// A `workexperience` group (`worktitle`, `workemployer`, `workstartdate`, `workenddate`,
/// `workdescription`); `None` when it holds none of them.
fn work_experience<J: JsonView>(entry: &J) -> Option<WorkExperience> {
    let w = WorkExperience {
        title: text_or_node_value(entry, "worktitle"),
        employer: text_or_node_value(entry, "workemployer"),
        started_at: date(entry, "workstartdate"),
        ended_at: date(entry, "workenddate"),
        description: text(entry, "workdescription"),
    };
    (w.title.is_some() || w.employer.is_some() || w.description.is_some()).then_some(w)
}

/// An `education` group (`educationschool`, `educationdegree` (a list node), `educationmajor`,
/// `graduationdate`); `None` when it names no school, degree or field.
fn education<J: JsonView>(entry: &J) -> Option<Education> {
    let e = Education {
        school: text_or_node_value(entry, "educationschool"),
        degree: text_or_node_value(entry, "educationdegree"),
        field: text_or_node_value(entry, "educationmajor"),
        ended_at: date(entry, "graduationdate"),
    };
    (e.school.is_some() || e.degree.is_some() || e.field.is_some()).then_some(e)
}

/// Sorted newest first by `end` (stable: the ATS's order breaks ties). iCIMS keeps groups in
/// entry order, which says nothing about dates.
fn newest_first<T>(mut items: Vec<T>, end: impl Fn(&T) -> i64) -> Vec<T> {
    items.sort_by_key(|x| std::cmp::Reverse(end(x)));
    items
}

fn phone<J: JsonView>(entry: &J) -> Option<Phone> {
    Some(Phone {
        number: text(entry, "phonenumber")?,
        kind: text_or_node_value(entry, "phonetype"),
    })
}

/// A state or country dropdown: `{"id","abbrev","value"}` → the abbreviation, else the name.
fn abbrev_or_value<J: JsonView>(entry: &J, key: &str) -> Option<String> {
    entry
        .get(key)
        .and_then(|node| text(node, "abbrev"))
        .or_else(|| text_or_node_value(entry, key))
}

fn address<J: JsonView>(entry: &J) -> Address {
    let street = [text(entry, "addressstreet1"), text(entry, "addressstreet2")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    Address {
        street: (!street.is_empty()).then(|| street.join("\n")),
        city: text(entry, "addresscity"),
        region: abbrev_or_value(entry, "addressstate"),
        postal_code: text(entry, "addresszip"),
        country: abbrev_or_value(entry, "addresscountry"),
        kind: text_or_node_value(entry, "addresstype"),
    }
}

/// An address with no part at all.
pub fn empty_address() -> Address {
    Address {
        street: None,
        city: None,
        region: None,
        postal_code: None,
        country: None,
        kind: None,
    }
}

fn is_blank(a: &Address) -> bool {
    [&a.street, &a.city, &a.region, &a.postal_code, &a.country]
        .iter()
        .all(|p| p.is_none())
}

/// Skills from a multi-select list (array of nodes) or a text field (comma/semicolon separated).
fn skills<J: JsonView>(value: Option<&J>) -> Vec<String> {
    let Some(value) = value else {
        return Vec::new();
    };
    if let Some(nodes) = value.as_array() {
        return nodes
            .iter()
            .filter_map(|n| {
                n.as_str()
                    .map(str::to_string)
                    .or_else(|| super::text(n, "value"))
            })
            .filter(|s| !s.trim().is_empty())
            .collect();
    }
    match value.as_str() {
        Some(s) => s
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    }
}

fn resume<J: JsonView>(body: &J) -> Option<AttachmentInfo> {
    let file = body.get("resume")?;
    if !file.is_object() {
        return None;
    }
    Some(AttachmentInfo {
        id: RESUME_ATTACHMENT.into(),
        kind: AttachmentKind::Resume,
        // Other keys of a FILE value are not documented; take a file name if one is there.
        file_name: text(file, "filename").or_else(|| text(file, "name")),
        content_type: None,
    })
}

/// A request body and the remarks for the user about inputs that had nowhere to go.
#[derive(Debug, Default)]
pub struct PersonWrite {
    pub body: Map<String, Value>,
    pub warnings: Vec<String>,
}

/// `POST /people` body. First and last name are required (checked before any request).
pub fn create_body(
    input: &CandidateInput,
    settings: &Settings,
) -> Result<PersonWrite, ConnectorError> {
    for (value, field) in [
        (&input.first_name, "first-name"),
        (&input.last_name, "last-name"),
    ] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            return Err(ConnectorError::InvalidInput(format!(
                "`{field}` is required to create an iCIMS person"
            )));
        }
    }
    let mut write = PersonWrite::default();
    write_common(input, settings, &mut write);
    if let Some(phones) = &input.phones {
        let new: Vec<Value> = phones
            .iter()
            .filter(|p| !p.number.trim().is_empty())
            .map(phone_entry)
            .collect();
        if !new.is_empty() {
            write.body.insert("phones".into(), Value::Array(new));
        }
    }
    if let Some(addresses) = &input.addresses {
        let new: Vec<Value> = addresses.iter().filter_map(address_entry).collect();
        if !new.is_empty() {
            write.body.insert("addresses".into(), Value::Array(new));
        }
    }
    let folder = input
        .folder_id
        .as_deref()
        .or(settings.new_candidate_folder.as_deref());
    if let Some(folder) = folder.filter(|f| !f.trim().is_empty()) {
        write
            .body
            .insert("folder".into(), json!({ "id": folder.trim() }));
    }
    let source = input
        .source
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&settings.new_candidate_source);
    write.body.insert("source".into(), json!(source));
    let source_name = input
        .source_detail
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or(settings.source_name.as_deref());
    if let Some(name) = source_name {
        write.body.insert("sourcename".into(), json!(name));
    }
    Ok(write)
}

/// True when an update must first read the person's phones and addresses.
pub fn update_needs_collections(input: &CandidateInput) -> bool {
    input.phones.as_ref().is_some_and(|p| !p.is_empty())
        || input.addresses.as_ref().is_some_and(|a| !a.is_empty())
}

/// `PATCH /people/{id}` body: only the values given. `current` is the person's GET body with
/// `phones` and `addresses` (needed when the input has either): collections are sent as the
/// current entries plus the new ones, skipping duplicates, so nothing is erased.
pub fn update_body(
    input: &CandidateInput,
    current: Option<&Value>,
    settings: &Settings,
) -> PersonWrite {
    let mut write = PersonWrite::default();
    write_common(input, settings, &mut write);
    let empty = Value::Null;
    let current = current.unwrap_or(&empty);
    if let Some(phones) = input.phones.as_ref().filter(|p| !p.is_empty()) {
        let mut merged: Vec<Value> = entries(current, "phones").cloned().collect();
        let before = merged.len();
        for p in phones.iter().filter(|p| !p.number.trim().is_empty()) {
            let known = merged.iter().any(|e| {
                e.get("phonenumber")
                    .and_then(Value::as_str)
                    .is_some_and(|n| same_number(n, &p.number))
            });
            if !known {
                merged.push(phone_entry(p));
            }
        }
        if merged.len() > before {
            write.body.insert("phones".into(), Value::Array(merged));
        }
    }
    if let Some(addresses) = input.addresses.as_ref().filter(|a| !a.is_empty()) {
        let mut merged: Vec<Value> = entries(current, "addresses").cloned().collect();
        let before = merged.len();
        for entry in addresses.iter().filter_map(address_entry) {
            if !merged.iter().any(|e| address_key(e) == address_key(&entry)) {
                merged.push(entry);
            }
        }
        if merged.len() > before {
            write.body.insert("addresses".into(), Value::Array(merged));
        }
    }
    if let Some(folder) = input.folder_id.as_deref().filter(|f| !f.trim().is_empty()) {
        write
            .body
            .insert("folder".into(), json!({ "id": folder.trim() }));
    }
    if let Some(source) = input.source.as_deref().filter(|s| !s.trim().is_empty()) {
        write.body.insert("source".into(), json!(source));
    }
    if let Some(detail) = input
        .source_detail
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        write.body.insert("sourcename".into(), json!(detail));
    }
    write
}

/// Names, email, custom fields (title, company, LinkedIn) and URL warnings, for create and update.
fn write_common(input: &CandidateInput, settings: &Settings, write: &mut PersonWrite) {
    fn put(key: &str, value: &Option<String>, what: &str, write: &mut PersonWrite) {
        match value.as_deref().map(str::trim) {
            Some("") => write.warnings.push(format!(
                "{what} was empty and was not sent (an empty value would erase it in iCIMS)"
            )),
            Some(v) => {
                write.body.insert(key.into(), json!(v));
            }
            None => {}
        }
    }
    put("firstname", &input.first_name, "first-name", write);
    put("middlename", &input.middle_name, "middle-name", write);
    put("lastname", &input.last_name, "last-name", write);
    if let Some(emails) = &input.emails {
        let mut emails = emails.iter().map(|e| e.trim()).filter(|e| !e.is_empty());
        if let Some(first) = emails.next() {
            write.body.insert("email".into(), json!(first));
        }
        let extra: Vec<&str> = emails.collect();
        if !extra.is_empty() {
            write.warnings.push(format!(
                "iCIMS keeps one email per person; not sent: {}",
                extra.join(", ")
            ));
        }
    }
    for (value, field, setting, what) in [
        (
            &input.current_title,
            &settings.custom.title,
            "title-field",
            "current-title",
        ),
        (
            &input.current_company,
            &settings.custom.company,
            "company-field",
            "current-company",
        ),
    ] {
        match (
            value.as_deref().map(str::trim).filter(|v| !v.is_empty()),
            field,
        ) {
            (Some(v), Some(field)) => {
                write.body.insert(field.clone(), json!(v));
            }
            (Some(_), None) => write.warnings.push(format!(
                "{what} was not sent: set `{setting}` to the iCIMS field that holds it"
            )),
            (None, _) => {}
        }
    }
    let mut linkedin_written = false;
    for url in input
        .urls
        .iter()
        .flatten()
        .filter(|u| !u.url.trim().is_empty())
    {
        let is_linkedin =
            url.kind == UrlKind::Linkedin || url.url.to_ascii_lowercase().contains("linkedin.com/");
        match (&settings.custom.linkedin, is_linkedin && !linkedin_written) {
            (Some(field), true) => {
                write.body.insert(field.clone(), json!(url.url.trim()));
                linkedin_written = true;
            }
            (None, true) => write.warnings.push(format!(
                "LinkedIn URL {} was not sent: set `linkedin-field` to the iCIMS field that holds it",
                url.url
            )),
            _ => write.warnings.push(format!("URL {} was not sent: iCIMS has no standard field for it", url.url)),
        }
    }
}

/// A new `phones` group. The type is an iCIMS list value (`Mobile`, `Home`, `Work`); written
/// by text, defaulting to `Mobile`.
fn phone_entry(phone: &Phone) -> Value {
    let kind = phone
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .unwrap_or("Mobile");
    json!({ "phonetype": { "value": kind }, "phonenumber": phone.number.trim() })
}

/// A new `addresses` group, or `None` when the address has nothing in it. State and country
/// are dropdowns: a two-letter value is sent as `abbrev` (what iCIMS returns for them), anything
/// longer as the node's `value` text (an assumption; iCIMS documents `id` or `value` for lists).
fn address_entry(address: &Address) -> Option<Value> {
    let mut entry = Map::new();
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(street) = clean(&address.street) {
        let mut lines = street.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(first) = lines.next() {
            entry.insert("addressstreet1".into(), json!(first));
        }
        let rest: Vec<&str> = lines.collect();
        if !rest.is_empty() {
            entry.insert("addressstreet2".into(), json!(rest.join(", ")));
        }
    }
    if let Some(city) = clean(&address.city) {
        entry.insert("addresscity".into(), json!(city));
    }
    if let Some(region) = clean(&address.region) {
        entry.insert("addressstate".into(), dropdown(&region));
    }
    if let Some(zip) = clean(&address.postal_code) {
        entry.insert("addresszip".into(), json!(zip));
    }
    if let Some(country) = clean(&address.country) {
        entry.insert("addresscountry".into(), dropdown(&country));
    }
    if entry.is_empty() {
        return None;
    }
    if let Some(kind) = clean(&address.kind) {
        entry.insert("addresstype".into(), json!({ "value": kind }));
    }
    Some(Value::Object(entry))
}

fn dropdown(text: &str) -> Value {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        json!({ "abbrev": text.to_ascii_uppercase() })
    } else {
        json!({ "value": text })
    }
}

/// Street line 1, city and zip, normalised: two addresses with the same are one address.
fn address_key(entry: &Value) -> (String, String, String) {
    let norm = |key: &str| {
        text(entry, key)
            .unwrap_or_default()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    (
        norm("addressstreet1"),
        norm("addresscity"),
        norm("addresszip"),
    )
}

/// Phone numbers compared by digits; a number with a country code matches the same number
/// without it (`+1 617 555 0100` = `(617) 555-0100`).
pub fn same_number(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, b) = (digits(a), digits(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.len() >= 7 && long.ends_with(short.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::settings_with;

    const PERSON_2: &str = r#"{
      "firstname": "Shari", "lastname": "Davis", "email": "shari@example.com",
      "phones": [{"entry": 1002, "phonetype": {"id":"D83001","value":"Mobile","formattedvalue":"Mobile"}, "phonenumber": "666 222 2222"}],
      "addresses": [{ "entry": 1001, "addressstreet1": "1483 Tremont Street", "addressstreet2": "Apt 2", "addresscity": "Boston",
                      "addresszip": "02120",
                      "addressstate":   {"id":"D41001024","abbrev":"MA","value":"Massachusetts"},
                      "addresscountry": {"id":"D41001","abbrev":"US","value":"United States"},
                      "addresstype":    {"id":"D84002","formattedvalue":"Home","value":"Home"} }],
      "folder": {"id":"C16818","value":"Candidate: Active","formattedvalue":"Candidate: Active"},
      "source": "Other (Please Specify)", "sourcename": "Job fair",
      "field50527": "https://www.linkedin.com/in/shari",
      "field23848": [ {"id":"C23892","formattedvalue":"Child Care","value":"Child Care"}, {"id":"C2","value":"Tutoring"} ],
      "field29946": "Counselor",
      "resume": {"file": "https://api.icims.com/customers/6405/people/2/fields/resume/binary"},
      "createddate": "2016-01-02 08:00 AM", "updateddate": "2016-02-03 12:00 PM",
      "links": [ {"rel":"self","title":"The current profile being viewed.","url":"https://api.icims.com/customers/6405/people/2"} ]
    }"#;

    fn custom_settings() -> Settings {
        settings_with(&[
            ("linkedin-field", "field50527"),
            ("skills-field", "field23848"),
            ("title-field", "field29946"),
        ])
    }

    /// The component reads people through borrowed JSON; it must map exactly as a `Value` does.
    #[test]
    fn borrowed_json_maps_like_values() {
        let skills_as_text = PERSON_2.replace(
            r#"[ {"id":"C23892","formattedvalue":"Child Care","value":"Child Care"}, {"id":"C2","value":"Tutoring"} ]"#,
            r#""Child Care; Tutoring , ""#,
        );
        let escaped = PERSON_2
            .replace("Shari", r#"Sh\u00e2ri \"S\""#)
            .replace(r#""entry": 1001"#, r#""entry": 1001.5"#);
        for text in [
            PERSON_2,
            skills_as_text.as_str(),
            escaped.as_str(),
            r#"{"firstname": 7, "phones": "none"}"#,
        ] {
            let full: Value = serde_json::from_str(text).unwrap();
            let light = crate::json::Borrowed::parse(text).unwrap();
            for settings in [custom_settings(), settings_with(&[])] {
                // The generated types have no `PartialEq`; their debug text shows every field.
                assert_eq!(
                    format!("{:?}", candidate("2", &light, text, &settings.custom)),
                    format!("{:?}", candidate("2", &full, text, &settings.custom)),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn maps_a_captured_person() {
        let body: Value = serde_json::from_str(PERSON_2).unwrap();
        let c = candidate("2", &body, PERSON_2, &custom_settings().custom);
        assert_eq!(c.id, "2");
        assert_eq!(
            (
                c.first_name.as_deref(),
                c.middle_name.as_deref(),
                c.last_name.as_deref()
            ),
            (Some("Shari"), None, Some("Davis"))
        );
        assert_eq!(c.emails.len(), 1);
        assert!(c.emails[0].primary && c.emails[0].address == "shari@example.com");
        assert_eq!(c.phones.len(), 1);
        assert_eq!(
            (c.phones[0].number.as_str(), c.phones[0].kind.as_deref()),
            ("666 222 2222", Some("Mobile"))
        );
        let a = &c.addresses[0];
        assert_eq!(a.street.as_deref(), Some("1483 Tremont Street\nApt 2"));
        assert_eq!(
            (
                a.city.as_deref(),
                a.region.as_deref(),
                a.postal_code.as_deref()
            ),
            (Some("Boston"), Some("MA"), Some("02120"))
        );
        assert_eq!(
            (a.country.as_deref(), a.kind.as_deref()),
            (Some("US"), Some("Home"))
        );
        assert_eq!(
            c.folder
                .as_ref()
                .map(|f| (f.id.as_str(), f.name.as_deref())),
            Some(("C16818", Some("Candidate: Active")))
        );
        assert_eq!(
            (c.source.as_deref(), c.source_detail.as_deref()),
            (Some("Other (Please Specify)"), Some("Job fair"))
        );
        assert_eq!(c.urls.len(), 1);
        assert_eq!(c.urls[0].kind, UrlKind::Linkedin);
        assert_eq!(c.skills, vec!["Child Care", "Tutoring"]);
        assert_eq!(c.current_title.as_deref(), Some("Counselor"));
        assert_eq!(c.current_company, None);
        assert_eq!(c.attachments.len(), 1);
        assert_eq!(
            (c.attachments[0].id.as_str(), c.attachments[0].kind),
            ("resume", AttachmentKind::Resume)
        );
        assert_eq!(c.created_at, crate::dates::parse("2016-01-02 08:00 AM"));
        assert_eq!(c.raw.as_deref(), Some(PERSON_2));
    }

    #[test]
    fn absent_fields_stay_absent() {
        let body = serde_json::json!({"firstname": "Ada", "email": "", "phones": [{"phonetype": {"value": "Home"}}], "addresses": [{"entry": 3}]});
        let c = candidate("9", &body, "{}", &custom_settings().custom);
        assert_eq!(c.first_name.as_deref(), Some("Ada"));
        assert!(
            c.last_name.is_none()
                && c.folder.is_none()
                && c.source.is_none()
                && c.created_at.is_none()
        );
        assert!(
            c.emails.is_empty()
                && c.phones.is_empty()
                && c.addresses.is_empty()
                && c.urls.is_empty()
                && c.skills.is_empty()
        );
        assert!(c.attachments.is_empty() && c.current_title.is_none());
    }

    fn input() -> CandidateInput {
        CandidateInput {
            first_name: None,
            middle_name: None,
            last_name: None,
            emails: None,
            phones: None,
            addresses: None,
            urls: None,
            current_title: None,
            current_company: None,
            folder_id: None,
            source: None,
            source_detail: None,
        }
    }

    #[test]
    fn create_requires_names_before_anything_else() {
        let s = settings_with(&[]);
        let e = create_body(
            &CandidateInput {
                last_name: Some("L".into()),
                ..input()
            },
            &s,
        )
        .unwrap_err();
        assert!(matches!(e, ConnectorError::InvalidInput(m) if m.contains("first-name")));
        let e = create_body(
            &CandidateInput {
                first_name: Some("F".into()),
                last_name: Some(" ".into()),
                ..input()
            },
            &s,
        )
        .unwrap_err();
        assert!(matches!(e, ConnectorError::InvalidInput(m) if m.contains("last-name")));
    }

    #[test]
    fn create_body_with_defaults_and_warnings() {
        let s = settings_with(&[
            ("new-candidate-folder", "C16818"),
            ("source-name", "Platform"),
            ("title-field", "field1"),
        ]);
        let w = create_body(
            &CandidateInput {
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                emails: Some(vec!["ada@example.com".into(), "ada@work.example".into()]),
                phones: Some(vec![Phone {
                    number: "+1 617 555 0100".into(),
                    kind: None,
                }]),
                addresses: Some(vec![Address {
                    street: Some("1 Main St\nFloor 2".into()),
                    region: Some("ma".into()),
                    country: Some("United Kingdom".into()),
                    ..empty_address()
                }]),
                urls: Some(vec![ProfileUrl {
                    url: "https://linkedin.com/in/ada".into(),
                    kind: UrlKind::Linkedin,
                }]),
                current_title: Some("Analyst".into()),
                current_company: Some("Engines Ltd".into()),
                ..input()
            },
            &s,
        )
        .unwrap();
        assert_eq!(
            Value::Object(w.body),
            json!({
                "firstname": "Ada", "lastname": "Lovelace", "email": "ada@example.com",
                "phones": [{"phonetype": {"value": "Mobile"}, "phonenumber": "+1 617 555 0100"}],
                "addresses": [{"addressstreet1": "1 Main St", "addressstreet2": "Floor 2", "addressstate": {"abbrev": "MA"}, "addresscountry": {"value": "United Kingdom"}}],
                "folder": {"id": "C16818"}, "source": "Other (Please Specify)", "sourcename": "Platform", "field1": "Analyst"
            })
        );
        let warnings = w.warnings.join(" | ");
        assert!(warnings.contains("ada@work.example"), "{warnings}");
        assert!(warnings.contains("linkedin-field"), "{warnings}");
        assert!(warnings.contains("company-field"), "{warnings}");
        assert_eq!(w.warnings.len(), 3);
    }

    #[test]
    fn update_sends_only_given_values_and_never_empty_ones() {
        let s = custom_settings();
        let w = update_body(
            &CandidateInput {
                middle_name: Some("".into()),
                last_name: Some("Byron".into()),
                ..input()
            },
            None,
            &s,
        );
        assert_eq!(Value::Object(w.body), json!({"lastname": "Byron"}));
        assert_eq!(w.warnings.len(), 1);
        let w = update_body(&input(), None, &s);
        assert!(w.body.is_empty() && w.warnings.is_empty());
        let w = update_body(
            &CandidateInput {
                urls: Some(vec![ProfileUrl {
                    url: "https://www.linkedin.com/in/x".into(),
                    kind: UrlKind::Other,
                }]),
                ..input()
            },
            None,
            &s,
        );
        assert_eq!(
            Value::Object(w.body),
            json!({"field50527": "https://www.linkedin.com/in/x"})
        );
    }

    #[test]
    fn update_merges_collections_without_erasing() {
        let s = settings_with(&[]);
        let current: Value = serde_json::from_str(PERSON_2).unwrap();
        let w = update_body(
            &CandidateInput {
                phones: Some(vec![
                    Phone {
                        number: "(666) 222-2222".into(),
                        kind: None,
                    },
                    Phone {
                        number: "617 555 0100".into(),
                        kind: Some("Work".into()),
                    },
                ]),
                addresses: Some(vec![Address {
                    street: Some("1483 tremont  street".into()),
                    city: Some("BOSTON".into()),
                    postal_code: Some("02120".into()),
                    ..empty_address()
                }]),
                ..input()
            },
            Some(&current),
            &s,
        );
        let phones = w.body["phones"].as_array().unwrap();
        assert_eq!(phones.len(), 2);
        assert_eq!(phones[0]["entry"], 1002);
        assert_eq!(
            phones[1],
            json!({"phonetype": {"value": "Work"}, "phonenumber": "617 555 0100"})
        );
        // The address is already there: nothing to send.
        assert!(!w.body.contains_key("addresses"));
        assert!(update_needs_collections(&CandidateInput {
            phones: Some(vec![]),
            addresses: Some(vec![empty_address()]),
            ..input()
        }));
    }

    #[test]
    fn phone_numbers_compare_by_digits() {
        assert!(same_number("+1 617 555 0100", "(617) 555-0100"));
        assert!(!same_number("617 555 0100", "617 555 0101"));
        assert!(!same_number("12", "12"));
    }
}
