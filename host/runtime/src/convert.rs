//! Conversions between the generated bindings of contract 0.1.0 and `ats_model`.
//!
//! The mirror and the sync engine depend on `ats_model` only; when the contract gets a new
//! version, a new converter maps its types to the same model.

use crate::bindings::{wit as c, wit_types as w};
use ats_model as m;

/// Maps a fieldless enum whose cases have the same names on both sides, both ways.
macro_rules! same_cases {
    ($wit:ident :: $name:ident { $($case:ident),* $(,)? }) => {
        impl From<$wit::$name> for m::$name {
            fn from(value: $wit::$name) -> m::$name {
                match value { $($wit::$name::$case => m::$name::$case),* }
            }
        }
        impl From<m::$name> for $wit::$name {
            fn from(value: m::$name) -> $wit::$name {
                match value { $(m::$name::$case => $wit::$name::$case),* }
            }
        }
    };
}

same_cases!(w::RecordKind {
    Candidate,
    Job,
    Application,
    Status,
    Folder
});
same_cases!(w::Stage {
    New,
    Screening,
    Interview,
    Offer,
    Hired,
    Rejected,
    Withdrawn,
    Other
});
same_cases!(w::UrlKind {
    Linkedin,
    Github,
    Website,
    Other
});
same_cases!(w::AttachmentKind {
    Resume,
    CoverLetter,
    Other
});
same_cases!(w::JobState {
    Open,
    Closed,
    Draft,
    OnHold
});
same_cases!(w::FolderKind {
    Candidate,
    Job,
    Other
});
same_cases!(w::RateLimitScope {
    ShortWindow,
    Daily,
    Unknown
});
same_cases!(c::PermissionState {
    Granted,
    Missing,
    NotCheckable
});
same_cases!(c::WriteCapability {
    FindCandidates,
    CreateCandidate,
    UpdateCandidate,
    CreateApplication,
    MoveApplication,
    RejectApplication,
    UploadAttachment,
    DownloadAttachment,
    AddNote,
    AddTag,
    ParseEvent,
    AttachmentText,
});
same_cases!(c::EventScheme {
    HttpBasic,
    SharedToken,
    HmacSha256Body,
    HmacSha256SignedHeaders,
});
same_cases!(c::SignatureEncoding { Hex, Base64 });

fn list<A, B: From<A>>(items: Vec<A>) -> Vec<B> {
    items.into_iter().map(B::from).collect()
}

// ---- describe and check ----

impl From<c::ConnectorInfo> for m::ConnectorInfo {
    fn from(i: c::ConnectorInfo) -> m::ConnectorInfo {
        m::ConnectorInfo {
            id: i.id,
            name: i.name,
            version: i.version,
            description: i.description,
            settings: i
                .settings
                .into_iter()
                .map(|s| m::SettingSpec {
                    key: s.key,
                    description: s.description,
                    required: s.required,
                    secret: s.secret,
                    default_value: s.default_value,
                })
                .collect(),
            auth: match i.auth {
                c::AuthScheme::None => m::AuthScheme::None,
                c::AuthScheme::Oauth2ClientCredentials(o) => {
                    m::AuthScheme::Oauth2ClientCredentials {
                        token_url: o.token_url,
                        audience: o.audience,
                        scopes: o.scopes,
                        client_id_setting: o.client_id_setting,
                        client_secret_setting: o.client_secret_setting,
                    }
                }
                c::AuthScheme::HttpBasic(b) => m::AuthScheme::HttpBasic {
                    username_setting: b.username_setting,
                    password_setting: b.password_setting,
                },
                c::AuthScheme::ApiKey(k) => m::AuthScheme::ApiKey {
                    header: k.header,
                    prefix: k.prefix,
                    key_setting: k.key_setting,
                },
            },
            api_hosts: i.api_hosts,
            permissions: i
                .permissions
                .into_iter()
                .map(|p| m::PermissionSpec {
                    id: p.id,
                    description: p.description,
                })
                .collect(),
            streams: i
                .streams
                .into_iter()
                .map(|s| m::StreamSpec {
                    name: s.name,
                    kind: s.kind.into(),
                    default_interval_seconds: s.default_interval_seconds,
                    incremental: s.incremental,
                    lists_ids: s.lists_ids,
                })
                .collect(),
            writes: list(i.writes),
            quota: i.quota.map(|q| m::QuotaSpec {
                requests_per_day: q.requests_per_day,
                limit_header: q.limit_header,
                remaining_header: q.remaining_header,
                reset_header: q.reset_header,
            }),
            list_staleness_seconds: i.list_staleness_seconds,
            timestamp_precision_seconds: i.timestamp_precision_seconds,
            event_verification: i.event_verification.map(|v| m::EventVerification {
                scheme: v.scheme.into(),
                header: v.header,
                prefix: v.prefix,
                secret_setting: v.secret_setting,
                username_setting: v.username_setting,
                timestamp_header: v.timestamp_header,
                body_digest_header: v.body_digest_header,
                signature_encoding: v.signature_encoding.into(),
            }),
        }
    }
}

