//! A candidate's applications for their page: read off `applications_by_candidate` (the
//! candidate's rows only, however many jobs the connection has), with the job's title joined
//! when the mirror holds the job and each application's status history.

use crate::records::status_history;
use crate::{Db, Error};
use ats_mirror::CandidateApplication;
use ats_model::Stage;
use rusqlite::params;

impl Db {
    pub(crate) fn applications_of_candidate(
        &self,
        conn: &str,
        candidate_id: &str,
        limit: usize,
    ) -> Result<Vec<CandidateApplication>, Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT a.id, a.job_id, j.title, j.deleted_at, a.status_id, a.status_name, \
                 COALESCE(a.stage, s.stage), a.source, a.applied_at, a.updated_at \
                 FROM applications a INDEXED BY applications_by_candidate \
                 LEFT JOIN jobs j ON j.conn = a.conn AND j.id = a.job_id \
                 LEFT JOIN statuses s ON s.conn = a.conn AND s.id = a.status_id \
                 WHERE a.conn = ?1 AND a.candidate_id = ?2 AND a.deleted_at IS NULL \
                 ORDER BY a.applied_at DESC, a.id LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![conn, candidate_id, limit], |r| {
                Ok(CandidateApplication {
                    application_id: r.get(0)?,
                    job_id: r.get(1)?,
                    job_title: r.get(2)?,
                    job_deleted_at: r.get(3)?,
                    status_id: r.get(4)?,
                    status_name: r.get(5)?,
                    stage: r
                        .get::<_, Option<String>>(6)?
                        .as_deref()
                        .and_then(Stage::parse),
                    source: r.get(7)?,
                    applied_at: r.get(8)?,
                    updated_at: r.get(9)?,
                    history: Vec::new(),
                })
            })?;
            let mut out: Vec<CandidateApplication> = rows.collect::<Result<_, _>>()?;
            // One indexed look-up per application, on the same read connection.
            for app in &mut out {
                app.history = status_history(db, conn, &app.application_id)?;
            }
            Ok(out)
        })
    }
}
