//! Profiles API (§3, §6, §9): people, jobs and companies — GET with `fields=`, POST create
//! (201 + `Location`, empty body), PATCH (204, `null`/`""` deletes). Rendering omits empty
//! values, adds `links[self]`, and returns `id` only when asked for.

use serde_json::{Map, Value, json};

use crate::config::{CustomFieldIds, CustomerConfig};
use crate::dates::format_datetime;
use crate::errors::{ApiError, ApiResult};
use crate::fields::*;
use crate::generator::names::CITIES;
use crate::record_type::RecordType;
use crate::store::{
    Arena, Company, CustomerData, Job, NONE, Person, ResumeKind, Span, from_minutes,
};

/// What rendering needs to know besides the record.
pub struct View<'a> {
    pub base: &'a str,
    pub cid: u64,
    pub cfg: &'a CustomerConfig,
    pub custom: &'a CustomFieldIds,
    pub d: &'a CustomerData,
}

impl View<'_> {
    pub fn url(&self, ty: RecordType, id: u32) -> String {
        format!(
            "{}/customers/{}/{}/{}",
            self.base,
            self.cid,
            ty.segment(),
            id
        )
    }

    /// PERSONLINK shape (§3.1).
    pub fn person_link(&self, id: u32) -> Option<Value> {
        let p = self.d.people.get(id as u64)?;
        Some(
            json!({"id": id, "value": self.person_name(p), "profile": self.url(RecordType::People, id)}),
        )
    }

    pub fn person_name(&self, p: &Person) -> String {
        format!("{} {}", self.d.arena.get(p.first), self.d.arena.get(p.last))
    }
}

pub const PERSON_FIELDS: &[&str] = &[
    "firstname",
    "middlename",
    "lastname",
    "email",
    "phones",
    "addresses",
    "folder",
    "source",
    "sourcename",
    "createddate",
    "updateddate",
    "resume",
    "workexperience",
    "education",
];
/// Documented person fields the generator never fills: valid names, just empty (§5.5, §6).
const PERSON_OTHER: &[&str] = &[
    "externalid",
    "logingroup",
    "startdate",
    "hiredate",
    "enddate",
    "nickname",
    "salutation",
];
pub const JOB_FIELDS: &[&str] = &[
    "jobid",
    "jobtitle",
    "folder",
    "overview",
    "qualifications",
    "joblocation",
    "hiringmanager",
    "recruiter",
    "department",
    "numberofpositions",
    "createddate",
    "updateddate",
];
const JOB_OTHER: &[&str] = &[
    "positioncategory",
    "positiontype",
    "jobtype",
    "additionallocations",
    "responsibilities",
    "startdate",
    "duedate",
    "enddate",
    "secondaryrecruiter",
    "accountmanager",
    "education",
    "experienceyears",
    "costcenter",
    "externalid",
];
pub const COMPANY_FIELDS: &[&str] = &["name", "folder", "addresses", "createddate", "updateddate"];

const PHONE_TYPES: [(&str, &str); 3] =
    [("D83001", "Mobile"), ("D83002", "Home"), ("D83003", "Work")];

fn text(a: &Arena, s: Span) -> Option<Value> {
    (!s.is_empty()).then(|| Value::String(a.get(s).to_string()))
}

fn date(m: u32) -> Option<Value> {
    (m != 0).then(|| Value::String(format_datetime(from_minutes(m))))
}

fn address_json(entry: u32, street: &str, city: u16, zip: &str, kind: (&str, &str)) -> Value {
    let mut a = Map::new();
    a.insert("entry".into(), json!(entry));
    a.insert(
        "addresstype".into(),
        json!({"id": kind.0, "value": kind.1, "formattedvalue": kind.1}),
    );
    if !street.is_empty() {
        a.insert("addressstreet1".into(), json!(street));
    }
    if let Some(c) = CITIES.get(city as usize) {
        a.insert("addresscity".into(), json!(c.0));
        a.insert(
            "addressstate".into(),
            json!({"id": c.3, "abbrev": c.1, "value": c.2}),
        );
        a.insert(
            "addresscountry".into(),
            json!({"id": "D41001", "abbrev": "US", "value": "United States"}),
        );
    }
    if !zip.is_empty() {
        a.insert("addresszip".into(), json!(zip));
    }
    Value::Object(a)
}

