//! The résumé upload body (`multipart/form-data`, one `file` part), the download's file name
//! (`Content-Disposition`), and the text part of an extracted-text answer. iCIMS refuses a raw
//! binary body for file fields, and answers `…/text` with a multipart body holding one UTF-8
//! `text/plain` `.txt` file (icims-api.md §7).

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

/// The text of an extracted-text answer: the first `text/plain` (or `.txt`) part of a
/// `multipart/…; boundary=…` body, else its first part; a `text/plain` body as it is. Invalid
/// UTF-8 is replaced, not refused: a few bad bytes should not lose a résumé. `None` when the
/// body holds no part.
pub fn text_part(content_type: &str, body: &[u8]) -> Option<String> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("text/plain") {
        return Some(String::from_utf8_lossy(body).into_owned());
    }
    if !media.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    let boundary = content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_string())
    })?;
    let parts = parts(body, boundary.as_bytes());
    let is_text = |(head, _): &(String, &[u8])| {
        let head = head.to_ascii_lowercase();
        head.contains("content-type: text/plain") || head.contains(".txt\"")
    };
    let (_, content) = parts
        .iter()
        .find(|p| is_text(p))
        .or_else(|| parts.first())?;
    Some(String::from_utf8_lossy(content).into_owned())
}

/// The parts of a multipart body: each one's header block (as text) and content.
fn parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<(String, &'a [u8])> {
    let delimiter = [b"--".as_slice(), boundary].concat();
    let mut found = Vec::new();
    let mut rest = match find(body, &delimiter) {
        Some(at) => &body[at + delimiter.len()..],
        None => return found,
    };
    // Each part runs from the end of one delimiter line to the CRLF before the next delimiter.
    while !rest.starts_with(b"--") {
        let Some(next) = find(rest, &delimiter) else {
            break;
        };
        let part = rest[..next].strip_suffix(b"\r\n").unwrap_or(&rest[..next]);
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let (head, content) = match find(part, b"\r\n\r\n") {
            Some(at) => (&part[..at], &part[at + 4..]),
            None => (part, &[][..]),
        };
        found.push((String::from_utf8_lossy(head).into_owned(), content));
        rest = &rest[next + delimiter.len()..];
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
    fn finds_the_text_part_of_an_extracted_text_answer() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.txt\"\r\n\
Content-Type: text/plain; charset=UTF-8\r\n\r\nAda Lovelace\r\nZebrafish genetics\r\n--B--\r\n";
        assert_eq!(
            text_part("multipart/form-data; boundary=\"B\"", body).as_deref(),
            Some("Ada Lovelace\r\nZebrafish genetics")
        );
        // A text part after another part, invalid UTF-8 replaced.
        let body = b"--B\r\nContent-Type: application/json\r\n\r\n{}\r\n--B\r\n\
Content-Type: text/plain\r\n\r\nR\xe9sum\xc3\xa9\r\n--B--";
        assert_eq!(
            text_part("multipart/mixed; boundary=B", body).as_deref(),
            Some("R\u{fffd}sum\u{e9}")
        );
        assert_eq!(text_part("text/plain", b"plain").as_deref(), Some("plain"));
        assert_eq!(text_part("application/json", b"{}"), None);
        assert_eq!(text_part("multipart/form-data", b"--B\r\n"), None);
        assert_eq!(
            text_part("multipart/form-data; boundary=B", b"no parts"),
            None
        );
        assert_eq!(text_part("multipart/form-data; boundary=B", b"--B--"), None);
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
