//! The native baseline maps answers with the connector's own code (`icims_connector::mapping`,
//! compiled natively), so both sides of the plugin-tax figure store the same candidates: the
//! figure then measures the component (wasm execution, the boundary, `wasi:http`), not a
//! difference in work.

use ats_connector_sdk as g;
use ats_model as m;
use icims_connector::json::JsonView;
use icims_connector::mapping::person;
use icims_connector::settings::CustomFields;

/// Maps a person GET body exactly as the connector does (no custom fields configured, like the
/// bench's connection).
pub fn candidate(id: u64, body: &impl JsonView, raw: &str) -> m::Candidate {
    from_guest(person::candidate(
        &id.to_string(),
        body,
        raw,
        &CustomFields::default(),
    ))
}

fn url_kind(k: g::UrlKind) -> m::UrlKind {
    match k {
        g::UrlKind::Linkedin => m::UrlKind::Linkedin,
        g::UrlKind::Github => m::UrlKind::Github,
        g::UrlKind::Website => m::UrlKind::Website,
        g::UrlKind::Other => m::UrlKind::Other,
    }
}

fn attachment_kind(k: g::AttachmentKind) -> m::AttachmentKind {
    match k {
        g::AttachmentKind::Resume => m::AttachmentKind::Resume,
        g::AttachmentKind::CoverLetter => m::AttachmentKind::CoverLetter,
        g::AttachmentKind::Other => m::AttachmentKind::Other,
    }
}

/// The guest's candidate in the host's model (what `ats-runtime`'s converter does for the
/// component's answer).
fn from_guest(c: g::Candidate) -> m::Candidate {
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
                kind: url_kind(u.kind),
            })
            .collect(),
        current_title: c.current_title,
        current_company: c.current_company,
        skills: c.skills,
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
                kind: attachment_kind(a.kind),
                file_name: a.file_name,
                content_type: a.content_type,
            })
            .collect(),
        created_at: c.created_at,
        updated_at: c.updated_at,
        raw: c.raw,
    }
}
