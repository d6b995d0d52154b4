//! The figures, grouped by the data set they share (one simulator per group).

use crate::cpu;
use crate::env::{self, CONN, Env};
use crate::mem;
use crate::native_icims::{NativeConfig, NativeIcims};
use crate::report::{Report, quantile_ms, verdict};
use crate::{Args, Scale};
use ats_app::host::Host;
use ats_app::host::StoreUrl;
use ats_app::live_connection::LiveConnection;
use ats_app::sync_runner::{StreamReport, SyncOptions, sync_connection};
use ats_features::export::{ExportOptions, PlatformCandidate, ResumeInput};
use ats_mirror::{ConnectionRow, Mirror, MirrorStore, SearchQuery};
use ats_mirror_sqlite::SqliteMirror;
use ats_model::{AtsRecord, JobState, RecordKind, Stage};
use ats_runtime::{ConnectionSpec, NoObserver};
use ats_sync::{Engine, EngineConfig, NoProgress, QuotaMeter, RunEnd, StreamRun};
use base64::Engine as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What the memory figure compares across the two loads.
#[derive(Default, Clone, Copy)]
pub(crate) struct PeopleLoadMemory {
    people: u64,
    rss_before: u64,
    hwm: u64,
}

pub async fn run_all(args: &Args, scale: Scale, report: &Report) -> anyhow::Result<()> {
    if let Some(path) = &args.mirror {
        anyhow::ensure!(
            path.is_file(),
            "{} is not a file: keep a mirror first with `--keep-mirror FILE`",
            path.display()
        );
        println!("\n## Rediscovery on the kept mirror {}", path.display());
        let mirror = SqliteMirror::open(path)?;
        let people = mirror.ids(CONN, RecordKind::Candidate).await?.len();
        rediscovery(&mirror, people, "SQLite", report).await?;
        crate::fit_quality::latency_on(&mirror, people, report).await?;
        println!("\n## The service's search on the kept mirror");
        return crate::service::api_search(StoreUrl::Sqlite(path.clone()), people, report).await;
    }
    if let Some(url) = &args.pg_mirror {
        return crate::postgres::rediscovery_on_kept(url, report).await;
    }
    let mut memory = Vec::new();
    if [
        "calls",
        "plugin-tax",
        "incremental",
        "export",
        "sim",
        "memory",
        "api-export",
        "events",
        "api-load",
    ]
    .iter()
    .any(|f| args.wants(f))
    {
        memory.push(load_group(args, scale, report).await?);
    }
    if ["throughput", "rediscovery", "memory", "api-search"]
        .iter()
        .any(|f| args.wants(f))
    {
        memory.push(big_group(args, scale, report).await?);
    }
    if args.wants("memory") {
        memory_figure(&memory, report);
    }
    if args.wants("fit") {
        crate::fit_quality::fit_group(scale, report).await?;
    }
    if args.wants("latency") {
        latency_figure(scale, report).await?;
    }
    if args.wants("tenants") {
        tenants_figure(scale, report).await?;
    }
    if args.wants("postgres") {
        crate::postgres::writes_figure(scale, report).await?;
    }
    if args.wants("pg-rediscovery") {
        crate::postgres::rediscovery_figure(scale, args.keep_pg.clone(), report).await?;
    }
    if args.wants("scale-out") {
        crate::scale_out::scale_out_figure(scale, report).await?;
    }
    Ok(())
}

/// The connector's stream names by kind.
fn stream_names(live: &LiveConnection, kinds: &[RecordKind]) -> Vec<String> {
    live.connection
        .info()
        .streams
        .iter()
        .filter(|s| kinds.contains(&s.kind))
        .map(|s| s.name.clone())
        .collect()
}

async fn sync_kinds(
    host: &Host,
    live: &LiveConnection,
    kinds: &[RecordKind],
) -> anyhow::Result<Vec<StreamReport>> {
    let options = SyncOptions {
        streams: stream_names(live, kinds),
        ..SyncOptions::default()
    };
    let reports = sync_connection(host, live, &options, &NoProgress).await?;
    for r in &reports {
        if r.outcome != "completed" {
            anyhow::bail!("stream {} {}: {:?}", r.stream, r.outcome, r.error);
        }
        println!(
            "    {:<13} {:>8} records {:>7} requests {:>8.1} s ({:.0} records/s)",
            r.stream,
            r.records,
            r.requests,
            r.seconds,
            r.records as f64 / r.seconds.max(1e-9)
        );
    }
    Ok(reports)
}

