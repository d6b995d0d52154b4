//! Runs the example ATS until Ctrl-C, for trying the template connector by hand:
//!
//! ```sh
//! cargo run -p template-ats -- --port 8080 --candidates 100
//! ```

use clap::Parser;
use template_ats::{TemplateAts, TemplateAtsConfig};

/// A tiny in-memory example ATS on 127.0.0.1 (cursor paging, API key).
#[derive(Parser)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The API key clients send as `Authorization: Bearer <key>`.
    #[arg(long, default_value = "template-key")]
    api_key: String,
    #[arg(long, default_value_t = 25)]
    candidates: usize,
    #[arg(long, default_value_t = 5)]
    jobs: usize,
    #[arg(long, default_value_t = 40)]
    applications: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let ats = TemplateAts::start(TemplateAtsConfig {
        api_key: args.api_key,
        candidates: args.candidates,
        jobs: args.jobs,
        applications: args.applications,
        denied_permissions: Vec::new(),
        port: args.port,
    })
    .await?;
    println!(
        "template ATS at {} (api key `{}`)",
        ats.base_url(),
        ats.api_key()
    );
    println!(
        "try: curl -H 'Authorization: Bearer {}' {}/candidates?limit=2",
        ats.api_key(),
        ats.base_url()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
