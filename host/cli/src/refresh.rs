//! `ats refresh <connection> <candidate-id> <profile.json>`: push the profile's new or changed
//! fields to the ATS person; nothing the ATS holds is erased. The diff is taken against the
//! person as the ATS holds it now (one read), so an edit made in the ATS since the last sync is
//! kept. `--dry-run` shows the diff.

use crate::Cli;
use crate::feature_output::{finish, invalid, live_for, read_profile};
use ats_features::{RefreshOptions, unix_now};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The ATS person to refresh (synced into the mirror).
    pub candidate_id: String,
    /// The platform's profile as JSON.
    pub profile: PathBuf,
    /// Show what would change without writing (the person is still read from the ATS).
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let profile = match read_profile(&args.profile) {
        Ok(p) => p,
        Err(e) => return Ok(invalid(e)),
    };
    let (host, live) = live_for(cli, &args.connection).await?;
    let mut options = RefreshOptions::at(unix_now());
    options.dry_run = args.dry_run;
    let result = ats_features::refresh(
        host.mirror.as_ref(),
        &live,
        &args.connection,
        &args.candidate_id,
        &profile,
        &options,
    )
    .await;
    // What the feature reserved and learnt of the quota goes to the shared ledger now.
    live.meter.flush();
    finish(result, args.json)
}
