//! Replies from new and known senders; review order and explanation on a seeded job; search
//! with each filter; refresh of one field; rejection reasons the ATS cannot store.

mod common;

use ats_features::export::PersonAction;
use ats_features::rediscovery::parse_args;
use ats_features::*;
use ats_mirror::{DuplicateLink, FeatureState, LinkStatus};
use ats_model::{Application, AtsRecord, NamedRef, Stage};
use common::*;

fn app(id: &str, cand: &str, job: &str, stage: Stage, applied: i64) -> Application {
    Application {
        id: id.into(),
        candidate_id: cand.into(),
        job_id: job.into(),
        status: Some(NamedRef {
            id: format!("s-{}", stage.as_str()),
            name: None,
        }),
        stage: Some(stage),
        applied_at: Some(applied),
        updated_at: Some(applied),
        ..Application::default()
    }
}

#[tokio::test]
async fn reply_from_new_sender_creates_and_from_known_sender_never_renames() {
    let t = mirror();
    let ats = FakeAts::default();
    let opts = ExportOptions::at(NOW);
    let new = ReplyEvent {
        sender_address: "Grace.Hopper@Navy.example".into(),
        sender_name: Some("HOPPER, GRACE".into()),
        message_time: NOW,
        job_id: None,
        source: Some("email reply".into()),
    };
    let r = reply(&t.mirror, &ats, CONN, &new, &opts).await.unwrap();
    assert_eq!(r.person.as_ref().unwrap().action, PersonAction::Created);
    let p = &ats.people()[0];
    assert_eq!(
        (p.first_name.as_deref(), p.last_name.as_deref()),
        (Some("Grace"), Some("Hopper"))
    );

    // A known person replies with a sloppier display name: matched, nothing renamed.
    seed_person(
        &t,
        &ats,
        person("200", "Katherine", "Johnson", "kj@nasa.example"),
    )
    .await;
    let known = ReplyEvent {
        sender_address: "KJ@nasa.example".into(),
        sender_name: Some("kj".into()),
        message_time: NOW + 60,
        job_id: None,
        source: None,
    };
    let before = ats.writes().len();
    let r = reply(&t.mirror, &ats, CONN, &known, &opts).await.unwrap();
    let p = r.person.unwrap();
    assert_eq!(
        (p.candidate_id.as_str(), p.action),
        ("200", PersonAction::Matched)
    );
    assert_eq!(
        ats.writes().len(),
        before,
        "nothing written for a known sender with nothing new"
    );

    // Unknown sender without a usable name: refused, nothing written.
    let nameless = ReplyEvent {
        sender_address: "x9@unknown.example".into(),
        sender_name: None,
        message_time: NOW,
        job_id: None,
        source: None,
    };
    let err = reply(&t.mirror, &ats, CONN, &nameless, &opts)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("sender_name"), "{err}");
    assert_eq!(ats.writes().len(), before);
}

async fn seeded_review() -> (TestMirror, FakeAts) {
    let t = mirror();
    let ats = FakeAts::default();
    seed_job(
        &t,
        &ats,
        job(
            "J1",
            "Backend Engineer",
            "Build Rust services on Kafka and PostgreSQL",
        ),
    )
    .await;
    let mut strong = person("1", "Ada", "Lovelace", "ada@x.example");
    strong.current_title = Some("Senior Backend Engineer".into());
    strong.skills = vec!["Rust".into(), "Kafka".into()];
    let mut weak = person("2", "Bob", "Builder", "bob@x.example");
    weak.current_title = Some("Site Foreman".into());
    let mut rejected = person("3", "Cy", "Coder", "cy@x.example");
    rejected.current_title = Some("Backend Engineer".into());
    rejected.skills = vec!["Rust".into()];
    for c in [strong, weak, rejected] {
        seed_person(&t, &ats, c).await;
    }
    mirrored(
        &t,
        AtsRecord::Application(app("a1", "1", "J1", Stage::New, NOW - 3 * DAY)),
    )
    .await;
    mirrored(
        &t,
        AtsRecord::Application(app("a2", "2", "J1", Stage::Screening, NOW - DAY)),
    )
    .await;
    mirrored(
        &t,
        AtsRecord::Application(app("a3", "3", "J1", Stage::Rejected, NOW - 200 * DAY)),
    )
    .await;
    (t, ats)
}

#[tokio::test]
async fn review_ranks_and_explains() {
    let (t, _ats) = seeded_review().await;
    let r = review(&t.mirror, CONN, "J1", &ReviewOptions::at(NOW))
        .await
        .unwrap();
    println!("{r:?}");
    let order: Vec<&str> = r
        .applicants
        .iter()
        .map(|a| a.application_id.as_str())
        .collect();
    assert_eq!(order, ["a1", "a2", "a3"]);
    let top = &r.applicants[0];
    let reasons: Vec<&str> = top.parts.iter().map(|p| p.reason.as_str()).collect();
    assert!(
        reasons.contains(&"title 'Senior Backend Engineer' is a software engineer"),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"applied 3 days ago"), "{reasons:?}");
    let last = &r.applicants[2];
    assert!(
        last.parts
            .iter()
            .any(|p| p.reason == "already rejected: -50" && p.points == -50.0)
    );
    let sum: f64 = top.parts.iter().map(|p| p.points).sum();
    assert!(
        (sum - top.score).abs() < 1e-9,
        "the score is the sum of its parts"
    );
    assert!(matches!(
        review(&t.mirror, CONN, "NOPE", &ReviewOptions::at(NOW)).await,
        Err(FeatureError::UnknownJob { .. })
    ));
}

