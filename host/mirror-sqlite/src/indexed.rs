//! A search through the search index (`search_sync.rs`): the index ranks every match of the
//! words, facets (stage, status, rejected) and update range by relevance plus recency and
//! hands over the best `window` row ids; SQL then reads those rows,
//! checks the filters on them and gives each its duplicate cluster. When the filters pass too
//! few of them, the window grows (four times each round) until the page is full or every match
//! was seen; past [`FILTERED_WINDOW_MAX`] a filter passes so few matches that the SQL plans,
//! which apply the filter first, are faster, and the search is left to them.
//!
//! Relevance is tantivy's BM25 summed over fields with FTS5's column weights; the order and the
//! one-hit-per-person grouping are those of the SQL plans.

use crate::Error;
use crate::queries::{Params, Row, candidate_filters, facet_groups};
use ats_mirror::SearchQuery;
use ats_search_index::{Narrowing, SearchIndex, Words};
use rusqlite::{Connection, params_from_iter};
use std::collections::HashMap;

/// The largest window a filtered search reads from the index before leaving it to SQL.
pub const FILTERED_WINDOW_MAX: usize = 20_000;

/// Whether the index ranks `q`: it has words, or a stage, status or rejection filter the
/// index's facets narrow by, and no job (a job's applicants are few: SQL reads them directly).
pub fn index_answers(q: &SearchQuery) -> bool {
    !Words::new(q.text.as_deref(), q.any_text.as_deref()).is_empty()
        || (q.job_ids.is_empty() && !facet_groups(q).is_empty())
}

/// The first window of `q` (`first` rows when SQL's check drops few of them): a filter the
/// index does not narrow by (facets, update range) may pass few of the best matches, so such
/// a search starts wider.
pub(crate) fn first_window(q: &SearchQuery, first: usize) -> usize {
    let only_facets = SearchQuery {
        stages: Vec::new(),
        status_ids: Vec::new(),
        // "Not rejected" beside a stage or status drops few; alone, it drops every candidate
        // without an application.
        rejected: q
            .rejected
            .filter(|r| !r && q.stages.is_empty() && q.status_ids.is_empty()),
        updated_from: None,
        updated_to: None,
        ..q.clone()
    };
    if crate::ranked::walks_by_relevance(&only_facets) && q.not_applied_to.is_empty() {
        first
    } else {
        first * 8
    }
}

/// The ranked rows of the best `window` matches that pass the filters, and whether every match
/// was ranked; `None` when the index cannot answer (no words, a filtered window too large).
pub(crate) fn indexed_rows(
    db: &Connection,
    index: &SearchIndex,
    conn: &str,
    q: &SearchQuery,
    window: usize,
) -> Result<Option<(Vec<Row>, bool)>, Error> {
    let words = Words::new(q.text.as_deref(), q.any_text.as_deref());
    let narrowing = Narrowing {
        facets: facet_groups(q),
        updated_from: q.updated_from,
        updated_to: q.updated_to,
    };
    // As `index_answers`, on what is computed already.
    if words.is_empty() && (narrowing.facets.is_empty() || !q.job_ids.is_empty()) {
        return Ok(None);
    }
    let mut p = Params(Vec::new());
    let conn_p = p.add(conn.to_string()); // ?1, as the application filter expects
    let filters = candidate_filters(q, &mut p, &conn_p, false, false);
    if !filters.is_empty() && window > FILTERED_WINDOW_MAX {
        return Ok(None);
    }
    let ranked = index.rank(conn, &words, &narrowing, q.now, window)?;
    let exhausted = ranked.hits.len() < window;
    let rids = p.add(serde_json::to_string(
        &ranked.hits.iter().map(|h| h.rid).collect::<Vec<_>>(),
    )?);
    // CROSS JOIN keeps the ranked ids as the outer loop: left to itself, the planner may walk
    // the connection's candidates by an index and probe the list (a second per search on 1M).
    let mut conditions = vec![format!("c.conn = {conn_p}"), "c.deleted_at IS NULL".into()];
    conditions.extend(filters);
    let sql = format!(
        "SELECT c.id, c.display_name, c.email, c.title, c.company, c.updated_at, cl.cluster_id, \
         c.rid FROM json_each({rids}) j \
         CROSS JOIN candidates c ON c.rid = j.value \
         LEFT JOIN candidate_clusters cl ON cl.conn = c.conn AND cl.candidate_id = c.id \
         WHERE {}",
        conditions.join(" AND ")
    );
    let mut stmt = db.prepare_cached(&sql)?;
    // Rows that passed, by row id; the scores are the index's, set below.
    let mut passed = stmt
        .query_map(params_from_iter(p.0.iter()), |r| {
            Ok((r.get::<_, i64>(7)?, Row::read(r, (0.0, 0.0, 0.0))?))
        })?
        .collect::<Result<HashMap<i64, Row>, _>>()?;
    let rows = ranked
        .hits
        .iter()
        .filter_map(|hit| {
            let mut row = passed.remove(&hit.rid)?;
            row.hit.relevance = hit.relevance;
            row.hit.recency = hit.recency;
            row.hit.score = hit.score;
            Some(row)
        })
        .collect();
    Ok(Some((rows, exhausted)))
}
