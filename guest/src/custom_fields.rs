//! The `custom-fields` setting: which of the customer's own fields to read, per record type,
//! kept on the record as named custom values (the contract's `custom-field`).
//!
//! iCIMS answers only the fields a GET names (`fields=`, icims-api.md §3), so a field no setting
//! names never arrives. The four slot settings (`linkedin-field`, `title-field`, …) map a field
//! onto a generic one; this setting keeps any other field under its own name:
//! `person=field23848,field29946; job=positioncategory; workflow=field36999`.

use ats_connector_sdk::error::misconfigured;
use ats_connector_sdk::{ConnectorError, CustomField};

use crate::json::JsonView;
use crate::mapping::text;
use crate::profile::ProfileType;

/// The setting's key.
pub const SETTING: &str = "custom-fields";

/// The most fields one record type may name: each is one more field in every GET.
const MAX_FIELDS: usize = 50;

/// The custom fields to read, per record type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedFields {
    pub person: Vec<String>,
    pub job: Vec<String>,
    pub workflow: Vec<String>,
}

impl NamedFields {
    /// Parses the setting's value (absent: none).
    pub fn parse(text: Option<&str>) -> Result<NamedFields, ConnectorError> {
        let mut named = NamedFields::default();
        let Some(text) = text else {
            return Ok(named);
        };
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = |problem: String| misconfigured(SETTING, &problem);
            let (kind, names) = part.split_once('=').ok_or_else(|| {
                bad(format!(
                    "`{part}` is not `type=field,field`: write e.g. `person=field23848; job=positioncategory`"
                ))
            })?;
            let list = match kind.trim() {
                "person" | "people" => &mut named.person,
                "job" | "jobs" => &mut named.job,
                "workflow" | "workflows" | "application" | "applications" => &mut named.workflow,
                other => {
                    return Err(bad(format!(
                        "unknown record type `{other}`: use person, job or workflow"
                    )));
                }
            };
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    return Err(bad(format!(
                        "`{name}` is not an iCIMS field name (lowercase letters and digits, like `field23848`)"
                    )));
                }
                if !list.iter().any(|n| n == name) {
                    list.push(name.to_string());
                }
            }
            if list.len() > MAX_FIELDS {
                return Err(bad(format!(
                    "names {} fields of `{}`; at most {MAX_FIELDS} are read",
                    list.len(),
                    kind.trim()
                )));
            }
        }
        Ok(named)
    }

    /// The fields named for a profile type.
    pub fn of(&self, profile: ProfileType) -> &[String] {
        match profile {
            ProfileType::Person => &self.person,
            ProfileType::Job => &self.job,
            ProfileType::Workflow => &self.workflow,
        }
    }
}

/// The values of the named fields in a GET body: a text, a number, a list node
/// (`{"id","value"}`) or a list of them (a multi-select list), each value one entry.
pub fn read<J: JsonView>(body: &J, names: &[String]) -> Vec<CustomField> {
    let mut out = Vec::new();
    for name in names {
        let Some(value) = body.get(name) else {
            continue;
        };
        match value.as_array() {
            Some(items) => out.extend(items.iter().filter_map(|item| one(name, item))),
            None => out.extend(one(name, value)),
        }
    }
    out
}

fn one<J: JsonView>(name: &str, value: &J) -> Option<CustomField> {
    let node_value = value
        .get("value")
        .or_else(|| value.get("formattedvalue"))
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match node_value {
        Some(text_value) => Some(CustomField {
            name: name.to_string(),
            value: text_value.to_string(),
            value_id: text(value, "id"),
        }),
        // A plain text or number.
        None => value
            .as_str()
            .map(|s| s.trim().to_string())
            .or_else(|| value.number_text())
            .filter(|s| !s.is_empty())
            .map(|v| CustomField {
                name: name.to_string(),
                value: v,
                value_id: None,
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_setting_names_fields_per_record_type() {
        let named = NamedFields::parse(Some(
            "person=field23848, field29946; job=positioncategory;workflow=field36999",
        ))
        .unwrap();
        assert_eq!(named.person, ["field23848", "field29946"]);
        assert_eq!(named.job, ["positioncategory"]);
        assert_eq!(named.workflow, ["field36999"]);
        assert_eq!(NamedFields::parse(None).unwrap(), NamedFields::default());
        for bad in ["person", "company=field1", "person=Field 1"] {
            let error = NamedFields::parse(Some(bad)).unwrap_err();
            assert!(
                matches!(&error, ConnectorError::Misconfigured(m) if m.contains("custom-fields")),
                "{bad}: {error:?}"
            );
        }
    }

    #[test]
    fn list_values_text_and_numbers_are_read_each_as_one_value() {
        let body = json!({
            "field23848": [
                {"id": "C23900", "value": "Digital Media, Communications or Film"},
                {"id": "C23901", "formattedvalue": "Engineering"}
            ],
            "field29946": "Night shift",
            "field36999": 42,
            "positioncategory": {"id": "C5", "value": "Technology"},
            "empty": ""
        });
        let names: Vec<String> = [
            "field23848",
            "field29946",
            "field36999",
            "positioncategory",
            "empty",
            "absent",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let read = read(&body, &names);
        let pairs: Vec<(&str, &str, Option<&str>)> = read
            .iter()
            .map(|f| (f.name.as_str(), f.value.as_str(), f.value_id.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "field23848",
                    "Digital Media, Communications or Film",
                    Some("C23900")
                ),
                ("field23848", "Engineering", Some("C23901")),
                ("field29946", "Night shift", None),
                ("field36999", "42", None),
                ("positioncategory", "Technology", Some("C5")),
            ]
        );
    }
}
