//! The one HTTP client of a [`Runtime`](crate::Runtime): pooled connections per host, HTTP and
//! HTTPS (rustls with the Mozilla roots), and real timeouts.
//!
//! wasmtime's `default_send_request` opens a new connection per request and waits up to 600 s
//! by default; a connector that sends thousands of GETs to one API host needs keep-alive, and
//! a stuck server must fail the request in seconds, not minutes. A plugin may ask for shorter
//! timeouts per request (`wasi:http` request options) but never longer than configured here.

use crate::error::RuntimeError;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody};

/// Timeouts and pooling of outgoing HTTP.
#[derive(Debug, Clone)]
pub struct HttpClientConfig {
    /// Longest wait for a TCP (and TLS) connection. Default 10 s.
    pub connect_timeout: Duration,
    /// Longest wait for the response head after sending. Default 60 s.
    pub first_byte_timeout: Duration,
    /// Longest silence while reading a response body. Default 30 s.
    pub between_bytes_timeout: Duration,
    /// How long an idle pooled connection is kept. Default 90 s.
    pub pool_idle_timeout: Duration,
    /// Idle connections kept per host. Default 32.
    pub max_idle_per_host: usize,
    /// Largest request body a plugin may send. Bodies are buffered so a request can be sent
    /// again after a token refresh. Default 25 MiB.
    pub max_request_body_bytes: usize,
}

impl Default for HttpClientConfig {
    fn default() -> Self {
        HttpClientConfig {
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(60),
            between_bytes_timeout: Duration::from_secs(30),
            pool_idle_timeout: Duration::from_secs(90),
            max_idle_per_host: 32,
            max_request_body_bytes: 25 << 20,
        }
    }
}

/// The effective timeouts of one request: the plugin's, clamped to the configured maxima.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) first_byte: Duration,
    pub(crate) between_bytes: Duration,
}

impl Timeouts {
    pub(crate) fn clamp(config: &HttpClientConfig, options: Option<&RequestOptions>) -> Timeouts {
        let pick = |asked: Option<Duration>, max: Duration| asked.map_or(max, |a| a.min(max));
        Timeouts {
            connect: pick(
                options.and_then(|o| o.connect_timeout),
                config.connect_timeout,
            ),
            first_byte: pick(
                options.and_then(|o| o.first_byte_timeout),
                config.first_byte_timeout,
            ),
            between_bytes: pick(
                options.and_then(|o| o.between_bytes_timeout),
                config.between_bytes_timeout,
            )
            .max(Duration::from_millis(1)),
        }
    }
}

/// A pooled HTTP/HTTPS client. Cheap to clone.
#[derive(Clone)]
pub(crate) struct HttpClient {
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    pub(crate) config: Arc<HttpClientConfig>,
}

impl HttpClient {
    pub(crate) fn new(config: &HttpClientConfig) -> Result<HttpClient, RuntimeError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.into(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| RuntimeError::HttpClient(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(config.connect_timeout));
        http.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_max_idle_per_host(config.max_idle_per_host)
            .build(https);
        Ok(HttpClient {
            client,
            config: Arc::new(config.clone()),
        })
    }

    /// Sends a request and waits for the response head within `connect + first_byte`.
    pub(crate) async fn send(
        &self,
        request: http::Request<Bytes>,
        timeouts: Timeouts,
    ) -> Result<http::Response<Incoming>, Error> {
        let request = request.map(Full::new);
        let wait = timeouts.connect + timeouts.first_byte;
        match tokio::time::timeout(wait, self.client.request(request)).await {
            Err(_) => Err(Error::ConnectionReadTimeout),
            Ok(Err(e)) => Err(map_client_error(&e)),
            Ok(Ok(response)) => Ok(response),
        }
    }
}

fn map_client_error(error: &hyper_util::client::legacy::Error) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::TimedOut => Error::ConnectionTimeout,
                std::io::ErrorKind::ConnectionRefused => Error::ConnectionRefused,
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => {
                    Error::ConnectionTerminated
                }
                std::io::ErrorKind::InvalidData => Error::TlsProtocolError,
                _ if io.to_string().contains("dns error") => Error::DnsError {
                    rcode: Some(io.to_string()),
                    info_code: None,
                },
                _ => Error::ConnectionRefused,
            };
        }
        source = e.source();
    }
    if error.is_connect() {
        let text = error.to_string();
        if text.contains("dns") {
            return Error::DnsError {
                rcode: Some(text),
                info_code: None,
            };
        }
        return Error::ConnectionRefused;
    }
    Error::HttpProtocolError
}

