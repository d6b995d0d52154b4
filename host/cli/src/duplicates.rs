//! `ats duplicates <connection>`: find duplicate people in the mirror and link them (email and
//! profile URL matches confirmed, phone and name matches suggested for review). People are
//! never merged in the ATS.

use crate::Cli;
use crate::feature_output::{finish, host_for};
use ats_features::{DedupeOptions, unix_now};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// Show the links without storing them.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let host = host_for(cli, &args.connection).await?;
    let mut options = DedupeOptions::at(unix_now());
    options.dry_run = args.dry_run;
    let result =
        ats_features::find_duplicates(host.mirror.as_ref(), &args.connection, &options).await;
    finish(result, args.json)
}