/// Syncs lists and jobs, then people (timed, memory watched), then applications.
pub(crate) async fn full_load(
    host: &Host,
    live: &LiveConnection,
) -> anyhow::Result<(Vec<StreamReport>, StreamReport, PeopleLoadMemory)> {
    let mut reports = sync_kinds(
        host,
        live,
        &[RecordKind::Status, RecordKind::Folder, RecordKind::Job],
    )
    .await?;
    let rss_before = mem::rss();
    let reset = mem::reset_hwm();
    let people = sync_kinds(host, live, &[RecordKind::Candidate]).await?;
    let hwm = mem::hwm();
    if !reset {
        println!("    (could not reset VmHWM: the peak below may predate this load)");
    }
    let people = people.into_iter().next().expect("a people stream");
    reports.push(people.clone());
    reports.extend(sync_kinds(host, live, &[RecordKind::Application]).await?);
    let memory = PeopleLoadMemory {
        people: people.records,
        rss_before,
        hwm,
    };
    Ok((reports, people, memory))
}

pub(crate) async fn start_env(
    people: u32,
    jobs: u32,
    workflows: u32,
    latency: u64,
) -> anyhow::Result<Env> {
    let t = Instant::now();
    let env = env::start(env::sim_config(people, jobs, workflows, latency)).await?;
    println!(
        "  simulator: {people} people, {jobs} jobs, {workflows} applications, latency {latency} ms, generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(env)
}

/// calls per record, plugin tax, incremental run, export latency, simulator req/s.
async fn load_group(
    args: &Args,
    scale: Scale,
    report: &Report,
) -> anyhow::Result<PeopleLoadMemory> {
    println!(
        "\n## Load of {} people, {} jobs, {} applications",
        scale.load, scale.jobs, scale.load
    );
    let env = start_env(scale.load, scale.jobs, scale.load, 0).await?;
    let live = env.connect(&env.host, CONN).await?;
    let state = env.sim.state();
    state.reset_counters();
    let t = Instant::now();
    let (reports, _, memory) = full_load(&env.host, &live).await?;
    let wall = t.elapsed().as_secs_f64();
    let counters = state.counters();
    let records: u64 = reports
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RecordKind::Candidate | RecordKind::Job | RecordKind::Application
            )
        })
        .map(|r| r.records)
        .sum();
    if args.wants("calls") {
        let ratio = counters.total as f64 / records as f64;
        report.add(
            &format!("iCIMS calls per record (full load, {} people + jobs + applications)", scale.load),
            format!(
                "{ratio:.4} ({} requests / {records} records: {} token, {} searches, {} GETs, {} list calls; {:.0} records/s overall)",
                counters.total,
                counters.token,
                counters.endpoints_with_prefix("search"),
                counters.endpoints_with_prefix("get"),
                counters.endpoint("lists"),
                records as f64 / wall
            ),
            "<= 1.002",
            "",
            verdict(ratio <= 1.002),
        );
    }
    if args.wants("plugin-tax") {
        plugin_tax(&env, &live, report).await?;
    }
    if args.wants("incremental") {
        incremental(&env, &live, scale, report).await?;
    }
    if args.wants("export") {
        export_latency(&env, scale, report).await?;
    }
    if args.wants("api-export") {
        crate::service::api_export(&env, scale.exports, report).await?;
    }
    if args.wants("events") {
        crate::service_load::event_freshness(&env, 50, report).await?;
    }
    if args.wants("sim") {
        sim_rate(&env, report).await?;
    }
    // Last: it syncs everything again and adds people.
    if args.wants("api-load") {
        crate::service_load::load_during_sync(&env, report).await?;
    }
    Ok(memory)
}

