//! How the CLI prints a feature's answer: one `Display` per report, over [`Shown`] (the
//! features return data; tables are the CLI's). `--json` prints the same answers with serde.

use crate::display::ruled_table;
use ats_features::JobRediscoveryPage;
use ats_features::dedupe::DedupeReport;
use ats_features::export::{ApplicationAction, ExportReport, PersonAction};
use ats_features::fit::ScorePart;
use ats_features::moves::{MoveReport, RejectReport};
use ats_features::rediscovery::RediscoveryPage;
use ats_features::refresh::RefreshReport;
use ats_features::review::ReviewReport;
use std::fmt;

/// A feature's answer, printed for people.
pub(crate) struct Shown<'a, T>(pub &'a T);

impl fmt::Display for Shown<'_, MoveReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "application {} moved to {}",
            self.0.application_id, self.0.requested
        )?;
        if let Some(s) = &self.0.status {
            write!(f, " (now: {s})")?;
        }
        writeln!(f)?;
        for w in &self.0.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_, RejectReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "application {} rejected", self.0.application_id)?;
        if let Some(n) = &self.0.note {
            writeln!(f, "{n}")?;
        }
        for w in &self.0.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_, RediscoveryPage> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<Vec<String>> = self
            .0
            .hits
            .iter()
            .map(|h| {
                vec![
                    h.candidate_id.clone(),
                    h.name.clone().unwrap_or_default(),
                    h.title.clone().unwrap_or_default(),
                    h.company.clone().unwrap_or_default(),
                    h.email.clone().unwrap_or_default(),
                    h.duplicates.join(" "),
                    format!("{:.2}", h.score),
                ]
            })
            .collect();
        f.write_str(&ruled_table(
            &["id", "name", "title", "company", "email", "also", "score"],
            &rows,
        ))?;
        let more = if self.0.more {
            "; more on the next page"
        } else {
            ""
        };
        writeln!(
            f,
            "page {} ({} people){more}",
            self.0.page,
            self.0.hits.len()
        )
    }
}

impl fmt::Display for Shown<'_, RefreshReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.changes.is_empty() {
            writeln!(f, "candidate {}: nothing to refresh", self.0.candidate_id)?;
        } else {
            let rows: Vec<Vec<String>> = self
                .0
                .changes
                .iter()
                .map(|c| {
                    vec![
                        c.field.clone(),
                        c.ats.clone().unwrap_or_else(|| "(empty)".into()),
                        c.platform.clone(),
                    ]
                })
                .collect();
            f.write_str(&ruled_table(&["field", "ATS now", "platform"], &rows))?;
            let verb = if self.0.applied {
                "sent to the ATS"
            } else {
                "not sent (dry run)"
            };
            writeln!(f, "{} changes {verb}", self.0.changes.len())?;
        }
        for w in &self.0.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_, ExportReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = Vec::new();
        if let Some(p) = &self.0.person {
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
        if let Some(r) = &self.0.resume {
            let what = match (&r.attachment_id, &r.skipped_because) {
                (Some(id), _) => format!("uploaded as {id}"),
                (None, Some(why)) => format!("skipped: {why}"),
                (None, None) => "skipped".into(),
            };
            rows.push(vec!["resume".into(), r.file_name.clone(), what]);
        }
        if let Some(a) = &self.0.application {
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
        for d in &self.0.suggested_duplicates {
            rows.push(vec![
                "possible duplicate".into(),
                d.candidate_id.clone(),
                format!("{} ({:.2}); review it", d.reason, d.confidence),
            ]);
        }
        f.write_str(&ruled_table(&["step", "id", "result"], &rows))?;
        if self.0.replayed {
            writeln!(
                f,
                "(answered from an earlier export with key {}; nothing written now)",
                self.0.idempotency_key
            )?;
        } else if self.0.resumed {
            writeln!(
                f,
                "(resumed an interrupted export with key {})",
                self.0.idempotency_key
            )?;
        }
        for w in &self.0.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_, ReviewReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "job {} {}",
            self.0.job_id,
            self.0.job_title.as_deref().unwrap_or("")
        )?;
        let rows: Vec<Vec<String>> = self
            .0
            .applicants
            .iter()
            .map(|a| {
                vec![
                    a.rank.to_string(),
                    format!("{:.1}", a.score),
                    a.application_id.clone(),
                    a.name.clone().unwrap_or_default(),
                    a.title.clone().unwrap_or_default(),
                    a.stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
                    why(&a.parts),
                ]
            })
            .collect();
        f.write_str(&ruled_table(
            &["#", "score", "application", "name", "title", "stage", "why"],
            &rows,
        ))
    }
}

/// The parts that moved a score, each with its points.
fn why(parts: &[ScorePart]) -> String {
    parts
        .iter()
        .filter(|p| p.points != 0.0)
        .map(|p| format!("{} {:+.0}: {}", p.name, p.points, p.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for Shown<'_, JobRediscoveryPage> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        writeln!(
            f,
            "people who did not apply to job {} {}",
            p.job_id,
            p.job_title.as_deref().unwrap_or("")
        )?;
        let rows: Vec<Vec<String>> = p
            .hits
            .iter()
            .map(|h| {
                vec![
                    h.rank.to_string(),
                    format!("{:.1}", h.score),
                    h.candidate_id.clone(),
                    h.name.clone().unwrap_or_default(),
                    h.title.clone().unwrap_or_default(),
                    h.duplicates.join(" "),
                    why(&h.parts),
                ]
            })
            .collect();
        f.write_str(&ruled_table(
            &["#", "score", "id", "name", "title", "also", "why"],
            &rows,
        ))?;
        writeln!(
            f,
            "page {} ({} people scored{})",
            p.page,
            p.scored,
            if p.more { "; more with --page" } else { "" }
        )
    }
}

impl fmt::Display for Shown<'_, DedupeReport> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<Vec<String>> = self
            .0
            .links
            .iter()
            .map(|l| {
                vec![
                    l.a_id.clone(),
                    l.b_id.clone(),
                    l.rule.to_string(),
                    l.status.to_string(),
                    format!("{:.2}", l.confidence),
                    l.reason.clone(),
                ]
            })
            .collect();
        f.write_str(&ruled_table(
            &["a", "b", "rule", "status", "conf", "reason"],
            &rows,
        ))?;
        writeln!(
            f,
            "{} links from {} compared pairs",
            self.0.links.len(),
            self.0.pairs_compared
        )?;
        for w in &self.0.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}
