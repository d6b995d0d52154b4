//! An `ats serve` process on an ephemeral port over a data folder with two tenants' connections
//! to one simulator, and a small HTTP client for it.

#![allow(dead_code)]

use crate::cli_support::{ats, component, ok, served_url};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use icims_sim::{IcimsSim, SimConfig};
use serde_json::Value;
use std::path::PathBuf;
use tokio::process::Child;

pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The error's `code` (panics on a success).
    pub fn code(&self) -> String {
        let v = self.json();
        v["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: not an error: {v}", self.status))
            .to_string()
    }
}

pub const CLIENT_SECRET_MARK: &str = "client secret";

/// The settings the `icims` template leaves to the tenant (besides the `client-secret` secret).
pub const TENANT_SETTINGS: [&str; 2] = ["customer-id", "client-id"];

/// Two tenants (`acme`, `beta`), each with one connection (`acme-icims`, `beta-icims`) to the
/// simulator's customer, both synced; a token for each; `ats serve` running.
pub struct Served {
    pub sim: IcimsSim,
    pub dir: tempfile::TempDir,
    pub data: PathBuf,
    pub url: String,
    pub acme: String,
    pub beta: String,
    pub secret: String,
    pub server: Child,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Served {
    pub async fn start(config: SimConfig, serve_args: &[&str]) -> Served {
        Served::start_with(config, serve_args, &[], &[]).await
    }

    /// As [`Served::start`], with more settings and secrets (`key`, file content) in both
    /// connection files.
    pub async fn start_with(
        config: SimConfig,
        serve_args: &[&str],
        settings: &[(&str, &str)],
        secrets: &[(&str, &str)],
    ) -> Served {
        let sim = IcimsSim::start(config).await.unwrap();
        let creds = sim.state().credentials();
        let cid = creds.customer_ids[0];
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
        for (name, tenant) in [("acme-icims", "acme"), ("beta-icims", "beta")] {
            let file = dir.path().join(format!("{name}.toml"));
            let mut toml = sim.connection_toml(name, &component(), cid, "secret", settings);
            // `[secrets]` is the file's last table: more secrets go at the end.
            for (key, value) in secrets {
                let path = dir.path().join(format!("secret-{key}"));
                std::fs::write(&path, value).unwrap();
                toml.push_str(&format!(
                    "{key} = {{ file = {:?} }}\n",
                    path.display().to_string()
                ));
            }
            std::fs::write(&file, format!("tenant = {tenant:?}\n{toml}")).unwrap();
            ok(ats(&data, &["connect", file.to_str().unwrap()])).await;
            ok(ats(&data, &["sync", name])).await;
        }
        let token = |tenant: &'static str| {
            let data = data.clone();
            async move {
                ok(ats(&data, &["token", "create", "--tenant", tenant]))
                    .await
                    .trim()
                    .to_string()
            }
        };
        let (acme, beta) = (token("acme").await, token("beta").await);
        // The operator's template tenants make connections from: where the simulator is and
        // how it maps statuses; the customer, client id and secret are the tenant's to give.
        let templates = dir.path().join("templates");
        std::fs::create_dir(&templates).unwrap();
        let fixed: String = sim
            .connector_settings(cid)
            .iter()
            .filter(|(k, _)| !TENANT_SETTINGS.contains(&k.as_str()))
            .map(|(k, v)| format!("{k} = {v:?}\n"))
            .collect();
        std::fs::write(
            templates.join("icims.toml"),
            format!(
                "name = \"icims\"\nplugin = {:?}\n{}[settings]\n{fixed}",
                component().display().to_string(),
                sim.grant_toml()
            ),
        )
        .unwrap();
        let templates = templates.display().to_string();
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--templates",
            templates.as_str(),
        ];
        args.extend_from_slice(serve_args);
        let mut server = ats(&data, &args).env("RUST_LOG", "info").spawn().unwrap();
        let url = served_url(&mut server, std::time::Duration::from_secs(60)).await;
        Served {
            sim,
            dir,
            data,
            url,
            acme,
            beta,
            secret: creds.client_secret.clone(),
            server,
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Answer {
        let mut request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let answer = self
            .client
            .request(request.body(Full::new(body.into())).unwrap())
            .await
            .expect("the service answers");
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let body = answer.into_body().collect().await.unwrap().to_bytes();
        assert!(
            !String::from_utf8_lossy(&body).contains(&self.secret),
            "an answer holds the client secret"
        );
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send("GET", path, Some(token), &[], "").await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.send("DELETE", path, Some(token), &[], "").await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.send(
            "POST",
            path,
            Some(token),
            &[("content-type", "application/json")],
            body.to_string(),
        )
        .await
    }

    /// Stops the service with SIGTERM; returns its exit status and what it logged.
    pub async fn stop(self) -> (std::process::ExitStatus, String) {
        let pid = self.server.id().expect("running") as i32;
        // SAFETY-free: `kill` is a plain syscall wrapper taking integers.
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let out = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            self.server.wait_with_output(),
        )
        .await
        .expect("ats serve stops within 30 s of SIGTERM")
        .unwrap();
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}
