//! A tiny example ATS: the API the template connector (`examples/template-connector`) talks to.
//!
//! It is deliberately simple and deliberately *unlike* iCIMS, so plugin authors see the
//! `ats:connector` contract fit two paging styles: iCIMS pages by `id > last`, this one hands out
//! an **opaque cursor token**. Everything is in memory, on loopback, on an ephemeral port.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /account` | `{"name", "environment"}` |
//! | `GET /{kind}?cursor=&updated_since=&limit=&email=` | `{"data": [...], "next_cursor": "…" \| null}` |
//! | `GET /{kind}/{id}` | the record |
//! | `POST /{kind}` | `201` + the new record |
//! | `PATCH /{kind}/{id}` | the updated record (fields merged) |
//! | `GET /ids/{kind}?cursor=&limit=` | `{"ids": [...], "next_cursor"}` |
//!
//! `kind` is `candidates`, `jobs` or `applications`. Records are JSON objects with a numeric
//! `id` and unix-second `created_at` / `updated_at`; lists are in ascending `id` order. Every
//! request needs `Authorization: Bearer <api key>`. Errors are JSON: `{"code", "message"}` with
//! `401 unauthorized`, `403 forbidden` (+ `permission`), `404 not_found`, `400 invalid_cursor`,
//! `422 invalid_input`, `409 already_applied` (+ `existing_id`).

use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// The record kinds this ATS serves, named as in its URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Candidates,
    Jobs,
    Applications,
}

impl Kind {
    pub fn parse(segment: &str) -> Option<Kind> {
        match segment {
            "candidates" => Some(Kind::Candidates),
            "jobs" => Some(Kind::Jobs),
            "applications" => Some(Kind::Applications),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Candidates => "candidates",
            Kind::Jobs => "jobs",
            Kind::Applications => "applications",
        }
    }
}

/// The application statuses this ATS knows (fixed, unlike iCIMS's per-customer workflows).
pub const STATUSES: &[&str] = &[
    "new",
    "screening",
    "interview",
    "offer",
    "hired",
    "rejected",
    "withdrawn",
];

/// How to start the server.
#[derive(Debug, Clone)]
pub struct TemplateAtsConfig {
    /// The API key clients must send as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// Seeded records.
    pub candidates: usize,
    pub jobs: usize,
    pub applications: usize,
    /// Permissions this key lacks (`candidates-read`, `applications-write`...): answered 403.
    pub denied_permissions: Vec<String>,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl Default for TemplateAtsConfig {
    fn default() -> Self {
        TemplateAtsConfig {
            api_key: "template-key".into(),
            candidates: 25,
            jobs: 5,
            applications: 40,
            denied_permissions: Vec::new(),
            port: 0,
        }
    }
}

/// The data, one ordered map of JSON records per kind.
struct Store {
    records: BTreeMap<Kind, BTreeMap<u64, Value>>,
    next_id: u64,
    /// The last timestamp handed out, so every change gets a strictly later `updated_at`.
    clock: i64,
}

impl Store {
    fn now(&mut self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.clock = wall.max(self.clock + 1);
        self.clock
    }

    fn table(&mut self, kind: Kind) -> &mut BTreeMap<u64, Value> {
        self.records.entry(kind).or_default()
    }

    fn insert(&mut self, kind: Kind, mut record: Map<String, Value>, at: i64) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        record.insert("id".into(), json!(id));
        record.insert("created_at".into(), json!(at));
        record.insert("updated_at".into(), json!(at));
        let record = Value::Object(record);
        self.table(kind).insert(id, record.clone());
        record
    }

