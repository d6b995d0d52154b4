//! The two backends find the same people: one fixture (the suite's rediscovery fixture plus a
//! generated crowd with accents, emails, work history, folders, sources and applications) is
//! loaded into a SQLite and a PostgreSQL mirror, and every query (words, prefixes, any-words,
//! filters, paging) must give the same answer.
//!
//! "The same" is the set of people found and whether more follow; the order too when the
//! search has no text (recency alone decides it). With text, each backend ranks by its own
//! relevance (bm25 vs `ts_rank`), so the order of a text search is compared only through the
//! suite's ranking tests, which both pass.

use ats_mirror::testsuite::fixtures::*;
use ats_mirror::{Mirror, SearchQuery};
use ats_mirror_postgres::PgMirror;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::{
    Address, Application, AtsRecord, Education, NamedRef, RecordKind, Stage, WorkExperience,
};

const FIRST: [&str; 8] = [
    "José", "Zoë", "Ming", "Grace", "Ada", "Émile", "Søren", "Priya",
];
const LAST: [&str; 6] = ["Müller", "García", "O'Brien", "Chen", "Nakamura", "Dubois"];
const TITLES: [&str; 6] = [
    "Senior Rust Engineer",
    "Data Scientist",
    "Engineering Manager",
    "Frontend Developer (React)",
    "Site-Reliability engineer",
    "Recruiter",
];
const COMPANIES: [&str; 5] = [
    "Initech",
    "Globex Corp.",
    "Umbrella",
    "Hooli",
    "Café Société",
];
const SKILLS: [&[&str]; 5] = [
    &["rust", "postgresql"],
    &["python", "pandas", "sql"],
    &["kubernetes", "go"],
    &["typescript", "react"],
    &["hiring"],
];
const CITIES: [(&str, &str); 4] = [
    ("Berlin", "Germany"),
    ("São Paulo", "Brazil"),
    ("Zürich", "Switzerland"),
    ("New York", "USA"),
];

/// The generated crowd: 120 candidates, 60 applications over three jobs.
fn crowd() -> (Vec<AtsRecord>, Vec<AtsRecord>) {
    let mut people = Vec::new();
    let mut applications = Vec::new();
    for i in 0..120usize {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / 3) % LAST.len()];
        let id = format!("p{i:03}");
        let email = format!(
            "{}.{}{i}@example.com",
            first.to_lowercase(),
            last.to_lowercase().replace('\'', "")
        );
        let mut c = candidate(&id, first, last, &email);
        c.current_title = Some(TITLES[i % TITLES.len()].into());
        c.current_company = Some(COMPANIES[(i / 2) % COMPANIES.len()].into());
        c.skills = SKILLS[(i / 4) % SKILLS.len()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (city, country) = CITIES[(i / 5) % CITIES.len()];
        c.addresses = vec![Address {
            city: Some(city.into()),
            country: Some(country.into()),
            ..Address::default()
        }];
        if i % 7 == 0 {
            c.experience = vec![WorkExperience {
                title: Some("Compiler intern".into()),
                employer: Some("Bletchley Labs".into()),
                description: Some("Optimised the register allocator".into()),
                ..WorkExperience::default()
            }];
            c.education = vec![Education {
                school: Some("Universität Wien".into()),
                ..Education::default()
            }];
        }
        if i % 3 == 0 {
            c.folder = Some(NamedRef {
                id: "f-pool".into(),
                name: Some("Talent pool".into()),
            });
        }
        c.source = Some(["LinkedIn", "Referral", "Job board"][i % 3].into());
        if i % 10 == 0 {
            c.source_detail = Some("Spring fair".into());
        }
        // Distinct times: newest first is one order on both backends.
        c.updated_at = Some(NOW - (i as i64) * 3_600 - 17);
        people.push(AtsRecord::Candidate(c));
        if i % 2 == 0 {
            let job = ["j-rust", "j-data", "j-lead"][(i / 2) % 3];
            let status = ["s-int", "s-rej", "s-new"][(i / 6) % 3];
            let mut a: Application = application(&format!("x{i:03}"), &id, job, status);
            a.applied_at = Some(NOW - (i as i64) * 86_400);
            if i % 8 == 0 {
                a.stage = Some(Stage::Offer);
            }
            applications.push(AtsRecord::Application(a));
        }
    }
    (people, applications)
}

async fn load(m: &dyn Mirror) {
    search_fixture(m).await;
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-new", "New", Stage::Screening)),
        NOW,
    )
    .await
    .unwrap();
    let (people, applications) = crowd();
    apply(m, RecordKind::Candidate, people, "crowd", NOW).await;
    apply(m, RecordKind::Application, applications, "crowd-apps", NOW).await;
    assert!(
        m.set_resume_text(
            CONN,
            "p005",
            "r1",
            "Wrote the Zürich tram scheduler in Rust"
        )
        .await
        .unwrap()
    );
    m.mark_deleted(CONN, RecordKind::Candidate, "p011", NOW)
        .await
        .unwrap();
}

