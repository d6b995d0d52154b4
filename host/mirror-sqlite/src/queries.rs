//! `MirrorQueries` for SQLite.
//!
//! Rediscovery search picks one of five plans (see [`choose_plan`]):
//! - **Ranked** (text matching up to [`BROAD_MATCHES`] candidates): every match is scored
//!   `-bm25 + recency` and the best `window` are kept. [`search_sql`] writes this as one
//!   statement (each match joins the covering index `candidates_search`, no wide row read); the
//!   search runs it, when no filter is selective, as a walk in bm25 order that joins matches
//!   only until the window is known (`ranked.rs`), with the same answer.
//! - **Newest** (broad text, e.g. "engineer" matching 300k): scoring every match costs about a
//!   second on 1M candidates, so only the [`BROAD_WINDOW`] most recently *added* matches (FTS5
//!   walks rowids downwards natively) that pass the filters are scored. Probing the FTS index per
//!   candidate in `updated_at` order was tried and is far slower: FTS5 re-reads the term lists on
//!   every probe.
//! - **Recent** (no text): candidates newest-updated first on the covering index
//!   `candidates_updated`, stopping at the limit. When an application filter's facets hold at
//!   most [`NARROW_MAX`] candidates, the walk first builds their set (about 0.1 µs a facet row)
//!   and tests each candidate against it before the exact check (**RecentNarrowed**): a rare
//!   stage such as hired (6k of 1M) otherwise costs an `EXISTS` on each of the ~3,000
//!   candidates walked (15 ms instead of 3-5 ms). A common facet's walk stops early anyway, so
//!   building its whole set would cost more than it saves. Telling the two apart counts the
//!   facet up to `NARROW_MAX` + 1 rows (at most ~1.5 ms on 1M), the count the selective plan
//!   needed already.
//! - **Selective** (no text, an application filter few candidates pass, e.g. one job's
//!   applicants): start from those candidates (at most [`SELECTIVE_MAX`]) and sort them; walking
//!   1M candidates by recency to find a job's 50 applicants took ~180 ms.
//!
//! Application filters must hold for one application. A job filter becomes one `IN (SELECT …)`
//! list from the `(conn, job_id)` index (built once). Stage and status filters first narrow by
//! the candidate's facets (`candidate_facets`, keyed by rowid, so a text search tests each FTS
//! match against a set built once, before any join), then the exact condition is checked with a
//! correlated `EXISTS` on what remains. Only the rows of the page are read from `candidates`.
//! Duplicate grouping happens while reading the ranked rows: the first (best) row of a cluster
//! stands for the person.

use crate::fts::fts_match_all_and_any;
use crate::{Db, Error};
use ats_mirror::derived::normalise_key;
use ats_mirror::{Applicant, DedupeKeyKind, SearchHit, SearchPage, SearchQuery};
use ats_model::Stage;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use std::collections::HashSet;

/// Column weights for bm25 (name, emails, title, company, skills, resume, location: the FTS5
/// columns in the order of the index's fields), the index's own, so both rank alike.
pub(crate) static BM25_WEIGHTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let weights: Vec<String> = ats_search_index::FIELD_WEIGHTS
        .iter()
        .map(|w| format!("{w:.1}"))
        .collect();
    weights.join(", ")
});
/// Recency halves after this many seconds (the index's, so both rank alike).
const RECENCY_HALF_LIFE: f64 = ats_search_index::RECENCY_HALF_LIFE;
/// The largest recency part of a score (see [`recency_sql`]): what the ranked plan's walk adds
/// to a relevance to bound the scores it has not read yet.
pub(crate) const MAX_RECENCY: f64 = ats_search_index::MAX_RECENCY;
/// Above this many matches (counted by [`choose_plan`]), a text search ranks the most recently
/// added matches.
pub const BROAD_MATCHES: i64 = 20_000;
/// How many of the most recently added matches a broad search ranks (pages within it are stable).
pub const BROAD_WINDOW: usize = 2_000;
/// A search without text starts from the candidates an application filter admits when they are
/// at most this many (sorting them is then cheaper than walking every candidate by recency).
pub const SELECTIVE_MAX: i64 = 5_000;

/// A search without text narrows its walk by facets when the rarest facet group holds at most
/// this many candidates (see [`SearchPlan::RecentNarrowed`]).
pub const NARROW_MAX: i64 = 20_000;

