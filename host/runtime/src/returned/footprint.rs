//! A record's footprint: what it counts for against `max_record_bytes` and `max_page_bytes`
//! (the module docs of `returned` say why it is counted this way).

use ats_model as m;

/// What a field, a list item or a number counts for in a footprint, besides its text.
pub(crate) const PER_VALUE_BYTES: usize = 48;

/// The bytes a value counts for against `max_record_bytes` and `max_page_bytes` (module docs).
pub(crate) trait Footprint {
    fn footprint(&self) -> usize;
}

impl Footprint for String {
    fn footprint(&self) -> usize {
        self.len().saturating_add(PER_VALUE_BYTES)
    }
}

impl<T: Footprint> Footprint for Option<T> {
    fn footprint(&self) -> usize {
        self.as_ref().map_or(PER_VALUE_BYTES, Footprint::footprint)
    }
}

impl<T: Footprint> Footprint for Vec<T> {
    fn footprint(&self) -> usize {
        self.iter().fold(PER_VALUE_BYTES, |sum, item| {
            sum.saturating_add(item.footprint())
        })
    }
}

macro_rules! fixed_footprint {
    ($($ty:ty),* $(,)?) => { $(
        impl Footprint for $ty {
            fn footprint(&self) -> usize {
                PER_VALUE_BYTES
            }
        }
    )* };
}

fixed_footprint!(
    bool,
    u32,
    i64,
    m::JobState,
    m::Stage,
    m::UrlKind,
    m::AttachmentKind,
    m::FolderKind,
);

/// A struct's footprint: one value for its braces plus each field's. Destructured without
/// `..`, so a field added to the model fails to compile until it is counted here.
macro_rules! fields_footprint {
    ($($ty:ident { $($field:ident),* $(,)? })*) => { $(
        impl Footprint for m::$ty {
            fn footprint(&self) -> usize {
                let m::$ty { $($field),* } = self;
                PER_VALUE_BYTES $(.saturating_add($field.footprint()))*
            }
        }
    )* };
}

fields_footprint! {
    NamedRef { id, name }
    Email { address, kind, primary }
    Phone { number, kind }
    Address { street, city, region, postal_code, country, kind }
    ProfileUrl { url, kind }
    AttachmentInfo { id, kind, file_name, content_type }
    WorkExperience { title, employer, started_at, ended_at, description }
    Education { school, degree, field, ended_at }
    CustomField { name, value, value_id }
    Candidate {
        id, first_name, middle_name, last_name, emails, phones, addresses, urls, current_title,
        current_company, skills, experience, education, folder, source, source_detail, tags,
        attachments, custom_fields, created_at, updated_at, raw,
    }
    Job {
        id, requisition_number, title, state, folder, description, qualifications, location,
        address, department, hiring_manager, recruiter, openings, custom_fields, created_at,
        updated_at, raw,
    }
    Application {
        id, candidate_id, job_id, status, stage, source, source_detail, applied_at,
        custom_fields, updated_at, raw,
    }
    Status { id, name, stage, raw }
    Folder { id, name, kind, raw }
}

impl Footprint for m::AtsRecord {
    /// The record's own footprint plus one value for its `kind` tag.
    fn footprint(&self) -> usize {
        PER_VALUE_BYTES.saturating_add(match self {
            m::AtsRecord::Candidate(r) => r.footprint(),
            m::AtsRecord::Job(r) => r.footprint(),
            m::AtsRecord::Application(r) => r.footprint(),
            m::AtsRecord::Status(r) => r.footprint(),
            m::AtsRecord::Folder(r) => r.footprint(),
        })
    }
}
