//! Shared pieces of profile rendering and writing: field selection (`fields=`), list-node and
//! link shapes (§3.1), and reading list-node / text values from request JSON.

use serde_json::{Map, Value, json};

use crate::config::ListNode;
use crate::errors::{ApiError, ApiResult, FIELD_WARNING};
use crate::store::NONE;

/// Which fields a GET returns.
pub enum Selection<'a> {
    /// No `fields=`: the type's default set (config `profiles.default_fields`, empty = all).
    Default,
    /// Explicit `fields=a,b,c`.
    Named(Vec<&'a str>),
}

impl<'a> Selection<'a> {
    pub fn from_query(fields: Option<&'a str>) -> Self {
        match fields {
            None => Selection::Default,
            Some(list) => Selection::Named(
                list.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        }
    }
}

/// A warning (errorCode 4) collected while serving a 2xx: body `warnings` and `X-Warning`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub field: String,
    pub message: String,
}

impl Warning {
    pub fn new(field: &str, message: &str) -> Self {
        Warning {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn header(&self) -> String {
        format!(
            "{}:{}:{}",
            FIELD_WARNING,
            ascii(&self.field),
            ascii(&self.message)
        )
    }

    pub fn json(&self) -> Value {
        json!({"errorMessage": format!("{}: {}", self.field, self.message), "errorCode": FIELD_WARNING})
    }
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// Custom field ids are `field` + digits (§3): always valid names, empty when unset.
pub fn is_custom_field(name: &str) -> bool {
    name.strip_prefix("field")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

pub fn node_json(list: &[ListNode], idx: u16) -> Option<Value> {
    if idx == NONE {
        return None;
    }
    list.get(idx as usize)
        .map(|n| json!({"id": n.id, "value": n.value, "formattedvalue": n.value}))
}

/// `{"id":"C123"}`, `{"value":"Approved"}` or a bare string → node index (§3.1: text accepted).
pub fn parse_node(list: &[ListNode], field: &str, v: &Value) -> ApiResult<u16> {
    let (id, value) = match v {
        Value::String(s) => (None, Some(s.as_str())),
        Value::Object(o) => (
            o.get("id").and_then(Value::as_str),
            o.get("value").and_then(Value::as_str),
        ),
        _ => (None, None),
    };
    let found = match (id, value) {
        (Some(id), _) => list.iter().position(|n| n.id == id),
        (None, Some(val)) => list
            .iter()
            .position(|n| n.value.eq_ignore_ascii_case(val) || n.id == val),
        _ => None,
    };
    found
        .map(|i| i as u16)
        .ok_or_else(|| ApiError::bad_request(format!("{field}: Invalid list node value.")))
}

/// A text value for a string field; numbers are accepted and written as text.
pub fn parse_text(field: &str, v: &Value) -> ApiResult<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(ApiError::bad_request(format!("{field}: Invalid value."))),
    }
}

/// `null` or `""` deletes a field's value (§3, DOC S12).
/// The body's writable fields, each with whether it deletes its value (`null` or `""`, §3).
/// Names that are not valid field ids, and fields in `read_only`, are skipped with a warning
/// (errorCode 4), as iCIMS does rather than failing the whole write.
pub fn writable_fields<'a>(
    body: &'a serde_json::Map<String, Value>,
    read_only: &[&str],
    warnings: &mut Vec<Warning>,
) -> Vec<(&'a str, &'a Value, bool)> {
    let mut fields = Vec::with_capacity(body.len());
    for (k, val) in body {
        if !check_field_name(k, warnings) {
            continue;
        }
        if read_only.contains(&k.as_str()) {
            warnings.push(Warning::new(k, "Field is read-only."));
            continue;
        }
        fields.push((k.as_str(), val, is_delete(val)));
    }
    fields
}

pub fn is_delete(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

/// A reference given as a number, numeric string or `{"id": n}`.
pub fn parse_ref(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(o) => o.get("id").and_then(parse_ref),
        _ => None,
    }
}

/// Field names are lowercase (§1); anything else earns the documented warning and is skipped.
pub fn check_field_name(name: &str, warnings: &mut Vec<Warning>) -> bool {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        warnings.push(Warning::new(name, "Field name must be all lowercase."));
    }
    ok
}

pub fn self_link(url: String) -> Value {
    json!([{"rel": "self", "title": "The current profile being viewed.", "url": url}])
}

pub fn extra_get<'a>(extra: &'a Option<Box<Map<String, Value>>>, k: &str) -> Option<&'a Value> {
    extra.as_ref()?.get(k)
}

pub fn extra_set(extra: &mut Option<Box<Map<String, Value>>>, k: &str, v: Option<Value>) {
    match v {
        Some(v) => {
            extra
                .get_or_insert_with(Default::default)
                .insert(k.to_string(), v);
        }
        None => {
            if let Some(m) = extra.as_mut() {
                m.remove(k);
                if m.is_empty() {
                    *extra = None;
                }
            }
        }
    }
}
