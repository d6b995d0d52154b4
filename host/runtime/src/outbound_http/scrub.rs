//! Scrubbing answers before the plugin reads them: a response header or body that echoes a
//! credential the host added (an ATS or proxy echoing request headers, a debug endpoint) must
//! not hand that credential to the plugin, which could then log it or send it elsewhere.
//!
//! Each occurrence is overwritten by a mask of the same length, so `content-length` stays true
//! and the answer's framing is untouched. The body is scrubbed as it streams: the last
//! `longest - 1` bytes of each frame are held back until the next frame shows whether a value
//! continues across the boundary.

use crate::secrets::{Secret, mask_in_place};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::{Body, Frame};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use wasmtime_wasi_http::{Error, WasiBody};

/// Masks every needle in the header values (the value becomes `[redacted]`).
pub(crate) fn scrub_headers(headers: &mut http::HeaderMap, needles: &[Secret]) -> usize {
    let mut masked = 0;
    for value in headers.values_mut() {
        let bytes = value.as_bytes();
        if needles
            .iter()
            .any(|n| memchr::memmem::find(bytes, n.expose().as_bytes()).is_some())
        {
            *value = http::HeaderValue::from_static("[redacted]");
            masked += 1;
        }
    }
    masked
}

/// Wraps a body so every needle in it is masked before the plugin reads it.
pub(crate) fn scrub_body(body: WasiBody, needles: Arc<[Secret]>) -> WasiBody {
    if needles.is_empty() {
        return body;
    }
    let keep = needles.iter().map(|n| n.expose().len()).max().unwrap_or(1) - 1;
    ScrubbedBody {
        inner: body,
        needles,
        keep,
        carry: BytesMut::new(),
        done: false,
    }
    .boxed_unsync()
}

/// True when `data` holds no needle and does not end with the start of one (which the next
/// frame could complete).
fn is_clean(data: &[u8], needles: &[Secret]) -> bool {
    needles.iter().all(|needle| {
        let needle = needle.expose().as_bytes();
        memchr::memmem::find(data, needle).is_none()
            && (1..needle.len().min(data.len() + 1)).all(|k| !data.ends_with(&needle[..k]))
    })
}

struct ScrubbedBody {
    inner: WasiBody,
    needles: Arc<[Secret]>,
    /// Bytes held back at the end of each frame (the longest needle, less one).
    keep: usize,
    carry: BytesMut,
    done: bool,
}

impl Body for ScrubbedBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = &mut *self;
        loop {
            if this.done {
                if this.carry.is_empty() {
                    return Poll::Ready(None);
                }
                let rest = this.carry.split().freeze();
                return Poll::Ready(Some(Ok(Frame::data(rest))));
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    mask_in_place(&mut this.carry, &this.needles);
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => {
                    let data = match frame.into_data() {
                        Ok(data) => data,
                        // Trailers: pass them on after what is held back.
                        Err(frame) => return Poll::Ready(Some(Ok(frame))),
                    };
                    // The usual case, an answer with no credential in it, costs no copy.
                    if this.carry.is_empty() && is_clean(&data, &this.needles) {
                        return Poll::Ready(Some(Ok(Frame::data(data))));
                    }
                    this.carry.extend_from_slice(&data);
                    mask_in_place(&mut this.carry, &this.needles);
                    if this.carry.len() > this.keep {
                        let ready = this.carry.len() - this.keep;
                        let out = this.carry.split_to(ready).freeze();
                        return Poll::Ready(Some(Ok(Frame::data(out))));
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done && self.carry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(chunks: Vec<&'static str>) -> WasiBody {
        let frames = futures::stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, Error>(Frame::data(Bytes::from_static(c.as_bytes())))),
        );
        http_body_util::StreamBody::new(frames).boxed_unsync()
    }

    async fn read(body: WasiBody) -> String {
        let bytes = body.collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_value_split_across_frames_is_masked() {
        let needles: Arc<[Secret]> = Arc::from(vec![Secret::new("s3cr3t-token-value")]);
        let body = scrub_body(
            body_of(vec!["{\"echo\":\"Bearer s3cr3t-to", "ken-value\",\"n\":1}"]),
            needles,
        );
        let text = read(body).await;
        assert_eq!(text, "{\"echo\":\"Bearer [redacted]********\",\"n\":1}");
    }

    #[tokio::test]
    async fn a_body_without_secrets_is_unchanged() {
        let body = scrub_body(
            body_of(vec!["plain ", "answer ", "in three frames"]),
            Arc::from(vec![Secret::new("not-in-here-at-all")]),
        );
        assert_eq!(read(body).await, "plain answer in three frames");
    }

    #[tokio::test]
    async fn a_value_whose_start_ends_a_clean_looking_frame_is_still_masked() {
        // The first frame alone holds no needle, only its first bytes at the very end.
        let needles: Arc<[Secret]> = Arc::from(vec![Secret::new("abcdefghij")]);
        let body = scrub_body(body_of(vec!["xyz abc", "defghij tail"]), needles);
        assert_eq!(read(body).await, "xyz [redacted] tail");
    }

    #[test]
    fn echoed_header_values_are_replaced() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "x-echo-authorization",
            "Basic YWxpY2U6aHVudGVyMjI=".parse().unwrap(),
        );
        headers.insert("content-type", "application/json".parse().unwrap());
        let masked = scrub_headers(&mut headers, &[Secret::new("YWxpY2U6aHVudGVyMjI=")]);
        assert_eq!(masked, 1);
        assert_eq!(headers["x-echo-authorization"], "[redacted]");
        assert_eq!(headers["content-type"], "application/json");
    }
}
