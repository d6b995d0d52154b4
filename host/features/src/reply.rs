//! "A candidate replied to an email": create the sender if unknown, else add only what is new.
//! Same rules as export (validation, ladder, idempotency, mirror), but names parsed from an
//! email display name are guesses: they fill names the ATS lacks and never replace one.

use crate::export::{self, ExportOptions, ExportReport, Profile};
use crate::normalize::{self, EmailOptions};
use crate::refresh::NamePolicy;
use crate::{AtsWriter, FeatureError, Mirror};
use ats_model::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyEvent {
    pub sender_address: String,
    /// The display name of the `From:` header, if any (`Jane Doe`, `Doe, Jane`).
    pub sender_name: Option<String>,
    pub message_time: Timestamp,
    pub job_id: Option<String>,
    /// Source attribution for a person created from the reply.
    #[serde(default)]
    pub source: Option<String>,
}

/// First and last name from a display name, else from the address's local part
/// (`jane.doe@…`). `None` when neither gives two name words.
pub fn parse_sender_name(display: Option<&str>, address: &str) -> Option<(String, String)> {
    if let Some(d) = display
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.contains('@'))
    {
        let d = d.trim_matches(['"', '\'']);
        let (first, last) = match d.split_once(',') {
            Some((last, first)) => (first.trim().to_string(), last.trim().to_string()),
            None => {
                let words: Vec<&str> = d.split_whitespace().collect();
                if words.len() < 2 {
                    return None;
                }
                (
                    words[..words.len() - 1].join(" "),
                    words[words.len() - 1].to_string(),
                )
            }
        };
        let fix = |s: String| {
            let all_one_case = s
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                || s.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_lowercase);
            if all_one_case {
                normalize::title_case(&s)
            } else {
                s
            }
        };
        if first.is_empty() || last.is_empty() {
            return None;
        }
        return Some((fix(first), fix(last)));
    }
    let local = address.split('@').next()?;
    let parts: Vec<&str> = local
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [first, last]
            if first.chars().all(char::is_alphabetic) && last.chars().all(char::is_alphabetic) =>
        {
            Some((normalize::title_case(first), normalize::title_case(last)))
        }
        _ => None,
    }
}

/// Handles one reply event.
pub async fn reply<M: Mirror + ?Sized, W: AtsWriter>(
    mirror: &M,
    writer: &W,
    conn: &str,
    event: &ReplyEvent,
    options: &ExportOptions,
) -> Result<ExportReport, FeatureError> {
    let email =
        normalize::email(&event.sender_address, EmailOptions::default()).ok_or_else(|| {
            FeatureError::invalid(
                "sender_address",
                format!("`{}` is not an email address", event.sender_address),
            )
        })?;
    let names = parse_sender_name(event.sender_name.as_deref(), &email);
    let profile = Profile {
        first_name: names.as_ref().map(|n| n.0.clone()),
        last_name: names.as_ref().map(|n| n.1.clone()),
        emails: vec![email.clone()],
        source: event.source.clone(),
        ..Profile::default()
    };
    let key = {
        let fp = format!("{}", event.message_time);
        export::derived_key("reply", &profile, event.job_id.as_deref(), &fp)
    };
    let mut plan = export::prepare(
        mirror,
        writer,
        conn,
        profile,
        None,
        event.job_id.as_deref(),
        None,
        Some(&key),
        NamePolicy::FillOnly,
        options,
    )
    .await?;
    // Without a name a new person cannot be created; an existing one can still be matched.
    plan.may_create = names.is_some();
    export::run_plan(mirror, writer, conn, plan, options).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_display_names_and_addresses() {
        let p = |d: Option<&str>, a: &str| parse_sender_name(d, a);
        assert_eq!(
            p(Some("Jane Doe"), "x@y.com"),
            Some(("Jane".into(), "Doe".into()))
        );
        assert_eq!(
            p(Some("DOE, JANE"), "x@y.com"),
            Some(("Jane".into(), "Doe".into()))
        );
        assert_eq!(
            p(Some("\"Mary Ann van Dyke\""), "x@y.com"),
            Some(("Mary Ann van".into(), "Dyke".into()))
        );
        assert_eq!(
            p(None, "jane.doe@y.com"),
            Some(("Jane".into(), "Doe".into()))
        );
        assert_eq!(p(Some("jane@y.com"), "jd42@y.com"), None);
        assert_eq!(p(Some("Jane"), "jd@y.com"), None);
    }
}
