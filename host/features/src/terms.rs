//! Simple tokenisation for review scoring: folded lowercase words, stop words dropped.

use crate::normalize;

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "in",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "our",
    "that",
    "the",
    "their",
    "this",
    "to",
    "we",
    "will",
    "with",
    "you",
    "your",
    "who",
    "what",
    "all",
    "can",
    "into",
    "about",
    "team",
    "work",
    "role",
    "years",
    "experience",
    "join",
    "looking",
];

/// Words of `text`: accent-folded, lowercase, at least two characters, no stop words, in order.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    normalize::name(text)
        .split(' ')
        .filter(|w| w.chars().count() >= 2 && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_drop_stop_words_and_fold() {
        assert_eq!(
            super::tokens("The Sénior Backend-Engineer, for our team!"),
            ["senior", "backend", "engineer"]
        );
    }
}