impl From<c::ConnectionReport> for m::ConnectionReport {
    fn from(r: c::ConnectionReport) -> m::ConnectionReport {
        m::ConnectionReport {
            account_name: r.account_name,
            environment: r.environment,
            permissions: r
                .permissions
                .into_iter()
                .map(|p| m::PermissionCheck {
                    permission: p.permission,
                    state: p.state.into(),
                    detail: p.detail,
                })
                .collect(),
        }
    }
}

impl From<w::ConnectorError> for m::ConnectorError {
    fn from(e: w::ConnectorError) -> m::ConnectorError {
        use m::ConnectorError as E;
        match e {
            w::ConnectorError::Unauthorized(message) => E::Unauthorized { message },
            w::ConnectorError::PermissionMissing(p) => E::PermissionMissing {
                permission: p.permission,
                message: p.message,
            },
            w::ConnectorError::NotFound(message) => E::NotFound { message },
            w::ConnectorError::RateLimited(r) => E::RateLimited {
                retry_after_seconds: r.retry_after_seconds,
                scope: r.scope.into(),
                message: r.message,
            },
            w::ConnectorError::InvalidInput(message) => E::InvalidInput { message },
            w::ConnectorError::Conflict(message) => E::Conflict { message },
            w::ConnectorError::Unsupported(message) => E::Unsupported { message },
            w::ConnectorError::Transient(message) => E::Transient { message },
            w::ConnectorError::Misconfigured(message) => E::Misconfigured { message },
            w::ConnectorError::Internal(message) => E::Internal { message },
        }
    }
}

// ---- records read ----

impl From<w::NamedRef> for m::NamedRef {
    fn from(r: w::NamedRef) -> m::NamedRef {
        m::NamedRef {
            id: r.id,
            name: r.name,
        }
    }
}

impl From<m::Phone> for w::Phone {
    fn from(p: m::Phone) -> w::Phone {
        w::Phone {
            number: p.number,
            kind: p.kind,
        }
    }
}

impl From<m::Address> for w::Address {
    fn from(a: m::Address) -> w::Address {
        w::Address {
            street: a.street,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            kind: a.kind,
        }
    }
}

impl From<m::ProfileUrl> for w::ProfileUrl {
    fn from(u: m::ProfileUrl) -> w::ProfileUrl {
        w::ProfileUrl {
            url: u.url,
            kind: u.kind.into(),
        }
    }
}