pub fn person_field(v: &View, id: u32, p: &Person, name: &str) -> Option<Value> {
    if let Some(x) = extra_get(&p.extra, name) {
        return Some(x.clone());
    }
    let a = &v.d.arena;
    let c = v.custom;
    match name {
        "firstname" => text(a, p.first),
        "middlename" => text(a, p.middle),
        "lastname" => text(a, p.last),
        "email" => text(a, p.email),
        "phones" if !p.phone.is_empty() => {
            let (tid, tname) = PHONE_TYPES[p.phone_type as usize % 3];
            Some(
                json!([{"entry": 1002, "phonetype": {"id": tid, "value": tname, "formattedvalue": tname},
                          "phonenumber": a.get(p.phone)}]),
            )
        }
        "addresses" if !p.street.is_empty() || p.city != NONE => Some(json!([address_json(
            1001,
            a.get(p.street),
            p.city,
            a.get(p.zip),
            ("D84002", "Home")
        )])),
        "folder" => node_json(&v.cfg.person_folders, p.folder),
        "source" => (p.source != NONE)
            .then(|| v.cfg.sources.get(p.source as usize).map(|n| json!(n.value)))
            .flatten(),
        "sourcename" => text(a, p.sourcename),
        "createddate" => date(p.created),
        "updateddate" => date(p.updated),
        "resume" if p.resume != ResumeKind::None => Some(json!({
            "file": format!("{}/fields/resume/binary", v.url(RecordType::People, id))
        })),
        "workexperience" | "education" if p.profile != 0 => {
            crate::generator::career_json::collection(v.d, p.profile, name == "education")
        }
        n if n == c.linkedin => text(a, p.linkedin),
        n if n == c.current_title => text(a, p.title),
        n if n == c.current_company => text(a, p.company),
        n if n == c.skills => text(a, p.skills),
        _ => None,
    }
}

pub fn job_field(v: &View, _id: u32, j: &Job, name: &str) -> Option<Value> {
    if let Some(x) = extra_get(&j.extra, name) {
        return Some(x.clone());
    }
    let s = |x: &str| (!x.is_empty()).then(|| json!(x));
    match name {
        "jobid" => s(&j.jobid),
        "jobtitle" => s(&j.title),
        "folder" => node_json(&v.cfg.job_folders, j.folder),
        "overview" => s(&j.overview),
        "qualifications" => s(&j.qualifications),
        "joblocation" => {
            let c = v.d.companies.get(j.location as u64)?;
            let city = CITIES.get(c.city as usize);
            let value = match city {
                Some(ct) => format!(
                    "{} - {}  {}, {} {} United States ",
                    c.name, c.street, ct.0, ct.2, c.zip
                ),
                None => format!("{} - {} ", c.name, c.street),
            };
            Some(json!({
                "id": 1001, "companyid": j.location,
                "address": format!("{}/fields/addresses/1001", v.url(RecordType::Companies, j.location)),
                "value": value
            }))
        }
        "hiringmanager" => v.person_link(j.hiring_manager),
        "recruiter" => v.person_link(j.recruiter),
        "department" => node_json(&v.cfg.departments, j.department),
        "numberofpositions" => (j.positions > 0).then(|| json!(j.positions)),
        "createddate" => date(j.created),
        "updateddate" => date(j.updated),
        _ => None,
    }
}

pub fn company_field(v: &View, _id: u32, c: &Company, name: &str) -> Option<Value> {
    if let Some(x) = extra_get(&c.extra, name) {
        return Some(x.clone());
    }
    match name {
        "name" => (!c.name.is_empty()).then(|| json!(c.name)),
        "folder" => node_json(&v.cfg.company_folders, c.folder),
        "addresses" if !c.street.is_empty() || c.city != NONE => Some(json!([address_json(
            1001,
            &c.street,
            c.city,
            &c.zip,
            ("D84001", "Business")
        )])),
        "createddate" => date(c.created),
        "updateddate" => date(c.updated),
        _ => None,
    }
}

