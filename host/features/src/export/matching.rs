//! Finding the existing person before a write: the mirror by email, then the ATS by email, then
//! the rest of the ladder on the mirror (URL, phone: act on them; similar names: suggest only).

use super::report::SuggestedDuplicate;
use crate::dedupe::{Certainty, MatchRule, PersonKeys, Verdict, compare};
use crate::profile::Profile;
use crate::{AtsWriter, FeatureError, Mirror, mirror_io};
use ats_mirror::DedupeKeyKind;
use ats_model::{AtsRecord, Candidate, ConnectorError, MatchQuery, RecordKind, Timestamp};
use std::collections::BTreeSet;

/// Candidates compared per strong key (URL, phone): such keys are rarely shared, and a key
/// shared by more people says nothing about this one.
const STRONG_KEY_BLOCK: usize = 100;
/// Candidates compared per name key (last name + first initial), in descending id order: a
/// common name ("smith:j") can block thousands in a large mirror, whose suggestions nobody could
/// review, and reading them all made each export slower as the mirror grew.
const NAME_KEY_BLOCK: usize = 50;

pub(crate) struct Found {
    /// Fresh from the ATS.
    pub candidate: Candidate,
    pub rule: MatchRule,
}

#[derive(Default)]
pub(crate) struct MatchOutcome {
    pub found: Option<Found>,
    pub suggestions: Vec<(String, Verdict)>,
    pub warnings: Vec<String>,
}

/// Reads a mirrored candidate fresh from the ATS; a record the ATS no longer has is marked
/// deleted in the mirror (it was stale) and skipped.
async fn fresh(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    id: &str,
    now: Timestamp,
    warnings: &mut Vec<String>,
) -> Result<Option<Candidate>, FeatureError> {
    match writer.get_candidate(id).await {
        Ok(c) => Ok(Some(c)),
        Err(ConnectorError::NotFound { .. }) => {
            mirror
                .mark_deleted(conn, RecordKind::Candidate, id, now)
                .await?;
            warnings.push(format!(
                "candidate {id} was in the mirror but is gone from the ATS; marked deleted"
            ));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn find_existing(
    mirror: &(impl Mirror + ?Sized),
    writer: &impl AtsWriter,
    conn: &str,
    profile: &Profile,
    now: Timestamp,
) -> Result<MatchOutcome, FeatureError> {
    let mut out = MatchOutcome::default();

    // 1. The mirror, by exact email.
    let mut ids = BTreeSet::new();
    for e in &profile.emails {
        ids.extend(mirror.candidates_by_email(conn, e).await?);
    }
    if ids.len() > 1 {
        out.warnings.push(format!(
            "{} people in the ATS share this email ({}); using the first, review the others as duplicates",
            ids.len(),
            ids.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    for id in &ids {
        if let Some(c) = fresh(mirror, writer, conn, id, now, &mut out.warnings).await? {
            out.found = Some(Found {
                candidate: c,
                rule: MatchRule::Email,
            });
            return Ok(out);
        }
    }

    // 2. The ATS, by email (the mirror may not have synced a recent person yet).
    let keys = profile.keys();
    if !profile.emails.is_empty() {
        let query = MatchQuery {
            emails: profile.emails.clone(),
            ..MatchQuery::default()
        };
        let hits = writer.find_candidates(query).await?;
        if let Some(c) = hits.into_iter().find(|c| {
            !PersonKeys::from_candidate(c)
                .emails
                .is_disjoint(&keys.emails)
        }) {
            mirror
                .upsert_record(conn, AtsRecord::Candidate(c.clone()), now)
                .await?;
            out.found = Some(Found {
                candidate: c,
                rule: MatchRule::Email,
            });
            return Ok(out);
        }
    }

    // 3. The rest of the ladder on the mirror's blocking keys.
    let mut block = BTreeSet::new();
    for u in &keys.urls {
        block.extend(
            mirror
                .candidates_by_key(conn, DedupeKeyKind::Url, u, STRONG_KEY_BLOCK)
                .await?,
        );
    }
    for p in &keys.phones {
        block.extend(
            mirror
                .candidates_by_key(conn, DedupeKeyKind::Phone, p, STRONG_KEY_BLOCK)
                .await?,
        );
    }
    if let Some(k) =
        ats_mirror::normalize::name_key(profile.first_name.as_deref(), profile.last_name.as_deref())
    {
        block.extend(
            mirror
                .candidates_by_key(conn, DedupeKeyKind::Name, &k, NAME_KEY_BLOCK)
                .await?,
        );
    }
    let mut verdicts = Vec::new();
    for id in block {
        let Some(c) = mirror_io::live::<ats_model::Candidate>(mirror, conn, &id).await? else {
            continue;
        };
        if let Some(v) = compare(&keys, &PersonKeys::from_candidate(&c)) {
            verdicts.push((id, v));
        }
    }
    verdicts.sort_by(|a, b| a.1.rule.cmp(&b.1.rule).then(a.0.cmp(&b.0)));
    for (id, v) in verdicts {
        if out.found.is_none() && v.certainty != Certainty::Suggested {
            if let Some(c) = fresh(mirror, writer, conn, &id, now, &mut out.warnings).await? {
                out.found = Some(Found {
                    candidate: c,
                    rule: v.rule,
                });
            }
        } else if v.certainty == Certainty::Suggested {
            out.suggestions.push((id, v));
        }
    }
    Ok(out)
}

pub(crate) fn suggestion(id: &str, v: &Verdict) -> SuggestedDuplicate {
    SuggestedDuplicate {
        candidate_id: id.to_string(),
        confidence: v.confidence,
        reason: v.reason.clone(),
    }
}
