//! `ats rediscover <connection> <job-id> [WORDS] [filters]`: the people in the mirror who did
//! not apply to a job, best fit first, one row per person (duplicate records together), each
//! score with the parts that make it up.

use crate::Cli;
use crate::feature_output::{finish, host_for, invalid};
use crate::search::{FilterFlags, as_flag};
use ats_features::unix_now;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The job to find people for.
    pub job_id: String,
    /// Words every person shown must have (as in `ats search`).
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterFlags,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let request = match args.filters.filters(&args.query).resolve(unix_now()) {
        Ok(r) => r,
        Err(e) => return Ok(invalid(as_flag(e).into())),
    };
    let host = host_for(cli, &args.connection).await?;
    let result = ats_features::rediscover_for_job(
        host.mirror.as_ref(),
        &args.connection,
        &args.job_id,
        &request,
    )
    .await;
    finish(result, args.json)
}