/// Renders one record of `ty` (`None` if it does not exist).
pub fn render(
    v: &View,
    ty: RecordType,
    id: u64,
    sel: &Selection,
    default_fields: &[String],
) -> Option<(Map<String, Value>, Vec<Warning>)> {
    let id32 = u32::try_from(id).ok()?;
    type FieldFn<'a> = Box<dyn Fn(&str) -> Option<Value> + 'a>;
    let (get, standard, other, extra): (FieldFn, &[&str], &[&str], Vec<String>) = match ty {
        RecordType::People => {
            let p = v.d.people.get(id)?;
            let keys = extra_keys(&p.extra);
            (
                Box::new(move |n| person_field(v, id32, p, n)),
                PERSON_FIELDS,
                PERSON_OTHER,
                keys,
            )
        }
        RecordType::Jobs => {
            let j = v.d.jobs.get(id)?;
            let keys = extra_keys(&j.extra);
            (
                Box::new(move |n| job_field(v, id32, j, n)),
                JOB_FIELDS,
                JOB_OTHER,
                keys,
            )
        }
        RecordType::Companies => {
            let c = v.d.companies.get(id)?;
            let keys = extra_keys(&c.extra);
            (
                Box::new(move |n| company_field(v, id32, c, n)),
                COMPANY_FIELDS,
                &[],
                keys,
            )
        }
        RecordType::Workflows => {
            let w = v.d.workflows.get(id)?;
            let keys = extra_keys(&w.extra);
            (
                Box::new(move |n| crate::workflows::workflow_field(v, id32, w, n)),
                crate::workflows::WORKFLOW_FIELDS,
                crate::workflows::WORKFLOW_OTHER,
                keys,
            )
        }
    };
    let customs: Vec<&str> = if ty == RecordType::People {
        vec![
            &v.custom.linkedin,
            &v.custom.current_title,
            &v.custom.current_company,
            &v.custom.skills,
        ]
    } else {
        Vec::new()
    };
    let mut out = Map::new();
    let mut warnings = Vec::new();
    let mut put = |name: &str, out: &mut Map<String, Value>| {
        if name == "id" {
            out.insert("id".into(), json!(id));
        } else if let Some(val) = get(name) {
            out.insert(name.to_string(), val);
        } else if !(standard.contains(&name)
            || other.contains(&name)
            || is_custom_field(name)
            || name == "links")
        {
            warnings.push(Warning::new(name, "Field does not exist."));
        }
    };
    match sel {
        Selection::Named(names) => names.iter().for_each(|n| put(n, &mut out)),
        Selection::Default if !default_fields.is_empty() => {
            default_fields.iter().for_each(|n| put(n, &mut out))
        }
        Selection::Default => {
            for n in standard.iter().chain(customs.iter()) {
                put(n, &mut out);
            }
            for n in &extra {
                put(n, &mut out);
            }
        }
    }
    if ty == RecordType::Workflows {
        out.insert("links".into(), crate::workflows::workflow_links(v, id32));
    } else {
        out.insert("links".into(), self_link(v.url(ty, id32)));
    }
    Some((out, warnings))
}

