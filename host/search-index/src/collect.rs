//! Keeps the best `window` matches by relevance plus recency, reading each match's update time
//! and row id from fast fields; no match is loaded as a document.

use crate::schema::NO_UPDATE;
use crate::score::{Hit, MAX_RECENCY, Ranked, recency};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub(crate) struct TopByScore {
    pub(crate) window: usize,
    pub(crate) now: i64,
}

/// The order of a page: higher score, then newer update, then higher row id.
fn better(a: &Hit, b: &Hit) -> Ordering {
    a.score
        .total_cmp(&b.score)
        .then(a.updated_at.cmp(&b.updated_at))
        .then(a.rid.cmp(&b.rid))
}

/// Ordered so that the heap's top is the worst hit kept.
struct Kept(Hit);

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        better(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        better(&other.0, &self.0)
    }
}

pub(crate) struct SegmentTop {
    window: usize,
    now: i64,
    rid: Column<i64>,
    updated_at: Column<i64>,
    kept: BinaryHeap<Kept>,
    matches: usize,
}

impl Collector for TopByScore {
    type Fruit = Ranked;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        let fast = reader.fast_fields();
        Ok(SegmentTop {
            window: self.window,
            now: self.now,
            rid: fast.i64("rid")?,
            updated_at: fast.i64("updated_at")?,
            kept: BinaryHeap::with_capacity(self.window.min(4096) + 1),
            matches: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Ranked>) -> tantivy::Result<Ranked> {
        let matches = fruits.iter().map(|f| f.matches).sum();
        let mut hits: Vec<Hit> = fruits.into_iter().flat_map(|f| f.hits).collect();
        hits.sort_by(|a, b| better(b, a));
        hits.truncate(self.window);
        Ok(Ranked { hits, matches })
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Ranked;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches += 1;
        if self.window == 0 {
            return;
        }
        let relevance = f64::from(score);
        let full = self.kept.len() >= self.window;
        if full
            && self
                .kept
                .peek()
                .is_some_and(|w| relevance + MAX_RECENCY < w.0.score)
        {
            return; // even updated now it would not enter the window
        }
        let (Some(rid), Some(stamp)) = (self.rid.first(doc), self.updated_at.first(doc)) else {
            return;
        };
        let updated_at = (stamp != NO_UPDATE).then_some(stamp);
        let recency = recency(self.now, updated_at);
        let hit = Hit {
            rid,
            updated_at,
            relevance,
            recency,
            score: relevance + recency,
        };
        if self.kept.len() < self.window {
            self.kept.push(Kept(hit));
        } else if let Some(mut worst) = self.kept.peek_mut()
            && better(&hit, &worst.0) == Ordering::Greater
        {
            *worst = Kept(hit);
        }
    }

    fn harvest(self) -> Ranked {
        let mut hits: Vec<Hit> = self.kept.into_iter().map(|k| k.0).collect();
        hits.sort_by(|a, b| better(b, a));
        Ranked {
            hits,
            matches: self.matches,
        }
    }
}
