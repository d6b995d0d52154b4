//! Turning a recruiter's search box text into a safe FTS5 MATCH expression.
//!
//! Users type names, emails and words with punctuation; passed raw, FTS5 would read `-`, `:`,
//! `"`, `AND`, `*` as syntax and fail or mislead. Each word becomes a quoted phrase and all must
//! match. A word typed with a trailing `*` matches as a prefix; prefixes are opt-in because FTS5
//! merges the lists of every term with that prefix, which is slow for short, common prefixes.

pub use ats_mirror::search_text::search_words as fts_words;

/// `None` when the text holds no searchable word.
pub fn fts_match_expression(text: &str) -> Option<String> {
    let terms: Vec<String> = fts_words(text)
        .into_iter()
        .map(|w| {
            let star = if w.prefix { "*" } else { "" };
            format!("\"{}\"{star}", w.text)
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The MATCH expression of every word of `all` and at least one of `any`; `None` when neither
/// holds a searchable word.
pub fn fts_match_all_and_any(all: Option<&str>, any: Option<&str>) -> Option<String> {
    let all = all.and_then(fts_match_expression);
    let any: Vec<String> = any
        .map(fts_words)
        .unwrap_or_default()
        .into_iter()
        .map(|w| {
            let star = if w.prefix { "*" } else { "" };
            format!("\"{}\"{star}", w.text)
        })
        .collect();
    let any = (!any.is_empty()).then(|| format!("({})", any.join(" OR ")));
    match (all, any) {
        (Some(a), Some(b)) => Some(format!("{a} AND {b}")),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_prefixes_opt_in() {
        assert_eq!(
            fts_match_expression("Rust  engineer").as_deref(),
            Some("\"rust\" \"engineer\"")
        );
        assert_eq!(
            fts_match_expression("rust eng*").as_deref(),
            Some("\"rust\" \"eng\"*")
        );
    }

    #[test]
    fn any_words_are_alternatives_beside_the_required_ones() {
        assert_eq!(
            fts_match_all_and_any(Some("new york"), Some("rust, go")).as_deref(),
            Some("\"new\" \"york\" AND (\"rust\" OR \"go\")")
        );
        assert_eq!(
            fts_match_all_and_any(None, Some("OR")).as_deref(),
            Some("(\"or\")")
        );
        assert_eq!(fts_match_all_and_any(Some(" "), Some("-")), None);
    }

    #[test]
    fn syntax_characters_are_not_operators() {
        assert_eq!(
            fts_match_expression("jane.doe@example.com").as_deref(),
            Some("\"jane\" \"doe\" \"example\" \"com\"")
        );
        assert_eq!(
            fts_match_expression("NOT \"x").as_deref(),
            Some("\"not\" \"x\"")
        );
        assert_eq!(fts_match_expression(" -*: "), None);
    }
}