/// How a search reads the indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPlan {
    /// Score every text match.
    Ranked,
    /// Score the most recently added text matches only.
    Newest,
    /// No text: walk candidates by `updated_at`, newest first.
    Recent,
    /// As `Recent`, testing each candidate against the application filter's facet sets first.
    RecentNarrowed,
    /// No text: read the few candidates an application filter admits, then sort them.
    Selective,
}

/// Counts the text's matches (up to [`BROAD_MATCHES`] + 1, exactly: FTS5 lists rowids from
/// the doclists alone, about 1 ms for 20k), or without text how many candidates the
/// application filters admit, and picks the plan. The per-word document frequencies of
/// `candidates_fts_terms` were used before: they guess an AND of words, and fts5vocab walks a
/// common word's whole doclist to count it (8 ms for a city).
pub fn choose_plan(db: &Connection, conn: &str, q: &SearchQuery) -> Result<SearchPlan, Error> {
    let Some(text) = fts_match_all_and_any(q.text.as_deref(), q.any_text.as_deref()) else {
        return Ok(match admitted_at_most(db, conn, q, NARROW_MAX)? {
            Some(n) if n <= SELECTIVE_MAX => SearchPlan::Selective,
            Some(n) if n <= NARROW_MAX => SearchPlan::RecentNarrowed,
            _ => SearchPlan::Recent,
        });
    };
    let matches: i64 = db
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM candidates_fts WHERE candidates_fts MATCH ?1 \
             LIMIT ?2)",
        )?
        .query_row(params![text, BROAD_MATCHES + 1], |r| r.get(0))?;
    Ok(if matches > BROAD_MATCHES {
        SearchPlan::Newest
    } else {
        SearchPlan::Ranked
    })
}

/// The facets a candidate must hold for the application filters to possibly hold, as groups
/// (the candidate needs one facet of every group). `rejected: false` narrows nothing.
pub(crate) fn facet_groups(q: &SearchQuery) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    if !q.stages.is_empty() {
        groups.push(
            q.stages
                .iter()
                .map(|s| format!("stage:{}", s.as_str()))
                .collect(),
        );
    }
    if q.rejected == Some(true) {
        groups.push(vec![format!("stage:{}", Stage::Rejected.as_str())]);
    }
    if !q.status_ids.is_empty() {
        groups.push(
            q.status_ids
                .iter()
                .map(|id| format!("status:{id}"))
                .collect(),
        );
    }
    groups
}

/// An upper bound on the candidates the application filters admit, counted up to `cap` (more
/// is reported as `cap + 1`): the job's applications when a job is named (the selective plan
/// then starts from them), else the rarest facet group; `None` when nothing bounds them.
fn admitted_at_most(
    db: &Connection,
    conn: &str,
    q: &SearchQuery,
    cap: i64,
) -> Result<Option<i64>, Error> {
    let mut best: Option<i64> = None;
    if !q.job_ids.is_empty() {
        let mut p = Params(vec![Value::from(conn.to_string())]);
        let jobs = p.list(q.job_ids.clone());
        let cap_p = p.add(cap + 1);
        let n: i64 = db
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM applications INDEXED BY applications_by_job \
                 WHERE conn = ?1 AND job_id IN ({jobs}) LIMIT {cap_p})"
            ))?
            .query_row(params_from_iter(p.0.iter()), |r| r.get(0))?;
        return Ok(Some(n));
    }
    for group in facet_groups(q) {
        let mut p = Params(Vec::new());
        let facets = p.list(group);
        let cap_p = p.add(cap + 1);
        let n: i64 = db
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM candidate_facets WHERE facet IN ({facets}) \
                 LIMIT {cap_p})"
            ))?
            .query_row(params_from_iter(p.0.iter()), |r| r.get(0))?;
        best = Some(best.map_or(n, |b| b.min(n)));
    }
    Ok(best)
}

/// The SQL text and parameters of a rediscovery search, built from the query alone (so it can
/// be inspected with `EXPLAIN QUERY PLAN`).
pub struct SearchSql {
    pub sql: String,
    pub params: Vec<Value>,
}

pub(crate) struct Params(pub(crate) Vec<Value>);

impl Params {
    /// Adds a value; returns its placeholder.
    pub(crate) fn add(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("?{}", self.0.len())
    }