/// An `ats_model::Candidate` from a candidate of the contract's generated bindings: the host's
/// (below) or the guest's (the bench's native baseline, `bench/src/native_mapping.rs`, does the
/// component's work without the component). Both bindings carry the contract's field names, so
/// the candidate's fields are listed once, here; the two functions convert the bindings' `url-kind`
/// and `attachment-kind`.
#[doc(hidden)]
#[macro_export]
macro_rules! candidate_from_bindings {
    ($c:expr, url_kind: $url_kind:expr, attachment_kind: $attachment_kind:expr $(,)?) => {{
        use $crate::__model as m;
        let c = $c;
        m::Candidate {
            id: c.id,
            first_name: c.first_name,
            middle_name: c.middle_name,
            last_name: c.last_name,
            emails: c
                .emails
                .into_iter()
                .map(|e| m::Email {
                    address: e.address,
                    kind: e.kind,
                    primary: e.primary,
                })
                .collect(),
            phones: c
                .phones
                .into_iter()
                .map(|p| m::Phone {
                    number: p.number,
                    kind: p.kind,
                })
                .collect(),
            addresses: c
                .addresses
                .into_iter()
                .map(|a| m::Address {
                    street: a.street,
                    city: a.city,
                    region: a.region,
                    postal_code: a.postal_code,
                    country: a.country,
                    kind: a.kind,
                })
                .collect(),
            urls: c
                .urls
                .into_iter()
                .map(|u| m::ProfileUrl {
                    url: u.url,
                    kind: $url_kind(u.kind),
                })
                .collect(),
            current_title: c.current_title,
            current_company: c.current_company,
            skills: c.skills,
            experience: c
                .experience
                .into_iter()
                .map(|x| m::WorkExperience {
                    title: x.title,
                    employer: x.employer,
                    started_at: x.started_at,
                    ended_at: x.ended_at,
                    description: x.description,
                })
                .collect(),
            education: c
                .education
                .into_iter()
                .map(|e| m::Education {
                    school: e.school,
                    degree: e.degree,
                    field: e.field,
                    ended_at: e.ended_at,
                })
                .collect(),
            folder: c.folder.map(|f| m::NamedRef {
                id: f.id,
                name: f.name,
            }),
            source: c.source,
            source_detail: c.source_detail,
            tags: c.tags,
            attachments: c
                .attachments
                .into_iter()
                .map(|a| m::AttachmentInfo {
                    id: a.id,
                    kind: $attachment_kind(a.kind),
                    file_name: a.file_name,
                    content_type: a.content_type,
                })
                .collect(),
            custom_fields: c
                .custom_fields
                .into_iter()
                .map(|f| m::CustomField {
                    name: f.name,
                    value: f.value,
                    value_id: f.value_id,
                })
                .collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            raw: c.raw,
        }
    }};
}

impl From<w::Candidate> for m::Candidate {
    fn from(c: w::Candidate) -> m::Candidate {
        candidate_from_bindings!(
            c,
            url_kind: m::UrlKind::from,
            attachment_kind: m::AttachmentKind::from,
        )
    }
}

impl From<w::AtsRecord> for m::AtsRecord {
    fn from(r: w::AtsRecord) -> m::AtsRecord {
        match r {
            w::AtsRecord::Candidate(c) => m::AtsRecord::Candidate(c.into()),
            w::AtsRecord::Job(j) => m::AtsRecord::Job(m::Job {
                id: j.id,
                requisition_number: j.requisition_number,
                title: j.title,
                state: j.state.map(Into::into),
                folder: j.folder.map(Into::into),
                description: j.description,
                qualifications: j.qualifications,
                location: j.location,
                address: j.address.map(|a| m::Address {
                    street: a.street,
                    city: a.city,
                    region: a.region,
                    postal_code: a.postal_code,
                    country: a.country,
                    kind: a.kind,
                }),
                department: j.department,
                hiring_manager: j.hiring_manager.map(Into::into),
                recruiter: j.recruiter.map(Into::into),
                openings: j.openings,
                custom_fields: j
                    .custom_fields
                    .into_iter()
                    .map(|f| m::CustomField {
                        name: f.name,
                        value: f.value,
                        value_id: f.value_id,
                    })
                    .collect(),
                created_at: j.created_at,
                updated_at: j.updated_at,
                raw: j.raw,
            }),
            w::AtsRecord::Application(a) => m::AtsRecord::Application(m::Application {
                id: a.id,
                candidate_id: a.candidate_id,
                job_id: a.job_id,
                status: a.status.map(Into::into),
                stage: a.stage.map(Into::into),
                source: a.source,
                source_detail: a.source_detail,
                applied_at: a.applied_at,
                custom_fields: a
                    .custom_fields
                    .into_iter()
                    .map(|f| m::CustomField {
                        name: f.name,
                        value: f.value,
                        value_id: f.value_id,
                    })
                    .collect(),
                updated_at: a.updated_at,
                raw: a.raw,
            }),
            w::AtsRecord::Status(s) => m::AtsRecord::Status(m::Status {
                id: s.id,
                name: s.name,
                stage: s.stage.map(Into::into),
                raw: s.raw,
            }),
            w::AtsRecord::Folder(f) => m::AtsRecord::Folder(m::Folder {
                id: f.id,
                name: f.name,
                kind: f.kind.into(),
                raw: f.raw,
            }),
        }
    }
}

