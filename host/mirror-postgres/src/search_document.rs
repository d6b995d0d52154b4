//! A candidate's search document and a search's query, as PostgreSQL text-search values built
//! from [`ats_mirror::search_text`]: the words are cut and folded by the host exactly as the
//! SQLite backend's FTS5 tokenizer cuts them, then handed to PostgreSQL as `tsvector` and
//! `tsquery` literals, which it takes without re-parsing (its own parser keeps an email or a
//! host name as one token, and its stemmers would find words FTS5 does not).

use ats_mirror::derived::{CandidateColumns, resume_index_text};
use ats_mirror::search_text::{SearchWord, index_terms, search_words};
use ats_model::Candidate;
use std::fmt::Write;

/// The weights of `ts_rank`, for D, C, B, A: name and emails (A) weigh most, then title (B),
/// company and skills (C), resume text, history and location (D); SQLite's bm25 weights are
/// 10, 8, 4, 3, 3, 1, 1 for the same fields.
pub(crate) const RANK_WEIGHTS: &str = "'{0.1, 0.3, 0.4, 1.0}'::float4[]";

/// PostgreSQL refuses lexemes this long or longer, and clamps positions above this.
const MAX_LEXEME_BYTES: usize = 2047;
const MAX_POSITION: usize = 16_383;

/// The `tsvector` literal of a candidate: each field's terms with their positions and weight.
pub(crate) fn candidate_document(
    c: &Candidate,
    cols: &CandidateColumns,
    resume_text: Option<&str>,
) -> String {
    let resume = resume_index_text(resume_text, cols.history_text.as_deref());
    let fields: [(Option<&str>, char); 7] = [
        (cols.display_name.as_deref(), 'A'),
        (cols.emails_text.as_deref(), 'A'),
        (c.current_title.as_deref(), 'B'),
        (c.current_company.as_deref(), 'C'),
        (cols.skills_text.as_deref(), 'C'),
        (resume.as_deref(), 'D'),
        (cols.location_text.as_deref(), 'D'),
    ];
    let mut doc = String::new();
    let mut position = 0usize;
    for (text, weight) in fields {
        for term in text.map(index_terms).unwrap_or_default() {
            if term.len() >= MAX_LEXEME_BYTES {
                continue;
            }
            position = (position + 1).min(MAX_POSITION);
            let _ = write!(doc, "{}:{position}{weight} ", quote(&term));
        }
    }
    doc
}

/// The `tsquery` literal of a search: every word of `all`, and at least one of `any`; a word
/// typed with `*` is a prefix. `None` when neither holds a word.
pub(crate) fn search_query(all: Option<&str>, any: Option<&str>) -> Option<String> {
    let terms = |text: Option<&str>| -> Vec<String> {
        text.map(search_words)
            .unwrap_or_default()
            .iter()
            .filter_map(query_term)
            .collect()
    };
    let all = terms(all);
    let any = terms(any);
    let mut parts = all;
    if !any.is_empty() {
        parts.push(format!("( {} )", any.join(" | ")));
    }
    (!parts.is_empty()).then(|| parts.join(" & "))
}

fn query_term(word: &SearchWord) -> Option<String> {
    let term = word.term();
    if term.is_empty() || term.len() >= MAX_LEXEME_BYTES {
        return None;
    }
    let star = if word.prefix { ":*" } else { "" };
    Some(format!("{}{star}", quote(&term)))
}

/// A lexeme quoted for a text-search literal (terms are letters and digits, but a literal must
/// never be able to break out of its quotes).
fn quote(term: &str) -> String {
    format!("'{}'", term.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_cuts_emails_into_words_with_weights() {
        let c = Candidate {
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            current_title: Some("Rust Engineer".into()),
            emails: vec![ats_model::Email {
                address: "Jane.Doe@Example.com".into(),
                kind: None,
                primary: true,
            }],
            ..Candidate::default()
        };
        let doc = candidate_document(&c, &CandidateColumns::from(&c), Some("Émile"));
        assert_eq!(
            doc,
            "'jane':1A 'doe':2A 'jane':3A 'doe':4A 'example':5A 'com':6A 'rust':7B \
             'engineer':8B 'emile':9D "
        );
    }

    #[test]
    fn a_query_needs_every_word_and_one_of_the_alternatives() {
        assert_eq!(
            search_query(Some("Rust eng*"), Some("go, zig")).as_deref(),
            Some("'rust' & 'eng':* & ( 'go' | 'zig' )")
        );
        assert_eq!(search_query(Some(" -*: "), None), None);
        assert_eq!(
            search_query(None, Some("O'Brien")).as_deref(),
            Some("( 'o' | 'brien' )")
        );
    }
}
