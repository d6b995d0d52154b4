//! Binary file fields (§7): `GET|PATCH|POST|DELETE …/{type}/{id}/fields/{field}/binary` and the
//! extracted-text variant `…/text`. Only the person `resume` field is a file field here.
//! Order: permission → body validation → record lookup, like every other write.

use bytes::Bytes;

use crate::config::Permission;
use crate::errors::{ApiError, ApiResult};
use crate::record_type::RecordType;
use crate::reply::{Reply, Req};
use crate::state::{Customer, Inner};
use crate::store::{ResumeKind, StoredFile};

const TEXT_BOUNDARY: &str = "icims-sim-extracted-text";

pub fn handle(
    inner: &Inner,
    cust: &Customer,
    ty: RecordType,
    id: u64,
    field: &str,
    text: bool,
    req: &Req,
) -> ApiResult<Reply> {
    use http::Method as M;
    let read_perm = match ty {
        RecordType::People => Some(Permission::PeopleGet),
        RecordType::Jobs => Some(Permission::JobsGet),
        RecordType::Workflows => Some(Permission::WorkflowsGet),
        RecordType::Companies => None,
    };
    let write_perm = match ty {
        RecordType::People => Some(Permission::PeopleUpdate),
        RecordType::Workflows => Some(Permission::WorkflowsUpdate),
        _ => None,
    };
    let allow = |p: Option<Permission>| p.map_or(Ok(()), |p| cust.allows(p));
    let is_file_field = ty == RecordType::People && field == "resume";
    match (&req.method, text) {
        (m, _) if *m == M::GET => {
            allow(read_perm)?;
            if !is_file_field {
                return Err(not_a_file(field));
            }
            download(inner, cust, id, text)
        }
        (m, false) if *m == M::PATCH => {
            allow(write_perm)?;
            if !is_file_field {
                return Err(not_a_file(field));
            }
            upload(inner, cust, id, req)
        }
        (m, false) if *m == M::DELETE => {
            allow(write_perm)?;
            if is_file_field {
                Err(ApiError::bad_request(
                    "resume: The resume field cannot be deleted.",
                ))
            } else {
                Err(not_a_file(field))
            }
        }
        _ => Err(ApiError::not_supported()),
    }
}

fn not_a_file(field: &str) -> ApiError {
    ApiError::bad_request(format!("{field}: Field is not a File or Image field."))
}

fn download(inner: &Inner, cust: &Customer, id: u64, text: bool) -> ApiResult<Reply> {
    let d = cust.read();
    let p = d
        .people
        .get(id)
        .ok_or_else(|| ApiError::not_found("Person"))?;
    let missing = || {
        ApiError::new(
            inner.cfg.profiles.missing_file_status,
            crate::errors::RESOURCE_NOT_FOUND,
            "File not found.",
        )
    };
    let (filename, content_type, bytes) = match p.resume {
        ResumeKind::None => return Err(missing()),
        ResumeKind::Generated => {
            let name = format!(
                "{}_{}_Resume.txt",
                d.arena.get(p.first),
                d.arena.get(p.last)
            )
            .replace(' ', "_");
            let body = crate::generator::resume_text(p, &d);
            (
                name,
                "text/plain; charset=UTF-8".to_string(),
                Bytes::from(body),
            )
        }
        ResumeKind::Uploaded => {
            let f = d.files.get(&(id as u32)).ok_or_else(missing)?;
            (f.filename.clone(), f.content_type.clone(), f.bytes.clone())
        }
    };
    if !text {
        return Ok(Reply::new(200, &content_type, bytes).header(
            "content-disposition",
            format!("attachment; filename=\"{}\"", header_safe(&filename)),
        ));
    }
    let textual = content_type.starts_with("text/")
        || [".txt", ".md", ".csv", ".html", ".htm", ".rtf"]
            .iter()
            .any(|ext| filename.to_ascii_lowercase().ends_with(ext));
    if !textual {
        return Err(ApiError::new(
            404,
            crate::errors::RESOURCE_NOT_FOUND,
            "No text could be extracted from the file.",
        ));
    }
    let stem = filename
        .rsplit_once('.')
        .map_or(filename.as_str(), |(s, _)| s);
    let mut body = Vec::with_capacity(bytes.len() + 256);
    body.extend_from_slice(
        format!(
            "--{TEXT_BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}.txt\"\r\n\
             Content-Type: text/plain; charset=UTF-8\r\n\r\n",
            header_safe(stem)
        )
        .as_bytes(),
    );
    body.extend_from_slice(String::from_utf8_lossy(&bytes).as_bytes());
    body.extend_from_slice(format!("\r\n--{TEXT_BOUNDARY}--\r\n").as_bytes());
    Ok(Reply::new(
        200,
        &format!("multipart/form-data; boundary={TEXT_BOUNDARY}"),
        body,
    ))
}

