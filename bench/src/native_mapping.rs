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

/// The guest's candidate in the host's model, with the converter `ats-runtime` uses for the
/// component's answer (one field list for both sides of the figure).
fn from_guest(c: g::Candidate) -> m::Candidate {
    ats_runtime::candidate_from_bindings!(c, url_kind: url_kind, attachment_kind: attachment_kind)
}
