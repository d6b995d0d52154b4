//! The explicit `fields=` list asked for on every GET, per record type.
//!
//! Whether a GET without `fields` returns everything is unknown (icims-api.md §3), so the
//! connector always names what it maps. Configured custom fields are added for people.

use crate::custom_fields::NamedFields;
use crate::profile::ProfileType;
use crate::settings::CustomFields;

/// Person (candidate) fields (§6).
pub const PERSON: &[&str] = &[
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

/// Job fields (§9).
pub const JOB: &[&str] = &[
    "jobid",
    "jobtitle",
    "folder",
    "overview",
    "qualifications",
    "joblocation",
    "department",
    "hiringmanager",
    "recruiter",
    "numberofpositions",
    "createddate",
    "updateddate",
];

/// Recruiting-workflow (application) fields (§4.2).
pub const WORKFLOW: &[&str] = &[
    "baseprofile",
    "associatedprofile",
    "status",
    "source",
    "sourcename",
    "createddate",
    "updateddate",
];

/// The fields to request for a profile type: its standard fields, the person slots' custom
/// fields, and the fields the `custom-fields` setting names for it.
pub fn for_profile(
    profile: ProfileType,
    custom: &CustomFields,
    named: &NamedFields,
) -> Vec<String> {
    let standard = match profile {
        ProfileType::Person => PERSON,
        ProfileType::Job => JOB,
        ProfileType::Workflow => WORKFLOW,
    };
    let mut fields: Vec<String> = standard.iter().map(|f| f.to_string()).collect();
    let slots = (profile == ProfileType::Person)
        .then(|| custom.ids())
        .into_iter()
        .flatten();
    for id in slots.chain(named.of(profile).iter().map(String::as_str)) {
        if !fields.iter().any(|f| f == id) {
            fields.push(id.to_string());
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_fields_include_configured_custom_fields_once() {
        let custom = CustomFields {
            linkedin: Some("field50527".into()),
            skills: Some("field50527".into()),
            ..Default::default()
        };
        let named = NamedFields {
            person: vec!["field50527".into(), "field23848".into()],
            job: vec!["positioncategory".into()],
            ..Default::default()
        };
        let fields = for_profile(ProfileType::Person, &custom, &named);
        assert_eq!(fields.iter().filter(|f| *f == "field50527").count(), 1);
        assert!(fields.contains(&"field23848".to_string()));
        assert_eq!(fields.first().map(String::as_str), Some("firstname"));
        let job = for_profile(ProfileType::Job, &custom, &named);
        assert!(!job.contains(&"field50527".to_string()));
        assert!(job.contains(&"positioncategory".to_string()));
    }
}
