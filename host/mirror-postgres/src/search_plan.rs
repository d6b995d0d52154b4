//! Whether a text search is broad: it matches so many candidates that ranking every match
//! would cost more than a search may (`ts_rank` reads each match's document; "boston" on 1M
//! candidates is tens of thousands). A broad search ranks only the [`BROAD_WINDOW`] most
//! recently added matches, as the SQLite backend's "newest" plan does, with the same bounds, so
//! both backends answer alike.
//!
//! The estimate comes from the planner's own statistics of the `search` column (`ANALYZE`
//! keeps the most common lexemes and their frequencies, `pg_stats.most_common_elems`): words are
//! taken as independent, a word not in the list is at most as frequent as the rarest listed,
//! and a prefix counts the listed lexemes it starts. Without statistics (a table never
//! analysed) every search is ranked in full.

use crate::Error;
use ats_mirror::search_text::search_words;
use sqlx::{PgConnection, Row};
use std::collections::HashMap;

/// Above this many estimated matches, a text search ranks the most recently added matches
/// (as SQLite's `BROAD_MATCHES`).
pub(crate) const BROAD_MATCHES: f64 = 20_000.0;
/// How many of the most recently added matches a broad search ranks (as SQLite's).
pub(crate) const BROAD_WINDOW: usize = 2_000;

/// The `search` column's lexeme frequencies, as `ANALYZE` last saw them.
struct LexemeStats {
    rows: f64,
    frequency: HashMap<String, f64>,
    /// The frequency of the rarest listed lexeme: an upper bound for any unlisted one.
    floor: f64,
}

async fn lexeme_stats(db: &mut PgConnection) -> Result<Option<LexemeStats>, Error> {
    let row = sqlx::query(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, k.reltuples::float8 \
         FROM pg_stats s JOIN pg_class k ON k.relname = s.tablename \
         AND k.relnamespace = to_regnamespace(s.schemaname) \
         WHERE s.schemaname = current_schema() AND s.tablename = 'candidates' \
         AND s.attname = 'search'",
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (lexemes, freqs, rows): (Option<Vec<String>>, Option<Vec<f32>>, f64) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let (Some(lexemes), Some(freqs)) = (lexemes, freqs) else {
        return Ok(None);
    };
    if rows <= 0.0 || freqs.len() < lexemes.len() {
        return Ok(None);
    }
    // After one frequency per lexeme come the minimum, the maximum and the null frequency.
    let floor = freqs.get(lexemes.len()).copied().unwrap_or(0.0) as f64;
    let frequency = lexemes
        .into_iter()
        .zip(freqs.iter().map(|f| *f as f64))
        .collect();
    Ok(Some(LexemeStats {
        rows,
        frequency,
        floor,
    }))
}

impl LexemeStats {
    fn share(&self, term: &str, prefix: bool) -> f64 {
        let share = if prefix {
            let listed: f64 = self
                .frequency
                .iter()
                .filter(|(lexeme, _)| lexeme.starts_with(term))
                .map(|(_, f)| f)
                .sum();
            listed.max(self.floor)
        } else {
            self.frequency.get(term).copied().unwrap_or(self.floor)
        };
        share.min(1.0)
    }
}

/// True when the text of `all` (every word) and `any` (at least one) likely matches more than
/// [`BROAD_MATCHES`] candidates.
pub(crate) async fn is_broad(
    db: &mut PgConnection,
    all: Option<&str>,
    any: Option<&str>,
) -> Result<bool, Error> {
    let all = all.map(search_words).unwrap_or_default();
    let any = any.map(search_words).unwrap_or_default();
    if all.is_empty() && any.is_empty() {
        return Ok(false);
    }
    let Some(stats) = lexeme_stats(db).await? else {
        return Ok(false);
    };
    let mut estimate = stats.rows;
    for word in &all {
        estimate *= stats.share(&word.term(), word.prefix);
    }
    if !any.is_empty() {
        // At least one of them: at most the sum of their shares.
        let share: f64 = any.iter().map(|w| stats.share(&w.term(), w.prefix)).sum();
        estimate *= share.min(1.0);
    }
    Ok(estimate > BROAD_MATCHES)
}
