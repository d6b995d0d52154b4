//! Words of profiles and job ads, as fit compares them: accent-folded lowercase tokens
//! (`C++`, `C#` and `.NET` kept whole), Snowball-stemmed for the résumé part
//! (`rust-stemmers`), compared with one typo allowed on longer words (`strsim`).
//!
//! Stemming is the crate's, not a hand-written suffix list: Porter2 is what FTS engines and
//! Lucene's English analyzer use, so "engineering" / "engineer" and "analyst" / "analysts"
//! meet the way recruiters expect.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Tokens of `text`: lowercase, accents folded, split on anything but letters and digits,
/// except the programming-language spellings `c++`, `c#`, `f#` and `.net`.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let folded: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        let keep = match c {
            '+' | '#' => matches!(word.as_str(), "c" | "c+" | "f"),
            '.' => word.is_empty() && chars.peek().is_some_and(|n| n.eq_ignore_ascii_case(&'n')),
            _ => false,
        };
        if keep {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The Snowball stem of a lowercase token.
pub fn stem(token: &str) -> String {
    STEMMER.stem(token).into_owned()
}

/// Words too common in job ads and résumés to say anything about fit.
const STOP: &[&str] = &[
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
    "year",
    "experience",
    "join",
    "looking",
    "hiring",
    "offer",
    "competitive",
    "pay",
    "benefits",
    "required",
    "nice",
    "plus",
    "using",
    "also",
    "used",
    "new",
    "across",
    "do",
];

/// Stems of the meaningful words of `text`, in order (stop words and one-letter words out).
pub fn stems(text: &str) -> Vec<String> {
    stems_of(&tokens(text))
}

/// [`stems`] of text already split into [`tokens`].
pub fn stems_of(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| t.chars().count() > 1 && !STOP.contains(&t.as_str()))
        .map(|t| stem(t))
        .collect()
}

/// Equal, or (both at least 5 letters) one edit apart, a swap of neighbours counted as one:
/// "sofware" / "software", "enginer" / "engineer". Shorter words must match exactly, or "java"
/// would meet "jira".
pub fn near(a: &str, b: &str) -> bool {
    a == b || (a.len() >= 5 && b.len() >= 5 && strsim::damerau_levenshtein(a, b) <= 1)
}

/// Whether `phrase` (tokens) occurs as consecutive tokens of `text`.
pub fn contains_phrase(text: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && text.len() >= phrase.len()
        && text.windows(phrase.len()).any(|w| w == phrase)
}

/// Text of an HTML fragment: tags dropped, block ends as line breaks, the common entities
/// decoded. Job descriptions arrive as HTML; the lines matter (a "Nice to have:" line).
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = &rest[start..];
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name = tag
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        out.push(
            if matches!(
                name,
                "li" | "p" | "br" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "tr"
            ) {
                '\n'
            } else {
                ' '
            },
        );
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_and_keep_language_names() {
        assert_eq!(
            tokens("Sénior C++/C# dev, .NET & Node.js"),
            ["senior", "c++", "c#", "dev", ".net", "node", "js"]
        );
        assert_eq!(tokens(""), Vec::<String>::new());
    }

    #[test]
    fn stems_meet_across_forms() {
        assert_eq!(stem("engineering"), stem("engineer"));
        assert_eq!(stems("The analysts and experience"), ["analyst"]);
    }

    #[test]
    fn near_allows_one_typo_on_long_words_only() {
        assert!(near("sofware", "software"));
        assert!(near("enginer", "engineer"));
        assert!(near("scientst", "scientist"));
        assert!(!near("java", "jira"));
        assert!(!near("analyst", "analysis"));
    }

    #[test]
    fn phrases_and_html() {
        let t = tokens("built APIs in Apache Kafka and Go");
        assert!(contains_phrase(&t, &tokens("apache kafka")));
        assert!(!contains_phrase(&t, &tokens("kafka apache")));
        assert!(!contains_phrase(&t, &[]));
        let text =
            html_text("<ul><li>Required: Rust, Go</li><li>Nice to have: K8s &amp; AWS</li></ul>");
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, ["Required: Rust, Go", "Nice to have: K8s & AWS"]);
        assert_eq!(html_text("a < b"), "a < b");
    }
}
