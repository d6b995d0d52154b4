//! `ats serve --listen ADDR`: the host as a service (see `ats_serve`). Runs until SIGTERM or
//! Ctrl-C, then stops taking requests, lets those in flight finish, and stops the workers. The
//! admin pages (`ats-admin`) are served under `/admin`.

use crate::Cli;
use ats_serve::{ServeOptions, Service};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Do not run the scheduler: syncs run only when the API asks for them.
    #[arg(long)]
    pub no_scheduler: bool,
    /// Longest a request may take before it is answered 503, seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub request_timeout: u64,
    /// Largest request body, bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
    pub body_limit: usize,
    /// Folder of connection templates (connection files with a [grant]) from which tenants may
    /// make connections over the API (`POST /v1/connections`). Without it they cannot.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<std::path::PathBuf>,
    /// Seconds between id scans that find deleted records.
    #[arg(long, default_value_t = 86_400)]
    pub reconcile_interval: i64,
    /// Records per page asked of connectors (1 to 1000; default 1000). Smaller pages commit
    /// progress more often at the cost of more search requests.
    #[arg(long, value_name = "RECORDS")]
    pub page_size: Option<u32>,
    /// Most syncs this process runs at once; connections beyond it wait their turn (or are
    /// taken by another process sharing the database).
    #[arg(long, value_name = "N", default_value_t = ats_serve::DEFAULT_MAX_SYNCS as u16,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_syncs: u16,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = crate::open_host(cli)?;
    let templates = match &args.templates {
        Some(dir) => ats_app::connection_templates::Templates::load(dir)?,
        None => Default::default(),
    };
    let mut options = ServeOptions {
        templates,
        schedule: !args.no_scheduler,
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
        body_limit: args.body_limit,
        max_syncs: usize::from(args.max_syncs),
        ..ServeOptions::default()
    };
    options.scheduler.reconcile_interval_seconds = args.reconcile_interval;
    options.scheduler.page_size = args.page_size;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr()?;
    // The one line a supervisor or a test reads to find the service.
    crate::output(&format!("listening on http://{address}\n"))?;
    let service = Service::new(host, options);
    // The admin pages for people in a browser, beside the API.
    let pages = ats_admin::router(service.clone());
    ats_serve::serve_with(service, listener, Some(pages), stop_signal()).await?;
    eprintln!("stopped; every committed page is kept, the next run resumes from it");
    Ok(ExitCode::SUCCESS)
}

/// SIGTERM (what orchestrators send) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
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
