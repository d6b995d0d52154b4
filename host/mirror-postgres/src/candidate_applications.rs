//! A candidate's applications for their page: read off the partial index
//! `applications_by_candidate` (live rows of one candidate), with the job's title joined when
//! the mirror holds the job, and every application's status history in one more statement.

use crate::Error;
use ats_mirror::{CandidateApplication, StatusChange};
use ats_model::Stage;
use sqlx::{PgConnection, Row};

fn stage(text: Option<String>) -> Option<Stage> {
    text.as_deref().and_then(Stage::parse)
}

pub(crate) async fn applications_of_candidate(
    db: &mut PgConnection,
    conn: &str,
    candidate_id: &str,
    limit: i64,
) -> Result<Vec<CandidateApplication>, Error> {
    let rows = sqlx::query(
        "SELECT a.id, a.job_id, j.title, j.deleted_at, a.status_id, a.status_name, \
         COALESCE(a.stage, s.stage), a.source, a.applied_at, a.updated_at \
         FROM applications a \
         LEFT JOIN jobs j ON j.conn = a.conn AND j.id = a.job_id \
         LEFT JOIN statuses s ON s.conn = a.conn AND s.id = a.status_id \
         WHERE a.conn = $1 AND a.candidate_id = $2 AND a.deleted_at IS NULL \
         ORDER BY a.applied_at DESC NULLS LAST, a.id COLLATE \"C\" LIMIT $3",
    )
    .bind(conn)
    .bind(candidate_id)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(CandidateApplication {
                application_id: r.try_get(0)?,
                job_id: r.try_get(1)?,
                job_title: r.try_get(2)?,
                job_deleted_at: r.try_get(3)?,
                status_id: r.try_get(4)?,
                status_name: r.try_get(5)?,
                stage: stage(r.try_get(6)?),
                source: r.try_get(7)?,
                applied_at: r.try_get(8)?,
                updated_at: r.try_get(9)?,
                history: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let ids: Vec<String> = out.iter().map(|a| a.application_id.clone()).collect();
    let steps = sqlx::query(
        "SELECT application_id, status_id, status_name, stage, changed_at, seen_at \
         FROM application_status_history WHERE conn = $1 AND application_id = ANY($2) \
         ORDER BY application_id, seq",
    )
    .bind(conn)
    .bind(&ids)
    .fetch_all(&mut *db)
    .await?;
    for r in &steps {
        let id: String = r.try_get(0)?;
        let step = StatusChange {
            status_id: r.try_get(1)?,
            status_name: r.try_get(2)?,
            stage: stage(r.try_get(3)?),
            changed_at: r.try_get(4)?,
            seen_at: r.try_get(5)?,
        };
        if let Some(app) = out.iter_mut().find(|a| a.application_id == id) {
            app.history.push(step);
        }
    }
    Ok(out)
}
