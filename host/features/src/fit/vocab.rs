//! What fit knows of recruiting's vocabulary: the spellings one skill goes by, the words titles
//! use for one kind of work, and the words that say seniority. Written once, here; everything
//! else asks [`skill_key`], [`title_word`] and [`seniority_word`].
//!
//! General knowledge of the trade, as a recruiter would list it, not a copy of any data set:
//! a skill missing here still matches by its own words (see `parts::skills`).

use super::words::tokens;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Skills that go by several names: each row is the canonical name, then its other spellings
/// (compared as tokens, so case and punctuation do not matter).
const SKILL_ALIASES: &[&[&str]] = &[
    &["JavaScript", "JS", "ECMAScript", "ES6"],
    &["TypeScript", "TS"],
    &["React", "React.js", "ReactJS"],
    &["Vue", "Vue.js", "VueJS"],
    &["Next.js", "NextJS"],
    &["Node.js", "NodeJS", "Node"],
    &["Go", "Golang"],
    &["PostgreSQL", "Postgres", "PSQL"],
    &["Kubernetes", "K8s"],
    &["AWS", "Amazon Web Services"],
    &["GCP", "Google Cloud", "Google Cloud Platform"],
    &["Kafka", "Apache Kafka"],
    &["Spark", "Apache Spark", "PySpark"],
    &["Microservices", "Micro-services", "Micro services"],
    &["CSS", "CSS3"],
    &["HTML", "HTML5"],
    &["Accessibility", "a11y", "WCAG"],
    &["Machine Learning", "ML"],
    &["Deep Learning", "DL"],
    &["NLP", "Natural Language Processing"],
    &["Scikit-learn", "sklearn", "scikit learn"],
    &["Statistics", "Statistical Modeling", "Statistical Analysis"],
    &["Excel", "Microsoft Excel", "MS Excel"],
    &["Power BI", "PowerBI"],
    &["A/B Testing", "AB Testing", "Split Testing"],
    &["Data Visualization", "Data Viz", "Data Visualisation"],
    &["Dashboards", "Dashboarding", "Dashboard"],
    &["Google Analytics", "GA4", "Universal Analytics"],
    &["BLS", "Basic Life Support"],
    &["ACLS", "Advanced Cardiac Life Support"],
    &[
        "EHR",
        "Electronic Health Records",
        "EMR",
        "Electronic Medical Records",
    ],
    &["ICU", "Intensive Care", "Critical Care"],
    &["IV Therapy", "Intravenous Therapy"],
    &[
        "Reconciliation",
        "Account Reconciliation",
        "Reconciliations",
    ],
    &["QuickBooks", "Quick Books"],
    &["Audit", "Auditing"],
    &["Month-End Close", "Month End Close", "Month-End"],
    &["Salesforce", "SFDC"],
    &["CRM", "Customer Relationship Management"],
    &["B2B Sales", "B2B"],
    &["HubSpot"],
    &[
        "SEO",
        "Search Engine Optimization",
        "Search Engine Optimisation",
    ],
    &["SEM", "Search Engine Marketing"],
    &["Google Ads", "AdWords", "Google AdWords"],
    &["Brand Strategy", "Branding"],
    &[
        "Applicant Tracking Systems",
        "ATS",
        "Applicant Tracking System",
    ],
    &[
        "Full-Cycle Recruiting",
        "Full Cycle Recruiting",
        "End-to-End Recruiting",
    ],
    &["SolidWorks", "Solid Works"],
    &["AutoCAD", "Auto CAD"],
    &["FEA", "Finite Element Analysis"],
    &["MATLAB"],
    &["Six Sigma", "6 Sigma", "Lean Six Sigma"],
    &["C++", "CPP"],
    &["C#", "CSharp", "C Sharp"],
];

/// [`SKILL_ALIASES`] as tokens, and the row of every spelling: built once, since ranking asks
/// for every listed skill of hundreds of people.
struct AliasTable {
    rows: Vec<Vec<Vec<String>>>,
    row_of: HashMap<Vec<String>, usize>,
}

static ALIASES: LazyLock<AliasTable> = LazyLock::new(|| {
    let rows: Vec<Vec<Vec<String>>> = SKILL_ALIASES
        .iter()
        .map(|row| row.iter().map(|a| tokens(a)).collect())
        .collect();
    let mut row_of = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        for spelling in row {
            row_of.entry(spelling.clone()).or_insert(i);
        }
    }
    AliasTable { rows, row_of }
});