    /// N candidates, jobs and applications, updated one minute apart in the past.
    fn seed(&mut self, config: &TemplateAtsConfig) {
        let total = (config.candidates + config.jobs + config.applications) as i64;
        let mut at = self.now() - 60 * (total + 1);
        let mut tick = || {
            at += 60;
            at
        };
        for i in 0..config.jobs {
            let job = json!({"title": format!("Engineer {i}"), "status": "open",
                "location": "Remote", "department": "Engineering", "openings": 1});
            self.insert(Kind::Jobs, object(job), tick());
        }
        for i in 0..config.candidates {
            let candidate = json!({"first_name": format!("Ada{i}"), "last_name": "Example",
                "email": format!("ada{i}@example.com"), "phone": format!("+1555000{i:04}"),
                "title": "Engineer", "company": "Example Corp", "source": "Referral"});
            self.insert(Kind::Candidates, object(candidate), tick());
        }
        let (candidates, jobs) = (self.ids(Kind::Candidates), self.ids(Kind::Jobs));
        if candidates.is_empty() || jobs.is_empty() {
            return;
        }
        for i in 0..config.applications {
            let application = json!({"candidate_id": candidates[i % candidates.len()],
                "job_id": jobs[(i / candidates.len()) % jobs.len()],
                "status": STATUSES[i % 4], "source": "Careers site"});
            self.insert(Kind::Applications, object(application), tick());
        }
    }

    fn ids(&mut self, kind: Kind) -> Vec<u64> {
        self.table(kind).keys().copied().collect()
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

struct Shared {
    config: TemplateAtsConfig,
    store: Mutex<Store>,
    requests: AtomicU64,
}

/// A running example ATS. Dropping it stops the server.
pub struct TemplateAts {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TemplateAts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TemplateAts {
    /// Seeds the data and starts serving on `127.0.0.1`.
    pub async fn start(config: TemplateAtsConfig) -> anyhow::Result<TemplateAts> {
        let mut store = Store {
            records: BTreeMap::new(),
            next_id: 1,
            clock: 0,
        };
        store.seed(&config);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            store: Mutex::new(store),
            requests: AtomicU64::new(0),
        });
        let app = router(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(TemplateAts { addr, shared, task })
    }

    /// `http://127.0.0.1:<port>`: the connector's `base-url` setting.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:<port>`: what the connector declares in `api-hosts`.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    /// Requests answered so far (including refused ones).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Test side door: marks a record changed now and returns its new `updated_at`.
    pub fn touch(&self, kind: Kind, id: u64) -> Option<i64> {
        let mut store = self.shared.store.lock().unwrap();
        let now = store.now();
        let record = store.table(kind).get_mut(&id)?;
        record["updated_at"] = json!(now);
        Some(now)
    }

    /// Test side door: removes one field of a record, as a field the API key may not see would
    /// be missing; true when the record had it.
    pub fn remove_field(&self, kind: Kind, id: u64, field: &str) -> bool {
        let mut store = self.shared.store.lock().unwrap();
        store
            .table(kind)
            .get_mut(&id)
            .and_then(Value::as_object_mut)
            .is_some_and(|record| record.remove(field).is_some())
    }

    /// Test side door: deletes a record; true when it existed.
    pub fn delete(&self, kind: Kind, id: u64) -> bool {
        let mut store = self.shared.store.lock().unwrap();
        store.table(kind).remove(&id).is_some()
    }

    /// Test side door: one record as stored.
    pub fn record(&self, kind: Kind, id: u64) -> Option<Value> {
        let mut store = self.shared.store.lock().unwrap();
        store.table(kind).get(&id).cloned()
    }

    /// Test side door: every id of a kind, ascending.
    pub fn ids(&self, kind: Kind) -> Vec<u64> {
        self.shared.store.lock().unwrap().ids(kind)
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/account", get(account))
        .route("/ids/{kind}", get(list_ids))
        .route("/{kind}", get(list).post(create))
        .route("/{kind}/{id}", get(read).patch(update))
        .layer(middleware::from_fn_with_state(shared.clone(), authenticate))
        .with_state(shared)
}

/// An error answer: `{"code", "message"}` plus optional extra fields.
fn error(status: StatusCode, code: &str, message: impl Into<String>, extra: Value) -> Response {
    let mut body = json!({"code": code, "message": message.into()});
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    (status, Json(body)).into_response()
}

fn not_found(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no {what}"),
        Value::Null,
    )
}

/// Checks the API key, then the permission the route needs (`<kind>-read` / `<kind>-write`).
async fn authenticate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let expected = format!("Bearer {}", shared.config.api_key);
    let given = request.headers().get(header::AUTHORIZATION);
    if given.and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        let message = "missing or wrong API key (send `Authorization: Bearer <key>`)";
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            message,
            Value::Null,
        );
    }
    let path = request.uri().path();
    let segment = path
        .trim_start_matches("/ids")
        .split('/')
        .nth(1)
        .unwrap_or("");
    let access = if request.method() == "GET" {
        "read"
    } else {
        "write"
    };
    let permission = format!("{segment}-{access}");
    if shared.config.denied_permissions.contains(&permission) {
        let message = format!("this API key lacks `{permission}`");
        let extra = json!({"permission": permission});
        return error(StatusCode::FORBIDDEN, "forbidden", message, extra);
    }
    next.run(request).await
}

