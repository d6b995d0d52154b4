//! `MirrorQueries` for PostgreSQL.
//!
//! Rediscovery search is one statement: the text condition is `search @@ tsquery` on the GIN
//! index (words cut as FTS5 cuts them, see `search_document.rs`), filters are plain conditions
//! (application filters one `EXISTS` per candidate, so they hold for one application), and the
//! best `window` rows by `relevance + recency` are read, then grouped by duplicate cluster here:
//! the first (best) row of a cluster stands for the person. Without text the walk follows the
//! partial index `candidates_recent` and stops at the window. A broad text (tens of thousands of
//! matches) ranks only the most recently added matches (`search_plan.rs`), as SQLite does.
//!
//! Relevance is `ts_rank` with weighted fields, times ten so that it weighs against recency
//! (0 to 1) about as SQLite's bm25 does; its scale is this backend's own.

use crate::search_document::{RANK_WEIGHTS, search_query};
use crate::search_plan::{BROAD_WINDOW, is_broad};
use crate::value::{Params, bind};
use crate::{Error, PgMirror};
use ats_mirror::derived::normalise_key;
use ats_mirror::{
    Applicant, CandidateApplication, DedupeKeyKind, MirrorError, MirrorQueries, SearchHit,
    SearchPage, SearchQuery,
};
use ats_model::Stage;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use std::collections::HashSet;

/// Recency halves after this many seconds (180 days), as in SQLite.
const RECENCY_HALF_LIFE: f64 = 180.0 * 86_400.0;
/// `ts_rank` is about 0.1 to 1 per matching field; scaled so text outweighs recency.
const RELEVANCE_SCALE: f64 = 10.0;

/// The application filters as one condition on candidate `c`; `None` without such filters.
fn application_filter(q: &SearchQuery, conn_p: &str, p: &mut Params) -> Option<String> {
    if !q.has_application_filter() {
        return None;
    }
    // An application's stage is its own, else its status's. The statuses of a stage are one
    // uncorrelated set (hashed once per search), not a lookup per application: on 1M
    // candidates the per-application lookup made a stage filter cost 100-470 ms.
    let stage_in = |stages: String| {
        format!(
            "COALESCE(a.stage = ANY({stages}) OR (a.stage IS NULL AND a.status_id IN \
             (SELECT s.id FROM statuses s WHERE s.conn = {conn_p} \
             AND s.stage = ANY({stages}))), false)"
        )
    };
    let mut app = vec![
        "a.conn = c.conn".to_string(),
        "a.candidate_id = c.id".to_string(),
        "a.deleted_at IS NULL".to_string(),
    ];
    if !q.job_ids.is_empty() {
        app.push(format!("a.job_id = ANY({})", p.add(q.job_ids.clone())));
    }
    if !q.status_ids.is_empty() {
        app.push(format!(
            "a.status_id = ANY({})",
            p.add(q.status_ids.clone())
        ));
    }
    if let Some(name) = &q.status_name {
        app.push(format!(
            "lower(a.status_name) = lower({})",
            p.add(name.clone())
        ));
    }
    if !q.stages.is_empty() {
        let stages: Vec<String> = q.stages.iter().map(|s| s.as_str().to_string()).collect();
        app.push(stage_in(p.add(stages)));
    }
    if let Some(rejected) = q.rejected {
        let is_rejected = stage_in(p.add(vec![Stage::Rejected.as_str().to_string()]));
        app.push(if rejected {
            is_rejected
        } else {
            format!("NOT {is_rejected}")
        });
    }
    if let Some(t) = q.applied_from {
        app.push(format!("a.applied_at >= {}", p.add(t)));
    }
    if let Some(t) = q.applied_to {
        app.push(format!("a.applied_at <= {}", p.add(t)));
    }
    Some(format!(
        "EXISTS (SELECT 1 FROM applications a WHERE {})",
        app.join(" AND ")
    ))
}

/// What the candidate's facets (migration 8) say about the application and source filters.
struct Facets {
    /// GIN-indexed conditions, intersected with the text's matches before rows are read.
    conditions: Vec<String>,
    /// The application filter is one condition (stages, statuses or rejection) that the
    /// facets answer exactly; with several, all must hold for one application, so the search
    /// checks them row by row on what the facets leave.
    application_exact: bool,
}