/// Wraps a response body for the plugin, failing it after `between_bytes` of silence.
pub(crate) fn plugin_body(body: Incoming, between_bytes: Duration) -> WasiBody {
    TimedBody {
        inner: body,
        timeout: between_bytes,
        silence: None,
    }
    .boxed_unsync()
}

/// A body the host wrote itself (a refusal it reports as an HTTP answer).
pub(crate) fn host_body(text: impl Into<Bytes>) -> WasiBody {
    Full::new(text.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A response body with a between-bytes timeout.
///
/// The timer is armed only while the body has nothing to give: most answers are read in one
/// poll that finds the data already there, and resetting a timer on every frame wakes the
/// runtime's timer driver (a syscall when the reader is not on a runtime thread).
struct TimedBody {
    inner: Incoming,
    timeout: Duration,
    /// Armed at the first poll that found no data since the last frame; `None` after a frame.
    silence: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                this.silence = None;
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Error::Hyper(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let timeout = this.timeout;
                let silence = this
                    .silence
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match silence.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Error::ConnectionReadTimeout))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Reads a body to the end, failing once it exceeds `limit` bytes.
pub(crate) async fn collect_capped<B>(body: B, limit: usize) -> Result<Bytes, Error>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    let mut body = body;
    let mut buffer = bytes::BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Error::InternalError(Some(e.to_string())))?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > limit {
                return Err(Error::HttpRequestBodySize(Some(
                    (buffer.len() + data.len()) as u64,
                )));
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer.freeze())
}

/// Reads and discards up to `limit` bytes of a body the host refused, so the plugin's write
/// completes and it sees the refusal instead of a broken stream. Gives up after `wait`.
pub(crate) async fn drain(body: WasiBody, limit: usize, wait: Duration) {
    let _ = tokio::time::timeout(wait, async move {
        let mut body = body;
        let mut seen = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                seen += data.len();
                if seen > limit {
                    break;
                }
            }
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_timeouts_are_clamped_to_the_configured_maxima() {
        let config = HttpClientConfig::default();
        let asked = RequestOptions {
            connect_timeout: Some(Duration::from_secs(600)),
            first_byte_timeout: Some(Duration::from_secs(5)),
            between_bytes_timeout: None,
        };
        let t = Timeouts::clamp(&config, Some(&asked));
        assert_eq!(t.connect, Duration::from_secs(10));
        assert_eq!(t.first_byte, Duration::from_secs(5));
        assert_eq!(t.between_bytes, Duration::from_secs(30));
    }

    /// Serves one answer whose 24-byte body comes in six parts, `gap` apart.
    async fn trickling_server(gap: Duration) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-length: 24\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            for part in ["abcd", "efgh", "ijkl", "mnop", "qrst", "uvwx"] {
                socket.write_all(part.as_bytes()).await.unwrap();
                socket.flush().await.unwrap();
                tokio::time::sleep(gap).await;
            }
        });
        format!("http://{address}/")
    }

    async fn read_with_between_bytes(url: &str, between: Duration) -> Result<Bytes, Error> {
        let client = HttpClient::new(&HttpClientConfig::default()).unwrap();
        let request = http::Request::get(url).body(Bytes::new()).unwrap();
        let timeouts = Timeouts {
            connect: Duration::from_secs(5),
            first_byte: Duration::from_secs(5),
            between_bytes: between,
        };
        let response = client.send(request, timeouts).await?;
        let body = plugin_body(response.into_body(), between);
        Ok(body.collect().await?.to_bytes())
    }

    #[tokio::test]
    async fn a_body_that_keeps_coming_is_read_whole() {
        // Each gap is shorter than the timeout, the whole body is not: the silence is measured
        // from the last frame, not from the start.
        let url = trickling_server(Duration::from_millis(300)).await;
        let body = read_with_between_bytes(&url, Duration::from_secs(1)).await;
        assert_eq!(
            body.unwrap(),
            Bytes::from_static(b"abcdefghijklmnopqrstuvwx")
        );
    }

    #[tokio::test]
    async fn a_body_that_stalls_fails_after_the_between_bytes_timeout() {
        let url = trickling_server(Duration::from_secs(30)).await;
        let body = read_with_between_bytes(&url, Duration::from_millis(200)).await;
        assert!(
            matches!(body, Err(Error::ConnectionReadTimeout)),
            "{body:?}"
        );
    }
}
