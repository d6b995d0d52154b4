//! `ats move <connection> <application-id> <status-or-stage>`: move an application to a
//! generic stage, an ATS status id or a status name.

use crate::Cli;
use crate::feature_output::{finish, live_for};
use ats_features::unix_now;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The application to move.
    pub application_id: String,
    /// A stage (new, screening, interview, offer, hired, rejected, withdrawn), status id or
    /// status name.
    pub target: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let (host, live) = live_for(cli, &args.connection).await?;
    let result = ats_features::move_application(
        host.mirror.as_ref(),
        &live,
        &args.connection,
        &args.application_id,
        &args.target,
        unix_now(),
    )
    .await;
    // What the feature reserved and learnt of the quota goes to the shared ledger now.
    live.meter.flush();
    finish(result, args.json)
}