/// With `by_index` the conditions are GIN-indexable, for PostgreSQL to intersect with the text's
/// matches or to walk alone; else they are checked on each row the text matched.
fn facet_filters(q: &SearchQuery, by_index: bool, p: &mut Params) -> Facets {
    let mut conditions = Vec::new();
    // One array per condition: the planner estimates each from the facet's frequency, and a
    // stage facet already implies 'app' (taken as independent, the two made it expect 10x too
    // few rows and sort instead of walking the recency index).
    let mut any_of = |facets: Vec<String>, p: &mut Params| {
        let facets = p.add(facets);
        conditions.push(if by_index {
            format!("c.facets && {facets}::text[]")
        } else {
            format!("EXISTS (SELECT 1 FROM unnest(c.facets) f WHERE f = ANY({facets}::text[]))")
        });
    };
    let mut kinds = 0;
    if !q.stages.is_empty() {
        kinds += 1;
        any_of(
            q.stages
                .iter()
                .map(|s| format!("stage:{}", s.as_str()))
                .collect(),
            p,
        );
    }
    if !q.status_ids.is_empty() {
        kinds += 1;
        any_of(
            q.status_ids.iter().map(|s| format!("status:{s}")).collect(),
            p,
        );
    }
    match q.rejected {
        Some(true) => {
            kinds += 1;
            any_of(vec![format!("stage:{}", Stage::Rejected.as_str())], p);
        }
        Some(false) => {
            kinds += 1;
            any_of(vec!["unrejected".to_string()], p);
        }
        None => {}
    }
    let others = !q.job_ids.is_empty()
        || q.status_name.is_some()
        || q.applied_from.is_some()
        || q.applied_to.is_some();
    if others && kinds == 0 {
        any_of(vec!["app".to_string()], p);
    }
    if let Some(source) = &q.source {
        let facet = format!("('source:' || lower({}))", p.add(source.clone()));
        conditions.push(if by_index {
            format!("c.facets @> ARRAY[{facet}]")
        } else {
            format!("{facet} = ANY(c.facets)")
        });
    }
    Facets {
        conditions,
        application_exact: kinds == 1 && !others,
    }
}

/// The search statement keeping `window` ranked rows at most, with its parameters; a `broad`
/// text search ranks only the `window` most recently added matches (see `search_plan`).
fn search_sql(conn: &str, q: &SearchQuery, window: usize, broad: bool) -> (String, Params) {
    let mut p = Params::default();
    let conn_p = p.add(conn);
    let now_p = p.add(q.now);
    let text = search_query(q.text.as_deref(), q.any_text.as_deref());
    let text_filter = text.is_some();
    let recency = format!(
        "(CASE WHEN c.updated_at IS NULL THEN 0.0::float8 ELSE 1.0::float8 / \
         (1.0::float8 + greatest(0, {now_p} - c.updated_at)::float8 / {RECENCY_HALF_LIFE:.1}::float8) END)"
    );
    let mut filters = vec![
        format!("c.conn = {conn_p}"),
        "c.deleted_at IS NULL".to_string(),
    ];
    let relevance = match text {
        Some(t) => {
            let t = p.add(t);
            filters.push(format!("c.search @@ {t}::tsquery"));
            format!(
                "(ts_rank({RANK_WEIGHTS}, c.search, {t}::tsquery)::float8 * {RELEVANCE_SCALE:.1}::float8)"
            )
        }
        None => "0.0::float8".to_string(),
    };
    if !q.folder_ids.is_empty() {
        filters.push(format!(
            "c.folder_id = ANY({})",
            p.add(q.folder_ids.clone())
        ));
    }
    for (name, value) in &q.custom_fields {
        let key = p.add(ats_mirror::derived::custom_field_key(name, value));
        filters.push(format!(
            "EXISTS (SELECT 1 FROM candidate_keys fk WHERE fk.conn = c.conn AND fk.kind = '{}' \
             AND fk.key = {key} AND fk.candidate_id = c.id)",
            ats_mirror::derived::CUSTOM_FIELD_KEY_KIND
        ));
    }
    // A text of fewer than `BROAD_MATCHES` matches is cheapest checked row by row: intersecting
    // its matches with a common facet or a wide date range (BitmapAnd with a bitmap of 200k
    // rows) cost 60-120 ms on 1M candidates where reading the matches costs 30 ms. A broad text,
    // or none, leaves the choice to the planner. (`+ 0` keeps a date range off the index.)
    let by_index = !text_filter || broad;
    let updated_at = if by_index {
        "c.updated_at"
    } else {
        "c.updated_at + 0"
    };
    if let Some(t) = q.updated_from {
        filters.push(format!("{updated_at} >= {}", p.add(t)));
    }
    if let Some(t) = q.updated_to {
        filters.push(format!("{updated_at} <= {}", p.add(t)));
    }
    if !q.not_applied_to.is_empty() {
        filters.push(format!(
            "NOT EXISTS (SELECT 1 FROM applications a WHERE a.conn = c.conn \
             AND a.candidate_id = c.id AND a.job_id = ANY({}) AND a.deleted_at IS NULL)",
            p.add(q.not_applied_to.clone())
        ));
    }
    // The source filter (the profile's source, or where one of the person's applications came
    // from) is a facet alone.
    let facets = facet_filters(q, by_index, &mut p);
    filters.extend(facets.conditions);
    if !facets.application_exact {
        filters.extend(application_filter(q, &conn_p, &mut p));
    }
    // Without text the score is the recency, which falls with `updated_at`: walk the index.
    let order = if relevance.starts_with("0.0") {
        "c.updated_at DESC NULLS LAST, c.rid DESC"
    } else if broad {
        "c.rid DESC"
    } else {
        "score DESC, c.updated_at DESC NULLS LAST, c.rid DESC"
    };
    // A broad text ranks the newest matches; otherwise the ranking reads `window` rows.
    let matches = if broad {
        BROAD_WINDOW.max(window)
    } else {
        window
    };
    let matches_p = p.add(i64::try_from(matches).unwrap_or(i64::MAX));
    let window_p = p.add(i64::try_from(window).unwrap_or(i64::MAX));
    // Only the score is computed per match (`ts_rank` once: each use reads the row's `search`
    // again); relevance and recency are computed again for the rows kept.
    let sql = format!(
        "WITH matches AS (\
           SELECT c.rid AS rid, c.updated_at AS updated_at, {relevance} + {recency} AS score \
           FROM candidates c WHERE {} ORDER BY {order} LIMIT {matches_p}), \
         hits AS (SELECT * FROM matches \
           ORDER BY score DESC, updated_at DESC NULLS LAST, rid DESC LIMIT {window_p}) \
         SELECT c.id, c.display_name, c.email, c.title, c.company, c.updated_at, cl.cluster_id, \
                {relevance}, {recency}, h.score \
         FROM hits h JOIN candidates c ON c.rid = h.rid \
         LEFT JOIN candidate_clusters cl ON cl.conn = c.conn AND cl.candidate_id = c.id \
         ORDER BY h.score DESC, h.updated_at DESC NULLS LAST, h.rid DESC",
        filters.join(" AND ")
    );
    (sql, p)
}

