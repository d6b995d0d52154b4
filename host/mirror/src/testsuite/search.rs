//! Rediscovery search: text, every filter, grouping of duplicates, paging; plus the
//! de-duplication lookups and the applicants of a job. Each function loads
//! [`search_fixture`] first.

use super::fixtures::*;
use crate::{DedupeKeyKind, DuplicateLink, LinkStatus, Mirror, SearchPage, SearchQuery};
use ats_model::{AtsRecord, RecordKind, Stage};

pub async fn text_search_ranks_by_relevance_then_recency(m: &dyn Mirror) {
    search_fixture(m).await;
    // Title and name matches; newer first among equals.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("rust engineer"),
                ..Default::default()
            }
        )
        .await,
        vec!["1", "2"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("rust"),
                ..Default::default()
            }
        )
        .await,
        vec!["1", "3", "2"]
    );
    // Prefix on the last word, emails, companies.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("bletch*"),
                ..Default::default()
            }
        )
        .await,
        vec!["3"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("grace@example.com"),
                ..Default::default()
            }
        )
        .await,
        vec!["4"]
    );
    // Without text: newest first.
    assert_eq!(
        search_ids(m, SearchQuery::default()).await,
        vec!["4", "5", "1", "3", "2"]
    );
}

pub async fn any_words_and_jobs_not_applied_to_gather_people_for_a_job(m: &dyn Mirror) {
    search_fixture(m).await;
    let q = SearchQuery::default;
    // At least one of the words, every word of `text` besides (order is relevance's).
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(
            search_ids(
                m,
                SearchQuery {
                    any_text: text("compiler bletchley"),
                    ..q()
                }
            )
            .await
        ),
        vec!["3", "4"]
    );
    assert_eq!(
        sorted(
            search_ids(
                m,
                SearchQuery {
                    text: text("rust"),
                    any_text: text("developer sqlite"),
                    ..q()
                }
            )
            .await
        ),
        vec!["1", "3"]
    );
    // People who did not apply to j-rust (1 and 3 did); text and filters still hold.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                not_applied_to: vec!["j-rust".into()],
                ..q()
            }
        )
        .await,
        vec!["4", "5", "2"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("engineer"),
                not_applied_to: vec!["j-rust".into(), "j-compiler".into()],
                ..q()
            }
        )
        .await,
        vec!["2"]
    );
    // Work history is searched as résumé text.
    let mut linus = candidate("5", "Linus", "T", "LINUS@Example.com");
    linus.experience = vec![ats_model::WorkExperience {
        title: Some("Kernel maintainer".into()),
        description: Some("Wrote a version control system".into()),
        ..Default::default()
    }];
    linus.education = vec![ats_model::Education {
        school: Some("University of Helsinki".into()),
        ..Default::default()
    }];
    m.upsert_record(CONN, AtsRecord::Candidate(linus), NOW)
        .await
        .unwrap();
    assert_eq!(search_text(m, "kernel").await, vec!["5"]);
    assert_eq!(search_text(m, "helsinki").await, vec!["5"]);
    // ... and kept when a résumé's text is stored beside it.
    assert!(
        m.set_resume_text(CONN, "5", "r1", "operating systems")
            .await
            .unwrap()
    );
    assert_eq!(search_text(m, "kernel operating").await, vec!["5"]);
}