async fn account() -> Json<Value> {
    Json(json!({"name": "Template ATS demo", "environment": "sandbox"}))
}

#[derive(Deserialize)]
struct ListQuery {
    cursor: Option<String>,
    updated_since: Option<i64>,
    limit: Option<usize>,
    email: Option<String>,
}

/// The cursor is opaque to clients; here it happens to be the last id, base64-encoded.
fn encode_cursor(last_id: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("after:{last_id}"))
}

fn decode_cursor(cursor: Option<&str>) -> Result<u64, Box<Response>> {
    let Some(cursor) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(0);
    };
    let decoded = URL_SAFE_NO_PAD.decode(cursor).ok();
    let text = decoded.and_then(|bytes| String::from_utf8(bytes).ok());
    text.and_then(|t| t.strip_prefix("after:").and_then(|id| id.parse().ok()))
        .ok_or_else(|| {
            let message = format!("cursor `{cursor}` was not issued by this API");
            Box::new(error(
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                message,
                Value::Null,
            ))
        })
}

/// One page of items with `id > after`, and the cursor of the next page if more remain.
fn page<T>(
    items: impl Iterator<Item = (u64, T)>,
    after: u64,
    limit: Option<usize>,
) -> (Vec<T>, Value) {
    let limit = limit.unwrap_or(50).clamp(1, 200);
    let mut rest = items.filter(|(id, _)| *id > after).peekable();
    let mut out = Vec::new();
    let mut last = after;
    while out.len() < limit {
        let Some((id, item)) = rest.next() else { break };
        last = id;
        out.push(item);
    }
    let next = if rest.peek().is_some() {
        json!(encode_cursor(last))
    } else {
        Value::Null
    };
    (out, next)
}

async fn list(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return not_found("such endpoint");
    };
    let after = match decode_cursor(query.cursor.as_deref()) {
        Ok(after) => after,
        Err(response) => return *response,
    };
    let mut store = shared.store.lock().unwrap();
    let matches = store.table(kind).iter().filter(|(_, record)| {
        let since = query
            .updated_since
            .is_none_or(|s| record["updated_at"].as_i64() >= Some(s));
        let email = query.email.as_deref().is_none_or(|e| {
            record["email"]
                .as_str()
                .is_some_and(|have| have.eq_ignore_ascii_case(e))
        });
        since && email
    });
    let (data, next_cursor) = page(matches.map(|(id, r)| (*id, r.clone())), after, query.limit);
    Json(json!({"data": data, "next_cursor": next_cursor})).into_response()
}

async fn list_ids(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return not_found("such endpoint");
    };
    let after = match decode_cursor(query.cursor.as_deref()) {
        Ok(after) => after,
        Err(response) => return *response,
    };
    let ids = shared.store.lock().unwrap().ids(kind);
    let (ids, next_cursor) = page(ids.into_iter().map(|id| (id, id)), after, Some(1000));
    Json(json!({"ids": ids, "next_cursor": next_cursor})).into_response()
}