fn native_config(env: &Env) -> NativeConfig {
    let creds = env.sim.state().credentials();
    NativeConfig {
        api_base: env.sim.api_base_url(),
        login_base: env.sim.login_base_url(),
        customer_id: env.customer(),
        client_id: creds.client_id.clone(),
        client_secret: creds.client_secret.clone(),
        audience: creds.audience.clone(),
    }
}

/// Rounds of the plugin-tax figure: each loads the people through the native client and through
/// the component, alternating which goes first, each into a fresh mirror (the main load is left
/// out: it shares its process with the streams before it). The figure is the median of the
/// rounds' ratios (one pair on this machine varies by ±5 %).
const PLUGIN_TAX_ROUNDS: usize = 3;

/// One people load through the native client into a fresh mirror: records/s and the mirror.
async fn native_people_load(
    env: &Env,
    live: &LiveConnection,
    round: usize,
) -> anyhow::Result<(f64, Arc<SqliteMirror>)> {
    let mirror = Arc::new(SqliteMirror::open(
        env.dir.path().join(format!("native-{round}.sqlite")),
    )?);
    let (rate, usage, seconds, records) =
        native_people_load_into(env, live, mirror.clone(), "native       ").await?;
    usage.print(seconds, records);
    Ok((rate, mirror))
}

/// A full people load through the native client into `mirror` (any backend), printed under
/// `label`: records/s, and the CPU it took over how many seconds and records.
pub(crate) async fn native_people_load_into(
    env: &Env,
    live: &LiveConnection,
    mirror: Arc<dyn MirrorStore>,
    label: &str,
) -> anyhow::Result<(f64, cpu::Usage, f64, u64)> {
    mirror
        .upsert_connection(&ConnectionRow {
            name: "native".into(),
            plugin_path: "native".into(),
            ..ConnectionRow::default()
        })
        .await?;
    let stream = live
        .connection
        .info()
        .streams
        .iter()
        .find(|s| s.kind == RecordKind::Candidate)
        .expect("a people stream")
        .clone();
    let engine = Engine::new(mirror, EngineConfig::default());
    let source = NativeIcims::new(native_config(env));
    let meter = QuotaMeter::new(None);
    let run = StreamRun {
        connection: "native".into(),
        stream,
        force_full: true,
        overlap_seconds: 0,
        fence: None,
    };
    let before = env.sim.state().counters().total;
    let usage = cpu::Usage::now();
    let t = Instant::now();
    let end = engine
        .sync_stream(&source, &meter, &run, &NoProgress)
        .await?;
    let seconds = t.elapsed().as_secs_f64();
    let usage = usage.since();
    let RunEnd::Completed { totals, .. } = end else {
        anyhow::bail!("the {} load did not complete: {end:?}", label.trim());
    };
    let requests = env.sim.state().counters().total - before;
    let rate = totals.records as f64 / seconds;
    println!(
        "    {label} {:>8} records {:>7} requests {:>8.1} s ({rate:.0} records/s)",
        totals.records, requests, seconds
    );
    Ok((rate, usage, seconds, totals.records))
}

