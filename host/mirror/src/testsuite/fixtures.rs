//! What the suite's functions (and a backend's own tests) build their data from: record
//! builders, a page helper and the rediscovery fixture.

use crate::{
    ConnectionRow, Mirror, PageOutcome, PageWrite, PluginDeclared, SearchQuery, SecretRef,
    StreamLabel, StreamState,
};
use ats_model::{
    Application, AtsRecord, Candidate, Email, NamedRef, Phone, ProfileUrl, RecordKind, Stage,
    Status, UrlKind,
};
use std::collections::BTreeMap;

/// The connection every function writes to.
pub const CONN: &str = "acme";

/// The reference time of the rediscovery fixture ([`search_fixture`]).
pub const NOW: i64 = 1_700_000_000;

/// A connection with every field set; its one secret is a reference to an environment
/// variable.
pub fn connection_row() -> ConnectionRow {
    ConnectionRow {
        name: CONN.into(),
        tenant: "acme-corp".into(),
        plugin_path: "plugins/icims.wasm".into(),
        plugin_hash: "ab12".into(),
        settings: BTreeMap::from([("customer-id".to_string(), "1234".to_string())]),
        secrets: BTreeMap::from([(
            "client-secret".to_string(),
            SecretRef::Env("ICIMS_CLIENT_SECRET".into()),
        )]),
        stream_intervals: BTreeMap::from([("candidates".to_string(), 900)]),
        extra_allowed_hosts: vec!["proxy.example.com:3128".into()],
        granted_api_hosts: vec!["https://api.icims.com".into()],
        granted_token_url: Some("https://login.icims.com/oauth/token".into()),
        limits: BTreeMap::from([("call_cpu_seconds".to_string(), 5)]),
        plugin_declared: PluginDeclared {
            id: "icims".into(),
            version: "0.1.0".into(),
            ..Default::default()
        },
        paused_at: None,
        created_at: 1,
        updated_at: 1,
    }
}

pub fn candidate(id: &str, first: &str, last: &str, email: &str) -> Candidate {
    Candidate {
        id: id.into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        emails: vec![Email {
            address: email.into(),
            kind: None,
            primary: true,
        }],
        updated_at: Some(1_700_000_000),
        raw: Some(format!("{{\"id\":\"{id}\"}}")),
        ..Candidate::default()
    }
}

pub fn with_phone(mut c: Candidate, phone: &str) -> Candidate {
    c.phones.push(Phone {
        number: phone.into(),
        kind: None,
    });
    c
}

pub fn with_url(mut c: Candidate, url: &str) -> Candidate {
    c.urls.push(ProfileUrl {
        url: url.into(),
        kind: UrlKind::Linkedin,
    });
    c
}

pub fn application(id: &str, candidate: &str, job: &str, status: &str) -> Application {
    Application {
        id: id.into(),
        candidate_id: candidate.into(),
        job_id: job.into(),
        status: Some(NamedRef {
            id: status.into(),
            name: Some(format!("Status {status}")),
        }),
        stage: None,
        applied_at: Some(1_690_000_000),
        updated_at: Some(1_700_000_000),
        ..Application::default()
    }
}

pub fn status(id: &str, name: &str, stage: Stage) -> Status {
    Status {
        id: id.into(),
        name: Some(name.into()),
        stage: Some(stage),
        raw: None,
    }
}

pub fn state(cursor: &str) -> StreamState {
    StreamState {
        label: StreamLabel::Syncing,
        cursor: Some(cursor.into()),
        ..StreamState::default()
    }
}

/// Applies records of one kind as a page of stream `kind.as_str()`.
pub async fn apply(
    m: &dyn Mirror,
    kind: RecordKind,
    records: Vec<AtsRecord>,
    cursor: &str,
    at: i64,
) -> PageOutcome {
    let page = PageWrite {
        kind,
        records,
        gone: Vec::new(),
        record_errors: Vec::new(),
        fence: None,
    };
    m.apply_page(CONN, kind.as_str(), page, &state(cursor), at)
        .await
        .unwrap()
}

pub fn candidates(list: Vec<Candidate>) -> Vec<AtsRecord> {
    list.into_iter().map(AtsRecord::Candidate).collect()
}

pub fn applications(list: Vec<Application>) -> Vec<AtsRecord> {
    list.into_iter().map(AtsRecord::Application).collect()
}

pub fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

pub fn text(s: &str) -> Option<String> {
    Some(s.into())
}

/// Loads the rediscovery fixture: five candidates, two statuses, three applications on two
/// jobs.
pub async fn search_fixture(m: &dyn Mirror) {
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
        m,
        RecordKind::Candidate,
        candidates(vec![ada, ada2, alan, grace, linus]),
        "c",
        NOW,
    )
    .await;
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-rej", "Not a fit", Stage::Rejected)),
        NOW,
    )
    .await
    .unwrap();
    m.upsert_record(
        CONN,
        AtsRecord::Status(status("s-int", "Phone screen", Stage::Interview)),
        NOW,
    )
    .await
    .unwrap();
    let mut a1 = application("a1", "1", "j-rust", "s-int");
    a1.applied_at = Some(NOW - 30 * 86_400);
    let mut a2 = application("a2", "3", "j-rust", "s-rej");
    a2.applied_at = Some(NOW - 200 * 86_400);
    let a3 = application("a3", "4", "j-compiler", "s-int");
    apply(
        m,
        RecordKind::Application,
        applications(vec![a1, a2, a3]),
        "a",
        NOW,
    )
    .await;
}

/// The candidate ids a search finds, in order, with `now` set to [`NOW`] and a default limit
/// of 20.
pub async fn search_ids(m: &dyn Mirror, q: SearchQuery) -> Vec<String> {
    let q = SearchQuery {
        now: NOW,
        limit: if q.limit == 0 { 20 } else { q.limit },
        ..q
    };
    m.search_candidates(CONN, &q)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.candidate_id)
        .collect()
}

/// The candidate ids a text search finds (limit 10, `now` 0).
pub async fn search_text(m: &dyn Mirror, text: &str) -> Vec<String> {
    let q = SearchQuery {
        text: Some(text.into()),
        limit: 10,
        ..SearchQuery::default()
    };
    m.search_candidates(CONN, &q)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.candidate_id)
        .collect()
}
