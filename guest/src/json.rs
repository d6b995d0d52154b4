//! Reading JSON answers cheaply inside the component.
//!
//! A `serde_json::Value` allocates a `String` per key and per string and a `BTreeMap` per
//! object; for the thousand profiles of a page this was most of the component's own time (wasm
//! runs it about twice as slowly as native code). [`Borrowed`] keeps strings as slices of the
//! answer's text where they have no escapes, and objects as short lists of pairs. The mapping
//! reads either through [`JsonView`], so its unit tests keep using `json!` values.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// What the mapping asks of a JSON value.
pub trait JsonView: Sized {
    /// The member `key` of an object (the last, should the answer repeat a key, as
    /// `serde_json` keeps it).
    fn get(&self, key: &str) -> Option<&Self>;
    fn as_str(&self) -> Option<&str>;
    fn as_array(&self) -> Option<&[Self]>;
    fn as_u64(&self) -> Option<u64>;
    fn is_object(&self) -> bool;
    /// A number as text, as `serde_json` writes it.
    fn number_text(&self) -> Option<String>;
}

impl JsonView for Value {
    fn get(&self, key: &str) -> Option<&Self> {
        Value::get(self, key)
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }

    fn as_array(&self) -> Option<&[Self]> {
        Value::as_array(self).map(Vec::as_slice)
    }

    fn as_u64(&self) -> Option<u64> {
        Value::as_u64(self)
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn number_text(&self) -> Option<String> {
        match self {
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A JSON value borrowing its strings from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Borrowed<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Borrowed<'a>>),
    Object(Vec<(Cow<'a, str>, Borrowed<'a>)>),
}

impl<'a> Borrowed<'a> {
    /// Parses `text`, borrowing from it.
    pub fn parse(text: &'a str) -> serde_json::Result<Borrowed<'a>> {
        serde_json::from_str(text)
    }
}

impl JsonView for Borrowed<'_> {
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Borrowed::Object(members) => {
                members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Borrowed::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Self]> {
        match self {
            Borrowed::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Borrowed::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    fn is_object(&self) -> bool {
        matches!(self, Borrowed::Object(_))
    }

    fn number_text(&self) -> Option<String> {
        match self {
            Borrowed::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Borrowed<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BorrowedVisitor)
    }
}

struct BorrowedVisitor;

impl<'de> Visitor<'de> for BorrowedVisitor {
    type Value = Borrowed<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Borrowed::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Borrowed::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Deserialize::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Borrowed::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Borrowed::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Borrowed::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Number::from_f64(v).map_or(Borrowed::Null, Borrowed::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Borrowed::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Borrowed::String(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Borrowed::String(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Borrowed::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<CowKey<'de>>()? {
            members.push((key.0, map.next_value()?));
        }
        Ok(Borrowed::Object(members))
    }
}

/// An object key, borrowed when it has no escapes.
struct CowKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = CowKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowKey(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowKey(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowKey(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_serde_json_values() {
        let text = r#"{"a":"plain","b":"esc\"aped \u00e9","n":3,"f":1.5,"neg":-2,"t":true,"z":null,
                       "arr":[{"k":"v"},"s",7],"obj":{"id":"D1"},"a":"second"}"#;
        let light = Borrowed::parse(text).unwrap();
        let full: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            light.get("a").and_then(JsonView::as_str),
            full.get("a").and_then(Value::as_str),
            "the last of a repeated key"
        );
        assert_eq!(
            light.get("b").and_then(JsonView::as_str),
            full.get("b").and_then(Value::as_str)
        );
        for key in ["n", "f", "neg"] {
            assert_eq!(
                light.get(key).and_then(JsonView::number_text),
                JsonView::number_text(full.get(key).unwrap())
            );
        }
        assert_eq!(light.get("n").and_then(JsonView::as_u64), Some(3));
        assert_eq!(light.get("t"), Some(&Borrowed::Bool(true)));
        assert_eq!(light.get("z"), Some(&Borrowed::Null));
        let arr = light.get("arr").and_then(JsonView::as_array).unwrap();
        assert_eq!(arr.len(), 3);
        assert_eq!(arr[0].get("k").and_then(JsonView::as_str), Some("v"));
        assert!(light.get("obj").unwrap().is_object());
        assert!(light.get("missing").is_none());
        assert!(Borrowed::parse("{\"a\": ").is_err());
    }
}
