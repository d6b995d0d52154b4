//! `ats export <connection> <profile.json>`: a platform profile into the ATS (found by email
//! first, created or updated with only what is new), its resume uploaded, optionally applied to
//! a job with a status and source.

use crate::Cli;
use crate::feature_output::{finish, invalid, live_for, read_profile};
use ats_features::{ExportOptions, unix_now};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The profile as JSON (a resume `path` is relative to this file's folder).
    pub profile: PathBuf,
    /// Apply to this job (overrides the profile's `job_id`).
    #[arg(long, value_name = "ID")]
    pub job: Option<String>,
    /// The application's status: a stage, status id or status name (overrides `status`).
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Idempotency key: a retry with the same key resumes instead of duplicating.
    #[arg(long, value_name = "K")]
    pub key: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let mut profile = match read_profile(&args.profile) {
        Ok(p) => p,
        Err(e) => return Ok(invalid(e)),
    };
    if args.job.is_some() {
        profile.job_id = args.job.clone();
    }
    if args.status.is_some() {
        profile.status = args.status.clone();
    }
    if args.key.is_some() {
        profile.idempotency_key = args.key.clone();
    }
    let (host, live) = live_for(cli, &args.connection).await?;
    let result = ats_features::export(
        host.mirror.as_ref(),
        &live,
        &args.connection,
        &profile,
        &ExportOptions::at(unix_now()),
    )
    .await;
    // What the feature reserved and learnt of the quota goes to the shared ledger now.
    live.meter.flush();
    finish(result, args.json)
}