    fn list(&mut self, values: impl IntoIterator<Item = String>) -> String {
        let placeholders: Vec<String> = values.into_iter().map(|v| self.add(v)).collect();
        placeholders.join(", ")
    }
}

/// The application filters as SQL conditions on candidate `c` (and FTS match `f` when
/// `text_plan`): facet narrowing first (when `narrow`), then the exact filter.
fn application_filter(
    q: &SearchQuery,
    p: &mut Params,
    text_plan: bool,
    narrow: bool,
) -> Vec<String> {
    if !q.has_application_filter() {
        return Vec::new();
    }
    let stage = "COALESCE(a.stage, (SELECT s.stage FROM statuses s \
                 WHERE s.conn = a.conn AND s.id = a.status_id))";
    let mut app = vec![
        "a.conn = c.conn".to_string(),
        "a.deleted_at IS NULL".to_string(),
    ];
    if !q.job_ids.is_empty() {
        app.push(format!("a.job_id IN ({})", p.list(q.job_ids.clone())));
    }
    if !q.status_ids.is_empty() {
        app.push(format!("a.status_id IN ({})", p.list(q.status_ids.clone())));
    }
    if let Some(name) = &q.status_name {
        app.push(format!(
            "a.status_name = {} COLLATE NOCASE",
            p.add(name.clone())
        ));
    }
    if !q.stages.is_empty() {
        let stages = q.stages.iter().map(|s| s.as_str().to_string());
        app.push(format!("{stage} IN ({})", p.list(stages)));
    }
    match q.rejected {
        Some(true) => app.push(format!("{stage} IS 'rejected'")),
        Some(false) => app.push(format!("{stage} IS NOT 'rejected'")),
        None => {}
    }
    if let Some(t) = q.applied_from {
        app.push(format!("a.applied_at >= {}", p.add(t)));
    }
    if let Some(t) = q.applied_to {
        app.push(format!("a.applied_at <= {}", p.add(t)));
    }
    if !q.job_ids.is_empty() {
        // Built once from the (conn, job_id) index. Named: the covering by-candidate index
        // would otherwise tempt the planner into scanning every application of the connection.
        app[0] = "a.conn = ?1".to_string(); // ?1 is the connection name
        return vec![if text_plan {
            // The rowids of the candidates holding such an application. The unary `+` keeps
            // SQLite from handing the list to FTS5 as rowid lookups (one slow probe each).
            format!(
                "+f.rowid IN (SELECT c2.rid FROM applications a INDEXED BY applications_by_job \
                 JOIN candidates c2 ON c2.conn = a.conn AND c2.id = a.candidate_id WHERE {})",
                app.join(" AND ")
            )
        } else {
            format!(
                "c.id IN (SELECT a.candidate_id FROM applications a INDEXED BY applications_by_job \
                 WHERE {})",
                app.join(" AND ")
            )
        }];
    }
    let row = if text_plan { "+f.rowid" } else { "c.rid" };
    let groups = if narrow { facet_groups(q) } else { Vec::new() };
    let mut conditions: Vec<String> = groups
        .into_iter()
        .map(|group| {
            format!(
                "{row} IN (SELECT rid FROM candidate_facets WHERE facet IN ({}))",
                p.list(group)
            )
        })
        .collect();
    app.push("a.candidate_id = c.id".to_string());
    conditions.push(format!(
        "EXISTS (SELECT 1 FROM applications a WHERE {})",
        app.join(" AND ")
    ));
    conditions
}

