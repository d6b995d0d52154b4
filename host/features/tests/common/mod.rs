//! Fixtures for the scenario tests: a real SQLite mirror in a temporary directory and a fake
//! connector that keeps people, jobs and applications in memory and records every call.
#![allow(dead_code)]

use ats_features::AtsWriter;
use ats_mirror::MirrorStore;
use ats_mirror_sqlite::SqliteMirror;
use ats_model::*;
use std::collections::BTreeMap;
use std::sync::Mutex;

pub const CONN: &str = "acme";
pub const NOW: i64 = 1_700_000_000;
pub const DAY: i64 = 86_400;

pub struct TestMirror {
    pub mirror: SqliteMirror,
    _dir: tempfile::TempDir,
}

pub fn mirror() -> TestMirror {
    let dir = tempfile::tempdir().unwrap();
    let mirror = SqliteMirror::open(dir.path().join("mirror.db")).unwrap();
    TestMirror { mirror, _dir: dir }
}

#[derive(Default)]
pub struct State {
    pub candidates: BTreeMap<String, Candidate>,
    pub applications: BTreeMap<String, Application>,
    pub jobs: BTreeMap<String, Job>,
    pub next: u64,
    pub calls: Vec<String>,
    /// One-shot: the next `create_application` creates, then answers with a timeout.
    pub timeout_after_create_application: bool,
    /// What `reject_application` says about the reason.
    pub stores_reasons: bool,
}

#[derive(Default)]
pub struct FakeAts {
    pub state: Mutex<State>,
}

const READS: &[&str] = &[
    "find_candidates",
    "get_candidate",
    "get_application",
    "get_job",
];

impl FakeAts {
    pub fn calls(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.clone()
    }
    /// Calls that write to the ATS.
    pub fn writes(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| !READS.contains(&c.split(' ').next().unwrap()))
            .collect()
    }
    pub fn people(&self) -> Vec<Candidate> {
        self.state
            .lock()
            .unwrap()
            .candidates
            .values()
            .cloned()
            .collect()
    }
    pub fn applications(&self) -> Vec<Application> {
        self.state
            .lock()
            .unwrap()
            .applications
            .values()
            .cloned()
            .collect()
    }
    pub fn add_candidate(&self, c: Candidate) {
        self.state
            .lock()
            .unwrap()
            .candidates
            .insert(c.id.clone(), c);
    }
    pub fn add_job(&self, j: Job) {
        self.state.lock().unwrap().jobs.insert(j.id.clone(), j);
    }
    pub fn add_application(&self, a: Application) {
        self.state
            .lock()
            .unwrap()
            .applications
            .insert(a.id.clone(), a);
    }
    fn call(&self, what: String) -> std::sync::MutexGuard<'_, State> {
        let mut s = self.state.lock().unwrap();
        s.calls.push(what);
        s
    }
}

fn not_found(what: &str) -> ConnectorError {
    ConnectorError::NotFound {
        message: what.to_string(),
    }
}

fn ok(id: String) -> WriteResult {
    WriteResult {
        id,
        warnings: vec![],
    }
}

fn apply_input(c: &mut Candidate, input: CandidateInput) {
    if let Some(v) = input.first_name {
        c.first_name = Some(v);
    }
    if let Some(v) = input.last_name {
        c.last_name = Some(v);
    }
    if let Some(v) = input.emails {
        c.emails = v
            .into_iter()
            .enumerate()
            .map(|(i, address)| Email {
                address,
                kind: None,
                primary: i == 0,
            })
            .collect();
    }
    if let Some(v) = input.phones {
        c.phones = v;
    }
    if let Some(v) = input.urls {
        c.urls = v;
    }
    if let Some(v) = input.addresses {
        c.addresses = v;
    }
    if let Some(v) = input.current_title {
        c.current_title = Some(v);
    }
    if let Some(v) = input.current_company {
        c.current_company = Some(v);
    }
    if let Some(v) = input.source {
        c.source = Some(v);
    }
    if let Some(v) = input.source_detail {
        c.source_detail = Some(v);
    }
}