/// One people load through the component into a fresh host and mirror: records/s and the host.
async fn component_people_load(env: &Env, round: usize) -> anyhow::Result<(f64, Host)> {
    let host = env::open_host(env.dir.path().join(format!("component-{round}")))?;
    let live = env.connect(&host, CONN).await?;
    let usage = cpu::Usage::now();
    let people = sync_kinds(&host, &live, &[RecordKind::Candidate]).await?;
    let people = people.into_iter().next().expect("a people stream");
    usage.since().print(people.seconds, people.records);
    Ok((people.records as f64 / people.seconds, host))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

async fn plugin_tax(env: &Env, live: &LiveConnection, report: &Report) -> anyhow::Result<()> {
    println!(
        "  plugin tax: {PLUGIN_TAX_ROUNDS} rounds of the people load, component and native client alternating, each into a fresh mirror"
    );
    let mut pairs = Vec::new();
    let mut sample = (0, 0);
    for round in 0..PLUGIN_TAX_ROUNDS {
        let (comp, native) = if round % 2 == 0 {
            let (comp, host) = component_people_load(env, round).await?;
            let (native, native_mirror) = native_people_load(env, live, round).await?;
            if round == 0 {
                sample = compare_mirrors(host.mirror.as_ref(), &native_mirror).await?;
                println!(
                    "    same candidates stored: {} of {} sampled differ",
                    sample.1, sample.0
                );
            }
            (comp, native)
        } else {
            let (native, _) = native_people_load(env, live, round).await?;
            (component_people_load(env, round).await?.0, native)
        };
        pairs.push((comp, native));
    }
    let (compared, differing) = sample;
    let mut ratios: Vec<f64> = pairs.iter().map(|(c, n)| c / n).collect();
    let listed: Vec<String> = pairs
        .iter()
        .map(|(c, n)| format!("{c:.0}/{n:.0}"))
        .collect();
    let ratio = median(&mut ratios);
    let (low, high) = (ratios[0], ratios[ratios.len() - 1]);
    let mut natives: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    report.add(
        "Plugin tax (people load, component / native client, same engine and mirror)",
        format!(
            "{ratio:.2} median of {} rounds ({low:.2}-{high:.2}; component/native records/s: {}; {differing} of {compared} sampled candidates differ between the two mirrors)",
            pairs.len(),
            listed.join(", ")
        ),
        ">= 0.8",
        format!("native {:.0} records/s (median)", median(&mut natives)),
        verdict(ratio >= 0.8),
    );
    Ok(())
}

/// Compares every 97th candidate of the component's mirror with the native client's: the
/// baseline is fair only if both store the same records.
async fn compare_mirrors(
    component: &dyn Mirror,
    native: &SqliteMirror,
) -> anyhow::Result<(u64, u64)> {
    let (mut compared, mut differing) = (0, 0);
    for id in component
        .ids(CONN, RecordKind::Candidate)
        .await?
        .iter()
        .step_by(97)
    {
        let a = component
            .record(CONN, RecordKind::Candidate, id)
            .await?
            .map(|r| r.record);
        let b = native
            .record("native", RecordKind::Candidate, id)
            .await?
            .map(|r| r.record);
        compared += 1;
        if a != b {
            differing += 1;
        }
    }
    Ok((compared, differing))
}

async fn incremental(
    env: &Env,
    live: &LiveConnection,
    scale: Scale,
    report: &Report,
) -> anyhow::Result<()> {
    let state = env.sim.state();
    let cid = env.customer();
    let ids = state.ids(cid, icims_sim::RecordType::People)?;
    let changed: Vec<u32> = ids.iter().step_by(100).copied().collect();
    for (i, id) in changed.iter().enumerate() {
        let fields = serde_json::json!({"firstname": format!("Changed{i}")});
        state.update_person(cid, u64::from(*id), fields.as_object().expect("object"))?;
    }
    println!(
        "  incremental run after {} of {} people changed (sim side door)",
        changed.len(),
        scale.load
    );
    state.reset_counters();
    let t = Instant::now();
    let reports = sync_connection(&env.host, live, &SyncOptions::default(), &NoProgress).await?;
    let wall = t.elapsed();
    let c = state.counters();
    let searches = c.endpoints_with_prefix("search");
    let gets = c.endpoints_with_prefix("get");
    let lists = c.endpoint("lists");
    let modes: Vec<String> = reports
        .iter()
        .map(|r| format!("{} {}", r.stream, r.mode))
        .collect();
    println!("    streams: {}", modes.join(", "));
    let people_gets = c.endpoint("get.people");
    let other_gets = gets - people_gets;
    let (job_gets, workflow_gets) = (c.endpoint("get.jobs"), c.endpoint("get.applicantworkflows"));
    let extra = people_gets.saturating_sub(changed.len() as u64);
    let expected = changed.len() as u64 + searches;
    report.add(
        &format!("Incremental run, 1% of {} people changed", scale.load),
        format!(
            "{} requests = {people_gets} people GETs ({} changed + {extra} re-read in the overlap window) + {other_gets} other GETs ({job_gets} jobs, {workflow_gets} applications updated within the overlap window) + {searches} searches + {lists} folder list calls + {} token; wall {:.2} s",
            c.total,
            changed.len(),
            c.token,
            wall.as_secs_f64()
        ),
        "requests = changed + searches",
        format!("changed + searches = {expected}"),
        if c.total == expected && people_gets == changed.len() as u64 {
            verdict(true)
        } else if people_gets >= changed.len() as u64 {
            format!("{} over: overlap re-reads and folder lists (by design)", c.total - expected)
        } else {
            verdict(false)
        },
    );
    Ok(())
}

async fn export_latency(env: &Env, scale: Scale, report: &Report) -> anyhow::Result<()> {
    let mirror = &*env.host.mirror;
    let mut job = None;
    for id in mirror.ids(CONN, RecordKind::Job).await? {
        if let Some(r) = mirror.record(CONN, RecordKind::Job, &id).await?
            && let AtsRecord::Job(j) = r.record
            && j.state == Some(JobState::Open)
        {
            job = Some(j.id);
            break;
        }
    }
    let job = job.ok_or_else(|| anyhow::anyhow!("no open job in the mirror"))?;
    let timer = Arc::new(crate::wire_time::WireTime::default());
    // The host's own writer (the one `ats export` uses), over a connection whose requests the
    // timer observes.
    let row = mirror
        .connection(CONN)
        .await?
        .ok_or_else(|| anyhow::anyhow!("connection {CONN} is not saved"))?;
    let writer = ats_app::live_connection::LiveConnection {
        connection: env.connect_observed(CONN, timer.clone()).await?,
        meter: Arc::new(ats_sync::QuotaMeter::new(None)),
        row,
    };
    let mut pdf = b"%PDF-1.4\n% ats-bench resume\n".to_vec();
    pdf.extend(std::iter::repeat_n(b'x', 4_000));
    let b64 = base64::engine::general_purpose::STANDARD.encode(&pdf);
    let nonce = ats_features::unix_now();
    let (mut overhead, mut total, mut http) = (Vec::new(), Vec::new(), Vec::new());
    let mut requests = 0;
    let warmup = 5;
    for i in 0..scale.exports + warmup {
        let profile = PlatformCandidate {
            first_name: Some(format!("Bench{i}")),
            last_name: Some("Exporter".into()),
            emails: vec![format!("bench.export.{nonce}.{i}@example.org")],
            resume: Some(ResumeInput {
                file_name: "cv.pdf".into(),
                content_type: "application/pdf".into(),
                base64: Some(b64.clone()),
                path: None,
            }),
            source: Some("ats-bench".into()),
            job_id: Some(job.clone()),
            status: Some("new".into()),
            ..PlatformCandidate::default()
        };
        timer.take();
        let t = Instant::now();
        let out = ats_features::export(
            mirror,
            &writer,
            CONN,
            &profile,
            &ExportOptions::at(ats_features::unix_now()),
        )
        .await?;
        let elapsed = t.elapsed();
        let (on_wire, n) = timer.take();
        if i == 0 {
            println!(
                "    first export: person {:?}, resume {:?}, application {:?}, {n} requests",
                out.person.is_some(),
                out.resume.is_some(),
                out.application.is_some()
            );
        }
        if i >= warmup {
            requests += n;
            total.push(elapsed);
            http.push(on_wire);
            overhead.push(elapsed.saturating_sub(on_wire));
        }
    }
    for v in [&mut overhead, &mut total, &mut http] {
        v.sort();
    }
    let p50 = quantile_ms(&overhead, 0.5);
    report.add(
        "Export latency, host overhead (person + resume + application)",
        format!(
            "p50 {p50:.2} ms, p95 {:.2} ms (total p50 {:.2} ms / p95 {:.2} ms; HTTP p50 {:.2} ms; {:.1} requests per export; {} exports)",
            quantile_ms(&overhead, 0.95),
            quantile_ms(&total, 0.5),
            quantile_ms(&total, 0.95),
            quantile_ms(&http, 0.5),
            requests as f64 / overhead.len() as f64,
            overhead.len()
        ),
        "<= 5 ms p50",
        "",
        verdict(p50 <= 5.0),
    );
    Ok(())
}

/// Requests per second the simulator serves (16 in flight from a native client sharing the
/// same two cores).
async fn sim_rate(env: &Env, report: &Report) -> anyhow::Result<()> {
    let client = Arc::new(NativeIcims::new(native_config(env)));
    let ids = env
        .sim
        .state()
        .ids(env.customer(), icims_sim::RecordType::People)?;
    let ids = Arc::new(ids);
    let run_for = Duration::from_secs(3);
    let mut rates = Vec::new();
    for what in ["get", "search"] {
        let next = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + run_for;
        let t = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (client, ids, next) = (client.clone(), ids.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let ok = if what == "get" {
                        let id = u64::from(ids[(i * 7919) % ids.len()]);
                        client.fetch(&[id]).await.is_ok()
                    } else {
                        let after = u64::from(ids[(i * 1000) % ids.len()]);
                        client.search(after).await.is_ok()
                    };
                    done += u64::from(ok);
                }
                done
            }));
        }
        let mut done = 0;
        for task in tasks {
            done += task.await?;
        }
        rates.push(done as f64 / t.elapsed().as_secs_f64());
    }
    report.add(
        "Simulator's own rate (native client, 16 in flight, same 2 cores)",
        format!(
            "GET person {:.0} req/s, search {:.0} req/s (1,000 ids each)",
            rates[0], rates[1]
        ),
        "not the bottleneck",
        "",
        "report",
    );
    Ok(())
}

