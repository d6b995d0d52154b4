//! `attachment-text`: a connector that offers it answers the text (or `none`) for the
//! attachments its candidates list, and `none` or a typed error (`not-found`, `invalid-input`)
//! for an attachment or candidate that does not exist, never `internal` or a failed call. One
//! that does not offer it answers `unsupported`.

use crate::reads::FullRead;
use crate::report::Outcome;
use crate::{answer_name, missing_id};
use ats_model::{AtsRecord, ConnectorError, WriteCapability};
use ats_runtime::{CallError, Connection};
use std::collections::BTreeMap;

/// Attachments of listed candidates asked for: each costs the connector a request.
const ASKED: usize = 3;

/// An attachment id no ATS gives out.
const UNKNOWN_ATTACHMENT: &str = "conformance-no-such-attachment";

pub async fn attachment_text(
    connection: &Connection,
    reads: &BTreeMap<String, FullRead>,
) -> Outcome {
    let candidates: Vec<_> = reads
        .values()
        .flat_map(|r| &r.records)
        .filter_map(|r| match r {
            AtsRecord::Candidate(c) => Some(c),
            _ => None,
        })
        .collect();
    let missing = missing_id(reads);
    if !connection
        .info()
        .writes
        .contains(&WriteCapability::AttachmentText)
    {
        let answer = connection
            .attachment_text(&missing, UNKNOWN_ATTACHMENT)
            .await;
        return if matches!(
            answer,
            Err(CallError::Connector(ConnectorError::Unsupported { .. }))
        ) {
            Outcome::Pass("not offered, and answers `unsupported`".into())
        } else {
            Outcome::Fail(format!(
                "not offered in describe, yet answered {}; expected `unsupported`",
                answer_name(&answer)
            ))
        };
    }
    let mut texts = 0;
    let attachments = candidates
        .iter()
        .flat_map(|c| c.attachments.iter().map(move |a| (&c.id, &a.id)))
        .take(ASKED);
    let mut asked = 0;
    for (candidate, attachment) in attachments {
        asked += 1;
        match connection.attachment_text(candidate, attachment).await {
            Ok(Some(_)) => texts += 1,
            Ok(None) | Err(CallError::Connector(ConnectorError::NotFound { .. })) => {}
            other => {
                return Outcome::Fail(format!(
                    "the text of attachment `{attachment}` of listed candidate `{candidate}` answered {}",
                    answer_name(&other)
                ));
            }
        }
    }
    let known = candidates
        .first()
        .map_or(missing.as_str(), |c| c.id.as_str());
    for (candidate, attachment) in [(known, UNKNOWN_ATTACHMENT), (missing.as_str(), "1")] {
        let answer = connection.attachment_text(candidate, attachment).await;
        let typed = matches!(
            answer,
            Ok(None)
                | Err(CallError::Connector(
                    ConnectorError::NotFound { .. } | ConnectorError::InvalidInput { .. }
                ))
        );
        if !typed {
            return Outcome::Fail(format!(
                "attachment `{attachment}` of candidate `{candidate}`, which does not exist, answered {}; expected none or `not-found`",
                answer_name(&answer)
            ));
        }
    }
    Outcome::Pass(format!(
        "{asked} listed attachment(s) asked, {texts} with text; missing ones answer none or `not-found`"
    ))
}
