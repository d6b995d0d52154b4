//! Bounds on a connector's paging within one run: a cursor never comes back, and empty pages
//! with a next cursor do not go on for ever.
//!
//! Cursors are the plugin's, so untrusted: a connector that never returns a last page would
//! keep a run reading (and spending the ATS's quota) without end. The engine checks every page
//! here before it writes the page, for record streams and id scans alike. Only hashes of the
//! cursors are kept, so a run of many pages with long cursors stays small.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// The most consecutive pages without records or gone ids a run accepts by default.
pub const MAX_PAGES_WITHOUT_PROGRESS: u32 = 50;

/// A connector's paging would never end: the run stops. Retrying cannot help (the connector
/// answers the same way again), so the engine fails the run at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    #[error(
        "the connector returned a next cursor it had already returned in this run (page {page}), \
         so its paging would loop for ever; the run stopped"
    )]
    RepeatedCursor { page: u64 },
    #[error(
        "the connector kept returning empty pages with a next cursor ({pages} pages in a row \
         without records or deleted ids); the run stopped"
    )]
    NoProgress { pages: u32 },
}

impl PagingError {
    /// What a person should do about it, in plain words.
    pub fn advice(&self) -> &'static str {
        "report it to the connector's maintainer with the run log (it is a bug in the connector); \
         the pages read before it are kept"
    }
}

/// What one run has seen of a connector's paging.
#[derive(Debug)]
pub struct PagingGuard {
    hasher: RandomState,
    seen: HashSet<u64>,
    pages: u64,
    without_progress: u32,
    max_without_progress: u32,
}

impl PagingGuard {
    /// A guard for a run that starts at `start` (a resumed run's checkpoint, or `None`).
    pub fn new(start: Option<&str>, max_pages_without_progress: u32) -> Self {
        let mut guard = PagingGuard {
            hasher: RandomState::new(),
            seen: HashSet::new(),
            pages: 0,
            without_progress: 0,
            max_without_progress: max_pages_without_progress,
        };
        if let Some(start) = start {
            let hash = guard.hasher.hash_one(start);
            guard.seen.insert(hash);
        }
        guard
    }

    /// Checks the next page: `brought_something` when it held records or gone ids, and the
    /// cursor it says comes next. A last page (no next cursor) always passes.
    pub fn check(
        &mut self,
        brought_something: bool,
        next_cursor: Option<&str>,
    ) -> Result<(), PagingError> {
        self.pages += 1;
        let Some(next) = next_cursor else {
            return Ok(());
        };
        if !self.seen.insert(self.hasher.hash_one(next)) {
            return Err(PagingError::RepeatedCursor { page: self.pages });
        }
        if brought_something {
            self.without_progress = 0;
        } else {
            self.without_progress += 1;
            if self.without_progress > self.max_without_progress {
                return Err(PagingError::NoProgress {
                    pages: self.without_progress,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_seen_earlier_in_the_run_is_refused() {
        let mut guard = PagingGuard::new(None, 50);
        guard.check(true, Some("a")).unwrap();
        guard.check(true, Some("b")).unwrap();
        assert_eq!(
            guard.check(true, Some("a")),
            Err(PagingError::RepeatedCursor { page: 3 })
        );
    }

    #[test]
    fn the_checkpoint_a_run_resumed_from_counts_as_seen() {
        let mut guard = PagingGuard::new(Some("page-7"), 50);
        assert_eq!(
            guard.check(true, Some("page-7")),
            Err(PagingError::RepeatedCursor { page: 1 })
        );
    }

    #[test]
    fn empty_pages_are_accepted_up_to_the_bound_and_records_reset_the_count() {
        let mut guard = PagingGuard::new(None, 3);
        let mut n = 0;
        let mut next = move || {
            n += 1;
            format!("c{n}")
        };
        for _ in 0..3 {
            guard.check(false, Some(&next())).unwrap();
        }
        guard.check(true, Some(&next())).unwrap();
        for _ in 0..3 {
            guard.check(false, Some(&next())).unwrap();
        }
        assert_eq!(
            guard.check(false, Some(&next())),
            Err(PagingError::NoProgress { pages: 4 })
        );
    }

    #[test]
    fn an_empty_last_page_is_no_trouble() {
        let mut guard = PagingGuard::new(None, 0);
        guard.check(false, None).unwrap();
    }
}
