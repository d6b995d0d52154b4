//! One record type per kind, and the way between it and [`AtsRecord`]: code that reads "a
//! candidate" from the mirror or the ATS asks for `Candidate` instead of matching the enum.

use crate::{Application, AtsRecord, Candidate, Folder, Job, RecordKind, Status};

/// A record type of one kind.
pub trait TypedRecord: Sized + Clone + Send + 'static {
    const KIND: RecordKind;

    /// The record when it is of this kind.
    fn from_record(record: AtsRecord) -> Option<Self>;

    fn into_record(self) -> AtsRecord;
}

macro_rules! typed {
    ($($variant:ident),*) => {$(
        impl TypedRecord for $variant {
            const KIND: RecordKind = RecordKind::$variant;

            fn from_record(record: AtsRecord) -> Option<Self> {
                match record {
                    AtsRecord::$variant(r) => Some(r),
                    _ => None,
                }
            }

            fn into_record(self) -> AtsRecord {
                AtsRecord::$variant(self)
            }
        }
    )*};
}

typed!(Candidate, Job, Application, Status, Folder);
