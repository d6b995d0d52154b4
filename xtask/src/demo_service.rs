//! The demo's second half: the host as the service the platform calls (`ats serve`), a search
//! over its API, and an event iCIMS pushes (a status change) reaching the mirror without a
//! sync.

use crate::demo::{EVENT_SECRET, admin_call, first_id, http_call, step};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Stops `ats serve` when the demo ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ats` builds an `ats` command on the demo's data folder.
pub fn run(ats: &dyn Fn(&[&str]) -> Command, admin: &str, customer: &str) -> Result<()> {
    step("The host as a service: an API token for the platform (shown once, stored hashed)");
    let out = ats(&["token", "create", "--tenant", "default", "--label", "demo"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run `ats token create`")?;
    if !out.status.success() {
        bail!("`ats token create` failed with {}", out.status);
    }
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();

    step("ats serve: the platform's API and the receiver of iCIMS's events");
    let mut child = ats(&["serve", "--listen", "127.0.0.1:0", "--no-scheduler"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start `ats serve`")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("ats serve stdout")?)
        .read_line(&mut line)
        .context("`ats serve` printed nothing")?;
    let server = Server(child);
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .with_context(|| format!("unexpected first line of `ats serve`: {line}"))?
        .to_string();
    let auth = format!("Bearer {token}");
    let search = |body: &str| -> Result<serde_json::Value> {
        let answer = http_call(
            &url,
            "POST",
            "/v1/connections/icims-demo/search",
            &[("authorization", &auth)],
            body,
        )?;
        Ok(serde_json::from_str(&answer)?)
    };
    let found = search(r#"{"text":"Renamed","per_page":5}"#)?;
    println!(
        "  {url} (described at {url}/v1/openapi.json, metrics at {url}/metrics)\n  a search for \"Renamed\" (the person renamed above) found {} on the first page; try it yourself:\n  curl -s -H 'authorization: Bearer {token}' -H 'content-type: application/json' -d '{{\"text\":\"Renamed\"}}' {url}/v1/connections/icims-demo/search",
        found["hits"].as_array().map_or(0, Vec::len),
    );
    let sign_in = http_call(&url, "GET", "/admin/login", &[], "")?;
    if !sign_in.contains("Sign in") {
        bail!("the admin pages did not answer at {url}/admin/login");
    }
    println!(
        "  the admin pages, for people in a browser: {url}/admin (sign in with the token {token})"
    );

    step("iCIMS pushes an event: a recruiter moves an application, the mirror follows");
    admin_call(
        admin,
        "PUT",
        "/events",
        &serde_json::json!({
            "url": format!("{url}/v1/events/icims-demo"),
            "auth": {"mode": "hmac", "username": "icims-events", "key": EVENT_SECRET},
        })
        .to_string(),
    )?;
    let workflow = first_id(admin, customer, "applicantworkflows")?;
    let snapshot: serde_json::Value = serde_json::from_str(&admin_call(
        admin,
        "GET",
        &format!("/customers/{customer}/applicantworkflows/{workflow}"),
        "",
    )?)?;
    let person = snapshot["associatedprofile"]["id"].to_string();
    let job = snapshot["baseprofile"]["id"].to_string();
    let started = Instant::now();
    admin_call(
        admin,
        "PUT",
        &format!("/customers/{customer}/applicantworkflows/{workflow}/status"),
        r#"{"id":"C2028"}"#,
    )?;
    println!("  application {workflow} (person {person}, job {job}) moved to C2028 in iCIMS");
    let wanted = format!(r#"{{"status":["C2028"],"job":["{job}"],"per_page":100}}"#);
    while started.elapsed() < Duration::from_secs(30) {
        let hits = search(&wanted)?;
        let arrived = hits["hits"].as_array().is_some_and(|h| {
            h.iter()
                .any(|hit| hit["candidate_id"].as_str() == Some(person.as_str()))
        });
        if arrived {
            let sent: serde_json::Value =
                serde_json::from_str(&admin_call(admin, "GET", "/events", "")?)?;
            println!(
                "  the signed event was answered {}; the mirror shows the new status {} ms after the change, with no sync",
                sent["sent"][0]["answered"],
                started.elapsed().as_millis()
            );
            drop(server);
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("the status change did not reach the mirror within 30 s")
}
