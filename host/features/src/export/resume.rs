//! Resume checks: a document by content type *and* by its first bytes, within a size limit,
//! loaded before anything is written to the ATS.

use crate::FeatureError;
use crate::profile::ResumeInput;
use ats_model::{AttachmentKind, AttachmentUpload};
use base64::Engine;

/// 10 MiB, the limit peers use for ATS attachments.
pub const DEFAULT_MAX_RESUME_BYTES: usize = 10 * 1024 * 1024;

/// A document format: extension, content types, check of the first bytes.
type Format = (&'static str, &'static [&'static str], fn(&[u8]) -> bool);

/// Document formats a resume may have.
const FORMATS: &[Format] = &[
    ("pdf", &["application/pdf"], |b| b.starts_with(b"%PDF-")),
    ("doc", &["application/msword"], |b| {
        b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }),
    (
        "docx",
        &["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
        |b| b.starts_with(b"PK\x03\x04"),
    ),
    ("odt", &["application/vnd.oasis.opendocument.text"], |b| {
        b.starts_with(b"PK\x03\x04")
    }),
    ("rtf", &["application/rtf", "text/rtf"], |b| {
        b.starts_with(b"{\\rtf")
    }),
    ("txt", &["text/plain"], |b| {
        !b.contains(&0) && std::str::from_utf8(b).is_ok()
    }),
];

fn field(name: &str) -> String {
    format!("resume.{name}")
}

fn too_large(size: usize, max: usize) -> FeatureError {
    FeatureError::invalid(
        field("content"),
        format!(
            "the file is {size} bytes, more than the limit of {max} bytes; send a smaller file"
        ),
    )
}

/// Loads and checks a resume.
pub fn load(input: &ResumeInput, max_bytes: usize) -> Result<AttachmentUpload, FeatureError> {
    let file_name = input
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if file_name.is_empty() {
        return Err(FeatureError::invalid(
            field("file_name"),
            "missing or blank",
        ));
    }
    let content_type = input
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((ext, _, magic)) = FORMATS
        .iter()
        .find(|(_, types, _)| types.contains(&content_type.as_str()))
    else {
        return Err(FeatureError::invalid(
            field("content_type"),
            format!(
                "`{}` is not a document type; a resume must be one of pdf, doc, docx, rtf, txt, odt",
                input.content_type
            ),
        ));
    };
    let content = match (&input.base64, &input.path) {
        (Some(b64), None) => {
            let b64: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            // Check the size before decoding: 4 characters carry 3 bytes.
            let estimate = b64.len() / 4 * 3;
            if estimate > max_bytes + 3 {
                return Err(too_large(estimate, max_bytes));
            }
            base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .map_err(|e| {
                    FeatureError::invalid(field("base64"), format!("not valid base64: {e}"))
                })?
        }
        (None, Some(path)) => {
            let meta = std::fs::metadata(path).map_err(|e| {
                FeatureError::invalid(field("path"), format!("cannot read `{path}`: {e}"))
            })?;
            if meta.len() > max_bytes as u64 {
                return Err(too_large(meta.len() as usize, max_bytes));
            }
            std::fs::read(path).map_err(|e| {
                FeatureError::invalid(field("path"), format!("cannot read `{path}`: {e}"))
            })?
        }
        _ => {
            return Err(FeatureError::invalid(
                "resume",
                "give exactly one of `base64` (the file's content) or `path` (a file on the host)",
            ));
        }
    };
    if content.len() > max_bytes {
        return Err(too_large(content.len(), max_bytes));
    }
    if content.is_empty() {
        return Err(FeatureError::invalid(field("content"), "the file is empty"));
    }
    if !magic(&content) {
        return Err(FeatureError::invalid(
            field("content"),
            format!(
                "the file's content is not a {ext} document although its content type says so; send the real document"
            ),
        ));
    }
    Ok(AttachmentUpload {
        kind: AttachmentKind::Resume,
        file_name,
        content_type,
        content,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(content_type: &str, bytes: &[u8]) -> ResumeInput {
        ResumeInput {
            file_name: "cv.pdf".into(),
            content_type: content_type.into(),
            base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            path: None,
        }
    }

    #[test]
    fn accepts_documents_by_type_and_bytes() {
        let r = load(&input("application/pdf", b"%PDF-1.7 ..."), 1024).unwrap();
        assert_eq!(r.content_type, "application/pdf");
        assert!(
            load(
                &input("text/plain; charset=utf-8", "Ada — CV".as_bytes()),
                1024
            )
            .is_ok()
        );
        assert!(load(&input("application/rtf", b"{\\rtf1 hi}"), 1024).is_ok());
    }

    #[test]
    fn refuses_non_documents_and_mislabelled_files() {
        let err = load(&input("image/png", b"\x89PNG\r\n"), 1024).unwrap_err();
        assert!(err.to_string().contains("not a document type"), "{err}");
        let err = load(&input("application/pdf", b"\x89PNG\r\n"), 1024).unwrap_err();
        assert!(err.to_string().contains("not a pdf document"), "{err}");
    }

    #[test]
    fn refuses_oversized_files_before_decoding() {
        let err = load(&input("application/pdf", &[b'%'; 4096]), 1024).unwrap_err();
        assert!(
            err.to_string()
                .contains("more than the limit of 1024 bytes"),
            "{err}"
        );
    }

    #[test]
    fn needs_exactly_one_source() {
        let mut r = input("application/pdf", b"%PDF-");
        r.path = Some("/tmp/x.pdf".into());
        assert!(
            load(&r, 1024)
                .unwrap_err()
                .to_string()
                .contains("exactly one")
        );
    }
}
