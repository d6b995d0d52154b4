//! The text iCIMS extracted from a person's résumé (`attachment-text`):
//! `GET /customers/{cid}/people/{id}/fields/resume/text`, the text variant of the binary
//! endpoint. iCIMS extracts on demand and answers a multipart body holding one UTF-8
//! `text/plain` `.txt` file, or 404 when there is no text or no document (icims-api.md §7).
//!
//! It costs one request per résumé, so the `resume-text` setting can turn it off: the connector
//! then leaves `attachment-text` out of `describe`, and the host asks for nothing.

use ats_connector_sdk::error::misconfigured;
use ats_connector_sdk::http::Request;
use ats_connector_sdk::{ConnectorError, ConnectorResult};

use crate::api::Api;
use crate::mapping::person;
use crate::multipart;
use crate::settings::Lookup;

/// The setting that turns résumé text on or off.
pub const SETTING: &str = "resume-text";

/// The most bytes of text passed back, cut on a character boundary; the host keeps no more.
pub const MAX_TEXT_BYTES: usize = 200 << 10;

/// Whether the connection lets the host ask for résumé text (the default).
pub fn enabled(get: Lookup) -> Result<bool, ConnectorError> {
    let value = get(SETTING).map(|v| v.trim().to_ascii_lowercase());
    match value.as_deref() {
        None | Some("" | "on" | "true" | "yes") => Ok(true),
        Some("off" | "false" | "no") => Ok(false),
        Some(other) => Err(misconfigured(
            SETTING,
            &format!("must be `on` or `off`, got `{other}`"),
        )),
    }
}

/// The résumé's text; `None` when iCIMS has none. iCIMS answers 404 both for a file it cannot
/// read and for a person without a résumé (or no person): all are "no text" here.
pub fn attachment_text(
    candidate_id: String,
    attachment_id: String,
) -> ConnectorResult<Option<String>> {
    if attachment_id != person::RESUME_ATTACHMENT {
        return Err(ConnectorError::NotFound(format!(
            "iCIMS candidates have only the `resume` attachment, not `{attachment_id}`"
        )));
    }
    let id = crate::writes::numeric_id(&candidate_id, "candidate id")?;
    let api = Api::load()?;
    if !api.settings.resume_text {
        return Err(ConnectorError::Unsupported(format!(
            "résumé text is off for this connection (setting `{SETTING}`)"
        )));
    }
    let response = match api.call(Request::get(api.urls.resume_text(&id)), "people-get") {
        Ok(response) => response,
        Err(ConnectorError::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other),
    };
    let content_type = response.header("content-type").unwrap_or_default();
    Ok(multipart::text_part(content_type, &response.body).and_then(bounded))
}

/// `text` cut to [`MAX_TEXT_BYTES`] and trimmed; `None` when blank.
fn bounded(text: String) -> Option<String> {
    let mut end = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let kept = text[..end].trim();
    (!kept.is_empty()).then(|| kept.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_on_unless_turned_off() {
        let with = |v: Option<&str>| enabled(&move |_| v.map(str::to_string));
        assert!(with(None).unwrap());
        assert!(with(Some(" On ")).unwrap());
        assert!(!with(Some("off")).unwrap());
        assert!(!with(Some("false")).unwrap());
        let error = with(Some("sometimes")).unwrap_err();
        assert!(format!("{error:?}").contains("resume-text"), "{error:?}");
    }

    #[test]
    fn text_is_cut_on_a_character_boundary_and_blank_is_none() {
        let long = "é".repeat(MAX_TEXT_BYTES);
        let kept = bounded(long).unwrap();
        assert!(kept.len() <= MAX_TEXT_BYTES && kept.len() >= MAX_TEXT_BYTES - 1);
        assert_eq!(bounded(" \r\n ".into()), None);
        assert_eq!(bounded(" cv \n".into()).as_deref(), Some("cv"));
    }
}
