//! A search's words as a tantivy query: every word of `all` and at least one of `any`, each
//! word in any field, a match's score the sum over fields of the field's weight times its BM25.
//! The connection is required but scores nothing.

use crate::schema::{FIELD_WEIGHTS, Fields};
use ats_mirror::search_text::SearchWord;
use std::collections::BTreeSet;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// A prefix (`jen*`) stands for the words of the index it starts; above this many in all, the
/// search is left to the store (a one-letter prefix would otherwise OR thousands of lists).
pub const MAX_PREFIX_TERMS: usize = 256;

/// The words of a search: all of `all`, at least one of `any`.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub all: Vec<SearchWord>,
    pub any: Vec<SearchWord>,
}

impl Words {
    pub fn new(all: Option<&str>, any: Option<&str>) -> Words {
        let words = |t: Option<&str>| t.map(ats_mirror::search_text::search_words).unwrap_or_default();
        Words {
            all: words(all),
            any: words(any),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }
}

/// `None` when prefixes stand for more than [`MAX_PREFIX_TERMS`] words.
pub(crate) fn build(
    searcher: &Searcher,
    fields: &Fields,
    conn: &str,
    words: &Words,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let mut budget = MAX_PREFIX_TERMS;
    let conn_term = TermQuery::new(
        Term::from_field_text(fields.conn, conn),
        IndexRecordOption::Basic,
    );
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(ConstScoreQuery::new(Box::new(conn_term), 0.0)))];
    for word in &words.all {
        let Some(terms) = word_terms(searcher, fields, word, &mut budget)? else {
            return Ok(None);
        };
        if terms.is_empty() {
            return Ok(Some(Box::new(EmptyQuery)));
        }
        clauses.push((Occur::Must, any_of(terms)));
    }
    if !words.any.is_empty() {
        let mut alternatives = Vec::new();
        for word in &words.any {
            let Some(terms) = word_terms(searcher, fields, word, &mut budget)? else {
                return Ok(None);
            };
            alternatives.extend(terms);
        }
        if alternatives.is_empty() {
            return Ok(Some(Box::new(EmptyQuery)));
        }
        clauses.push((Occur::Must, any_of(alternatives)));
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// The weighted field terms a word matches: itself in every field, or for a prefix the index's
/// words it starts. `None` when the budget of prefix words runs out.
fn word_terms(
    searcher: &Searcher,
    fields: &Fields,
    word: &SearchWord,
    budget: &mut usize,
) -> tantivy::Result<Option<Vec<(Term, f32)>>> {
    let term = word.term();
    let mut out = Vec::new();
    for (field, weight) in fields.texts.iter().zip(FIELD_WEIGHTS) {
        if !word.prefix {
            out.push((Term::from_field_text(*field, &term), weight));
            continue;
        }
        let Some(words) = prefixed(searcher, *field, &term, budget)? else {
            return Ok(None);
        };
        out.extend(
            words
                .into_iter()
                .map(|w| (Term::from_field_text(*field, &w), weight)),
        );
    }
    Ok(Some(out))
}

/// The words of `field` that start with `prefix`, over every segment.
fn prefixed(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    budget: &mut usize,
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
            if words.insert(word) {
                if *budget == 0 {
                    return Ok(None);
                }
                *budget -= 1;
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

fn any_of(terms: Vec<(Term, f32)>) -> Box<dyn Query> {
    let clauses = terms
        .into_iter()
        .map(|(term, weight)| {
            let q: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                weight,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}
