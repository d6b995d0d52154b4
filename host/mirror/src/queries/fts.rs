//! Turning a recruiter's search box text into a safe FTS5 MATCH expression.
//!
//! Users type names, emails and words with punctuation; passed raw, FTS5 would read `-`, `:`,
//! `"`, `AND`, `*` as syntax and fail or mislead. Each word becomes a quoted phrase, all must
//! match, and the last word matches as a prefix (search-as-you-type).

/// The lowercase words of a search box text, as the tokenizer will see them.
pub fn fts_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// `None` when the text holds no searchable word.
pub fn fts_match_expression(text: &str) -> Option<String> {
    let words = fts_words(text);
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    Some(terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_last_is_prefix() {
        assert_eq!(
            fts_match_expression("Rust  engineer").as_deref(),
            Some("\"rust\" \"engineer\"*")
        );
    }

    #[test]
    fn syntax_characters_are_not_operators() {
        assert_eq!(
            fts_match_expression("jane.doe@example.com").as_deref(),
            Some("\"jane\" \"doe\" \"example\" \"com\"*")
        );
        assert_eq!(
            fts_match_expression("NOT \"x").as_deref(),
            Some("\"not\" \"x\"*")
        );
        assert_eq!(fts_match_expression(" -*: "), None);
    }
}