fn extra_keys(extra: &Option<Box<Map<String, Value>>>) -> Vec<String> {
    extra
        .as_ref()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Everything about a record, `id` included: the side door's read-only snapshot.
pub fn snapshot(v: &View, ty: RecordType, id: u64) -> Option<Value> {
    let sel = Selection::Default;
    let (mut m, _) = render(v, ty, id, &sel, &[])?;
    m.insert("id".into(), json!(id));
    Some(Value::Object(m))
}

pub fn blank_person() -> Person {
    Person {
        first: Span::default(),
        middle: Span::default(),
        last: Span::default(),
        email: Span::default(),
        phone: Span::default(),
        phone_type: 0,
        street: Span::default(),
        city: NONE,
        zip: Span::default(),
        folder: NONE,
        source: NONE,
        sourcename: Span::default(),
        linkedin: Span::default(),
        title: Span::default(),
        company: Span::default(),
        skills: Span::default(),
        created: 0,
        updated: 0,
        resume: ResumeKind::None,
        profile: 0,
        extra: None,
    }
}

pub fn blank_job() -> Job {
    Job {
        jobid: String::new(),
        title: String::new(),
        folder: NONE,
        overview: String::new(),
        qualifications: String::new(),
        needs: None,
        location: 0,
        hiring_manager: 0,
        recruiter: 0,
        department: NONE,
        positions: 0,
        created: 0,
        updated: 0,
        extra: None,
    }
}

pub fn blank_company() -> Company {
    Company {
        name: String::new(),
        folder: NONE,
        street: String::new(),
        city: NONE,
        zip: String::new(),
        created: 0,
        updated: 0,
        extra: None,
    }
}

/// Keys iCIMS manages itself; writes to them are ignored with a warning.
const READ_ONLY: &[&str] = &["id", "createddate", "updateddate", "links"];

/// Applies a create/PATCH body to a person (a copy; the caller commits on success).
pub fn apply_person(
    p: &mut Person,
    d: &mut CustomerData,
    cfg: &CustomerConfig,
    custom: &CustomFieldIds,
    body: &Map<String, Value>,
    warnings: &mut Vec<Warning>,
) -> ApiResult<()> {
    for (k, val, del) in writable_fields(body, READ_ONLY, warnings) {
        let text_slot: Option<&mut Span> = match k {
            "firstname" => Some(&mut p.first),
            "middlename" => Some(&mut p.middle),
            "lastname" => Some(&mut p.last),
            "email" => Some(&mut p.email),
            "sourcename" => Some(&mut p.sourcename),
            n if n == custom.linkedin => Some(&mut p.linkedin),
            n if n == custom.current_title => Some(&mut p.title),
            n if n == custom.current_company => Some(&mut p.company),
            n if n == custom.skills => Some(&mut p.skills),
            _ => None,
        };
        if let Some(slot) = text_slot {
            if del {
                if k == "firstname" || k == "lastname" {
                    return Err(ApiError::field_required(k));
                }
                *slot = Span::default();
            } else {
                let t = parse_text(k, val)?;
                if k == "email" && !t.contains('@') {
                    return Err(ApiError::bad_request("email: Invalid email address."));
                }
                *slot = d.arena.push(&t);
            }
            extra_set(&mut p.extra, k, None);
            continue;
        }
        match k {
            "folder" => {
                p.folder = if del {
                    NONE
                } else {
                    parse_node(&cfg.person_folders, k, val)?
                }
            }
            "source" => {
                p.source = if del {
                    NONE
                } else {
                    parse_node(&cfg.sources, k, val)?
                }
            }
            "resume" => {
                return Err(ApiError::bad_request(
                    "resume: File fields can only be set through the binary endpoint.",
                ));
            }
            "phones" | "addresses" => {
                if del {
                    if k == "phones" {
                        p.phone = Span::default();
                    } else {
                        p.street = Span::default();
                        p.city = NONE;
                        p.zip = Span::default();
                    }
                    extra_set(&mut p.extra, k, None);
                } else if val.is_array() {
                    extra_set(&mut p.extra, k, Some(val.clone()));
                } else {
                    return Err(ApiError::bad_request(format!("{k}: Invalid value.")));
                }
            }
            _ => extra_set(&mut p.extra, k, (!del).then(|| val.clone())),
        }
    }
    Ok(())
}

pub fn apply_job(
    j: &mut Job,
    d: &CustomerData,
    cfg: &CustomerConfig,
    body: &Map<String, Value>,
    warnings: &mut Vec<Warning>,
) -> ApiResult<()> {
    for (k, val, del) in writable_fields(body, READ_ONLY, warnings) {
        match k {
            "jobtitle" if del => return Err(ApiError::field_required(k)),
            "jobtitle" => j.title = parse_text(k, val)?,
            "jobid" => {
                j.jobid = if del {
                    String::new()
                } else {
                    parse_text(k, val)?
                }
            }
            "overview" => {
                j.overview = if del {
                    String::new()
                } else {
                    parse_text(k, val)?
                }
            }
            "qualifications" => {
                j.qualifications = if del {
                    String::new()
                } else {
                    parse_text(k, val)?
                }
            }
            "folder" => {
                j.folder = if del {
                    NONE
                } else {
                    parse_node(&cfg.job_folders, k, val)?
                }
            }
            "department" => {
                j.department = if del {
                    NONE
                } else {
                    parse_node(&cfg.departments, k, val)?
                }
            }
            "numberofpositions" => {
                j.positions = if del {
                    0
                } else {
                    val.as_u64()
                        .or_else(|| val.as_str().and_then(|s| s.parse().ok()))
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| ApiError::bad_request(format!("{k}: Invalid number.")))?
                }
            }
            "hiringmanager" | "recruiter" => {
                let id = if del {
                    0
                } else {
                    parse_ref(val)
                        .filter(|id| d.people.get(*id).is_some())
                        .ok_or_else(|| ApiError::bad_request(format!("{k}: Invalid person.")))?
                        as u32
                };
                if k == "hiringmanager" {
                    j.hiring_manager = id
                } else {
                    j.recruiter = id
                }
            }
            "joblocation" => {
                j.location = if del {
                    0
                } else {
                    val.get("companyid")
                        .and_then(parse_ref)
                        .or_else(|| parse_ref(val))
                        .filter(|id| d.companies.get(*id).is_some())
                        .ok_or_else(|| ApiError::bad_request(format!("{k}: Invalid location.")))?
                        as u32
                }
            }
            _ => extra_set(&mut j.extra, k, (!del).then(|| val.clone())),
        }
    }
    Ok(())
}

pub fn apply_company(
    c: &mut Company,
    cfg: &CustomerConfig,
    body: &Map<String, Value>,
    warnings: &mut Vec<Warning>,
) -> ApiResult<()> {
    for (k, val, del) in writable_fields(body, READ_ONLY, warnings) {
        match k {
            "name" if del => return Err(ApiError::field_required(k)),
            "name" => c.name = parse_text(k, val)?,
            "folder" => {
                c.folder = if del {
                    NONE
                } else {
                    parse_node(&cfg.company_folders, k, val)?
                }
            }
            "addresses" if del => {
                c.street.clear();
                c.city = NONE;
                c.zip.clear();
                extra_set(&mut c.extra, k, None);
            }
            _ => extra_set(&mut c.extra, k, (!del).then(|| val.clone())),
        }
    }
    Ok(())
}
