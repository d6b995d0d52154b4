//! Fixtures shared by the scenario tests: a mirror in a temporary directory and record builders.
#![allow(dead_code)]

use ats_mirror::{MirrorStore, PageOutcome, PageWrite, SqliteMirror, StreamLabel, StreamState};
use ats_model::{
    Application, AtsRecord, Candidate, Email, NamedRef, Phone, ProfileUrl, RecordKind, Stage,
    Status, UrlKind,
};

pub const CONN: &str = "acme";

pub struct TestMirror {
    pub mirror: SqliteMirror,
    pub dir: tempfile::TempDir,
}

pub fn mirror() -> TestMirror {
    let dir = tempfile::tempdir().unwrap();
    let mirror = SqliteMirror::open(dir.path().join("mirror.db")).unwrap();
    TestMirror { mirror, dir }
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
pub fn apply(
    m: &SqliteMirror,
    kind: RecordKind,
    records: Vec<AtsRecord>,
    cursor: &str,
    at: i64,
) -> PageOutcome {
    let page = PageWrite {
        kind,
        records: &records,
        gone: &[],
    };
    m.apply_page(CONN, kind.as_str(), &page, &state(cursor), at)
        .unwrap()
}

pub fn candidates(list: Vec<Candidate>) -> Vec<AtsRecord> {
    list.into_iter().map(AtsRecord::Candidate).collect()
}

pub fn applications(list: Vec<Application>) -> Vec<AtsRecord> {
    list.into_iter().map(AtsRecord::Application).collect()
}