/// The conditions on candidate `c` besides its connection, liveness and the text match: the
/// profile filters, then the application filters (see [`application_filter`]).
pub(crate) fn candidate_filters(
    q: &SearchQuery,
    p: &mut Params,
    conn_p: &str,
    text_plan: bool,
    narrow: bool,
) -> Vec<String> {
    let mut filters = Vec::new();
    if !q.folder_ids.is_empty() {
        filters.push(format!("c.folder_id IN ({})", p.list(q.folder_ids.clone())));
    }
    if let Some(source) = &q.source {
        let source = p.add(source.clone());
        // The profile's source, or where one of the person's applications came from.
        filters.push(format!(
            "(c.source = {source} COLLATE NOCASE OR c.source_detail = {source} COLLATE NOCASE \
             OR EXISTS (SELECT 1 FROM applications sa WHERE sa.conn = c.conn \
             AND sa.candidate_id = c.id AND sa.deleted_at IS NULL \
             AND (sa.source = {source} COLLATE NOCASE OR sa.source_detail = {source} COLLATE NOCASE)))"
        ));
    }
    for (name, value) in &q.custom_fields {
        let key = p.add(ats_mirror::derived::custom_field_key(name, value));
        filters.push(format!(
            "EXISTS (SELECT 1 FROM candidate_keys fk WHERE fk.conn = {conn_p} AND fk.kind = '{}' \
             AND fk.key = {key} AND fk.candidate_id = c.id)",
            ats_mirror::derived::CUSTOM_FIELD_KEY_KIND
        ));
    }
    if let Some(t) = q.updated_from {
        filters.push(format!("c.updated_at >= {}", p.add(t)));
    }
    if let Some(t) = q.updated_to {
        filters.push(format!("c.updated_at <= {}", p.add(t)));
    }
    if !q.not_applied_to.is_empty() {
        // One list from the (conn, job_id) index, built once and probed per row.
        filters.push(format!(
            "c.id NOT IN (SELECT a.candidate_id FROM applications a INDEXED BY applications_by_job \
             WHERE a.conn = {conn_p} AND a.job_id IN ({}) AND a.deleted_at IS NULL)",
            p.list(q.not_applied_to.clone())
        ));
    }
    filters.extend(application_filter(q, p, text_plan, narrow));
    filters
}

/// The recency part of the score, in [0, 1] ([`MAX_RECENCY`] for a candidate updated now,
/// 0 without an update time).
pub(crate) fn recency_sql(now_p: &str) -> String {
    format!(
        "(CASE WHEN c.updated_at IS NULL THEN 0.0 \
         ELSE 1.0 / (1.0 + max(0, {now_p} - c.updated_at) / {RECENCY_HALF_LIFE:.1}) END)"
    )
}

/// Builds the search for `plan`, keeping `window` ranked rows at most.
pub fn search_sql(conn: &str, q: &SearchQuery, plan: SearchPlan, window: usize) -> SearchSql {
    let mut p = Params(Vec::new());
    let conn_p = p.add(conn.to_string()); // ?1, also used by the application filter
    let now_p = p.add(q.now);
    let text = fts_match_all_and_any(q.text.as_deref(), q.any_text.as_deref());
    let recency = recency_sql(&now_p);
    let relevance = match text {
        Some(_) => format!("-bm25(candidates_fts, {})", *BM25_WEIGHTS),
        None => "0.0".to_string(),
    };
    let mut filters = vec![
        format!("c.conn = {conn_p}"),
        "c.deleted_at IS NULL".to_string(),
    ];
    if let Some(m) = &text {
        filters.push(format!("candidates_fts MATCH {}", p.add(m.clone())));
    }
    // Walking by recency with a common facet, the exact check stops early with the limit:
    // narrowing would first build a set as large as the facet (see `RecentNarrowed`).
    let narrow = plan != SearchPlan::Recent;
    filters.extend(candidate_filters(
        q,
        &mut p,
        &conn_p,
        text.is_some(),
        narrow,
    ));
    let (from, order) = match (plan, &text) {
        (SearchPlan::Ranked, Some(_)) => (
            "candidates_fts f JOIN candidates c INDEXED BY candidates_search ON c.rid = f.rowid",
            "score DESC, c.rid",
        ),
        (_, Some(_)) => (
            "candidates_fts f JOIN candidates c INDEXED BY candidates_search ON c.rid = f.rowid",
            "f.rowid DESC",
        ),
        (SearchPlan::Selective, None) if !q.job_ids.is_empty() => (
            // Looked up by id from the job's applications; named, or the planner walks
            // `candidates_updated` to spare the sort.
            "candidates c INDEXED BY sqlite_autoindex_candidates_1",
            "c.updated_at DESC, c.rid DESC",
        ),
        (SearchPlan::Selective, None) => (
            // Looked up by rowid from the facets, on the covering index (the table's rows are
            // wide: JSON and payload).
            "candidates c INDEXED BY candidates_search",
            "c.updated_at DESC, c.rid DESC",
        ),
        (_, None) => (
            "candidates c INDEXED BY candidates_updated",
            "c.updated_at DESC, c.rid DESC",
        ),
    };
    let window_p = p.add(window as i64);
    let sql = format!(
        "WITH hits AS (\
           SELECT c.rid AS rid, {relevance} AS relevance, {recency} AS recency, \
                  {relevance} + {recency} AS score \
           FROM {from} WHERE {} ORDER BY {order} LIMIT {window_p}) \
         SELECT c.id, c.display_name, c.email, c.title, c.company, c.updated_at, cl.cluster_id, \
                h.relevance, h.recency, h.score \
         FROM hits h JOIN candidates c ON c.rid = h.rid \
         LEFT JOIN candidate_clusters cl ON cl.conn = c.conn AND cl.candidate_id = c.id \
         ORDER BY h.score DESC, c.updated_at DESC, c.rid DESC",
        filters.join(" AND ")
    );
    SearchSql { sql, params: p.0 }
}