async fn read(
    State(shared): State<Arc<Shared>>,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return not_found("such endpoint");
    };
    let mut store = shared.store.lock().unwrap();
    match id
        .parse()
        .ok()
        .and_then(|id: u64| store.table(kind).get(&id))
    {
        Some(record) => Json(record.clone()).into_response(),
        None => not_found(&format!("{} with id `{id}`", kind.as_str())),
    }
}

/// What a write must contain, per kind: the fields it may set and the one it must.
fn validate(kind: Kind, fields: &Map<String, Value>, creating: bool) -> Result<(), String> {
    let (allowed, required): (&[&str], &str) = match kind {
        Kind::Candidates => (
            &[
                "first_name",
                "last_name",
                "email",
                "phone",
                "title",
                "company",
                "source",
            ],
            "last_name",
        ),
        Kind::Jobs => (
            &["title", "status", "location", "department", "openings"],
            "title",
        ),
        Kind::Applications => (
            &[
                "candidate_id",
                "job_id",
                "status",
                "source",
                "rejection_reason",
            ],
            "job_id",
        ),
    };
    if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("unknown field `{unknown}`"));
    }
    if creating && fields.get(required).is_none_or(Value::is_null) {
        return Err(format!("`{required}` is required"));
    }
    match fields.get("status").and_then(Value::as_str) {
        Some(status) if kind == Kind::Applications && !STATUSES.contains(&status) => Err(format!(
            "unknown status `{status}`; known: {}",
            STATUSES.join(", ")
        )),
        _ => Ok(()),
    }
}

fn invalid(message: String) -> Response {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
        message,
        Value::Null,
    )
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return not_found("such endpoint");
    };
    let mut fields = object(body);
    if let Err(message) = validate(kind, &fields, true) {
        return invalid(message);
    }
    let mut store = shared.store.lock().unwrap();
    if kind == Kind::Applications {
        let candidate = fields.get("candidate_id").and_then(Value::as_u64);
        let job = fields.get("job_id").and_then(Value::as_u64);
        let (Some(candidate), Some(job)) = (candidate, job) else {
            return invalid("`candidate_id` and `job_id` must be numeric ids".into());
        };
        if !store.table(Kind::Candidates).contains_key(&candidate) {
            return invalid(format!("no candidate with id `{candidate}`"));
        }
        if !store.table(Kind::Jobs).contains_key(&job) {
            return invalid(format!("no job with id `{job}`"));
        }
        let existing = store.table(Kind::Applications).iter().find(|(_, a)| {
            a["candidate_id"].as_u64() == Some(candidate) && a["job_id"].as_u64() == Some(job)
        });
        if let Some((id, _)) = existing {
            let message = "the candidate already applied to this job";
            let extra = json!({"existing_id": id});
            return error(StatusCode::CONFLICT, "already_applied", message, extra);
        }
        fields.entry("status").or_insert(json!("new"));
    }
    let now = store.now();
    (StatusCode::CREATED, Json(store.insert(kind, fields, now))).into_response()
}

async fn update(
    State(shared): State<Arc<Shared>>,
    Path((kind, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return not_found("such endpoint");
    };
    let fields = object(body);
    if let Err(message) = validate(kind, &fields, false) {
        return invalid(message);
    }
    let mut store = shared.store.lock().unwrap();
    let now = store.now();
    let Some(Value::Object(record)) = id
        .parse()
        .ok()
        .and_then(|id: u64| store.table(kind).get_mut(&id))
    else {
        return not_found(&format!("{} with id `{id}`", kind.as_str()));
    };
    record.extend(fields);
    record.insert("updated_at".into(), json!(now));
    Json(Value::Object(record.clone())).into_response()
}
