//! How search text is cut into words, the same for every backend: runs of letters and digits,
//! lowercase. Everything else separates words, so `jane.doe@example.com` is four words and
//! users' punctuation is never query syntax. A word typed with a trailing `*` is a prefix.
//!
//! SQLite's FTS5 tokenizer (`unicode61 remove_diacritics 2`) cuts indexed text this way
//! itself; a backend without such a tokenizer (PostgreSQL's parser keeps emails and hosts
//! whole) indexes [`index_terms`] and searches [`SearchWord::term`], which also fold
//! diacritics as FTS5 does (`Émile` is `emile`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a search: lowercase, as typed (diacritics kept), and whether it is a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWord {
    pub text: String,
    pub prefix: bool,
}

impl SearchWord {
    /// The word as [`index_terms`] stores it: lowercase, diacritics folded.
    pub fn term(&self) -> String {
        fold(&self.text)
    }
}

/// The words of a search box text.
pub fn search_words(text: &str) -> Vec<SearchWord> {
    let mut words = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(char::is_alphanumeric) {
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        words.push(SearchWord {
            text: rest[..end].to_lowercase(),
            prefix: rest[end..].starts_with('*'),
        });
        rest = &rest[end..];
    }
    words
}

/// The terms an indexed text holds, in order: its words, lowercase, diacritics folded (folded
/// first, so a decomposed `é` does not split its word).
pub fn index_terms(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lowercase without diacritics: decomposed, combining marks dropped.
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_separates_words_and_a_star_makes_a_prefix() {
        let words = search_words("Jane.Doe@example.com eng* -x");
        let texts: Vec<_> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["jane", "doe", "example", "com", "eng", "x"]);
        assert!(words[4].prefix && !words[0].prefix && !words[5].prefix);
    }

    #[test]
    fn index_terms_fold_case_and_diacritics() {
        let terms = index_terms("Émile Zola, São-Paulo; nai\u{308}ve");
        assert_eq!(terms, ["emile", "zola", "sao", "paulo", "naive"]);
        assert_eq!(search_words("Émile")[0].term(), "emile");
    }
}
