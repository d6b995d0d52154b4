//! iCIMS JSON ⇄ the generic types. Pure: no I/O, unit-tested natively.
//!
//! iCIMS omits empty and permission-hidden fields (icims-api.md §2.4); every reader here returns
//! `None` for an absent field, never an empty string, so a write-back never erases data.

pub mod job;
pub mod lists;
pub mod person;
pub mod workflow;

use ats_connector_sdk::NamedRef;

use crate::dates;
use crate::json::JsonView;

/// A text value: a non-empty string, or a number written as text.
pub fn text<J: JsonView>(body: &J, key: &str) -> Option<String> {
    as_text(body.get(key)?)
}

fn as_text<J: JsonView>(value: &J) -> Option<String> {
    match value.as_str() {
        Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => None,
        None => value.number_text(),
    }
}

/// Text of a value that may be a plain string or a list node (`{"id","value","formattedvalue"}`).
pub fn text_or_node_value<J: JsonView>(body: &J, key: &str) -> Option<String> {
    let value = body.get(key)?;
    as_text(value).or_else(|| node_name(value))
}

/// The display name of a list node or profile link.
fn node_name<J: JsonView>(node: &J) -> Option<String> {
    node.get("value")
        .and_then(as_text)
        .or_else(|| node.get("formattedvalue").and_then(as_text))
}

/// A list node or profile link (`{"id":…,"value":…}`) as a named reference.
pub fn named_ref<J: JsonView>(body: &J, key: &str) -> Option<NamedRef> {
    let node = body.get(key)?;
    let id = node.get("id").and_then(as_text)?;
    Some(NamedRef {
        id,
        name: node_name(node),
    })
}

/// An iCIMS DATETIME field as unix seconds.
pub fn date<J: JsonView>(body: &J, key: &str) -> Option<i64> {
    dates::parse(body.get(key)?.as_str()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_keep_absent_absent() {
        let body = json!({"a":"", "b":"  x ", "n": 3, "node": {"id":"D1","formattedvalue":"F"}, "bare": {"value":"no id"}});
        assert_eq!(text(&body, "a"), None);
        assert_eq!(text(&body, "missing"), None);
        assert_eq!(text(&body, "b").as_deref(), Some("x"));
        assert_eq!(text(&body, "n").as_deref(), Some("3"));
        let node = named_ref(&body, "node").unwrap();
        assert_eq!((node.id.as_str(), node.name.as_deref()), ("D1", Some("F")));
        assert!(named_ref(&body, "bare").is_none());
        assert_eq!(text_or_node_value(&body, "bare").as_deref(), Some("no id"));
    }
}
