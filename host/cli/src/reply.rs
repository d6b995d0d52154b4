//! `ats reply <connection> --from ADDRESS`: a candidate replied to an email; create the sender
//! when unknown, else add only what is new (a name guessed from the display name never
//! replaces one the ATS holds).

use crate::Cli;
use crate::feature_output::{finish, invalid, live_for};
use ats_features::{ExportOptions, ReplyEvent, unix_now};
use ats_model::Timestamp;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// The sender's email address.
    #[arg(long, value_name = "ADDRESS")]
    pub from: String,
    /// The `From:` display name (`Jane Doe`, `Doe, Jane`).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// When the message was sent: RFC 3339, `YYYY-MM-DD` or Unix seconds [default: now].
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Apply the sender to this job.
    #[arg(long, value_name = "ID")]
    pub job: Option<String>,
    /// Source attribution for a person created from the reply.
    #[arg(long)]
    pub source: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A message time as RFC 3339, `YYYY-MM-DD` (UTC midnight) or Unix seconds.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t.unix_timestamp());
    }
    ats_features::rediscovery::parse_date("at", text).ok()
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let message_time = match args.at.as_deref().map(|t| (t, parse_time(t))) {
        None => unix_now(),
        Some((_, Some(t))) => t,
        Some((text, None)) => {
            return Ok(invalid(anyhow::anyhow!(
                "invalid `--at`: `{text}` is not a time; write RFC 3339 (2024-03-31T09:30:00Z), YYYY-MM-DD or Unix seconds"
            )));
        }
    };
    let event = ReplyEvent {
        sender_address: args.from.clone(),
        sender_name: args.name.clone(),
        message_time,
        job_id: args.job.clone(),
        source: args.source.clone(),
    };
    let (host, live) = live_for(cli, &args.connection).await?;
    let result = ats_features::reply(
        host.mirror.as_ref(),
        &live,
        &args.connection,
        &event,
        &ExportOptions::at(unix_now()),
    )
    .await;
    // What the feature reserved and learnt of the quota goes to the shared ledger now.
    live.meter.flush();
    finish(result, args.json)
}
