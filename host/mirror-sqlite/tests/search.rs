//! Rediscovery search: text, every filter, grouping of duplicates, paging; plus the
//! de-duplication lookups and the applicants of a job.

mod common;

use ats_mirror::{
    DedupeKeyKind, DuplicateLink, FeatureState, LinkStatus, MirrorQueries, MirrorStore, SearchQuery,
};
use ats_model::{AtsRecord, NamedRef, RecordKind, Stage};
use common::*;

const NOW: i64 = 1_700_000_000;

/// Five candidates, two statuses, three applications on two jobs.
fn fixture() -> TestMirror {
    let t = mirror();
    let mut ada = candidate("1", "Ada", "Lovelace", "ada@example.com");
    ada.current_title = Some("Rust Engineer".into());
    ada.skills = vec!["rust".into(), "sqlite".into()];
    ada.folder = Some(NamedRef {
        id: "f-active".into(),
        name: Some("Active".into()),
    });
    ada.source = Some("LinkedIn".into());
    ada.updated_at = Some(NOW - 10 * 86_400);
    let mut ada2 = candidate("2", "Ada", "Lovelace", "ada.l@other.example");
    ada2.current_title = Some("Rust Engineer".into());
    ada2.updated_at = Some(NOW - 400 * 86_400);
    let mut alan = candidate("3", "Alan", "Turing", "alan@example.com");
    alan.current_title = Some("Rust developer".into());
    alan.current_company = Some("Bletchley".into());
    alan.updated_at = Some(NOW - 100 * 86_400);
    alan.source = Some("referral".into());
    let mut grace = candidate("4", "Grace", "Hopper", "grace@example.com");
    grace.current_title = Some("Compiler engineer".into());
    grace.updated_at = Some(NOW - 86_400);
    let mut linus = with_phone(
        candidate("5", "Linus", "T", "LINUS@Example.com"),
        "(415) 555-0100",
    );
    linus.updated_at = Some(NOW - 5 * 86_400);
    let linus = with_url(linus, "https://www.linkedin.com/in/linus/");
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![ada, ada2, alan, grace, linus]),
        "c",
        NOW,
    );
    t.mirror
        .upsert_record(
            CONN,
            &AtsRecord::Status(status("s-rej", "Not a fit", Stage::Rejected)),
            NOW,
        )
        .unwrap();
    t.mirror
        .upsert_record(
            CONN,
            &AtsRecord::Status(status("s-int", "Phone screen", Stage::Interview)),
            NOW,
        )
        .unwrap();
    let mut a1 = application("a1", "1", "j-rust", "s-int");
    a1.applied_at = Some(NOW - 30 * 86_400);
    let mut a2 = application("a2", "3", "j-rust", "s-rej");
    a2.applied_at = Some(NOW - 200 * 86_400);
    let a3 = application("a3", "4", "j-compiler", "s-int");
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(vec![a1, a2, a3]),
        "a",
        NOW,
    );
    t
}

fn ids(t: &TestMirror, q: SearchQuery) -> Vec<String> {
    let q = SearchQuery {
        now: NOW,
        limit: if q.limit == 0 { 20 } else { q.limit },
        ..q
    };
    t.mirror
        .search_candidates(CONN, &q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.candidate_id)
        .collect()
}

fn text(s: &str) -> Option<String> {
    Some(s.into())
}

#[test]
fn text_search_ranks_by_relevance_then_recency() {
    let t = fixture();
    // Title and name matches; newer first among equals.
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("rust engineer"),
                ..Default::default()
            }
        ),
        vec!["1", "2"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("rust"),
                ..Default::default()
            }
        ),
        vec!["1", "3", "2"]
    );
    // Prefix on the last word, emails, companies.
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("bletch*"),
                ..Default::default()
            }
        ),
        vec!["3"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("grace@example.com"),
                ..Default::default()
            }
        ),
        vec!["4"]
    );
    // Without text: newest first.
    assert_eq!(
        ids(&t, SearchQuery::default()),
        vec!["4", "5", "1", "3", "2"]
    );
}