fn upload(inner: &Inner, cust: &Customer, id: u64, req: &Req) -> ApiResult<Reply> {
    let ct = req.header("content-type").unwrap_or("");
    let boundary = multipart_boundary(ct).ok_or_else(|| {
        ApiError::bad_request(
            "resume: The file must be sent as multipart/form-data with a filename.",
        )
    })?;
    let part = parse_multipart(&req.body, &boundary)
        .into_iter()
        .find(|p| p.filename.is_some())
        .ok_or_else(|| ApiError::bad_request("resume: No file part with a filename was found."))?;
    if part.data.len() > inner.cfg.profiles.max_upload_bytes {
        return Err(ApiError::bad_request(
            "resume: The file exceeds the maximum upload size.",
        ));
    }
    let now = inner.now_minutes();
    let mut d = cust.write();
    let p = d
        .people
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found("Person"))?;
    p.resume = ResumeKind::Uploaded;
    p.updated = now;
    let filename = part.filename.unwrap_or_default();
    let content_type = part
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    d.files.insert(
        id as u32,
        StoredFile {
            filename,
            content_type,
            bytes: Bytes::copy_from_slice(part.data),
        },
    );
    Ok(Reply::empty(204))
}

fn header_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn multipart_boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    if !parts
        .next()?
        .trim()
        .eq_ignore_ascii_case("multipart/form-data")
    {
        return None;
    }
    parts
        .find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("boundary")
                .then(|| v.trim().trim_matches('"').to_string())
        })
        .filter(|b| !b.is_empty())
}

#[derive(Debug)]
pub struct Part<'a> {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: &'a [u8],
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Minimal multipart/form-data reader (RFC 7578): enough for file uploads from any client.
pub fn parse_multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    let Some(mut pos) = find(body, delim.as_bytes(), 0) else {
        return out;
    };
    loop {
        let after = pos + delim.len();
        if body.get(after..after + 2) == Some(b"--") {
            break;
        }
        let Some(head_start) = find(body, b"\r\n", after).map(|p| p + 2) else {
            break;
        };
        let Some(head_end) = find(body, b"\r\n\r\n", head_start) else {
            break;
        };
        let next_delim = format!("\r\n{delim}");
        let Some(next) = find(body, next_delim.as_bytes(), head_end + 4) else {
            break;
        };
        let head = String::from_utf8_lossy(&body[head_start..head_end]);
        let mut part = Part {
            name: None,
            filename: None,
            content_type: None,
            data: &body[head_end + 4..next],
        };
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                for param in v.split(';').skip(1) {
                    if let Some((pk, pv)) = param.trim().split_once('=') {
                        let pv = pv.trim().trim_matches('"').to_string();
                        match pk.trim() {
                            "name" => part.name = Some(pv),
                            "filename" => part.filename = Some(pv),
                            _ => {}
                        }
                    }
                }
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(v.trim().to_string());
            }
        }
        out.push(part);
        pos = next + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_file_part() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Resume.docx\"\r\n\
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\nPK\x03\x04data\r\n--XyZ--\r\n";
        let parts = parse_multipart(body, "XyZ");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].filename.as_deref(), Some("Resume.docx"));
        assert_eq!(parts[0].data, b"PK\x03\x04data");
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"XyZ\""),
            Some("XyZ".into())
        );
        assert_eq!(multipart_boundary("application/octet-stream"), None);
    }

    #[test]
    fn garbage_is_no_parts() {
        assert!(parse_multipart(b"not multipart at all", "b").is_empty());
        assert!(parse_multipart(b"--b\r\nno end", "b").is_empty());
    }
}
