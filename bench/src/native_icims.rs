//! The native baseline: a plain Rust iCIMS client that does per page exactly what the
//! connector component does (one token for the run; `POST /search/people` with `person.id >`
//! paging; one `GET /people/{id}?fields=…` per id with the connector's field list, 16 in
//! flight, answers in id order), maps the answers with the connector's own mapping code
//! ([`crate::native_mapping`]) to [`ats_model::Candidate`] and is
//! an [`ats_sync::RecordSource`], so the same `ats_sync::Engine` writes the same pages into
//! the mirror. People only: the plugin-tax figure is measured on the people stream.

use ats_model::{AtsRecord, ConnectorError, IdPage, ListRequest, Page, RecordKind};
use ats_sync::{RecordSource, SourceError};
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

/// The connector's person `fields=` list (guest/src/fields.rs, no custom fields configured).
pub static PERSON_FIELDS: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| icims_connector::fields::PERSON.join(","));
/// The most ids one search returns.
const PAGE_MAX: usize = 1000;
/// The connector's default `max-in-flight`.
pub const MAX_IN_FLIGHT: usize = 16;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Where and who: what the connector's settings and the host's secret give it.
#[derive(Clone, Debug)]
pub struct NativeConfig {
    pub api_base: String,
    pub login_base: String,
    pub customer_id: u64,
    pub client_id: String,
    pub client_secret: String,
    pub audience: String,
}

pub struct NativeIcims {
    config: NativeConfig,
    client: HttpClient,
    token: OnceCell<String>,
}

fn transient(e: impl std::fmt::Display) -> SourceError {
    SourceError::Connector(ConnectorError::Transient {
        message: e.to_string(),
    })
}

impl NativeIcims {
    pub fn new(config: NativeConfig) -> Self {
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(32)
            .build_http();
        NativeIcims {
            config,
            client,
            token: OnceCell::new(),
        }
    }

    /// Sends a request; the answer with its headers as the connector sees them (text values).
    async fn send(
        &self,
        method: http::Method,
        url: &str,
        content_type: Option<&str>,
        body: Bytes,
        auth: Option<&str>,
    ) -> Result<(u16, Vec<(String, String)>, Bytes), SourceError> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(url)
            .header("accept", "application/json");
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        if let Some(auth) = auth {
            builder = builder.header("authorization", auth);
        }
        let request = builder.body(Full::new(body)).map_err(transient)?;
        let response = self.client.request(request).await.map_err(transient)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                let value = match v.to_str() {
                    Ok(text) => text.to_string(),
                    Err(_) => String::from_utf8_lossy(v.as_bytes()).into_owned(),
                };
                (n.as_str().to_string(), value)
            })
            .collect();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(transient)?
            .to_bytes();
        Ok((status, headers, body))
    }

    /// The bearer token, fetched once per run (the host caches it the same way).
    async fn bearer(&self) -> Result<&str, SourceError> {
        self.token
            .get_or_try_init(|| async {
                let c = &self.config;
                let form = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("grant_type", "client_credentials")
                    .append_pair("client_id", &c.client_id)
                    .append_pair("client_secret", &c.client_secret)
                    .append_pair("audience", &c.audience)
                    .finish();
                let (status, _, body) = self
                    .send(
                        http::Method::POST,
                        &format!("{}/oauth/token", c.login_base),
                        Some("application/x-www-form-urlencoded"),
                        Bytes::from(form),
                        None,
                    )
                    .await?;
                if !(200..300).contains(&status) {
                    return Err(transient(format!("token: HTTP {status}")));
                }
                let v: Value = serde_json::from_slice(&body).map_err(transient)?;
                let token = v["access_token"]
                    .as_str()
                    .ok_or_else(|| transient("token answer without access_token"))?;
                Ok(format!("Bearer {token}"))
            })
            .await
            .map(String::as_str)
    }

    fn customer(&self) -> String {
        format!(
            "{}/customers/{}",
            self.config.api_base, self.config.customer_id
        )
    }

    /// One search page: ids after `after`, ascending, at most 1,000.
    pub async fn search(&self, after: u64) -> Result<Vec<u64>, SourceError> {
        let auth = self.bearer().await?.to_string();
        let body =
            json!({"filters":[{"name":"person.id","value":[after.to_string()],"operator":">"}]});
        let (status, _, body) = self
            .send(
                http::Method::POST,
                &format!("{}/search/people?staleness=0", self.customer()),
                Some("application/json"),
                Bytes::from(body.to_string()),
                Some(&auth),
            )
            .await?;
        if !(200..300).contains(&status) {
            return Err(transient(format!("search: HTTP {status}")));
        }
        let v: Value = serde_json::from_slice(&body).map_err(transient)?;
        Ok(v["searchResults"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r["id"].as_u64()).collect())
            .unwrap_or_default())
    }

    /// GETs the ids with `MAX_IN_FLIGHT` in flight, answers in id order.
    pub async fn fetch(&self, ids: &[u64]) -> Result<Vec<AtsRecord>, SourceError> {
        let auth = self.bearer().await?.to_string();
        let base = self.customer();
        // Like the connector: each answer is checked with its error rules (`errors` in the body,
        // quota headers) in the pass that parses it, and mapped as it arrives, with at most
        // `MAX_IN_FLIGHT` unordered in flight; "not found" means deleted since the search.
        let mut slots: Vec<Option<Result<Option<AtsRecord>, SourceError>>> =
            std::iter::repeat_with(|| None).take(ids.len()).collect();
        let mut answers = futures::stream::iter(ids.iter().copied().enumerate().map(|(i, id)| {
            let url = format!("{base}/people/{id}?fields={}", *PERSON_FIELDS);
            let auth = auth.clone();
            async move {
                let answer = async {
                    let (status, headers, body) = self
                        .send(http::Method::GET, &url, None, Bytes::new(), Some(&auth))
                        .await?;
                    let response = ats_connector_sdk::http::Response {
                        status,
                        headers,
                        body: body.to_vec(),
                    };
                    let checked = icims_connector::api::answer_text(response).and_then(|text| {
                        // Parsed as the connector parses people (borrowed JSON).
                        let v = text.parse_checked("people-get")?;
                        Ok(crate::native_mapping::candidate(id, &v, &text.text))
                    });
                    match checked {
                        Ok(candidate) => Ok(Some(AtsRecord::Candidate(candidate))),
                        Err(ats_connector_sdk::ConnectorError::NotFound(_)) => Ok(None),
                        Err(e) => Err(transient(format!("GET person {id}: {e:?}"))),
                    }
                };
                (i, answer.await)
            }
        }))
        .buffer_unordered(MAX_IN_FLIGHT);
        while let Some((i, answer)) = answers.next().await {
            slots[i] = Some(answer);
        }
        let answers = slots
            .into_iter()
            .map(|slot| slot.expect("every id is answered"));
        let mut records = Vec::with_capacity(ids.len());
        for answer in answers {
            records.extend(answer?);
        }
        Ok(records)
    }
}