/// Throughput and peak memory of the big load, then rediscovery on its mirror.
async fn big_group(args: &Args, scale: Scale, report: &Report) -> anyhow::Result<PeopleLoadMemory> {
    println!("\n## Big load of {} people", scale.big);
    let env = start_env(scale.big, scale.jobs, scale.big_workflows, 0).await?;
    // Titles, employers and skills mapped, as a tenant configures them: rediscovery for a job
    // is measured on this mirror.
    let live = env
        .connect_with(&env.host, CONN, &env::CUSTOM_FIELDS)
        .await?;
    let t = Instant::now();
    let (reports, people, memory) = full_load(&env.host, &live).await?;
    let wall = t.elapsed().as_secs_f64();
    let all: u64 = reports.iter().map(|r| r.records).sum();
    if args.wants("throughput") {
        let rate = people.records as f64 / people.seconds;
        report.add(
            &format!("Full load throughput, {} people, loopback, no latency", scale.big),
            format!(
                "{rate:.0} records/s ({} people in {:.0} s; whole load incl. jobs and {} applications {:.0} records/s)",
                people.records,
                people.seconds,
                scale.big_workflows,
                all as f64 / wall
            ),
            ">= 1,700 records/s",
            "",
            verdict(rate >= 1_700.0),
        );
    }
    if let Some(path) = &args.keep_mirror {
        let _ = std::fs::remove_file(path);
        // The host's mirror is the default SQLite file: a second handle copies it consistently.
        SqliteMirror::open(env.host.paths().data_dir.join("mirror.sqlite"))?
            .copy_to(path)
            .await
            .map_err(|e| anyhow::anyhow!("could not keep the mirror in {}: {e}", path.display()))?;
        println!("    mirror kept in {}", path.display());
    }
    if args.wants("rediscovery") {
        rediscovery(
            env.host.mirror.as_ref(),
            scale.big as usize,
            "SQLite",
            report,
        )
        .await?;
        crate::fit_quality::latency_on(env.host.mirror.as_ref(), scale.big as usize, report)
            .await?;
    }
    if args.wants("api-search") {
        let store = StoreUrl::Sqlite(env.host.paths().data_dir.join("mirror.sqlite"));
        crate::service::api_search(store, scale.big as usize, report).await?;
    }
    Ok(memory)
}