#[test]
fn each_filter_narrows_the_results() {
    let t = fixture();
    let q = SearchQuery::default;
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                job_ids: vec!["j-rust".into()],
                ..q()
            }
        ),
        vec!["1", "3"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                status_ids: vec!["s-int".into()],
                ..q()
            }
        ),
        vec!["4", "1"]
    );
    // Stage comes from the status when the application has none.
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                stages: vec![Stage::Rejected],
                ..q()
            }
        ),
        vec!["3"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                rejected: Some(true),
                ..q()
            }
        ),
        vec!["3"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                rejected: Some(false),
                ..q()
            }
        ),
        vec!["4", "1"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                status_name: text("status S-INT"),
                ..q()
            }
        ),
        vec!["4", "1"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                folder_ids: vec!["f-active".into()],
                ..q()
            }
        ),
        vec!["1"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                source: text("linkedin"),
                ..q()
            }
        ),
        vec!["1"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                applied_from: Some(NOW - 60 * 86_400),
                ..q()
            }
        ),
        vec!["1"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                applied_to: Some(NOW - 60 * 86_400),
                ..q()
            }
        ),
        vec!["4", "3"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                updated_from: Some(NOW - 7 * 86_400),
                ..q()
            }
        ),
        vec!["4", "5"]
    );
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                updated_to: Some(NOW - 50 * 86_400),
                ..q()
            }
        ),
        vec!["3", "2"]
    );
    // Application filters hold for the same application.
    assert!(
        ids(
            &t,
            SearchQuery {
                job_ids: vec!["j-compiler".into()],
                rejected: Some(true),
                ..q()
            }
        )
        .is_empty()
    );
    // Combined with text.
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("rust"),
                rejected: Some(false),
                ..q()
            }
        ),
        vec!["1"]
    );
    // Deleted candidates and applications drop out.
    t.mirror
        .mark_deleted(CONN, RecordKind::Application, "a2", NOW)
        .unwrap();
    assert!(
        ids(
            &t,
            SearchQuery {
                rejected: Some(true),
                ..q()
            }
        )
        .is_empty()
    );
    t.mirror
        .mark_deleted(CONN, RecordKind::Candidate, "4", NOW)
        .unwrap();
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                status_ids: vec!["s-int".into()],
                ..q()
            }
        ),
        vec!["1"]
    );
}

#[test]
fn duplicates_are_grouped_into_one_hit_until_dismissed() {
    let t = fixture();
    let mut link = DuplicateLink {
        a_id: "2".into(),
        b_id: "1".into(),
        rule: "name".into(),
        confidence: 0.7,
        status: LinkStatus::Suggested,
        created_at: NOW,
        updated_at: NOW,
    };
    t.mirror.put_duplicate_link(CONN, &link).unwrap();
    let q = SearchQuery {
        text: text("rust"),
        now: NOW,
        limit: 10,
        ..Default::default()
    };
    let page = t.mirror.search_candidates(CONN, &q).unwrap();
    let got: Vec<_> = page
        .hits
        .iter()
        .map(|h| (h.candidate_id.as_str(), h.duplicates.clone()))
        .collect();
    assert_eq!(got, vec![("1", vec!["2".to_string()]), ("3", vec![])]);
    assert_eq!(t.mirror.cluster(CONN, "2").unwrap(), vec!["1", "2"]);
    assert_eq!(t.mirror.duplicate_links(CONN, "1").unwrap()[0].a_id, "1");

    // A third record joins the cluster through another link.
    t.mirror
        .put_duplicate_link(
            CONN,
            &DuplicateLink {
                a_id: "2".into(),
                b_id: "5".into(),
                ..link.clone()
            },
        )
        .unwrap();
    assert_eq!(t.mirror.cluster(CONN, "1").unwrap(), vec!["1", "2", "5"]);
    assert_eq!(ids(&t, SearchQuery::default()), vec!["4", "5", "3"]);

    link.status = LinkStatus::Dismissed;
    t.mirror.put_duplicate_link(CONN, &link).unwrap();
    assert_eq!(t.mirror.cluster(CONN, "1").unwrap(), vec!["1"]);
    assert_eq!(t.mirror.cluster(CONN, "5").unwrap(), vec!["2", "5"]);
    assert_eq!(
        ids(
            &t,
            SearchQuery {
                text: text("rust"),
                ..Default::default()
            }
        ),
        vec!["1", "3", "2"]
    );
}