struct Hit {
    hit: SearchHit,
    /// Set when the candidate has duplicate links.
    cluster: Option<String>,
}

impl Hit {
    fn group(&self) -> &str {
        self.cluster.as_deref().unwrap_or(&self.hit.candidate_id)
    }
}

async fn run_search(
    db: &mut PgConnection,
    conn: &str,
    q: &SearchQuery,
    window: usize,
    broad: bool,
) -> Result<Vec<Hit>, Error> {
    let (sql, p) = search_sql(conn, q, window, broad);
    let rows = bind(sqlx::query(AssertSqlSafe(sql)), p.0)
        .fetch_all(&mut *db)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Hit {
                hit: SearchHit {
                    candidate_id: r.try_get(0)?,
                    duplicates: Vec::new(),
                    display_name: r.try_get(1)?,
                    email: r.try_get(2)?,
                    title: r.try_get(3)?,
                    company: r.try_get(4)?,
                    updated_at: r.try_get(5)?,
                    relevance: r.try_get(7)?,
                    recency: r.try_get(8)?,
                    score: r.try_get(9)?,
                },
                cluster: r.try_get(6)?,
            })
        })
        .collect()
}

async fn cluster_others(
    db: &mut PgConnection,
    conn: &str,
    cluster: &str,
    id: &str,
) -> Result<Vec<String>, Error> {
    Ok(sqlx::query_scalar(
        "SELECT candidate_id FROM candidate_clusters WHERE conn = $1 AND cluster_id = $2 \
         AND candidate_id <> $3 ORDER BY candidate_id COLLATE \"C\"",
    )
    .bind(conn)
    .bind(cluster)
    .bind(id)
    .fetch_all(&mut *db)
    .await?)
}

async fn search(db: &mut PgConnection, conn: &str, q: &SearchQuery) -> Result<SearchPage, Error> {
    let wanted = q.offset + q.limit + 1; // one more group tells whether more follow
    let mut window = wanted * 2 + 8;
    let broad = is_broad(db, q.text.as_deref(), q.any_text.as_deref()).await?;
    loop {
        let rows = run_search(db, conn, q, window, broad).await?;
        let exhausted = rows.len() < window;
        let mut seen = HashSet::new();
        let mut groups = Vec::new();
        for row in rows {
            if seen.insert(row.group().to_string()) {
                groups.push(row);
                if groups.len() == wanted {
                    break;
                }
            }
        }
        if groups.len() == wanted || exhausted {
            let more = groups.len() > q.offset + q.limit;
            let mut hits = Vec::new();
            for row in groups.into_iter().skip(q.offset).take(q.limit) {
                let mut hit = row.hit;
                if let Some(cluster) = &row.cluster {
                    hit.duplicates = cluster_others(db, conn, cluster, &hit.candidate_id).await?;
                }
                hits.push(hit);
            }
            return Ok(SearchPage { hits, more });
        }
        window *= 4;
    }
}

fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait::async_trait]
impl MirrorQueries for PgMirror {
    async fn search_candidates(
        &self,
        conn: &str,
        q: &SearchQuery,
    ) -> Result<SearchPage, MirrorError> {
        Ok(search(&mut *self.conn().await?, conn, q).await?)
    }

    async fn applicants(
        &self,
        conn: &str,
        job_id: &str,
        limit_: usize,
        offset: usize,
    ) -> Result<Vec<Applicant>, MirrorError> {
        let rows = sqlx::query(
            "SELECT a.id, a.candidate_id, a.status_id, a.status_name, COALESCE(a.stage, s.stage), \
             a.applied_at, a.updated_at, c.display_name, c.email, c.title, c.company, \
             (c.record_json::jsonb -> 'skills')::text, c.resume_text, c.updated_at \
             FROM applications a \
             LEFT JOIN candidates c ON c.conn = a.conn AND c.id = a.candidate_id AND c.deleted_at IS NULL \
             LEFT JOIN statuses s ON s.conn = a.conn AND s.id = a.status_id \
             WHERE a.conn = $1 AND a.job_id = $2 AND a.deleted_at IS NULL \
             ORDER BY a.updated_at DESC NULLS LAST, a.id COLLATE \"C\" LIMIT $3 OFFSET $4",
        )
        .bind(conn)
        .bind(job_id)
        .bind(limit(limit_))
        .bind(limit(offset))
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        let decode = |r: &sqlx::postgres::PgRow| -> Result<Applicant, sqlx::Error> {
            let skills: Option<String> = r.try_get(11)?;
            let stage: Option<String> = r.try_get(4)?;
            Ok(Applicant {
                application_id: r.try_get(0)?,
                candidate_id: r.try_get(1)?,
                status_id: r.try_get(2)?,
                status_name: r.try_get(3)?,
                stage: stage.as_deref().and_then(Stage::parse),
                applied_at: r.try_get(5)?,
                application_updated_at: r.try_get(6)?,
                display_name: r.try_get(7)?,
                email: r.try_get(8)?,
                title: r.try_get(9)?,
                company: r.try_get(10)?,
                skills: skills
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
                resume_text: r.try_get(12)?,
                candidate_updated_at: r.try_get(13)?,
            })
        };
        Ok(rows
            .iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map_err(Error::from)?)
    }

    async fn applications_of_candidate(
        &self,
        conn: &str,
        candidate_id: &str,
        limit_: usize,
    ) -> Result<Vec<CandidateApplication>, MirrorError> {
        let mut db = self.conn().await?;
        Ok(crate::candidate_applications::applications_of_candidate(
            &mut db,
            conn,
            candidate_id,
            limit(limit_),
        )
        .await?)
    }

    async fn application_of(
        &self,
        conn: &str,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<Option<String>, MirrorError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM applications WHERE conn = $1 AND candidate_id = $2 \
             AND deleted_at IS NULL AND job_id = $3 ORDER BY id COLLATE \"C\" LIMIT 1",
        )
        .bind(conn)
        .bind(candidate_id)
        .bind(job_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::from)?)
    }

    async fn candidates_by_key(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        key: &str,
        limit_: usize,
    ) -> Result<Vec<String>, MirrorError> {
        let Some(key) = normalise_key(kind, key) else {
            return Ok(Vec::new());
        };
        Ok(sqlx::query_scalar(
            "SELECT k.candidate_id FROM candidate_keys k \
             JOIN candidates c ON c.conn = k.conn AND c.id = k.candidate_id \
             WHERE k.conn = $1 AND k.kind = $2 AND k.key = $3 AND c.deleted_at IS NULL \
             ORDER BY k.candidate_id COLLATE \"C\" DESC LIMIT $4",
        )
        .bind(conn)
        .bind(kind.as_str())
        .bind(key)
        .bind(limit(limit_))
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?)
    }

    async fn shared_keys(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        limit_: usize,
    ) -> Result<Vec<(String, Vec<String>)>, MirrorError> {
        let rows = sqlx::query(
            "SELECT k.key, array_agg(k.candidate_id ORDER BY k.candidate_id COLLATE \"C\") \
             FROM candidate_keys k \
             JOIN candidates c ON c.conn = k.conn AND c.id = k.candidate_id \
             WHERE k.conn = $1 AND k.kind = $2 AND c.deleted_at IS NULL \
             GROUP BY k.key HAVING count(*) > 1 ORDER BY k.key COLLATE \"C\" LIMIT $3",
        )
        .bind(conn)
        .bind(kind.as_str())
        .bind(limit(limit_))
        .fetch_all(&self.pool)
        .await
        .map_err(Error::from)?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Error::from)?)
    }
}