fn memory_figure(loads: &[PeopleLoadMemory], report: &Report) {
    let text: Vec<String> = loads
        .iter()
        .map(|m| {
            format!(
                "{} people: peak {} (+{} over the {} before the people stream)",
                m.people,
                mem::mib(m.hwm),
                mem::mib(m.hwm.saturating_sub(m.rss_before)),
                mem::mib(m.rss_before)
            )
        })
        .collect();
    report.add(
        "Peak memory (VmHWM) during the people load",
        format!(
            "{} (process includes the simulator and its data set)",
            text.join("; ")
        ),
        "report; no growth with N",
        "",
        "report",
    );
}

/// Rediscovery's 20 kinds of query on `mirror` (of `backend`), five times each.
pub(crate) async fn rediscovery(
    mirror: &dyn Mirror,
    people_count: usize,
    backend: &str,
    report: &Report,
) -> anyhow::Result<()> {
    // Measured as a service answers once its search index is built (it is built at start).
    let built = std::time::Instant::now();
    mirror.catch_up_search_index().await?;
    println!(
        "    search index ({backend}) up to date in {:.1} s",
        built.elapsed().as_secs_f64()
    );
    let now = ats_features::unix_now();
    let day = 86_400;
    let jobs = mirror.ids(CONN, RecordKind::Job).await?;
    let people = mirror.ids(CONN, RecordKind::Candidate).await?;
    let (mut folder, mut source) = (None, None);
    for id in people.iter().take(50) {
        if let Some(r) = mirror.record(CONN, RecordKind::Candidate, id).await?
            && let AtsRecord::Candidate(c) = r.record
        {
            folder = folder.or(c.folder.map(|f| f.id));
            source = source.or(c.source);
        }
    }
    let q = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            now,
            limit: 20,
            ..SearchQuery::default()
        };
        f(&mut q);
        q
    };
    let text = |t: &str| {
        let t = t.to_string();
        move |q: &mut SearchQuery| q.text = Some(t.clone())
    };
    let job = jobs.first().cloned().unwrap_or_default();
    let job2 = jobs.get(jobs.len() / 2).cloned().unwrap_or_default();
    let queries: Vec<(&str, SearchQuery)> = vec![
        ("text: last name", q(&text("smith"))),
        ("text: full name", q(&text("mary johnson"))),
        ("text: city", q(&text("boston"))),
        ("text: prefix", q(&text("jen*"))),
        ("text: two words", q(&text("williams chicago"))),
        ("stage interview", q(&|q| q.stages = vec![Stage::Interview])),
        ("stage hired", q(&|q| q.stages = vec![Stage::Hired])),
        ("rejected", q(&|q| q.rejected = Some(true))),
        (
            "not rejected + text",
            q(&|q| {
                q.rejected = Some(false);
                q.text = Some("garcia".into());
            }),
        ),
        ("status id", q(&|q| q.status_ids = vec!["C12296".into()])),
        ("job", q(&|q| q.job_ids = vec![job.clone()])),
        (
            "job + stage new",
            q(&|q| {
                q.job_ids = vec![job2.clone()];
                q.stages = vec![Stage::New];
            }),
        ),
        (
            "folder",
            q(&|q| q.folder_ids = folder.iter().cloned().collect()),
        ),
        (
            "source + text",
            q(&|q| {
                q.source = source.clone();
                q.text = Some("robert".into());
            }),
        ),
        (
            "applied last 90 days",
            q(&|q| q.applied_from = Some(now - 90 * day)),
        ),
        (
            "updated last 30 days",
            q(&|q| q.updated_from = Some(now - 30 * day)),
        ),
        (
            "updated range + text",
            q(&|q| {
                q.updated_from = Some(now - 365 * day);
                q.updated_to = Some(now - 180 * day);
                q.text = Some("michael".into());
            }),
        ),
        (
            "text + stage",
            q(&|q| {
                q.text = Some("seattle".into());
                q.stages = vec![Stage::Screening];
            }),
        ),
        ("recent, no filter", q(&|_| {})),
        (
            "text, page 5",
            q(&|q| {
                q.text = Some("smith".into());
                q.offset = 80;
            }),
        ),
    ];
    let mut all = Vec::new();
    let mut worst = Vec::new();
    for (label, query) in &queries {
        let _ = mirror.search_candidates(CONN, query).await?; // warm
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..5 {
            let t = Instant::now();
            hits = mirror.search_candidates(CONN, query).await?.hits.len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "    {label:<24} {hits:>3} hits, median {:>7.1} ms",
            quantile_ms(&times, 0.5)
        );
        worst.push((quantile_ms(&times, 0.5), *label));
        all.extend(times);
    }
    all.sort();
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let p95 = quantile_ms(&all, 0.95);
    report.add(
        &format!("Rediscovery query, {people_count} candidates in the mirror ({backend})"),
        format!(
            "p95 {p95:.1} ms, p50 {:.1} ms, max {:.1} ms (20 queries x 5; slowest: {} {:.0} ms)",
            quantile_ms(&all, 0.5),
            quantile_ms(&all, 1.0),
            worst[0].1,
            worst[0].0
        ),
        "p95 <= 50 ms",
        "",
        verdict(p95 <= 50.0),
    );
    Ok(())
}