pub async fn each_filter_narrows_the_results(m: &dyn Mirror) {
    search_fixture(m).await;
    let q = SearchQuery::default;
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                job_ids: vec!["j-rust".into()],
                ..q()
            }
        )
        .await,
        vec!["1", "3"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                status_ids: vec!["s-int".into()],
                ..q()
            }
        )
        .await,
        vec!["4", "1"]
    );
    // Stage comes from the status when the application has none.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                stages: vec![Stage::Rejected],
                ..q()
            }
        )
        .await,
        vec!["3"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                rejected: Some(true),
                ..q()
            }
        )
        .await,
        vec!["3"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                rejected: Some(false),
                ..q()
            }
        )
        .await,
        vec!["4", "1"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                status_name: text("status S-INT"),
                ..q()
            }
        )
        .await,
        vec!["4", "1"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                folder_ids: vec!["f-active".into()],
                ..q()
            }
        )
        .await,
        vec!["1"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                source: text("linkedin"),
                ..q()
            }
        )
        .await,
        vec!["1"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                applied_from: Some(NOW - 60 * 86_400),
                ..q()
            }
        )
        .await,
        vec!["1"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                applied_to: Some(NOW - 60 * 86_400),
                ..q()
            }
        )
        .await,
        vec!["4", "3"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                updated_from: Some(NOW - 7 * 86_400),
                ..q()
            }
        )
        .await,
        vec!["4", "5"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                updated_to: Some(NOW - 50 * 86_400),
                ..q()
            }
        )
        .await,
        vec!["3", "2"]
    );
    // Application filters hold for the same application.
    assert!(
        search_ids(
            m,
            SearchQuery {
                job_ids: vec!["j-compiler".into()],
                rejected: Some(true),
                ..q()
            }
        )
        .await
        .is_empty()
    );
    // Combined with text.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("rust"),
                rejected: Some(false),
                ..q()
            }
        )
        .await,
        vec!["1"]
    );
    // Deleted candidates and applications drop out.
    m.mark_deleted(CONN, RecordKind::Application, "a2", NOW)
        .await
        .unwrap();
    assert!(
        search_ids(
            m,
            SearchQuery {
                rejected: Some(true),
                ..q()
            }
        )
        .await
        .is_empty()
    );
    m.mark_deleted(CONN, RecordKind::Candidate, "4", NOW)
        .await
        .unwrap();
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                status_ids: vec!["s-int".into()],
                ..q()
            }
        )
        .await,
        vec!["1"]
    );
}

pub async fn duplicates_are_grouped_into_one_hit_until_dismissed(m: &dyn Mirror) {
    search_fixture(m).await;
    let mut link = DuplicateLink {
        a_id: "2".into(),
        b_id: "1".into(),
        rule: "name".into(),
        confidence: 0.7,
        status: LinkStatus::Suggested,
        created_at: NOW,
        updated_at: NOW,
    };
    m.put_duplicate_link(CONN, &link).await.unwrap();
    let q = SearchQuery {
        text: text("rust"),
        now: NOW,
        limit: 10,
        ..Default::default()
    };
    let page = m.search_candidates(CONN, &q).await.unwrap();
    let got: Vec<_> = page
        .hits
        .iter()
        .map(|h| (h.candidate_id.as_str(), h.duplicates.clone()))
        .collect();
    assert_eq!(got, vec![("1", vec!["2".to_string()]), ("3", vec![])]);
    assert_eq!(m.cluster(CONN, "2").await.unwrap(), vec!["1", "2"]);
    assert_eq!(m.duplicate_links(CONN, "1").await.unwrap()[0].a_id, "1");

    // A third record joins the cluster through another link.
    m.put_duplicate_link(
        CONN,
        &DuplicateLink {
            a_id: "2".into(),
            b_id: "5".into(),
            ..link.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(m.cluster(CONN, "1").await.unwrap(), vec!["1", "2", "5"]);
    assert_eq!(
        search_ids(m, SearchQuery::default()).await,
        vec!["4", "5", "3"]
    );

    link.status = LinkStatus::Dismissed;
    m.put_duplicate_link(CONN, &link).await.unwrap();
    assert_eq!(m.cluster(CONN, "1").await.unwrap(), vec!["1"]);
    assert_eq!(m.cluster(CONN, "5").await.unwrap(), vec!["2", "5"]);
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("rust"),
                ..Default::default()
            }
        )
        .await,
        vec!["1", "3", "2"]
    );
}

