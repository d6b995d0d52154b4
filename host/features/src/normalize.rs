//! Normalised forms for matching, on top of [`ats_mirror::normalize`] (which defines the keys the
//! mirror indexes: we reuse it so the ladder compares exactly what the mirror's blocking keys
//! hold). Added here: opt-in Gmail folding, phones with a default region, and name folding with a
//! small nickname table.

pub use ats_mirror::normalize::{name_key, profile_url};
use unicode_normalization::UnicodeNormalization;

/// How to normalise emails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmailOptions {
    /// Fold Gmail addresses: drop dots and `+tag` from the local part, `googlemail.com` →
    /// `gmail.com`. Off by default: only Gmail ignores dots, other providers treat
    /// `j.doe` and `jdoe` as different mailboxes (and some use `+` literally), and the mirror's
    /// keys and the ATS's own email search hold addresses as written, so a folded form would not
    /// find them. Turn it on only to *suggest* duplicates, never to decide identity.
    pub fold_gmail: bool,
}

/// Trimmed and lowercased (see [`ats_mirror::normalize::email`]); `None` unless it looks like
/// `local@domain.tld`.
pub fn email(raw: &str, options: EmailOptions) -> Option<String> {
    let e = ats_mirror::normalize::email(raw)?;
    if !options.fold_gmail {
        return Some(e);
    }
    let (local, domain) = e.split_once('@')?;
    if domain != "gmail.com" && domain != "googlemail.com" {
        return Some(e);
    }
    let local = local.split('+').next().unwrap_or_default().replace('.', "");
    (!local.is_empty()).then(|| format!("{local}@gmail.com"))
}

/// Country calling codes for the regions whose national numbers we convert, and whether the
/// region drops a leading trunk `0` (Italy keeps it).
const REGIONS: &[(&str, &str, bool)] = &[
    ("GB", "44", true),
    ("IE", "353", true),
    ("DE", "49", true),
    ("AT", "43", true),
    ("CH", "41", true),
    ("FR", "33", true),
    ("BE", "32", true),
    ("NL", "31", true),
    ("ES", "34", false),
    ("PT", "351", false),
    ("IT", "39", false),
    ("SE", "46", true),
    ("NO", "47", false),
    ("DK", "45", false),
    ("FI", "358", true),
    ("PL", "48", false),
    ("AU", "61", true),
    ("NZ", "64", true),
    ("IN", "91", true),
    ("JP", "81", true),
    ("BR", "55", true),
    ("MX", "52", false),
];

/// NANP regions: 10-digit national numbers, country code 1.
const NANP: &[&str] = &["US", "CA", "PR", "GU", "VI", "AS", "MP"];