#[test]
fn paging_walks_groups_without_overlap() {
    let t = fixture();
    let page = |offset| {
        let q = SearchQuery {
            now: NOW,
            limit: 2,
            offset,
            ..Default::default()
        };
        t.mirror.search_candidates(CONN, &q).unwrap()
    };
    let (p0, p1, p2) = (page(0), page(2), page(4));
    let ids = |p: &ats_mirror::SearchPage| {
        p.hits
            .iter()
            .map(|h| h.candidate_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (ids(&p0), p0.more),
        (vec!["4".to_string(), "5".into()], true)
    );
    assert_eq!(
        (ids(&p1), p1.more),
        (vec!["1".to_string(), "3".into()], true)
    );
    assert_eq!((ids(&p2), p2.more), (vec!["2".to_string()], false));
}

#[test]
fn dedupe_keys_find_candidates_by_email_url_phone_and_name() {
    let t = fixture();
    let m = &t.mirror;
    assert_eq!(
        m.candidates_by_email(CONN, " Linus@EXAMPLE.com").unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Url, "linkedin.com/in/Linus", 10)
            .unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Phone, "+1 415 555 0100", 10)
            .unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Name, "lovelace:a", 10)
            .unwrap(),
        vec!["2", "1"],
        "highest ids first"
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Name, "lovelace:a", 1)
            .unwrap(),
        vec!["2"],
        "at most the limit"
    );
    assert_eq!(
        m.shared_keys(CONN, DedupeKeyKind::Name, 10).unwrap(),
        vec![(
            "lovelace:a".to_string(),
            vec!["1".to_string(), "2".to_string()]
        )]
    );
    assert!(
        m.shared_keys(CONN, DedupeKeyKind::Email, 10)
            .unwrap()
            .is_empty()
    );

    // A changed email replaces the old key.
    let mut linus = with_phone(
        candidate("5", "Linus", "T", "linus@new.example"),
        "(415) 555-0100",
    );
    linus.updated_at = Some(NOW);
    m.upsert_record(CONN, &AtsRecord::Candidate(linus), NOW)
        .unwrap();
    assert!(
        m.candidates_by_email(CONN, "linus@example.com")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        m.candidates_by_email(CONN, "linus@new.example").unwrap(),
        vec!["5"]
    );
    // Deleted candidates are not offered as duplicates.
    m.mark_deleted(CONN, RecordKind::Candidate, "5", NOW)
        .unwrap();
    assert!(
        m.candidates_by_email(CONN, "linus@new.example")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn applicants_of_a_job_come_with_their_candidates() {
    let t = fixture();
    let apps = t.mirror.applicants(CONN, "j-rust", 10, 0).unwrap();
    let got: Vec<_> = apps
        .iter()
        .map(|a| (a.application_id.as_str(), a.candidate_id.as_str(), a.stage))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a1", "1", Some(Stage::Interview)),
            ("a2", "3", Some(Stage::Rejected))
        ]
    );
    assert_eq!(apps[0].skills, vec!["rust", "sqlite"]);
    assert_eq!(apps[0].title.as_deref(), Some("Rust Engineer"));
    assert_eq!(apps[1].status_name.as_deref(), Some("Status s-rej"));
}

#[test]
fn search_plans_read_covering_indexes_and_indexed_application_lookups() {
    use ats_mirror::sqlite::{SearchPlan, search_sql};
    let t = fixture();
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let explain = |q: SearchQuery, plan: SearchPlan| -> String {
        let s = search_sql(CONN, &q, plan, 50);
        let mut stmt = db
            .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql))
            .unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(s.params.iter()), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
    };
    let with_job = || SearchQuery {
        text: text("rust"),
        job_ids: vec!["j".into()],
        ..Default::default()
    };
    let ranked = explain(with_job(), SearchPlan::Ranked);
    assert!(ranked.contains("SCAN f VIRTUAL TABLE"), "{ranked}");
    assert!(
        ranked.contains("COVERING INDEX candidates_search"),
        "{ranked}"
    );
    assert!(ranked.contains("applications_by_job"), "{ranked}");
    let broad = explain(with_job(), SearchPlan::Newest);
    assert!(
        broad.contains("COVERING INDEX candidates_search"),
        "{broad}"
    );
    // FTS5 hands rowids out in descending order itself: no sort before the window.
    let inner = broad.split("SCAN h").next().unwrap_or_default();
    assert!(!inner.contains("TEMP B-TREE"), "{broad}");
    let recent = explain(SearchQuery::default(), SearchPlan::Recent);
    assert!(
        recent.contains("COVERING INDEX candidates_updated"),
        "{recent}"
    );
    // A source filter tests the source and its detail from the index, not the wide rows.
    let by_source = explain(
        SearchQuery {
            source: text("referral"),
            ..Default::default()
        },
        SearchPlan::Recent,
    );
    assert!(
        by_source.contains("COVERING INDEX candidates_updated"),
        "{by_source}"
    );
    let by_stage = explain(
        SearchQuery {
            stages: vec![Stage::Hired],
            ..Default::default()
        },
        SearchPlan::Recent,
    );
    assert!(by_stage.contains("applications_by_candidate"), "{by_stage}");
}

