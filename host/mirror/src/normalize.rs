//! Normalised forms of the values de-duplication and lookups compare: email, phone, profile URL
//! and a name blocking key. Pure functions, so the ladder "email, URL, phone, then name for
//! review" compares like with like whatever the ATS stored.

/// Trimmed, lowercase; `None` unless it looks like `local@domain`.
pub fn email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    (!local.is_empty() && domain.contains('.') && !e.contains(char::is_whitespace)).then_some(e)
}

/// E.164 (`+` and digits) when it can be derived without guessing a country, plus the North
/// American convention for 10-digit numbers (the first ATS is US-centred). `None` otherwise.
pub fn phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    // Drop an extension ("x123", "ext. 123").
    let main = trimmed
        .split(|c: char| c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let international = main.trim_start().starts_with('+');
    let e164 = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if digits.len() == 10 {
        format!("1{digits}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        digits
    } else {
        return None;
    };
    (8..=15).contains(&e164.len()).then(|| format!("+{e164}"))
}

/// A profile URL without scheme, `www.`, query, fragment or trailing slash, lowercased; LinkedIn
/// country hosts fold to `linkedin.com` and profile paths keep only `/in/<slug>`.
pub fn profile_url(raw: &str) -> Option<String> {
    let s = raw.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.split(['?', '#']).next().unwrap_or_default();
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let host = if host.ends_with(".linkedin.com") {
        "linkedin.com"
    } else {
        host
    };
    let segments: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let segments = match (host, segments.as_slice()) {
        ("linkedin.com", ["in", slug, ..]) => vec!["in", slug],
        ("github.com", [user, ..]) => vec![*user],
        _ => segments,
    };
    if segments.is_empty() {
        Some(host.to_string())
    } else {
        Some(format!("{host}/{}", segments.join("/")))
    }
}

/// Blocking key `last:f` (lowercase letters of the last name, first initial). Candidates sharing
/// it are compared further; the key alone never means "same person".
pub fn name_key(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let last = letters(last?);
    let initial = letters(first?).chars().next()?;
    (!last.is_empty()).then(|| format!("{last}:{initial}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email("  Jane.Doe@Example.COM ").as_deref(),
            Some("jane.doe@example.com")
        );
        assert_eq!(email("not an email"), None);
        assert_eq!(email("a@b"), None);
    }

    #[test]
    fn phones() {
        assert_eq!(phone("(415) 555-0100").as_deref(), Some("+14155550100"));
        assert_eq!(phone("1-415-555-0100").as_deref(), Some("+14155550100"));
        assert_eq!(phone("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(phone("0044 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(phone("415-555-0100 x12").as_deref(), Some("+14155550100"));
        assert_eq!(phone("555-0100"), None);
    }

    #[test]
    fn urls() {
        assert_eq!(
            profile_url("https://uk.LinkedIn.com/in/Jane-Doe/details?x=1").as_deref(),
            Some("linkedin.com/in/jane-doe")
        );
        assert_eq!(
            profile_url("http://www.linkedin.com/in/jane-doe/").as_deref(),
            Some("linkedin.com/in/jane-doe")
        );
        assert_eq!(
            profile_url("github.com/JaneDoe/repo").as_deref(),
            Some("github.com/janedoe")
        );
        assert_eq!(profile_url("nonsense"), None);
    }

    #[test]
    fn name_keys() {
        assert_eq!(
            name_key(Some("Jane"), Some("O'Brien")).as_deref(),
            Some("obrien:j")
        );
        assert_eq!(name_key(None, Some("Doe")), None);
        assert_eq!(
            name_key(Some("Émile"), Some("Zola")).as_deref(),
            Some("zola:é")
        );
    }
}