#[tokio::test]
async fn search_with_each_filter_and_grouping() {
    let (t, _ats) = seeded_review().await;
    let ids = async |args: &[&str]| {
        let req = parse_args(args, NOW).unwrap();
        let page = rediscover(&t.mirror, CONN, &req).await.unwrap();
        let mut v: Vec<String> = page.hits.into_iter().map(|h| h.candidate_id).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&["backend"]).await, ["1", "3"]);
    assert_eq!(ids(&["--stage", "screening"]).await, ["2"]);
    assert_eq!(ids(&["--status", "s-new"]).await, ["1"]);
    assert_eq!(ids(&["--job", "J1", "--rejected", "yes"]).await, ["3"]);
    assert_eq!(ids(&["--rejected=no"]).await, ["1", "2"]);
    let recent = format_date(NOW - 5 * DAY);
    assert_eq!(ids(&["--applied-from", &recent]).await, ["1", "2"]);
    assert_eq!(
        ids(&["--applied-to", &format_date(NOW - 100 * DAY)]).await,
        ["3"]
    );
    assert_eq!(
        ids(&["--updated-from", &format_date(NOW - 11 * DAY)]).await,
        ["1", "2", "3"]
    );
    assert!(ids(&["--folder", "f-none"]).await.is_empty());
    assert!(ids(&["--source", "referral"]).await.is_empty());
    // Paging: one per page.
    let req = parse_args(&["--per-page", "1", "--page", "2"], NOW).unwrap();
    let page = rediscover(&t.mirror, CONN, &req).await.unwrap();
    assert_eq!(page.hits.len(), 1);
    assert!(page.more);
    // A duplicate link groups two records into one result.
    t.mirror
        .put_duplicate_link(
            CONN,
            &DuplicateLink {
                a_id: "1".into(),
                b_id: "3".into(),
                rule: "name".into(),
                confidence: 0.8,
                status: LinkStatus::Suggested,
                created_at: NOW,
                updated_at: NOW,
            },
        )
        .await
        .unwrap();
    let req = parse_args(&["backend"], NOW).unwrap();
    let page = rediscover(&t.mirror, CONN, &req).await.unwrap();
    assert_eq!(page.hits.len(), 1, "{page:?}");
    assert_eq!(page.hits[0].duplicates.len(), 1);
}

fn format_date(t: i64) -> String {
    // Civil from days (Howard Hinnant), enough for test dates.
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn refresh_changes_one_field_and_leaves_the_rest() {
    let (t, ats) = seeded_review().await;
    let profile = PlatformCandidate {
        first_name: Some("Ada".into()),
        last_name: Some("LOVELACE".into()),
        emails: vec!["ada@x.example".into()],
        current_title: Some("Principal Engineer".into()),
        ..PlatformCandidate::default()
    };
    let mut opts = RefreshOptions::at(NOW);
    opts.dry_run = true;
    let dry = refresh(&t.mirror, &ats, CONN, "1", &profile, &opts)
        .await
        .unwrap();
    assert_eq!(dry.changes.len(), 1);
    assert!(!dry.applied);
    assert!(ats.writes().is_empty());
    opts.dry_run = false;
    let done = refresh(&t.mirror, &ats, CONN, "1", &profile, &opts)
        .await
        .unwrap();
    println!("{done:?}");
    assert!(done.applied);
    let p = ats.people().into_iter().find(|p| p.id == "1").unwrap();
    assert_eq!(p.current_title.as_deref(), Some("Principal Engineer"));
    assert_eq!(p.skills, vec!["Rust", "Kafka"], "untouched");
    assert_eq!(
        p.last_name.as_deref(),
        Some("Lovelace"),
        "case variant not sent"
    );
    let writes = ats.writes();
    assert_eq!(writes.len(), 1);
    assert!(
        writes[0].contains("\"current_title\":\"Principal Engineer\"")
            && writes[0].contains("\"emails\":null")
    );
    let mirrored =
        ats_mirror::MirrorStore::record(&t.mirror, CONN, ats_model::RecordKind::Candidate, "1")
            .await
            .unwrap()
            .unwrap();
    match mirrored.record {
        AtsRecord::Candidate(c) => {
            assert_eq!(c.current_title.as_deref(), Some("Principal Engineer"))
        }
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn reject_keeps_the_reason_in_the_mirror_when_the_ats_cannot() {
    let (t, ats) = seeded_review().await;
    ats.add_application(app("a1", "1", "J1", Stage::New, NOW - 3 * DAY));
    let r = reject_application(
        &t.mirror,
        &ats,
        CONN,
        "a1",
        Some("Not enough Kafka"),
        Some("rec@acme"),
        NOW,
    )
    .await
    .unwrap();
    println!("{r:?}");
    assert!(!r.reason_stored_in_ats);
    assert!(r.note.unwrap().contains("cannot store rejection reasons"));
    assert_eq!(
        t.mirror
            .rejection_reason(CONN, "a1")
            .await
            .unwrap()
            .unwrap()
            .reason,
        "Not enough Kafka"
    );
    let m = move_application(&t.mirror, &ats, CONN, "a1", "interview", NOW)
        .await
        .unwrap();
    assert_eq!(m.stage, Some(Stage::Interview));
    assert!(matches!(
        move_application(&t.mirror, &ats, CONN, "a1", "later", NOW).await,
        Err(FeatureError::UnknownStatus { .. })
    ));
}