impl From<w::Page> for m::Page {
    fn from(p: w::Page) -> m::Page {
        m::Page {
            records: list(p.records),
            gone: p.gone,
            record_errors: p
                .record_errors
                .into_iter()
                .map(|e| m::RecordError {
                    id: e.id,
                    reason: e.reason,
                    advice: e.advice,
                })
                .collect(),
            next_cursor: p.next_cursor,
        }
    }
}

impl From<w::IdPage> for m::IdPage {
    fn from(p: w::IdPage) -> m::IdPage {
        m::IdPage {
            ids: p.ids,
            next_cursor: p.next_cursor,
        }
    }
}

impl From<w::RecordRef> for m::RecordRef {
    fn from(r: w::RecordRef) -> m::RecordRef {
        m::RecordRef {
            kind: r.kind.into(),
            id: r.id,
        }
    }
}

impl From<w::WriteResult> for m::WriteResult {
    fn from(r: w::WriteResult) -> m::WriteResult {
        m::WriteResult {
            id: r.id,
            warnings: r.warnings,
        }
    }
}

impl From<w::RejectResult> for m::RejectResult {
    fn from(r: w::RejectResult) -> m::RejectResult {
        m::RejectResult {
            write: r.write.into(),
            reason_stored: r.reason_stored,
        }
    }
}

impl From<w::AttachmentFile> for m::AttachmentFile {
    fn from(f: w::AttachmentFile) -> m::AttachmentFile {
        m::AttachmentFile {
            file_name: f.file_name,
            content_type: f.content_type,
            content: f.content,
        }
    }
}

// ---- inputs ----

impl From<m::ListRequest> for w::ListRequest {
    fn from(r: m::ListRequest) -> w::ListRequest {
        w::ListRequest {
            cursor: r.cursor,
            updated_since: r.updated_since,
            page_size_hint: r.page_size_hint,
        }
    }
}

impl From<m::MatchQuery> for w::MatchQuery {
    fn from(q: m::MatchQuery) -> w::MatchQuery {
        w::MatchQuery {
            emails: q.emails,
            phones: q.phones,
            urls: q.urls,
            first_name: q.first_name,
            last_name: q.last_name,
        }
    }
}

impl From<m::CandidateInput> for w::CandidateInput {
    fn from(i: m::CandidateInput) -> w::CandidateInput {
        w::CandidateInput {
            first_name: i.first_name,
            middle_name: i.middle_name,
            last_name: i.last_name,
            emails: i.emails,
            phones: i.phones.map(list),
            addresses: i.addresses.map(list),
            urls: i.urls.map(list),
            current_title: i.current_title,
            current_company: i.current_company,
            folder_id: i.folder_id,
            source: i.source,
            source_detail: i.source_detail,
        }
    }
}

impl From<m::StatusTarget> for w::StatusTarget {
    fn from(t: m::StatusTarget) -> w::StatusTarget {
        match t {
            m::StatusTarget::StatusId(id) => w::StatusTarget::StatusId(id),
            m::StatusTarget::Stage(stage) => w::StatusTarget::Stage(stage.into()),
        }
    }
}

impl From<m::ApplicationInput> for w::ApplicationInput {
    fn from(i: m::ApplicationInput) -> w::ApplicationInput {
        w::ApplicationInput {
            candidate_id: i.candidate_id,
            job_id: i.job_id,
            status: i.status.map(Into::into),
            source: i.source,
            source_detail: i.source_detail,
        }
    }
}

impl From<m::AttachmentUpload> for w::AttachmentUpload {
    fn from(u: m::AttachmentUpload) -> w::AttachmentUpload {
        w::AttachmentUpload {
            kind: u.kind.into(),
            file_name: u.file_name,
            content_type: u.content_type,
            content: u.content,
        }
    }
}

impl From<m::NoteInput> for w::NoteInput {
    fn from(n: m::NoteInput) -> w::NoteInput {
        w::NoteInput {
            body: n.body,
            author: n.author,
        }
    }
}

impl From<m::IncomingEvent> for w::IncomingEvent {
    fn from(e: m::IncomingEvent) -> w::IncomingEvent {
        w::IncomingEvent {
            headers: e.headers,
            body: e.body,
        }
    }
}
