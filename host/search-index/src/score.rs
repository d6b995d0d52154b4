//! How a match is scored and what a search returns: relevance plus recency, the same formula
//! for every backend.

/// Recency halves after this many seconds (180 days).
pub const RECENCY_HALF_LIFE: f64 = 180.0 * 86_400.0;

/// The recency part of a score, in [0, 1]: 1 for a candidate updated at `now`, 0 without an
/// update time. Every backend ranks with this formula (SQLite's SQL spells it out too).
pub fn recency(now: i64, updated_at: Option<i64>) -> f64 {
    match updated_at {
        None => 0.0,
        Some(t) => 1.0 / (1.0 + (now - t).max(0) as f64 / RECENCY_HALF_LIFE),
    }
}

/// The largest [`recency`].
pub const MAX_RECENCY: f64 = 1.0;

/// A ranked match: the store's row id and the parts of its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub rid: i64,
    pub updated_at: Option<i64>,
    pub relevance: f64,
    pub recency: f64,
    pub score: f64,
}

/// The best matches, best first, and how many matched in all.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    pub hits: Vec<Hit>,
    pub matches: usize,
}