fn queries() -> Vec<(&'static str, SearchQuery)> {
    let t = |s: &str| Some(s.to_string());
    let q = SearchQuery::default;
    vec![
        (
            "one word",
            SearchQuery {
                text: t("rust"),
                ..q()
            },
        ),
        (
            "two words",
            SearchQuery {
                text: t("rust engineer"),
                ..q()
            },
        ),
        (
            "a prefix",
            SearchQuery {
                text: t("eng*"),
                ..q()
            },
        ),
        (
            "a short prefix",
            SearchQuery {
                text: t("p*"),
                ..q()
            },
        ),
        (
            "accents typed",
            SearchQuery {
                text: t("Müller"),
                ..q()
            },
        ),
        (
            "accents left out",
            SearchQuery {
                text: t("muller zurich"),
                ..q()
            },
        ),
        (
            "an email",
            SearchQuery {
                text: t("Zoe.Muller1@example.com"),
                ..q()
            },
        ),
        (
            "a hyphenated title",
            SearchQuery {
                text: t("site-reliability"),
                ..q()
            },
        ),
        (
            "punctuation",
            SearchQuery {
                text: t("O'Brien (react)"),
                ..q()
            },
        ),
        (
            "a company",
            SearchQuery {
                text: t("globex"),
                ..q()
            },
        ),
        (
            "work history",
            SearchQuery {
                text: t("register allocator"),
                ..q()
            },
        ),
        (
            "education",
            SearchQuery {
                text: t("universitat"),
                ..q()
            },
        ),
        (
            "resume text",
            SearchQuery {
                text: t("tram"),
                ..q()
            },
        ),
        (
            "a city",
            SearchQuery {
                text: t("são paulo"),
                ..q()
            },
        ),
        (
            "no match",
            SearchQuery {
                text: t("cobol"),
                ..q()
            },
        ),
        (
            "any words",
            SearchQuery {
                any_text: t("kubernetes pandas"),
                ..q()
            },
        ),
        (
            "words and any words",
            SearchQuery {
                text: t("engineer"),
                any_text: t("go rust"),
                ..q()
            },
        ),
        ("no text", q()),
        (
            "a job",
            SearchQuery {
                job_ids: vec!["j-rust".into()],
                ..q()
            },
        ),
        (
            "a stage",
            SearchQuery {
                stages: vec![Stage::Offer],
                ..q()
            },
        ),
        (
            "a status's stage",
            SearchQuery {
                stages: vec![Stage::Screening],
                ..q()
            },
        ),
        (
            "rejected",
            SearchQuery {
                rejected: Some(true),
                ..q()
            },
        ),
        (
            "not rejected",
            SearchQuery {
                rejected: Some(false),
                ..q()
            },
        ),
        (
            "a status name",
            SearchQuery {
                status_name: t("status s-int"),
                ..q()
            },
        ),
        (
            "a folder",
            SearchQuery {
                folder_ids: vec!["f-pool".into()],
                ..q()
            },
        ),
        (
            "a source",
            SearchQuery {
                source: t("referral"),
                ..q()
            },
        ),
        (
            "a source detail",
            SearchQuery {
                source: t("SPRING FAIR"),
                ..q()
            },
        ),
        (
            "applied between",
            SearchQuery {
                applied_from: Some(NOW - 40 * 86_400),
                applied_to: Some(NOW - 10 * 86_400),
                ..q()
            },
        ),
        (
            "updated since",
            SearchQuery {
                updated_from: Some(NOW - 30 * 3_600),
                ..q()
            },
        ),
        (
            "not applied to",
            SearchQuery {
                not_applied_to: vec!["j-rust".into(), "j-data".into()],
                ..q()
            },
        ),
        (
            "text and filters",
            SearchQuery {
                text: t("engineer"),
                job_ids: vec!["j-lead".into()],
                rejected: Some(false),
                updated_from: Some(NOW - 100 * 3_600),
                ..q()
            },
        ),
    ]
}

/// Every group a search finds, walking pages of `page` people; and the pages' `more` flags.
async fn walk(m: &dyn Mirror, q: &SearchQuery, page: usize) -> (Vec<String>, Vec<bool>) {
    let mut ids = Vec::new();
    let mut more = Vec::new();
    loop {
        let q = SearchQuery {
            now: NOW,
            limit: page,
            offset: ids.len(),
            ..q.clone()
        };
        let p = m.search_candidates(CONN, &q).await.unwrap();
        ids.extend(p.hits.iter().map(|h| h.candidate_id.clone()));
        more.push(p.more);
        if !p.more {
            return (ids, more);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn both_backends_find_the_same_people_for_every_query() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteMirror::open(dir.path().join("mirror.sqlite")).unwrap();
    let pg = PgMirror::connect(&ats_test_postgres::database())
        .await
        .unwrap();
    load(&sqlite).await;
    load(&pg).await;
    let mut found_any = 0;
    for (name, q) in queries() {
        let (lite, lite_more) = walk(&sqlite, &q, 500).await;
        let (post, post_more) = walk(&pg, &q, 500).await;
        assert_eq!(lite_more, post_more, "{name}: more");
        if q.text.is_none() && q.any_text.is_none() {
            assert_eq!(lite, post, "{name}: the order of a search without text");
        }
        let (mut lite_set, mut post_set) = (lite.clone(), post.clone());
        lite_set.sort();
        post_set.sort();
        assert_eq!(lite_set, post_set, "{name}");
        found_any += usize::from(!lite.is_empty());
        // Paging walks the same people without overlap or gap, on both.
        for (m, full) in [(&sqlite as &dyn Mirror, &lite), (&pg, &post)] {
            let (mut paged, _) = walk(m, &q, 7).await;
            assert_eq!(paged.len(), full.len(), "{name}: paged count");
            paged.sort();
            paged.dedup();
            assert_eq!(paged.len(), full.len(), "{name}: a page repeated someone");
        }
    }
    // The queries are not vacuous: all but "no match" find people.
    assert_eq!(found_any, queries().len() - 1);
}
