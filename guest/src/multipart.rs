//! The résumé upload body (`multipart/form-data`, one `file` part) and the download's file name
//! (`Content-Disposition`). iCIMS refuses a raw binary body for file fields (icims-api.md §7).

use std::hash::{BuildHasher, Hasher};

/// A boundary that does not occur in `content`.
pub fn boundary_for(content: &[u8]) -> String {
    let state = std::collections::hash_map::RandomState::new();
    for attempt in 0u64.. {
        let mut hasher = state.build_hasher();
        hasher.write_u64(attempt);
        hasher.write_usize(content.len());
        let boundary = format!("ats-icims-{:016x}{:016x}", hasher.finish(), attempt);
        if !contains(content, boundary.as_bytes()) {
            return boundary;
        }
    }
    unreachable!("some boundary is always absent")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The body of a `multipart/form-data; boundary=…` request with one part named `file`.
pub fn form_data(boundary: &str, file_name: &str, content_type: &str, content: &[u8]) -> Vec<u8> {
    let safe_name: String = file_name
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let content_type = if content_type.trim().is_empty() {
        "application/octet-stream"
    } else {
        content_type.trim()
    };
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The `filename` of a `Content-Disposition` header (`attachment; filename="Resume.docx"`).
pub fn file_name(content_disposition: &str) -> Option<String> {
    let mut plain = None;
    for param in content_disposition.split(';').map(str::trim) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            // RFC 5987 `filename*=UTF-8''R%C3%A9sum%C3%A9.pdf` wins over `filename`.
            "filename*" => {
                let encoded = value
                    .trim()
                    .split_once("''")
                    .map_or(value.trim(), |(_, v)| v);
                if let Some(name) = percent_decode(encoded) {
                    return Some(name);
                }
            }
            "filename" => {
                plain = Some(value.trim().trim_matches('"').to_string()).filter(|n| !n.is_empty())
            }
            _ => {}
        }
    }
    plain
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_one_file_part() {
        let body = form_data("B", "Ada \"CV\".pdf", "application/pdf", b"%PDF");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Ada _CV_.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--B--\r\n"
        );
        let content = b"ats-icims- appears here".to_vec();
        let boundary = boundary_for(&content);
        assert!(boundary.starts_with("ats-icims-") && !contains(&content, boundary.as_bytes()));
    }

    #[test]
    fn reads_file_names() {
        assert_eq!(
            file_name("attachment; filename=\"Resume.docx\"").as_deref(),
            Some("Resume.docx")
        );
        assert_eq!(
            file_name("attachment; filename=cv.pdf").as_deref(),
            Some("cv.pdf")
        );
        assert_eq!(
            file_name("attachment; filename=\"x.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf")
                .as_deref(),
            Some("Résumé.pdf")
        );
        assert_eq!(file_name("inline"), None);
    }
}
