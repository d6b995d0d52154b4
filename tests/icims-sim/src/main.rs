//! `icims-sim`: run the simulator until Ctrl-C / SIGTERM, printing URLs and credentials.

use clap::Parser;
use icims_sim::{IcimsSim, SimConfig};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "icims-sim",
    version,
    about = "A faithful iCIMS REST API simulator"
)]
struct Args {
    /// TOML file with a full `SimConfig`; flags below override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// People to generate for the first customer.
    #[arg(long)]
    people: Option<u32>,
    #[arg(long)]
    jobs: Option<u32>,
    #[arg(long)]
    workflows: Option<u32>,
    #[arg(long)]
    companies: Option<u32>,
    /// Generator seed (same seed → same data).
    #[arg(long)]
    seed: Option<u64>,
    /// Latency added to every API and login response.
    #[arg(long)]
    latency_ms: Option<u64>,
    /// Requests per customer per quota window.
    #[arg(long)]
    quota: Option<u64>,
    /// Disable the request quota.
    #[arg(long)]
    no_quota: bool,
    /// Id of the first customer.
    #[arg(long)]
    customer_id: Option<u64>,
    #[arg(long)]
    api_port: Option<u16>,
    #[arg(long)]
    login_port: Option<u16>,
    #[arg(long)]
    admin_port: Option<u16>,
    /// Print one JSON line with URLs and credentials instead of the human summary.
    #[arg(long)]
    json: bool,
}

fn load(args: &Args) -> anyhow::Result<SimConfig> {
    let mut cfg: SimConfig = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?;
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
        }
        None => SimConfig::default(),
    };
    if cfg.customers.is_empty() {
        anyhow::bail!("config: at least one [[customers]] entry is required");
    }
    let c = &mut cfg.customers[0];
    if let Some(v) = args.customer_id {
        c.id = v;
    }
    let g = &mut c.generator;
    if let Some(v) = args.people {
        g.people = v;
    }
    if let Some(v) = args.jobs {
        g.jobs = v;
    }
    if let Some(v) = args.workflows {
        g.workflows = v;
    }
    if let Some(v) = args.companies {
        g.companies = v;
    }
    if let Some(v) = args.seed {
        g.seed = v;
    }
    if let Some(v) = args.latency_ms {
        cfg.latency_ms = v;
    }
    if let Some(v) = args.quota {
        cfg.quota.limit = v;
    }
    if args.no_quota {
        cfg.quota.enabled = false;
    }
    if let Some(v) = args.api_port {
        cfg.api_port = v;
    }
    if let Some(v) = args.login_port {
        cfg.login_port = v;
    }
    if let Some(v) = args.admin_port {
        cfg.admin_port = v;
    }
    Ok(cfg)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("icims-sim: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let cfg = load(&args)?;
    let sim = IcimsSim::start(cfg).await?;
    let creds = sim.state().credentials();
    if args.json {
        let line = serde_json::json!({
            "api_base_url": sim.api_base_url(),
            "login_base_url": sim.login_base_url(),
            "token_url": format!("{}/oauth/token", sim.login_base_url()),
            "admin_base_url": sim.admin_base_url(),
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "audience": creds.audience,
            "username": creds.username,
            "password": creds.password,
            "customer_ids": creds.customer_ids,
            "customer_id": creds.customer_ids.first(),
        });
        println!("{line}");
    } else {
        println!("iCIMS simulator running");
        println!("  API host:     {}", sim.api_base_url());
        println!("  token URL:    {}/oauth/token", sim.login_base_url());
        println!("  admin API:    {}", sim.admin_base_url());
        println!("  customer ids: {:?}", creds.customer_ids);
        println!(
            "  OAuth client: id={} secret={}",
            creds.client_id, creds.client_secret
        );
        println!("  audience:     {}", creds.audience);
        println!(
            "  Basic auth:   user={} password={}",
            creds.username, creds.password
        );
        println!("Press Ctrl-C to stop.");
    }
    wait_for_signal().await;
    sim.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
