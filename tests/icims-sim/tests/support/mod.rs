//! Test harness: one simulator per test on ephemeral ports, a pooled hyper client, and a raw
//! TCP client for faults that break HTTP itself (reset, truncated, timeout).

#![allow(dead_code)]

use base64::Engine;
use bytes::Bytes;
use http::{HeaderMap, Method};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use icims_sim::{IcimsSim, SimConfig, SimState};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// 2024-03-15 21:25:01 UTC: 9,299 s before midnight, like the captured iCIMS headers.
pub const START: i64 = 1_710_537_901;

pub struct Sim {
    pub sim: IcimsSim,
    pub client: Client<HttpConnector, Full<Bytes>>,
    pub basic: String,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// (errorCode, errorMessage) of the first error.
    pub fn error(&self) -> (i64, String) {
        let v = self.json();
        (
            v["errors"][0]["errorCode"].as_i64().expect("errorCode"),
            v["errors"][0]["errorMessage"]
                .as_str()
                .expect("errorMessage")
                .to_string(),
        )
    }
}

/// A config with a frozen clock at `START` and a small data set.
pub fn config() -> SimConfig {
    let mut cfg = SimConfig::default();
    cfg.clock.frozen = true;
    cfg.clock.start_unix = Some(START);
    cfg
}

impl Sim {
    pub async fn start(cfg: SimConfig) -> Sim {
        let sim = IcimsSim::start(cfg).await.expect("sim starts");
        let c = sim.state().credentials();
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", c.username, c.password))
        );
        Sim {
            sim,
            client: Client::builder(TokioExecutor::new()).build_http(),
            basic,
        }
    }

    pub fn state(&self) -> SimState {
        self.sim.state()
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}{}", self.sim.api_base_url(), path)
    }

    pub async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Resp {
        let mut b = http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let resp = self
            .client
            .request(b.body(Full::new(body.into())).unwrap())
            .await
            .expect("request succeeds");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// API call with Basic auth.
    pub async fn call(&self, method: Method, path: &str, body: &str) -> Resp {
        let url = self.api(path);
        let auth = self.basic.clone();
        self.send(
            method,
            &url,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.to_string(),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, "").await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::POST, path, &body.to_string()).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::PATCH, path, &body.to_string()).await
    }

    pub async fn search(&self, ty: &str, query: &Value) -> Resp {
        self.post(&format!("/customers/1234/search/{ty}"), query)
            .await
    }

    /// Ids of a successful search answer, checking the documented shape as it goes.
    pub async fn search_ids(&self, ty: &str, query: &Value) -> Vec<u64> {
        let r = self.search(ty, query).await;
        assert_eq!(r.status, 200, "{}", r.text());
        ids_of(&r.json())
    }

    pub async fn token_form(&self, form: &str) -> Resp {
        let url = format!("{}/oauth/token", self.sim.login_base_url());
        self.send(
            Method::POST,
            &url,
            &[("content-type", "application/x-www-form-urlencoded")],
            form.to_string(),
        )
        .await
    }

    pub fn good_token_form(&self) -> String {
        let c = self.state().credentials();
        format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&audience={}",
            c.client_id,
            c.client_secret,
            url::form_urlencoded::byte_serialize(c.audience.as_bytes()).collect::<String>()
        )
    }

    pub async fn token(&self) -> String {
        let r = self.token_form(&self.good_token_form()).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["access_token"].as_str().unwrap().to_string()
    }

    /// Sends raw bytes on a fresh connection and reads until the server closes it.
    /// `Err` when the connection was reset.
    pub async fn raw(&self, request: &str) -> std::io::Result<Vec<u8>> {
        let addr = self
            .sim
            .api_base_url()
            .trim_start_matches("http://")
            .to_string();
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        s.write_all(request.as_bytes()).await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok(out)
    }

    pub fn raw_get(&self, path: &str) -> String {
        format!(
            "GET {path} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nAuthorization: {}\r\n\r\n",
            self.basic
        )
    }
}

pub fn ids_of(v: &Value) -> Vec<u64> {
    v["searchResults"]
        .as_array()
        .expect("searchResults array")
        .iter()
        .map(|r| r["id"].as_u64().expect("numeric id"))
        .collect()
}
