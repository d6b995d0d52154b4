//! The opaque cursor handed to the host between pages.
//!
//! It is JSON text, `{"v":1,"after":1234,"since":1706738400}`: the last id of the page just
//! returned (the next search adds `<type>.id > after`) and the `updated-since` time the read
//! started with, so any stored cursor resumes exactly after its page with the same filter.

use ats_connector_sdk::ConnectorError;
use serde::{Deserialize, Serialize};

const VERSION: u32 = 1;

/// Where a paged read stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCursor {
    v: u32,
    /// Ids greater than this come next (`0` = from the beginning; iCIMS ids are positive).
    pub after: u64,
    /// The read's `updated-since` (unix seconds), carried to every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
}

impl ReadCursor {
    /// The start of a read.
    pub fn start(since: Option<i64>) -> Self {
        ReadCursor {
            v: VERSION,
            after: 0,
            since,
        }
    }

    /// The same read, continuing after `id`.
    pub fn after(self, id: u64) -> Self {
        ReadCursor { after: id, ..self }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a cursor always serialises")
    }

    /// Reads a cursor this connector produced; anything else is `invalid-input`.
    pub fn decode(text: &str) -> Result<Self, ConnectorError> {
        let cursor: ReadCursor = serde_json::from_str(text).map_err(|e| {
            ConnectorError::InvalidInput(format!(
                "cursor `{text}` is not an iCIMS connector cursor: {e}"
            ))
        })?;
        if cursor.v != VERSION {
            return Err(ConnectorError::InvalidInput(format!(
                "cursor `{text}` has version {}, this connector reads version {VERSION}",
                cursor.v
            )));
        }
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for c in [
            ReadCursor::start(None),
            ReadCursor::start(Some(1_706_738_400)).after(1234),
        ] {
            assert_eq!(ReadCursor::decode(&c.encode()).unwrap(), c);
        }
        assert_eq!(
            ReadCursor::start(Some(60)).after(7).encode(),
            r#"{"v":1,"after":7,"since":60}"#
        );
        assert_eq!(ReadCursor::start(None).encode(), r#"{"v":1,"after":0}"#);
    }

    #[test]
    fn rejects_foreign_cursors() {
        for bad in ["", "42", r#"{"after":"x"}"#, r#"{"v":2,"after":1}"#] {
            assert!(
                matches!(
                    ReadCursor::decode(bad),
                    Err(ConnectorError::InvalidInput(_))
                ),
                "{bad}"
            );
        }
    }
}
