//! Declared writes are round-trippable: what a write stores, `get` reads back.
//!
//! The suite writes real data: one candidate (and, when declared, one application of it to the
//! first listed job). Run it against a sandbox account, never production.

use crate::reads::FullRead;
use crate::report::Outcome;
use ats_model::{
    ApplicationInput, AtsRecord, CandidateInput, MatchQuery, RecordKind, WriteCapability,
};
use ats_runtime::Connection;
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

async fn candidate(connection: &Connection, id: &str) -> Result<ats_model::Candidate, String> {
    match connection.get(RecordKind::Candidate, id).await {
        Ok(AtsRecord::Candidate(c)) => Ok(c),
        Ok(other) => Err(format!(
            "get of candidate `{id}` answered a {:?}",
            other.kind()
        )),
        Err(e) => Err(format!("get of the written candidate `{id}`: {e}")),
    }
}

fn differs(field: &str, wrote: &str, read: Option<&str>) -> Option<String> {
    (read != Some(wrote)).then(|| format!("{field}: wrote `{wrote}`, read back {read:?}"))
}

pub async fn round_trip(connection: &Connection, reads: &BTreeMap<String, FullRead>) -> Outcome {
    let writes = &connection.info().writes;
    if !writes.contains(&WriteCapability::CreateCandidate) {
        return Outcome::Skip("the connector declares no create-candidate".into());
    }
    match run(connection, reads, writes).await {
        Ok(done) => Outcome::Pass(done.join(", ")),
        Err(reason) => Outcome::Fail(reason),
    }
}

async fn run(
    connection: &Connection,
    reads: &BTreeMap<String, FullRead>,
    writes: &[WriteCapability],
) -> Result<Vec<&'static str>, String> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let email = format!("conformance.{stamp}@example.com");
    let input = CandidateInput {
        first_name: Some("Conformance".into()),
        last_name: Some(format!("Probe{stamp}")),
        emails: Some(vec![email.clone()]),
        ..CandidateInput::default()
    };
    let created = connection
        .create_candidate(input)
        .await
        .map_err(|e| format!("create-candidate: {e}"))?;
    let read = candidate(connection, &created.id).await?;
    let email_read = read.emails.first().map(|e| e.address.to_lowercase());
    let mismatches: Vec<String> = [
        differs("first-name", "Conformance", read.first_name.as_deref()),
        differs(
            "last-name",
            &format!("Probe{stamp}"),
            read.last_name.as_deref(),
        ),
        differs("email", &email, email_read.as_deref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !mismatches.is_empty() {
        return Err(format!(
            "created candidate `{}`: {}",
            created.id,
            mismatches.join("; ")
        ));
    }
    let mut done = vec!["create-candidate"];

    if writes.contains(&WriteCapability::UpdateCandidate) {
        let last_name = format!("Probe{stamp}b");
        let input = CandidateInput {
            last_name: Some(last_name.clone()),
            ..CandidateInput::default()
        };
        connection
            .update_candidate(&created.id, input)
            .await
            .map_err(|e| format!("update-candidate: {e}"))?;
        let read = candidate(connection, &created.id).await?;
        if let Some(m) = differs("last-name", &last_name, read.last_name.as_deref()) {
            return Err(format!("updated candidate `{}`: {m}", created.id));
        }
        if read.first_name.as_deref() != Some("Conformance") {
            return Err(format!(
                "updating only last-name changed first-name of `{}` to {:?} (none must mean unchanged)",
                created.id, read.first_name
            ));
        }
        done.push("update-candidate");
    }

    if writes.contains(&WriteCapability::FindCandidates) {
        let query = MatchQuery {
            emails: vec![email.clone()],
            ..MatchQuery::default()
        };
        let found = connection
            .find_candidates(query)
            .await
            .map_err(|e| format!("find-candidates: {e}"))?;
        if !found.iter().any(|c| c.id == created.id) {
            return Err(format!(
                "find-candidates by `{email}` did not find the candidate `{}` just created",
                created.id
            ));
        }
        done.push("find-candidates");
    }

    let job = reads
        .values()
        .flat_map(|r| &r.records)
        .find(|r| r.kind() == RecordKind::Job);
    if writes.contains(&WriteCapability::CreateApplication)
        && let Some(job) = job
    {
        let input = ApplicationInput {
            candidate_id: created.id.clone(),
            job_id: job.id().to_string(),
            status: None,
            source: None,
            source_detail: None,
        };
        let applied = connection
            .create_application(input.clone())
            .await
            .map_err(|e| format!("create-application: {e}"))?;
        match connection.get(RecordKind::Application, &applied.id).await {
            Ok(AtsRecord::Application(a))
                if a.candidate_id == created.id && a.job_id == job.id() => {}
            Ok(other) => {
                return Err(format!(
                    "application `{}` reads back as {other:?}, not candidate `{}` on job `{}`",
                    applied.id,
                    created.id,
                    job.id()
                ));
            }
            Err(e) => {
                return Err(format!(
                    "get of the created application `{}`: {e}",
                    applied.id
                ));
            }
        }
        // The contract: applying twice creates nothing and answers the existing application.
        let again = connection
            .create_application(input)
            .await
            .map_err(|e| format!("create-application, repeated: {e}"))?;
        if again.id != applied.id {
            return Err(format!(
                "applying twice made a second application (`{}` then `{}`)",
                applied.id, again.id
            ));
        }
        done.push("create-application (idempotent)");
    }
    Ok(done)
}
