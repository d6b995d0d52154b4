//! Reading a status the way people write it: a generic stage (`screening`, `stage:offer`), an
//! ATS status id (`C2028`, `status:C2028`) or an ATS status name (`Phone screen`).

use crate::{FeatureError, Mirror, mirror_io};
use ats_model::{Stage, StatusTarget};

/// A generic stage by name, case-insensitive.
pub fn parse_stage(text: &str) -> Option<Stage> {
    Stage::parse(&text.trim().to_ascii_lowercase())
}

/// Resolves `text` against the generic stages and the mirror's statuses.
pub async fn resolve(
    mirror: &(impl Mirror + ?Sized),
    conn: &str,
    text: &str,
) -> Result<StatusTarget, FeatureError> {
    let text = text.trim();
    let unknown = |known: String| FeatureError::UnknownStatus {
        status: text.to_string(),
        stages: Stage::names(),
        known,
    };
    if let Some(stage) = text.strip_prefix("stage:") {
        return parse_stage(stage)
            .map(StatusTarget::Stage)
            .ok_or_else(|| unknown(String::new()));
    }
    if let Some(stage) = parse_stage(text) {
        return Ok(StatusTarget::Stage(stage));
    }
    let wanted = text.strip_prefix("status:").unwrap_or(text);
    let statuses = mirror_io::statuses(mirror, conn).await?;
    if let Some(s) = statuses.iter().find(|s| s.id == wanted).or_else(|| {
        statuses.iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
        })
    }) {
        return Ok(StatusTarget::StatusId(s.id.clone()));
    }
    let known = if statuses.is_empty() {
        " (no statuses are mirrored yet: run a statuses sync)".to_string()
    } else {
        let list: Vec<String> = statuses
            .iter()
            .take(20)
            .map(|s| match &s.name {
                Some(n) => format!("{} ({n})", s.id),
                None => s.id.clone(),
            })
            .collect();
        format!(": {}", list.join(", "))
    };
    Err(unknown(known))
}

/// How a target reads in reports.
pub fn describe(target: &StatusTarget) -> String {
    match target {
        StatusTarget::StatusId(id) => format!("status {id}"),
        StatusTarget::Stage(s) => format!("stage {}", s.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_parse_case_insensitively() {
        assert_eq!(parse_stage(" Screening "), Some(Stage::Screening));
        assert_eq!(parse_stage("phone-screen"), None);
    }
}