pub async fn paging_walks_groups_without_overlap(m: &dyn Mirror) {
    search_fixture(m).await;
    let page = |offset| async move {
        let q = SearchQuery {
            now: NOW,
            limit: 2,
            offset,
            ..Default::default()
        };
        m.search_candidates(CONN, &q).await.unwrap()
    };
    let (p0, p1, p2) = (page(0).await, page(2).await, page(4).await);
    let ids = |p: &SearchPage| {
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

pub async fn dedupe_keys_find_candidates_by_email_url_phone_and_name(m: &dyn Mirror) {
    search_fixture(m).await;
    assert_eq!(
        m.candidates_by_email(CONN, " Linus@EXAMPLE.com")
            .await
            .unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Url, "linkedin.com/in/Linus", 10)
            .await
            .unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Phone, "+1 415 555 0100", 10)
            .await
            .unwrap(),
        vec!["5"]
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Name, "lovelace:a", 10)
            .await
            .unwrap(),
        vec!["2", "1"],
        "highest ids first"
    );
    assert_eq!(
        m.candidates_by_key(CONN, DedupeKeyKind::Name, "lovelace:a", 1)
            .await
            .unwrap(),
        vec!["2"],
        "at most the limit"
    );
    assert_eq!(
        m.shared_keys(CONN, DedupeKeyKind::Name, 10).await.unwrap(),
        vec![(
            "lovelace:a".to_string(),
            vec!["1".to_string(), "2".to_string()]
        )]
    );
    assert!(
        m.shared_keys(CONN, DedupeKeyKind::Email, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A changed email replaces the old key.
    let mut linus = with_phone(
        candidate("5", "Linus", "T", "linus@new.example"),
        "(415) 555-0100",
    );
    linus.updated_at = Some(NOW);
    m.upsert_record(CONN, AtsRecord::Candidate(linus), NOW)
        .await
        .unwrap();
    assert!(
        m.candidates_by_email(CONN, "linus@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        m.candidates_by_email(CONN, "linus@new.example")
            .await
            .unwrap(),
        vec!["5"]
    );
    // Deleted candidates are not offered as duplicates.
    m.mark_deleted(CONN, RecordKind::Candidate, "5", NOW)
        .await
        .unwrap();
    assert!(
        m.candidates_by_email(CONN, "linus@new.example")
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn applicants_of_a_job_come_with_their_candidates(m: &dyn Mirror) {
    search_fixture(m).await;
    let apps = m.applicants(CONN, "j-rust", 10, 0).await.unwrap();
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

pub async fn the_source_filter_also_finds_the_source_detail(m: &dyn Mirror) {
    // iCIMS takes only its own list values as a source, so a person our platform exports gets
    // the configured default there and the platform's attribution as the source detail.
    search_fixture(m).await;
    let mut hedy = candidate("20", "Hedy", "Lamarr", "hedy@example.com");
    hedy.source = Some("Other".into());
    hedy.source_detail = Some("Talent platform".into());
    hedy.updated_at = Some(NOW - 3 * 86_400);
    apply(m, RecordKind::Candidate, candidates(vec![hedy]), "c2", 20).await;
    let by_source = |source: &str| {
        search_ids(
            m,
            SearchQuery {
                source: text(source),
                ..Default::default()
            },
        )
    };
    assert_eq!(by_source("talent PLATFORM").await, vec!["20"]);
    assert_eq!(by_source("other").await, vec!["20"]);
    assert_eq!(by_source("LinkedIn").await, vec!["1"]);
    assert!(
        by_source("Talent").await.is_empty(),
        "exact match, not a prefix"
    );
}

pub async fn custom_fields_addresses_and_application_sources_are_found(m: &dyn Mirror) {
    use ats_model::{Address, CustomField};
    let field = |value: &str, id: Option<&str>| CustomField {
        name: "field23848".into(),
        value: value.into(),
        value_id: id.map(str::to_string),
    };
    let mut ada = candidate("1", "Ada", "Lovelace", "ada@example.com");
    ada.custom_fields = vec![
        field("Digital Media, Communications or Film", Some("C23900")),
        field("Engineering", Some("C23901")),
    ];
    ada.addresses = vec![Address {
        street: Some("1483 Tremont Street".into()),
        city: Some("Boston".into()),
        region: Some("MA".into()),
        postal_code: Some("02120".into()),
        ..Address::default()
    }];
    let mut alan = candidate("2", "Alan", "Turing", "alan@example.com");
    alan.custom_fields = vec![field("Engineering", Some("C23901"))];
    alan.source = None;
    apply(
        m,
        RecordKind::Candidate,
        candidates(vec![ada, alan]),
        "c1",
        100,
    )
    .await;
    let mut applied = application("a2", "2", "j1", "new");
    applied.source_detail = Some("Applicant from previous year".into());
    apply(
        m,
        RecordKind::Application,
        applications(vec![applied]),
        "a1",
        100,
    )
    .await;

    let by_fields = |fields: &[(&str, &str)]| SearchQuery {
        custom_fields: fields
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(
        search_ids(m, by_fields(&[("field23848", "C23900")])).await,
        ["1"]
    );
    let mut both = search_ids(m, by_fields(&[("FIELD23848", "engineering")])).await;
    both.sort();
    assert_eq!(both, ["1", "2"]);
    assert!(
        search_ids(m, by_fields(&[("field23848", "C1")]))
            .await
            .is_empty()
    );
    for text in ["tremont 02120", "massachusetts", "communications film"] {
        assert_eq!(search_text(m, text).await, ["1"], "{text}");
    }
    let by_source = SearchQuery {
        source: Some("applicant FROM previous year".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(search_ids(m, by_source).await, ["2"]);
}

/// Filters on applications and sources keep following the records they depend on: an
/// application read before its person, an application moved or deleted, a status given another
/// stage, a person's source changed. (Backends may keep derived sets for these filters; this
/// checks that every write path keeps them exact.)
pub async fn filters_follow_changes_to_applications_statuses_and_sources(m: &dyn Mirror) {
    search_fixture(m).await;
    let q = SearchQuery::default;
    let by_stage = |stage: Stage| {
        search_ids(
            m,
            SearchQuery {
                stages: vec![stage],
                ..q()
            },
        )
    };
    let by_source = |source: &str| {
        search_ids(
            m,
            SearchQuery {
                source: text(source),
                ..q()
            },
        )
    };
    // An application read before its person.
    let mut early = application("a9", "9", "j-compiler", "s-int");
    early.source = Some("Job board".into());
    apply(
        m,
        RecordKind::Application,
        applications(vec![early]),
        "a2",
        NOW,
    )
    .await;
    let mut kate = candidate("9", "Katherine", "Johnson", "kate@example.com");
    kate.updated_at = Some(NOW - 2 * 86_400);
    apply(m, RecordKind::Candidate, candidates(vec![kate]), "c2", NOW).await;
    assert_eq!(by_stage(Stage::Interview).await, vec!["4", "9", "1"]);
    assert_eq!(by_source("JOB BOARD").await, vec!["9"]);
    // Ada's application moves to a rejecting status; Grace's is deleted.
    let mut moved = application("a1", "1", "j-rust", "s-rej");
    moved.applied_at = Some(NOW - 30 * 86_400);
    moved.updated_at = Some(1_700_000_500);
    apply(
        m,
        RecordKind::Application,
        applications(vec![moved]),
        "a3",
        NOW,
    )
    .await;
    m.mark_deleted(CONN, RecordKind::Application, "a3", NOW)
        .await
        .unwrap();
    assert_eq!(by_stage(Stage::Interview).await, vec!["9"]);
    assert_eq!(by_stage(Stage::Rejected).await, vec!["1", "3"]);
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                status_ids: vec!["s-int".into()],
                ..q()
            }
        )
        .await,
        vec!["9"]
    );
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                rejected: Some(false),
                ..q()
            }
        )
        .await,
        vec!["9"]
    );
    // The rejecting status becomes an offer: its applications follow it.
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-rej", "Not a fit", Stage::Offer)),
        NOW,
    )
    .await
    .unwrap();
    assert!(by_stage(Stage::Rejected).await.is_empty());
    assert_eq!(by_stage(Stage::Offer).await, vec!["1", "3"]);
    let mut unrejected = search_ids(
        m,
        SearchQuery {
            rejected: Some(false),
            ..q()
        },
    )
    .await;
    unrejected.sort();
    assert_eq!(unrejected, vec!["1", "3", "9"]);
    // With a text, the filters are checked on the text's matches.
    assert_eq!(
        search_ids(
            m,
            SearchQuery {
                text: text("turing"),
                stages: vec![Stage::Offer],
                ..q()
            }
        )
        .await,
        vec!["3"]
    );
    // Alan's source changes; the old one no longer finds him.
    let mut alan = candidate("3", "Alan", "Turing", "alan@example.com");
    alan.current_title = Some("Rust developer".into());
    alan.updated_at = Some(NOW - 100 * 86_400);
    alan.source = Some("Indeed".into());
    apply(m, RecordKind::Candidate, candidates(vec![alan]), "c3", NOW).await;
    assert!(by_source("referral").await.is_empty());
    assert_eq!(by_source("indeed").await, vec!["3"]);
    // A deleted person is found by no filter.
    m.mark_deleted(CONN, RecordKind::Candidate, "9", NOW)
        .await
        .unwrap();
    assert!(by_source("job board").await.is_empty());
}
