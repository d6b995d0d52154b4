//! The ranked plan as a walk in relevance order that stops as soon as the best `window` are
//! known: the same rows, scores and order as scoring every match (the one-statement form,
//! [`search_sql`](crate::search_sql) with [`SearchPlan::Ranked`](crate::SearchPlan), stays the
//! oracle the tests compare this with).
//!
//! A score is `relevance + recency` with recency in `[0, MAX_RECENCY]`. FTS5 scores and sorts
//! every match by bm25 alone from its own index (about 1 µs a match); only then are matches
//! joined to their candidate rows (filters, `updated_at`; 2-3 µs a match, which was most of a
//! common last name's 35-55 ms on 1M candidates), in batches of growing size, best relevance
//! first. Once `window` candidates are scored and the worst of them beats the next relevance
//! plus the largest recency, no candidate left can enter the window, so the walk stops. Among
//! people sharing a common name, relevance spreads over tens of points (bm25 divides by the
//! whole profile's length) while recency moves a score by at most one, so the walk usually joins
//! a few hundred matches instead of all of them.
//!
//! The walk needs bm25 of every match before it joins any; the one statement computes bm25 only
//! for the matches that pass its filters. So a search with a filter few matches pass (an
//! application filter: one candidate in ten has an application; a folder, a source, a custom
//! field, an update range) keeps the one statement ([`walks_by_relevance`]); leaving out the
//! applicants of a job (rediscovery for a job) passes most matches and walks.

use crate::Error;
use crate::fts::fts_match_all_and_any;
use crate::queries::{BM25_WEIGHTS, MAX_RECENCY, Params, Row, candidate_filters, recency_sql};
use ats_mirror::{SearchHit, SearchQuery};
use rusqlite::{Connection, params, params_from_iter};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Matches joined in the first batch at least; each later batch is four times larger.
const FIRST_BATCH: usize = 64;

/// A scored match that passed the filters.
struct Scored {
    rid: i64,
    relevance: f64,
    recency: f64,
    score: f64,
}

/// The order the one-statement plan keeps its window in: best score, then lowest rowid.
fn window_order(a: &Scored, b: &Scored) -> Ordering {
    b.score.total_cmp(&a.score).then(a.rid.cmp(&b.rid))
}

/// Whether the ranked plan walks by relevance: no filter that most matches may fail.
pub(crate) fn walks_by_relevance(q: &SearchQuery) -> bool {
    !q.has_application_filter()
        && q.folder_ids.is_empty()
        && q.source.is_none()
        && q.custom_fields.is_empty()
        && q.updated_from.is_none()
        && q.updated_to.is_none()
}

/// The best `window` candidates of a text search, ordered as the page shows them (score, then
/// newest update, then newest row), with their cluster ids.
pub(crate) fn ranked_rows(
    db: &Connection,
    conn: &str,
    q: &SearchQuery,
    window: usize,
) -> Result<Vec<Row>, Error> {
    let Some(text) = fts_match_all_and_any(q.text.as_deref(), q.any_text.as_deref()) else {
        return Ok(Vec::new());
    };
    if window == 0 {
        return Ok(Vec::new());
    }
    let mut by_relevance = db.prepare_cached(&format!(
        "SELECT rowid, -bm25(candidates_fts, {}) AS relevance FROM candidates_fts \
         WHERE candidates_fts MATCH ?1 ORDER BY relevance DESC",
        *BM25_WEIGHTS
    ))?;
    let (sql, mut p) = batch_sql(conn, q);
    let mut batch_stmt = db.prepare_cached(&sql)?;
    let mut matches = by_relevance.query([&text])?;
    let mut kept: Vec<Scored> = Vec::new();
    let mut batch: HashMap<i64, f64> = HashMap::new();
    let mut batch_size = FIRST_BATCH.max(window * 2);
    loop {
        let next = match matches.next()? {
            Some(r) => Some((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?)),
            None => None,
        };
        if let Some((rid, relevance)) = next {
            if batch.is_empty()
                && kept.len() >= window
                && kept[window - 1].score > relevance + MAX_RECENCY
            {
                break; // every match left scores below the window's worst
            }
            batch.insert(rid, relevance);
            if batch.len() < batch_size {
                continue;
            }
        }
        if !batch.is_empty() {
            let rids: Vec<i64> = batch.keys().copied().collect();
            *p.0.last_mut().expect("the batch's parameter") = serde_json::to_string(&rids)?.into();
            let mut rows = batch_stmt.query(params_from_iter(p.0.iter()))?;
            while let Some(r) = rows.next()? {
                let rid: i64 = r.get(0)?;
                let recency: f64 = r.get(1)?;
                let relevance = batch[&rid];
                kept.push(Scored {
                    rid,
                    relevance,
                    recency,
                    score: relevance + recency,
                });
            }
            kept.sort_by(window_order);
            kept.truncate(window);
            batch.clear();
            batch_size *= 4;
        }
        if next.is_none() {
            break;
        }
    }
    read_rows(db, kept)
}

/// The filters of every plan on a batch of matches (rowids as one JSON array, the last
/// parameter), returning each passing rowid's recency. The facet narrowing is left out: it
/// builds a set per statement run, and here the exact application check is done on a batch
/// only.
fn batch_sql(conn: &str, q: &SearchQuery) -> (String, Params) {
    let mut p = Params(Vec::new());
    let conn_p = p.add(conn.to_string()); // ?1: the application filter names it so
    let now_p = p.add(q.now);
    let mut filters = vec![
        format!("c.conn = {conn_p}"),
        "c.deleted_at IS NULL".to_string(),
    ];
    filters.extend(candidate_filters(q, &mut p, &conn_p, false, false));
    let batch_p = p.add("[]".to_string());
    let sql = format!(
        "SELECT c.rid, {} FROM candidates c INDEXED BY candidates_search \
         WHERE c.rid IN (SELECT value FROM json_each({batch_p})) AND {}",
        recency_sql(&now_p),
        filters.join(" AND ")
    );
    (sql, p)
}

/// Reads the window's rows (only these touch the wide `candidates` rows) in page order.
fn read_rows(db: &Connection, kept: Vec<Scored>) -> Result<Vec<Row>, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT c.id, c.display_name, c.email, c.title, c.company, c.updated_at, cl.cluster_id \
         FROM candidates c LEFT JOIN candidate_clusters cl \
         ON cl.conn = c.conn AND cl.candidate_id = c.id WHERE c.rid = ?1",
    )?;
    let mut rows = Vec::with_capacity(kept.len());
    for s in kept {
        let row = stmt.query_row(params![s.rid], |r| {
            Row::read(r, (s.relevance, s.recency, s.score))
        })?;
        rows.push((s.rid, row));
    }
    // As the one-statement plan orders its window: score, newest update (none last), newest row.
    rows.sort_by(|(ra, a), (rb, b)| {
        b.hit
            .score
            .total_cmp(&a.hit.score)
            .then(b.hit.updated_at.cmp(&a.hit.updated_at))
            .then(rb.cmp(ra))
    });
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// The ranked plan's window for `q` (at most `window` hits, in page order, duplicates not
/// filled in), as [`SqliteMirror`](crate::SqliteMirror)'s search reads it: for tests and
/// benchmarks comparing it with the one-statement plan.
pub fn ranked_window(
    db: &Connection,
    conn: &str,
    q: &SearchQuery,
    window: usize,
) -> Result<Vec<SearchHit>, Error> {
    Ok(ranked_rows(db, conn, q, window)?
        .into_iter()
        .map(|r| r.hit)
        .collect())
}