/// The tokens a skill is known by: the canonical name's when it has aliases, else its own.
/// `None` when the text holds no word.
pub fn skill_key(skill: &str) -> Option<Vec<String>> {
    let tokens = tokens(skill);
    if tokens.is_empty() {
        return None;
    }
    Some(match ALIASES.row_of.get(&tokens) {
        Some(&row) => ALIASES.rows[row][0].clone(),
        None => tokens,
    })
}

/// Every spelling of the skill `key` (from [`skill_key`]) as tokens, the key itself first.
pub fn skill_spellings(key: &[String]) -> Vec<Vec<String>> {
    match ALIASES.row_of.get(key) {
        Some(&row) => ALIASES.rows[row].clone(),
        None => vec![key.to_vec()],
    }
}

/// Title words that name the same kind of work, mapped to one; abbreviations expand to the
/// words they stand for.
const TITLE_WORDS: &[(&str, &[&str])] = &[
    ("developer", &["engineer"]),
    ("programmer", &["engineer"]),
    ("dev", &["engineer"]),
    ("swe", &["software", "engineer"]),
    ("backend", &["software"]),
    ("back", &["software"]),
    ("front", &["frontend"]),
    ("ui", &["frontend"]),
    ("web", &["frontend"]),
    ("rn", &["registered", "nurse"]),
    ("cpa", &["certified", "public", "accountant"]),
    ("exec", &["executive"]),
    ("ae", &["account", "executive"]),
    ("rep", &["representative"]),
    ("bi", &["business", "intelligence"]),
    ("ml", &["machine", "learning"]),
    ("ta", &["talent", "acquisition"]),
    ("mgr", &["manager"]),
    ("sr", &["senior"]),
    ("jr", &["junior"]),
];

/// A title word in the form titles are compared in.
pub fn title_word(token: &str) -> Vec<String> {
    match TITLE_WORDS.iter().find(|(w, _)| *w == token) {
        Some((_, to)) => to.iter().map(|t| t.to_string()).collect(),
        None => vec![token.to_string()],
    }
}

/// A compared title word and every word that maps to it: what to search the mirror's text for
/// (it holds titles as people wrote them).
pub fn title_spellings(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for (from, to) in TITLE_WORDS {
        if to.len() == 1 && to[0] == word {
            out.push(from.to_string());
        }
    }
    out
}

/// Seniority levels fit compares: 0 junior, 1 mid (a title without a seniority word), 2 senior,
/// 3 lead or staff, 4 principal.
pub const LEVEL_NAMES: [&str; 5] = ["junior", "mid-level", "senior", "lead", "principal"];

/// The level a title word says, if it says one.
pub fn seniority_word(token: &str) -> Option<u8> {
    Some(match token {
        "intern" | "junior" | "jr" | "associate" | "entry" | "graduate" | "trainee" => 0,
        "ii" | "intermediate" => 1,
        "senior" | "sr" | "iii" => 2,
        "lead" | "staff" | "head" => 3,
        "principal" | "distinguished" | "architect" => 4,
        _ => return None,
    })
}

/// The level that `years` of experience usually mean.
pub fn level_of_years(years: f64) -> u8 {
    match years {
        y if y < 2.0 => 0,
        y if y < 5.0 => 1,
        y if y < 8.5 => 2,
        y if y < 12.5 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_meet_at_the_canonical_name() {
        assert_eq!(skill_key("JS"), skill_key("javascript"));
        assert_eq!(skill_key("K8s").unwrap(), ["kubernetes"]);
        assert_eq!(skill_key("Amazon Web Services").unwrap(), ["aws"]);
        assert_eq!(
            skill_key("Underwater Basket Weaving").unwrap(),
            ["underwater", "basket", "weaving"]
        );
        assert_eq!(skill_key(" - "), None);
        assert!(
            skill_spellings(&skill_key("Postgres").unwrap())
                .contains(&vec!["postgres".to_string()])
        );
    }

    #[test]
    fn titles_and_levels() {
        assert_eq!(title_word("developer"), ["engineer"]);
        assert_eq!(title_word("rn"), ["registered", "nurse"]);
        assert_eq!(title_word("nurse"), ["nurse"]);
        assert_eq!(
            title_spellings("engineer"),
            ["engineer", "developer", "programmer", "dev"]
        );
        assert_eq!(seniority_word("sr"), Some(2));
        assert_eq!(seniority_word("engineer"), None);
        assert_eq!(level_of_years(0.5), 0);
        assert_eq!(level_of_years(6.0), 2);
        assert_eq!(level_of_years(20.0), 4);
    }
}
