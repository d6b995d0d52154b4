//! `ats reject <connection> <application-id>`: reject an application; the reason is kept in
//! the mirror even when the ATS cannot store it (the answer says which).

use crate::Cli;
use crate::feature_output::{finish, live_for};
use ats_features::unix_now;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The application to reject.
    pub application_id: String,
    /// Why, in words (kept in the mirror; in the ATS only when its API can store it).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who rejected it.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let (host, live) = live_for(cli, &args.connection).await?;
    let result = ats_features::reject_application(
        host.mirror.as_ref(),
        &live,
        &args.connection,
        &args.application_id,
        args.reason.as_deref(),
        args.by.as_deref(),
        unix_now(),
    )
    .await;
    // What the feature reserved and learnt of the quota goes to the shared ledger now.
    live.meter.flush();
    finish(result, args.json)
}