#[test]
fn the_plan_follows_how_many_candidates_the_words_match() {
    use ats_mirror::sqlite::{SearchPlan, choose_plan};
    let t = fixture();
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let q = SearchQuery {
        text: text("rust"),
        ..Default::default()
    };
    // The fixture is small: every word is rare.
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Ranked);
    assert_eq!(
        choose_plan(&db, CONN, &SearchQuery::default()).unwrap(),
        SearchPlan::Recent
    );
}

#[test]
fn both_plans_find_the_same_matches() {
    use ats_mirror::sqlite::{SearchPlan, search_sql};
    let t = fixture();
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let run = |q: &SearchQuery, plan: SearchPlan| -> Vec<String> {
        let s = search_sql(CONN, q, plan, 100);
        let mut stmt = db.prepare(&s.sql).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(s.params.iter()), |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap()
    };
    let queries = [
        SearchQuery {
            text: text("rust"),
            ..Default::default()
        },
        SearchQuery {
            text: text("engineer"),
            rejected: Some(false),
            ..Default::default()
        },
        SearchQuery {
            text: text("rust"),
            job_ids: vec!["j-rust".into()],
            ..Default::default()
        },
        SearchQuery {
            text: text("ada"),
            updated_from: Some(NOW - 30 * 86_400),
            ..Default::default()
        },
        SearchQuery {
            text: text("example"),
            source: text("REFERRAL"),
            ..Default::default()
        },
    ];
    for q in &queries {
        let q = SearchQuery {
            now: NOW,
            ..q.clone()
        };
        let ranked = run(&q, SearchPlan::Ranked);
        assert!(!ranked.is_empty(), "{q:?}");
        assert_eq!(ranked, run(&q, SearchPlan::Newest), "{q:?}");
    }
}

/// The candidates a query finds under `plan`, sorted (plans order differently; the set must
/// not differ).
fn found_with(
    t: &TestMirror,
    q: &SearchQuery,
    plan: ats_mirror::sqlite::SearchPlan,
) -> Vec<String> {
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let s = ats_mirror::sqlite::search_sql(CONN, q, plan, 1_000);
    let mut stmt = db.prepare(&s.sql).unwrap();
    let mut found: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(s.params.iter()), |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    found.sort();
    found
}

/// Checks every application filter under the plans that narrow by facets (selective without
/// text, ranked and newest with text) against the recency walk, which checks each candidate's
/// applications directly.
fn assert_plans_agree(t: &TestMirror, when: &str) {
    use ats_mirror::sqlite::SearchPlan;
    let filters: Vec<SearchQuery> = vec![
        SearchQuery {
            stages: vec![Stage::Interview],
            ..Default::default()
        },
        SearchQuery {
            stages: vec![Stage::Rejected, Stage::Screening],
            ..Default::default()
        },
        SearchQuery {
            stages: vec![Stage::Offer],
            ..Default::default()
        },
        SearchQuery {
            rejected: Some(true),
            ..Default::default()
        },
        SearchQuery {
            rejected: Some(false),
            ..Default::default()
        },
        SearchQuery {
            status_ids: vec!["s-int".into()],
            ..Default::default()
        },
        SearchQuery {
            job_ids: vec!["j-rust".into()],
            stages: vec![Stage::Interview],
            ..Default::default()
        },
    ];
    for f in filters {
        let q = SearchQuery { now: NOW, ..f };
        let oracle = found_with(t, &q, SearchPlan::Recent);
        assert_eq!(
            found_with(t, &q, SearchPlan::Selective),
            oracle,
            "{when}: selective plan, {q:?}"
        );
        let with_text = SearchQuery {
            text: text("example"),
            ..q.clone()
        };
        let oracle = found_with(t, &with_text, SearchPlan::Recent);
        for plan in [SearchPlan::Ranked, SearchPlan::Newest] {
            assert_eq!(
                found_with(t, &with_text, plan),
                oracle,
                "{when}: {plan:?} plan, {with_text:?}"
            );
        }
    }
}