/// E.164 (`+` and 8–15 digits), or `None` when the number cannot be read without guessing.
///
/// A small, careful implementation rather than the `phonenumber` crate: matching needs one
/// canonical form, not range validation, and `phonenumber`'s metadata build and regex
/// dependencies would cost minutes on every fresh build. Rules: a number written with `+` or
/// `00` is international and kept as is; otherwise NANP regions (`US`, `CA`, …) take 10 digits
/// (or 11 starting with `1`) as [`ats_mirror::normalize::phone`] does, and the regions listed in
/// `REGIONS` drop their trunk `0` and get their country code. Extensions (`x12`, `ext. 12`) are
/// dropped. Any other region gives `None` for national numbers.
pub fn phone(raw: &str, default_region: &str) -> Option<String> {
    // "+44 (0)20 …": the bracketed trunk zero is dialled only from inside the country.
    let raw = raw.replace("(0)", "");
    let main = raw
        .trim()
        .split(|c: char| c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default()
        .trim();
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if main.starts_with('+') || digits.starts_with("00") {
        return ats_mirror::normalize::phone(main);
    }
    let region = default_region.trim().to_ascii_uppercase();
    if NANP.contains(&region.as_str()) {
        return ats_mirror::normalize::phone(main);
    }
    let (_, code, drops_trunk) = REGIONS.iter().find(|(r, _, _)| *r == region)?;
    let national = if *drops_trunk {
        digits.strip_prefix('0').unwrap_or(&digits)
    } else {
        &digits
    };
    let e164 = format!("{code}{national}");
    (national.len() >= 6 && (8..=15).contains(&e164.len())).then(|| format!("+{e164}"))
}

/// Lowercase letters and single spaces: accents folded (`é` → `e`, `ß` → `ss`), text in
/// brackets or quotes dropped (`Robert "Bob" Smith`, `Jane (she/her)`), punctuation and hyphens
/// turned into spaces.
pub fn name(raw: &str) -> String {
    let mut kept = String::new();
    let mut depth = 0usize;
    let mut in_quotes = false;
    for c in raw.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '"' | '“' | '”' => in_quotes = !in_quotes,
            _ if depth == 0 && !in_quotes => kept.push(c),
            _ => {}
        }
    }
    let mut folded = String::new();
    for c in kept.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' | 'ð' => folded.push('d'),
            'ı' => folded.push('i'),
            '\'' | '’' => {}
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Common English nicknames and the formal name they stand for. Small on purpose: a wrong
/// entry makes two people look alike, and name matches only ever *suggest* a duplicate.
const NICKNAMES: &[(&str, &str)] = &[
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("robbie", "robert"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("beth", "elizabeth"),
    ("betty", "elizabeth"),
    ("eliza", "elizabeth"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("mike", "michael"),
    ("mikey", "michael"),
    ("dave", "david"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("chris", "christopher"),
    ("kate", "katherine"),
    ("katie", "katherine"),
    ("kathy", "katherine"),
    ("cathy", "catherine"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("alex", "alexander"),
    ("sam", "samuel"),
    ("matt", "matthew"),
    ("nick", "nicholas"),
    ("tony", "anthony"),
    ("joe", "joseph"),
    ("steve", "steven"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("ted", "edward"),
    ("peggy", "margaret"),
    ("maggie", "margaret"),
    ("rick", "richard"),
    ("dick", "richard"),
    ("andy", "andrew"),
    ("ben", "benjamin"),
    ("greg", "gregory"),
    ("jon", "jonathan"),
    ("sue", "susan"),
    ("vicky", "victoria"),
];

/// A first name folded ([`name`]), first word only, with a nickname replaced by its formal name:
/// `"Bob"` → `"robert"`, `"Élodie Marie"` → `"elodie"`.
pub fn first_name(raw: &str) -> String {
    let folded = name(raw);
    let first = folded.split(' ').next().unwrap_or_default();
    NICKNAMES
        .iter()
        .find(|(nick, _)| *nick == first)
        .map_or(first, |(_, formal)| formal)
        .to_string()
}

/// `"jane"` → `"Jane"`, `"o'BRIEN"` → `"O'Brien"`, `"anne-marie"` → `"Anne-Marie"`; for names
/// derived from email addresses and all-caps or all-lowercase display names.
pub fn title_case(raw: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in raw.trim().chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_keep_gmail_dots_unless_asked() {
        let plain = EmailOptions::default();
        let folded = EmailOptions { fold_gmail: true };
        assert_eq!(
            email(" Jane.Doe+jobs@GMail.com ", plain).as_deref(),
            Some("jane.doe+jobs@gmail.com")
        );
        assert_eq!(
            email("Jane.Doe+jobs@googlemail.com", folded).as_deref(),
            Some("janedoe@gmail.com")
        );
        assert_eq!(
            email("jane.doe+x@example.com", folded).as_deref(),
            Some("jane.doe+x@example.com")
        );
        assert_eq!(email("jane at example", plain), None);
    }

    #[test]
    fn phones_with_default_region() {
        assert_eq!(
            phone("(415) 555-0100", "US").as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            phone("020 7946 0958", "GB").as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            phone("+44 (0)20 7946 0958", "US").as_deref(),
            Some("+442079460958")
        );
        assert_eq!(phone("030 1234567", "de").as_deref(), Some("+49301234567"));
        assert_eq!(
            phone("06 1234 5678", "IT").as_deref(),
            Some("+390612345678")
        );
        assert_eq!(
            phone("0044 20 7946 0958", "FR").as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            phone("415 555 0100 ext. 7", "CA").as_deref(),
            Some("+14155550100")
        );
        assert_eq!(phone("12345", "GB"), None);
        assert_eq!(phone("020 7946 0958", "ZZ"), None);
    }

    #[test]
    fn profile_urls_are_canonical() {
        assert_eq!(
            profile_url("https://www.linkedin.com/in/Jane-Doe/?utm_source=share").as_deref(),
            Some("linkedin.com/in/jane-doe")
        );
        assert_eq!(
            profile_url("https://github.com/JaneDoe/").as_deref(),
            Some("github.com/janedoe")
        );
    }

    #[test]
    fn names_fold_accents_brackets_and_nicknames() {
        assert_eq!(name("  José  Ñúñez-García "), "jose nunez garcia");
        assert_eq!(name("Robert \"Bob\" O'Brien (he/him)"), "robert obrien");
        assert_eq!(name("Strauß Łukasz"), "strauss lukasz");
        assert_eq!(first_name("Bob"), "robert");
        assert_eq!(first_name("LIZ"), "elizabeth");
        assert_eq!(first_name("Élodie Marie"), "elodie");
        assert_eq!(first_name("Zed"), "zed");
    }

    #[test]
    fn title_case_names() {
        assert_eq!(title_case("jane"), "Jane");
        assert_eq!(title_case("o'BRIEN"), "O'Brien");
        assert_eq!(title_case("anne-marie"), "Anne-Marie");
    }
}