fn after_of(cursor: &Option<String>) -> Result<u64, SourceError> {
    match cursor {
        None => Ok(0),
        Some(c) => c.parse().map_err(|_| {
            SourceError::Connector(ConnectorError::InvalidInput {
                message: format!("bad cursor {c}"),
            })
        }),
    }
}

fn people_only(kind: RecordKind) -> Result<(), SourceError> {
    if kind == RecordKind::Candidate {
        Ok(())
    } else {
        Err(SourceError::Connector(ConnectorError::Unsupported {
            message: format!("the native bench client reads people only, not {kind:?}"),
        }))
    }
}

impl RecordSource for NativeIcims {
    async fn list_records(
        &self,
        kind: RecordKind,
        request: ListRequest,
    ) -> Result<Page, SourceError> {
        people_only(kind)?;
        let after = after_of(&request.cursor)?;
        let ids = self.search(after).await?;
        let limit = request
            .page_size_hint
            .map_or(PAGE_MAX, |h| h as usize)
            .clamp(1, PAGE_MAX);
        let taken = &ids[..ids.len().min(limit)];
        let more = taken.len() < ids.len() || ids.len() >= PAGE_MAX;
        let records = self.fetch(taken).await?;
        Ok(Page {
            records,
            gone: Vec::new(),
            record_errors: Vec::new(),
            next_cursor: taken.last().filter(|_| more).map(|last| last.to_string()),
        })
    }

    async fn list_ids(
        &self,
        kind: RecordKind,
        cursor: Option<String>,
    ) -> Result<IdPage, SourceError> {
        people_only(kind)?;
        let ids = self.search(after_of(&cursor)?).await?;
        Ok(IdPage {
            next_cursor: ids
                .last()
                .filter(|_| ids.len() >= PAGE_MAX)
                .map(u64::to_string),
            ids: ids.iter().map(u64::to_string).collect(),
        })
    }

    async fn get(&self, kind: RecordKind, id: &str) -> Result<AtsRecord, SourceError> {
        people_only(kind)?;
        let gone = || {
            SourceError::Connector(ConnectorError::NotFound {
                message: format!("no person {id}"),
            })
        };
        let id: u64 = id.parse().map_err(|_| gone())?;
        self.fetch(&[id]).await?.pop().ok_or_else(gone)
    }
}
