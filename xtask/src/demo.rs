//! The main job on the embedded default: a local iCIMS simulator with generated data, the
//! iCIMS connector loaded by the host, a full sync into the SQLite mirror, changes made as a
//! recruiter would through the simulator's side door, an incremental sync, and the results.

use crate::{plugins, process};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The HMAC key iCIMS signs its events with (the demo's; a real one is the customer's).
pub(crate) const EVENT_SECRET: &str = "demo-event-key";

/// The simulated customer's status ids, mapped to generic stages (see tests/icims-sim/README.md).
const STATUS_MAP: &str = "new=D10100;screening=C2028,C12295;interview=C12296;offer=C22001,C23504;hired=C23505;rejected=C36951;withdrawn=C38354";
const JOB_STATE_MAP: &str = "open=D31001;draft=D31002;on-hold=D31004;closed=D31006,D31007";

/// Kills the simulator when the demo ends, however it ends.
struct Simulator(Child);

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(people: u32, latency_ms: u64) -> Result<()> {
    plugins::build()?;
    process::cargo(&["build", "-p", "icims-sim", "-p", "ats-cli"])?;
    let root = process::workspace_root();
    let bin = root.join("target/debug");
    let demo_dir = root.join(".demo");
    if demo_dir.exists() {
        std::fs::remove_dir_all(&demo_dir).context("cannot clear .demo/")?;
    }
    std::fs::create_dir_all(&demo_dir)?;

    let jobs = (people / 50).max(5);
    let workflows = people + people / 2;
    step(&format!(
        "Starting the iCIMS simulator: {people} people, {jobs} jobs, {workflows} applications"
    ));
    let mut child = Command::new(bin.join("icims-sim"))
        .args(["--people", &people.to_string(), "--jobs", &jobs.to_string()])
        .args(["--workflows", &workflows.to_string(), "--seed", "7"])
        .args(["--latency-ms", &latency_ms.to_string(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start the simulator")?;
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().context("simulator stdout")?)
        .read_line(&mut first_line)
        .context("the simulator printed nothing")?;
    let sim = Simulator(child);
    let info: serde_json::Value = serde_json::from_str(&first_line)
        .with_context(|| format!("unexpected simulator output: {first_line}"))?;
    let text = |key: &str| -> Result<String> {
        match &info[key] {
            serde_json::Value::String(s) => Ok(s.clone()),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            _ => bail!("the simulator's JSON line has no `{key}`: {first_line}"),
        }
    };
    let (api, login, admin) = (
        text("api_base_url")?,
        text("login_base_url")?,
        text("admin_base_url")?,
    );
    let customer = text("customer_id")?;
    println!("  API {api}\n  login {login}\n  side door {admin}");

    let plugin = root.join("target/wasm32-wasip2/release/icims_connector.wasm");
    let connection_file = demo_dir.join("icims-demo.toml");
    std::fs::write(
        &connection_file,
        format!(
            r#"# A connection to the local simulator, written by `cargo xtask demo`.
name = "icims-demo"
plugin = "{plugin}"

# What the operator grants: credentials go only to the API host, the client secret only to the
# token URL. Plain http:// only because the simulator is a loopback test server.
[grant]
api_hosts = ["{api}"]
token_url = "{login}/oauth/token"

[settings]
customer-id = "{customer}"
environment = "sandbox"
api-base-url = "{api}"
login-base-url = "{login}"
client-id = "{client_id}"
status-map = "{STATUS_MAP}"
job-state-map = "{JOB_STATE_MAP}"
search-staleness-minutes = "0"
# iCIMS pushes a workflow's status changes; the host checks each delivery's HMAC signature.
event-auth = "hmac"
event-username = "icims-events"
# The tenant's custom person fields for LinkedIn, current title, employer and skills.
linkedin-field = "field50527"
title-field = "field51027"
company-field = "field51028"
skills-field = "field51029"

[secrets]
client-secret = {{ env = "ICIMS_CLIENT_SECRET" }}
event-secret = {{ env = "ICIMS_EVENT_SECRET" }}
"#,
            plugin = plugin.display(),
            client_id = text("client_id")?,
        ),
    )?;
    let secret = text("client_secret")?;
    let data_dir = demo_dir.join("data");
    let ats = |args: &[&str]| -> Command {
        let mut command = Command::new(bin.join("ats"));
        command
            .arg("--data-dir")
            .arg(&data_dir)
            .args(args)
            .env("ICIMS_CLIENT_SECRET", &secret)
            .env("ICIMS_EVENT_SECRET", EVENT_SECRET)
            .current_dir(&root);
        command
    };

    let run = |args: &[&str]| process::run(ats(args));

    step("What the iCIMS connector declares");
    run(&["describe", &plugin.display().to_string()])?;
    step("Connecting: the host checks credentials and every permission first");
    run(&["connect", &connection_file.display().to_string()])?;
    step("Full sync into the local mirror");
    run(&["sync", "icims-demo"])?;

    step("A recruiter changes data in iCIMS (through the simulator's side door)");
    let person = first_id(&admin, &customer, "people")?;
    admin_call(
        &admin,
        "PATCH",
        &format!("/customers/{customer}/people/{person}"),
        r#"{"firstname":"Renamed","lastname":"In-iCIMS"}"#,
    )?;
    println!("  person {person} renamed to 'Renamed In-iCIMS'");
    let workflow = first_id(&admin, &customer, "applicantworkflows")?;
    admin_call(
        &admin,
        "PUT",
        &format!("/customers/{customer}/applicantworkflows/{workflow}/status"),
        r#"{"id":"C12296"}"#,
    )?;
    println!("  application {workflow} moved to C12296 (Interview - Hiring Manager)");

    step("Incremental sync: only what changed is read again");
    run(&["sync", "icims-demo"])?;
    step("Where each stream stands");
    run(&["status", "icims-demo"])?;
    step("Review: job 1001's applicants ranked by fit, each score explained");
    run(&["review", "icims-demo", "1001", "--limit", "8"])?;
    step("Rediscovery: people who did not apply to job 1001, best fit first");
    run(&["rediscover", "icims-demo", "1001", "--per-page", "8"])?;

    crate::demo_service::run(&ats, &admin, &customer)?;
    drop(sim);
    println!(
        "\nThe mirror is at {}; run `target/debug/ats --data-dir {} --help` to explore it.",
        data_dir.join("mirror.sqlite").display(),
        data_dir.display()
    );
    Ok(())
}

pub(crate) fn step(title: &str) {
    println!("\n== {title}");
}

/// The lowest record id of a type, through the side door.
pub(crate) fn first_id(admin: &str, customer: &str, record_type: &str) -> Result<String> {
    let body = admin_call(
        admin,
        "GET",
        &format!("/customers/{customer}/{record_type}?limit=1"),
        "",
    )?;
    let value: serde_json::Value =
        serde_json::from_str(&body).with_context(|| format!("side door answered: {body}"))?;
    let id = value
        .as_array()
        .and_then(|a| a.first())
        .or_else(|| {
            value
                .get("records")
                .and_then(|r| r.as_array())
                .and_then(|a| a.first())
        })
        .and_then(|r| r.get("id"))
        .with_context(|| format!("no {record_type} in: {body}"))?;
    Ok(match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// One request to the simulator's side door (see [`http_call`]).
pub(crate) fn admin_call(base: &str, method: &str, path: &str, body: &str) -> Result<String> {
    http_call(base, method, path, &[], body)
}

/// One HTTP/1.1 request on loopback; the body of a 2xx answer (keeps xtask free of an HTTP
/// client dependency).
pub(crate) fn http_call(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<String> {
    let authority = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream =
        TcpStream::connect(authority).with_context(|| format!("cannot reach {base}"))?;
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).unwrap_or("?");
    if !status.starts_with('2') {
        bail!("{base} {method} {path} answered {status}: {body}");
    }
    Ok(body.to_string())
}
