//! What an export (or reply) did, for `--json` and for people.

use crate::dedupe::MatchRule;
use crate::profile::FieldChange;
use crate::table;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonAction {
    /// No one matched: a new person was created.
    Created,
    /// An existing person matched and got the new or changed fields.
    Updated,
    /// An existing person matched and already had everything.
    Matched,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOutcome {
    pub candidate_id: String,
    pub action: PersonAction,
    /// The ladder rule that found the existing person.
    pub matched_by: Option<MatchRule>,
    pub changed_fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeOutcome {
    pub file_name: String,
    /// The new attachment's id; `None` when skipped.
    pub attachment_id: Option<String>,
    pub skipped_because: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplicationAction {
    Created,
    /// The person had already applied to the job; nothing new was created.
    Existing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationOutcome {
    pub application_id: String,
    pub job_id: String,
    pub action: ApplicationAction,
    /// The requested status, e.g. `stage screening`.
    pub status: Option<String>,
}

/// A person in the mirror who may be the same, stored as a suggested link for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedDuplicate {
    pub candidate_id: String,
    pub confidence: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportReport {
    pub idempotency_key: String,
    pub person: Option<PersonOutcome>,
    pub resume: Option<ResumeOutcome>,
    pub application: Option<ApplicationOutcome>,
    pub suggested_duplicates: Vec<SuggestedDuplicate>,
    pub warnings: Vec<String>,
    /// Answered from an earlier finished call with the same key; nothing was written now.
    pub replayed: bool,
    /// Continued an earlier interrupted call with the same key.
    pub resumed: bool,
}

impl std::fmt::Display for ExportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rows = Vec::new();
        if let Some(p) = &self.person {
            let how = match (p.action, p.matched_by) {
                (PersonAction::Created, _) => "created".to_string(),
                (a, Some(rule)) => format!(
                    "{} (matched by {rule})",
                    if a == PersonAction::Updated {
                        "updated"
                    } else {
                        "matched, unchanged"
                    }
                ),
                (_, None) => "matched".to_string(),
            };
            rows.push(vec!["person".into(), p.candidate_id.clone(), how]);
            for c in &p.changed_fields {
                rows.push(vec![
                    String::new(),
                    c.field.clone(),
                    format!(
                        "{} -> {}",
                        c.ats.as_deref().unwrap_or("(empty)"),
                        c.platform
                    ),
                ]);
            }
        }
        if let Some(r) = &self.resume {
            let what = match (&r.attachment_id, &r.skipped_because) {
                (Some(id), _) => format!("uploaded as {id}"),
                (None, Some(why)) => format!("skipped: {why}"),
                (None, None) => "skipped".into(),
            };
            rows.push(vec!["resume".into(), r.file_name.clone(), what]);
        }
        if let Some(a) = &self.application {
            let what = match a.action {
                ApplicationAction::Created => "created",
                ApplicationAction::Existing => "already existed",
            };
            let status = a
                .status
                .as_deref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default();
            rows.push(vec![
                "application".into(),
                a.application_id.clone(),
                format!("{what} on job {}{status}", a.job_id),
            ]);
        }
        for d in &self.suggested_duplicates {
            rows.push(vec![
                "possible duplicate".into(),
                d.candidate_id.clone(),
                format!("{} ({:.2}); review it", d.reason, d.confidence),
            ]);
        }
        f.write_str(&table::render(&["step", "id", "result"], &rows))?;
        if self.replayed {
            writeln!(
                f,
                "(answered from an earlier export with key {}; nothing written now)",
                self.idempotency_key
            )?;
        } else if self.resumed {
            writeln!(
                f,
                "(resumed an interrupted export with key {})",
                self.idempotency_key
            )?;
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}
