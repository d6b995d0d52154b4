//! A search as a tantivy query: every word of `all` and at least one of `any`, each
//! word in any field, a match's score the sum over fields of the field's weight times its BM25.
//! The connection, a facet of each group and the update range are required but score
//! nothing.

use crate::schema::{FIELD_WEIGHTS, Fields, NO_UPDATE};
use ats_mirror::search_text::SearchWord;
use std::collections::BTreeSet;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// A prefix (`jen*`) stands for the words of the index it starts, each scored by BM25, up to
/// this many in a field; past that (an emails field holds a `jennifer4821` per person) the
/// field's matches all score its weight, as one automaton query.
pub const MAX_PREFIX_TERMS: usize = 256;

/// What a search keeps besides its words: candidates holding a facet of every group of
/// `facets`, updated within `updated_from..=updated_to` (never one without an update time).
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    pub facets: Vec<Vec<String>>,
    pub updated_from: Option<i64>,
    pub updated_to: Option<i64>,
}

/// The words of a search: all of `all`, at least one of `any`.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub all: Vec<SearchWord>,
    pub any: Vec<SearchWord>,
}

impl Words {
    pub fn new(all: Option<&str>, any: Option<&str>) -> Words {
        let words = |t: Option<&str>| {
            t.map(ats_mirror::search_text::search_words)
                .unwrap_or_default()
        };
        Words {
            all: words(all),
            any: words(any),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }
}

pub(crate) fn build(
    searcher: &Searcher,
    fields: &Fields,
    conn: &str,
    words: &Words,
    narrowing: &Narrowing,
) -> tantivy::Result<Box<dyn Query>> {
    let conn_term = Term::from_field_text(fields.conn, conn);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // Most indexes hold one connection: then every document has it (deleted ones counted on
    // both sides) and intersecting with its list would only cost time.
    let every_doc: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    if searcher.doc_freq(&conn_term)? < every_doc {
        let only_conn = TermQuery::new(conn_term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(only_conn), 0.0)),
        ));
    }
    for word in &words.all {
        clauses.push((Occur::Must, any_of(word_queries(searcher, fields, word)?)));
    }
    if !words.any.is_empty() {
        let mut alternatives = Vec::new();
        for word in &words.any {
            alternatives.extend(word_queries(searcher, fields, word)?);
        }
        clauses.push((Occur::Must, any_of(alternatives)));
    }
    for group in &narrowing.facets {
        let any_facet = group
            .iter()
            .map(|f| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(fields.facet, f),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let any_facet = Box::new(BooleanQuery::new(any_facet));
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(any_facet, 0.0))));
    }
    if narrowing.updated_from.is_some() || narrowing.updated_to.is_some() {
        let stamp = |t| Term::from_field_i64(fields.updated_at, t);
        // Above the stand-in of "no update time" even when only an upper bound is asked.
        let from = narrowing
            .updated_from
            .map_or(Bound::Excluded(stamp(NO_UPDATE)), |t| {
                Bound::Included(stamp(t.max(NO_UPDATE + 1)))
            });
        let to = narrowing
            .updated_to
            .map_or(Bound::Unbounded, |t| Bound::Included(stamp(t)));
        let within = Box::new(RangeQuery::new(from, to));
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(within, 0.0))));
    }
    if clauses.is_empty() {
        return Ok(Box::new(AllQuery)); // one connection, nothing asked: every document
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The weighted queries a word matches by: itself in every field, or for a prefix the index's
/// words it starts (see [`MAX_PREFIX_TERMS`]).
fn word_queries(
    searcher: &Searcher,
    fields: &Fields,
    word: &SearchWord,
) -> tantivy::Result<Vec<Box<dyn Query>>> {
    let term = word.term();
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for (field, weight) in fields.texts.iter().zip(FIELD_WEIGHTS) {
        let words = if word.prefix {
            match prefixed(searcher, *field, &term)? {
                Some(words) => words,
                None => {
                    // Search words are letters and digits only: nothing to escape.
                    let starts = RegexQuery::from_pattern(&format!("{term}.*"), *field)?;
                    out.push(Box::new(ConstScoreQuery::new(Box::new(starts), weight)));
                    continue;
                }
            }
        } else if searcher.doc_freq(&Term::from_field_text(*field, &term))? > 0 {
            BTreeSet::from([term.clone()])
        } else {
            // Absent from the field: a clause that matches nothing would still be unioned.
            continue;
        };
        out.extend(words.into_iter().map(|w| {
            let q: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(*field, &w),
                    IndexRecordOption::WithFreqs,
                )),
                weight,
            ));
            q
        }));
    }
    Ok(out)
}

/// The words of `field` that start with `prefix`, over every segment; `None` when more than
/// [`MAX_PREFIX_TERMS`].
fn prefixed(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
) -> tantivy::Result<Option<BTreeSet<String>>> {
    let mut words = BTreeSet::new();
    let upper = upper_bound(prefix);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut range = inverted.terms().range().ge(prefix.as_bytes());
        if let Some(upper) = &upper {
            range = range.lt(upper);
        }
        let mut stream = range.into_stream()?;
        while stream.advance() {
            let word = String::from_utf8_lossy(stream.key()).into_owned();
            if words.insert(word) && words.len() > MAX_PREFIX_TERMS {
                return Ok(None);
            }
        }
    }
    Ok(Some(words))
}

/// The smallest byte string after every string starting with `prefix` (`None`: no bound).
fn upper_bound(prefix: &str) -> Option<Vec<u8>> {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < u8::MAX {
            bytes.push(last + 1);
            return Some(bytes);
        }
    }
    None
}

/// Matches when one of `queries` does, scoring their sum; matches nothing when empty.
fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}