#[test]
fn facets_follow_every_change_and_all_plans_find_the_same_candidates() {
    let t = fixture();
    assert_plans_agree(&t, "after the first load");
    let found = |q: SearchQuery| {
        let mut v = ids(&t, q);
        v.sort();
        v
    };
    let interview = || SearchQuery {
        stages: vec![Stage::Interview],
        ..Default::default()
    };
    assert_eq!(found(interview()), vec!["1", "4"]);

    // An application that arrives before its candidate; a second application of candidate 1.
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(vec![
            application("a6", "6", "j-rust", "s-int"),
            application("a7", "1", "j-compiler", "s-rej"),
        ]),
        "a2",
        NOW,
    );
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![candidate(
            "6",
            "Edsger",
            "Dijkstra",
            "edsger@example.com",
        )]),
        "c2",
        NOW,
    );
    assert_plans_agree(&t, "after a late candidate");
    assert_eq!(found(interview()), vec!["1", "4", "6"]);

    // An application moves to another status (candidate 1 then holds two applications in one
    // status: an update must not trip over the repeated facet); another gets a stage of its own.
    let mut a1 = application("a1", "1", "j-rust", "s-rej");
    a1.updated_at = Some(NOW);
    let mut a3 = application("a3", "4", "j-compiler", "s-int");
    a3.stage = Some(Stage::Screening);
    a3.updated_at = Some(NOW);
    apply(
        &t.mirror,
        RecordKind::Application,
        applications(vec![a1, a3]),
        "a3",
        NOW,
    );
    assert_plans_agree(&t, "after moves");
    assert_eq!(found(interview()), vec!["6"]);

    // A status's stage changes: applications without a stage of their own follow it.
    t.mirror
        .upsert_record(
            CONN,
            &AtsRecord::Status(status("s-int", "Phone screen", Stage::Offer)),
            NOW,
        )
        .unwrap();
    assert_plans_agree(&t, "after a status changed stage");
    assert!(found(interview()).is_empty());

    // An application gone from the ATS no longer counts.
    t.mirror
        .mark_deleted(CONN, RecordKind::Application, "a2", NOW)
        .unwrap();
    assert_plans_agree(&t, "after a deleted application");
    assert!(
        !found(SearchQuery {
            rejected: Some(true),
            ..Default::default()
        })
        .contains(&"3".to_string())
    );
}

#[test]
fn a_job_search_without_text_starts_from_the_jobs_applicants() {
    use ats_mirror::sqlite::{SearchPlan, choose_plan, search_sql};
    let t = fixture();
    let db = rusqlite::Connection::open(t.mirror.path()).unwrap();
    let q = SearchQuery {
        job_ids: vec!["j-rust".into()],
        ..Default::default()
    };
    assert_eq!(choose_plan(&db, CONN, &q).unwrap(), SearchPlan::Selective);
    let s = search_sql(CONN, &q, SearchPlan::Selective, 50);
    let plan: Vec<String> = db
        .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql))
        .unwrap()
        .query_map(rusqlite::params_from_iter(s.params.iter()), |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("applications_by_job"), "{plan}");
    assert!(!plan.contains("candidates_updated"), "{plan}");
    let mut found = ids(&t, q);
    found.sort();
    assert_eq!(found, vec!["1", "3"]);
}

#[test]
fn the_source_filter_also_finds_the_source_detail() {
    // iCIMS takes only its own list values as a source, so a person our platform exports gets
    // the configured default there and the platform's attribution as the source detail.
    let t = fixture();
    let mut hedy = candidate("20", "Hedy", "Lamarr", "hedy@example.com");
    hedy.source = Some("Other".into());
    hedy.source_detail = Some("Talent platform".into());
    hedy.updated_at = Some(NOW - 3 * 86_400);
    apply(
        &t.mirror,
        RecordKind::Candidate,
        candidates(vec![hedy]),
        "c2",
        20,
    );
    let by_source = |source: &str| {
        ids(
            &t,
            SearchQuery {
                source: text(source),
                ..Default::default()
            },
        )
    };
    assert_eq!(by_source("talent PLATFORM"), vec!["20"]);
    assert_eq!(by_source("other"), vec!["20"]);
    assert_eq!(by_source("LinkedIn"), vec!["1"]);
    assert!(by_source("Talent").is_empty(), "exact match, not a prefix");
}