async fn latency_figure(scale: Scale, report: &Report) -> anyhow::Result<()> {
    println!(
        "\n## {} people through 100 ms simulated latency",
        scale.latency_people
    );
    let env = start_env(scale.latency_people, 20, 100, 100).await?;
    let live = env.connect(&env.host, CONN).await?;
    let people = sync_kinds(&env.host, &live, &[RecordKind::Candidate]).await?;
    let p = &people[0];
    let rate = p.records as f64 / p.seconds;
    report.add(
        &format!(
            "Full load throughput, {} people, 100 ms latency per request",
            scale.latency_people
        ),
        format!(
            "{rate:.0} records/s ({} people in {:.0} s)",
            p.records, p.seconds
        ),
        ">= 80 records/s",
        "16 in flight / 100 ms = 160 GETs/s ceiling",
        verdict(rate >= 80.0),
    );
    Ok(())
}

async fn tenants_figure(scale: Scale, report: &Report) -> anyhow::Result<()> {
    println!("\n## {} tenants on one host", scale.tenants);
    let env = start_env(10, 2, 2, 0).await?;
    let runtime = env.host.runtime.clone();
    let plugin = runtime.load_plugin(&env::plugin_path())?;
    // Warm the InstancePre (first instantiations page code in).
    for _ in 0..20 {
        drop(plugin.instantiate_idle().await?);
    }
    let rss0 = mem::rss();
    let mut instances = Vec::with_capacity(scale.tenants);
    let mut times = Vec::with_capacity(scale.tenants);
    let t = Instant::now();
    for _ in 0..scale.tenants {
        let t = Instant::now();
        instances.push(plugin.instantiate_idle().await?);
        times.push(t.elapsed());
    }
    let all = t.elapsed();
    let per_instance = mem::rss().saturating_sub(rss0) / scale.tenants as u64;
    drop(instances);
    times.sort();
    // A describe call instantiates too, then runs the export.
    let n = 200;
    let t = Instant::now();
    let settings = env.settings();
    for _ in 0..n {
        plugin.describe(&settings).await?;
    }
    let describe = t.elapsed() / n;
    // Connection objects (each describes once at connect).
    let rss1 = mem::rss();
    let secret = env.sim.state().credentials().client_secret;
    let mut connections = Vec::with_capacity(scale.tenants);
    let t = Instant::now();
    for i in 0..scale.tenants {
        let spec = ConnectionSpec {
            name: format!("tenant-{i}"),
            settings: settings.clone(),
            secrets: [(
                "client-secret".to_string(),
                ats_runtime::Secret::new(secret.clone()),
            )]
            .into_iter()
            .collect(),
            grant: env.grant(),
            limits: None,
        };
        connections.push(
            runtime
                .connect(
                    &plugin,
                    spec,
                    env.host.storage.clone(),
                    Arc::new(NoObserver),
                )
                .await?,
        );
    }
    let connect = t.elapsed() / scale.tenants as u32;
    let per_connection = mem::rss().saturating_sub(rss1) / scale.tenants as u64;
    let mean_us = all.as_secs_f64() * 1e6 / scale.tenants as f64;
    let p50_us = quantile_ms(&times, 0.5) * 1e3;
    report.add(
        &format!("Tenants per host: {} instances, warm InstancePre", scale.tenants),
        format!(
            "instantiate p50 {p50_us:.0} us, mean {mean_us:.0} us, p95 {:.0} us; {} KiB resident per live instance; {} KiB per connection object (connect {:.2} ms incl. describe; describe call {:.0} us)",
            quantile_ms(&times, 0.95) * 1e3,
            per_instance / 1024,
            per_connection / 1024,
            connect.as_secs_f64() * 1e3,
            describe.as_secs_f64() * 1e6
        ),
        "<= 100 us per instantiation",
        "",
        verdict(p50_us <= 100.0),
    );
    Ok(())
}