impl AtsWriter for FakeAts {
    async fn find_candidates(&self, query: MatchQuery) -> Result<Vec<Candidate>, ConnectorError> {
        let s = self.call("find_candidates".into());
        Ok(s.candidates
            .values()
            .filter(|c| {
                c.emails.iter().any(|e| {
                    query
                        .emails
                        .iter()
                        .any(|q| q.eq_ignore_ascii_case(&e.address))
                })
            })
            .cloned()
            .collect())
    }
    async fn get_candidate(&self, id: &str) -> Result<Candidate, ConnectorError> {
        let s = self.call(format!("get_candidate {id}"));
        s.candidates.get(id).cloned().ok_or_else(|| not_found(id))
    }
    async fn get_application(&self, id: &str) -> Result<Application, ConnectorError> {
        let s = self.call(format!("get_application {id}"));
        s.applications.get(id).cloned().ok_or_else(|| not_found(id))
    }
    async fn get_job(&self, id: &str) -> Result<Job, ConnectorError> {
        let s = self.call(format!("get_job {id}"));
        s.jobs.get(id).cloned().ok_or_else(|| not_found(id))
    }
    async fn create_candidate(&self, input: CandidateInput) -> Result<WriteResult, ConnectorError> {
        let mut s = self.call("create_candidate".into());
        s.next += 1;
        let id = format!("p{}", s.next);
        let mut c = Candidate {
            id: id.clone(),
            updated_at: Some(NOW),
            ..Candidate::default()
        };
        apply_input(&mut c, input);
        s.candidates.insert(id.clone(), c);
        Ok(ok(id))
    }
    async fn update_candidate(
        &self,
        id: &str,
        input: CandidateInput,
    ) -> Result<WriteResult, ConnectorError> {
        let mut s = self.call(format!(
            "update_candidate {id} {}",
            serde_json::to_string(&input).unwrap()
        ));
        let c = s.candidates.get_mut(id).ok_or_else(|| not_found(id))?;
        apply_input(c, input);
        Ok(ok(id.to_string()))
    }
    async fn create_application(
        &self,
        input: ApplicationInput,
    ) -> Result<WriteResult, ConnectorError> {
        let mut s = self.call(format!(
            "create_application {} {}",
            input.candidate_id, input.job_id
        ));
        let existing = s
            .applications
            .values()
            .find(|a| a.candidate_id == input.candidate_id && a.job_id == input.job_id)
            .map(|a| a.id.clone());
        let id = match existing {
            Some(id) => id,
            None => {
                s.next += 1;
                let id = format!("w{}", s.next);
                let (status, stage) = match &input.status {
                    Some(StatusTarget::StatusId(sid)) => (
                        Some(NamedRef {
                            id: sid.clone(),
                            name: None,
                        }),
                        None,
                    ),
                    Some(StatusTarget::Stage(st)) => (None, Some(*st)),
                    None => (None, Some(Stage::New)),
                };
                s.applications.insert(
                    id.clone(),
                    Application {
                        id: id.clone(),
                        candidate_id: input.candidate_id,
                        job_id: input.job_id,
                        status,
                        stage,
                        source: input.source,
                        source_detail: input.source_detail,
                        applied_at: Some(NOW),
                        updated_at: Some(NOW),
                        ..Application::default()
                    },
                );
                id
            }
        };
        if std::mem::take(&mut s.timeout_after_create_application) {
            return Err(ConnectorError::Transient {
                message: "timed out waiting for the ATS".into(),
            });
        }
        Ok(ok(id))
    }
    async fn move_application(
        &self,
        id: &str,
        target: StatusTarget,
    ) -> Result<WriteResult, ConnectorError> {
        let mut s = self.call(format!("move_application {id}"));
        let a = s.applications.get_mut(id).ok_or_else(|| not_found(id))?;
        match target {
            StatusTarget::StatusId(sid) => {
                a.status = Some(NamedRef {
                    id: sid,
                    name: None,
                });
                a.stage = None;
            }
            StatusTarget::Stage(st) => a.stage = Some(st),
        }
        Ok(ok(id.to_string()))
    }
    async fn reject_application(
        &self,
        id: &str,
        _reason: Option<String>,
    ) -> Result<RejectResult, ConnectorError> {
        let mut s = self.call(format!("reject_application {id}"));
        let stores = s.stores_reasons;
        let a = s.applications.get_mut(id).ok_or_else(|| not_found(id))?;
        a.stage = Some(Stage::Rejected);
        Ok(RejectResult {
            write: ok(id.to_string()),
            reason_stored: stores,
        })
    }
    async fn upload_attachment(
        &self,
        candidate_id: &str,
        file: AttachmentUpload,
    ) -> Result<WriteResult, ConnectorError> {
        let mut s = self.call(format!("upload_attachment {candidate_id}"));
        s.next += 1;
        let id = format!("f{}", s.next);
        let c = s
            .candidates
            .get_mut(candidate_id)
            .ok_or_else(|| not_found(candidate_id))?;
        c.attachments.push(AttachmentInfo {
            id: id.clone(),
            kind: file.kind,
            file_name: Some(file.file_name),
            content_type: Some(file.content_type),
        });
        Ok(ok(id))
    }
}

pub fn person(id: &str, first: &str, last: &str, email: &str) -> Candidate {
    Candidate {
        id: id.into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        emails: if email.is_empty() {
            vec![]
        } else {
            vec![Email {
                address: email.into(),
                kind: None,
                primary: true,
            }]
        },
        updated_at: Some(NOW - 10 * DAY),
        ..Candidate::default()
    }
}

pub fn job(id: &str, title: &str, description: &str) -> Job {
    Job {
        id: id.into(),
        title: Some(title.into()),
        description: Some(description.into()),
        state: Some(JobState::Open),
        updated_at: Some(NOW),
        ..Job::default()
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

/// Puts a record in the mirror (as a sync would have).
pub async fn mirrored(t: &TestMirror, r: AtsRecord) {
    t.mirror.upsert_record(CONN, r, NOW).await.unwrap();
}

/// Puts a candidate in both the fake ATS and the mirror.
pub async fn seed_person(t: &TestMirror, ats: &FakeAts, c: Candidate) {
    ats.add_candidate(c.clone());
    mirrored(t, AtsRecord::Candidate(c)).await;
}

pub async fn seed_job(t: &TestMirror, ats: &FakeAts, j: Job) {
    ats.add_job(j.clone());
    mirrored(t, AtsRecord::Job(j)).await;
}