pub(crate) struct Row {
    pub(crate) hit: SearchHit,
    /// Set when the candidate has duplicate links.
    pub(crate) cluster: Option<String>,
}

impl Row {
    fn group(&self) -> &str {
        self.cluster.as_deref().unwrap_or(&self.hit.candidate_id)
    }
}

impl Row {
    /// A hit from the row columns `id, display_name, email, title, company, updated_at,
    /// cluster_id` (in that order) and its scores.
    pub(crate) fn read(
        r: &rusqlite::Row<'_>,
        (relevance, recency, score): (f64, f64, f64),
    ) -> rusqlite::Result<Row> {
        Ok(Row {
            hit: SearchHit {
                candidate_id: r.get(0)?,
                duplicates: Vec::new(),
                display_name: r.get(1)?,
                email: r.get(2)?,
                title: r.get(3)?,
                company: r.get(4)?,
                updated_at: r.get(5)?,
                relevance,
                recency,
                score,
            },
            cluster: r.get(6)?,
        })
    }
}

fn run_search(db: &Connection, s: &SearchSql) -> Result<Vec<Row>, Error> {
    let mut stmt = db.prepare_cached(&s.sql)?;
    let rows = stmt.query_map(params_from_iter(s.params.iter()), |r| {
        Row::read(r, (r.get(7)?, r.get(8)?, r.get(9)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn cluster_others(
    db: &Connection,
    conn: &str,
    cluster: &str,
    id: &str,
) -> Result<Vec<String>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT candidate_id FROM candidate_clusters WHERE conn = ?1 AND cluster_id = ?2 \
         AND candidate_id <> ?3 ORDER BY candidate_id",
    )?;
    let rows = stmt.query_map(params![conn, cluster, id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A search: through the search index when one is given and can answer it, else by a plan.
fn search(
    db: &Connection,
    conn: &str,
    q: &SearchQuery,
    index: Option<&ats_search_index::SearchIndex>,
) -> Result<SearchPage, Error> {
    let wanted = q.offset + q.limit + 1; // one more group tells whether more follow
    let first = wanted * 2 + 8;
    if let Some(index) = index {
        let window = crate::indexed::first_window(q, first);
        let rows = |window| crate::indexed::indexed_rows(db, index, conn, q, window);
        if let Some(page) = paged(db, conn, q, window, rows)? {
            return Ok(page);
        }
    }
    let plan = choose_plan(db, conn, q)?;
    let window = match plan {
        SearchPlan::Newest => first.max(BROAD_WINDOW),
        _ => first,
    };
    let rows = |window| {
        let rows = match plan {
            SearchPlan::Ranked if crate::ranked::walks_by_relevance(q) => {
                crate::ranked::ranked_rows(db, conn, q, window)?
            }
            _ => run_search(db, &search_sql(conn, q, plan, window))?,
        };
        let exhausted = rows.len() < window;
        Ok(Some((rows, exhausted)))
    };
    Ok(paged(db, conn, q, window, rows)?.expect("the SQL plans always answer"))
}

/// The page of `q`: ranked rows from `rows(window)` (and whether they were all there are),
/// grouped one per person, the window growing until the page is full. `None` when `rows`
/// cannot answer.
fn paged(
    db: &Connection,
    conn: &str,
    q: &SearchQuery,
    mut window: usize,
    mut rows: impl FnMut(usize) -> Result<Option<(Vec<Row>, bool)>, Error>,
) -> Result<Option<SearchPage>, Error> {
    let wanted = q.offset + q.limit + 1;
    loop {
        let Some((rows, exhausted)) = rows(window)? else {
            return Ok(None);
        };
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
                    hit.duplicates = cluster_others(db, conn, cluster, &hit.candidate_id)?;
                }
                hits.push(hit);
            }
            return Ok(Some(SearchPage { hits, more }));
        }
        window *= 4;
    }
}

fn stage(text: Option<String>) -> Option<Stage> {
    text.as_deref().and_then(Stage::parse)
}

impl Db {
    pub(crate) fn search_candidates(
        &self,
        conn: &str,
        q: &SearchQuery,
        index: Option<&ats_search_index::SearchIndex>,
    ) -> Result<SearchPage, Error> {
        self.read(|db| search(db, conn, q, index))
    }

    pub(crate) fn applicants(
        &self,
        conn: &str,
        job_id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Applicant>, Error> {
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT a.id, a.candidate_id, a.status_id, a.status_name, COALESCE(a.stage, s.stage), \
                 a.applied_at, a.updated_at, c.display_name, c.email, c.title, c.company, \
                 json_extract(c.record_json, '$.skills'), c.resume_text, c.updated_at \
                 FROM applications a \
                 LEFT JOIN candidates c ON c.conn = a.conn AND c.id = a.candidate_id AND c.deleted_at IS NULL \
                 LEFT JOIN statuses s ON s.conn = a.conn AND s.id = a.status_id \
                 WHERE a.conn = ?1 AND a.job_id = ?2 AND a.deleted_at IS NULL \
                 ORDER BY a.updated_at DESC, a.id LIMIT ?3 OFFSET ?4",
            )?;
            let rows = stmt.query_map(
                params![conn, job_id, limit as i64, offset as i64],
                |r| {
                    let skills: Option<String> = r.get(11)?;
                    Ok(Applicant {
                        application_id: r.get(0)?,
                        candidate_id: r.get(1)?,
                        status_id: r.get(2)?,
                        status_name: r.get(3)?,
                        stage: stage(r.get(4)?),
                        applied_at: r.get(5)?,
                        application_updated_at: r.get(6)?,
                        display_name: r.get(7)?,
                        email: r.get(8)?,
                        title: r.get(9)?,
                        company: r.get(10)?,
                        skills: skills
                            .and_then(|s| serde_json::from_str(&s).ok())
                            .unwrap_or_default(),
                        resume_text: r.get(12)?,
                        candidate_updated_at: r.get(13)?,
                    })
                },
            )?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(crate) fn application_of(
        &self,
        conn: &str,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<Option<String>, Error> {
        self.read(|db| {
            Ok(db
                .prepare_cached(
                    "SELECT id FROM applications INDEXED BY applications_by_candidate \
                     WHERE conn = ?1 AND candidate_id = ?2 AND deleted_at IS NULL AND job_id = ?3 \
                     ORDER BY id LIMIT 1",
                )?
                .query_row(params![conn, candidate_id, job_id], |r| r.get(0))
                .optional()?)
        })
    }

    pub(crate) fn candidates_by_key(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        key: &str,
        limit: usize,
    ) -> Result<Vec<String>, Error> {
        let Some(key) = normalise_key(kind, key) else {
            return Ok(Vec::new());
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT k.candidate_id FROM candidate_keys k \
                 JOIN candidates c ON c.conn = k.conn AND c.id = k.candidate_id \
                 WHERE k.conn = ?1 AND k.kind = ?2 AND k.key = ?3 AND c.deleted_at IS NULL \
                 ORDER BY k.candidate_id DESC LIMIT ?4",
            )?;
            let rows = stmt.query_map(params![conn, kind.as_str(), key, limit], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub(crate) fn shared_keys(
        &self,
        conn: &str,
        kind: DedupeKeyKind,
        limit: usize,
    ) -> Result<Vec<(String, Vec<String>)>, Error> {
        self.read(|db| {
            let mut stmt = db.prepare_cached(
                "SELECT k.key, json_group_array(k.candidate_id) FROM candidate_keys k \
                 JOIN candidates c ON c.conn = k.conn AND c.id = k.candidate_id \
                 WHERE k.conn = ?1 AND k.kind = ?2 AND c.deleted_at IS NULL \
                 GROUP BY k.key HAVING count(*) > 1 ORDER BY k.key LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![conn, kind.as_str(), limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (key, ids) = row?;
                let mut ids: Vec<String> = serde_json::from_str(&ids)?;
                ids.sort();
                out.push((key, ids));
            }
            Ok(out)
        })
    }
}
