//! `ats review <connection> <job-id>`: a job's applicants from the mirror, best first, each
//! score with the parts that make it up.

use crate::Cli;
use crate::feature_output::{finish, host_for};
use ats_features::{ReviewOptions, unix_now};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The job whose applicants to rank.
    pub job_id: String,
    /// Most applicants to show.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = host_for(cli, &args.connection).await?;
    let mut options = ReviewOptions::at(unix_now());
    if let Some(limit) = args.limit {
        options.limit = limit;
    }
    let result = ats_features::review(
        host.mirror.as_ref(),
        &args.connection,
        &args.job_id,
        &options,
    )
    .await;
    finish(result, args.json)
}
