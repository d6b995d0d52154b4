//! `ats search <connection> [QUERY] [filters]`: rediscovery over the mirror, one result per
//! person (duplicate records shown together).

use crate::Cli;
use crate::feature_output::{finish, host_for, invalid};
use ats_features::{FeatureError, rediscovery, unix_now};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// Search words (names, titles, companies, emails, resume text).
    pub query: Vec<String>,
    /// Has an application in this status id (repeatable).
    #[arg(long, value_name = "ID")]
    pub status: Vec<String>,
    /// Has an application at this stage: new, screening, interview, offer, hired, rejected,
    /// withdrawn, other (repeatable).
    #[arg(long, value_name = "STAGE")]
    pub stage: Vec<String>,
    /// Applied to this job (repeatable).
    #[arg(long, value_name = "ID")]
    pub job: Vec<String>,
    /// Was (`yes`) or was not (`no`) rejected.
    #[arg(long, value_name = "yes|no")]
    pub rejected: Option<String>,
    /// In this folder (repeatable).
    #[arg(long, value_name = "ID")]
    pub folder: Vec<String>,
    /// Came from this source: the ATS's source or its detail (a campaign, a referrer, the
    /// platform that exported them), any case.
    #[arg(long)]
    pub source: Option<String>,
    /// Applied on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub applied_after: Option<String>,
    /// Applied on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub applied_before: Option<String>,
    /// Updated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub updated_after: Option<String>,
    /// Updated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub updated_before: Option<String>,
    /// Page number, from 1.
    #[arg(long, value_name = "N")]
    pub page: Option<String>,
    /// Results per page (at most 500).
    #[arg(long, value_name = "N")]
    pub per_page: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The filters in the words `rediscovery::parse_args` reads.
    fn words(&self) -> Vec<String> {
        let mut words = self.query.clone();
        let mut flag = |name: &str, value: &str| {
            words.push(format!("--{name}"));
            words.push(value.to_string());
        };
        for (name, values) in [
            ("status", &self.status),
            ("stage", &self.stage),
            ("job", &self.job),
            ("folder", &self.folder),
        ] {
            values.iter().for_each(|v| flag(name, v));
        }
        for (name, value) in [
            ("rejected", &self.rejected),
            ("source", &self.source),
            ("applied-from", &self.applied_after),
            ("applied-to", &self.applied_before),
            ("updated-from", &self.updated_after),
            ("updated-to", &self.updated_before),
            ("page", &self.page),
            ("per-page", &self.per_page),
        ] {
            if let Some(v) = value {
                flag(name, v);
            }
        }
        words
    }
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let request = match rediscovery::parse_args(&args.words(), unix_now()) {
        Ok(r) => r,
        Err(e) => return Ok(invalid(flag_names(e).into())),
    };
    let host = host_for(cli, &args.connection).await?;
    let result = ats_features::rediscover(host.mirror.as_ref(), &args.connection, &request).await;
    finish(result, args.json)
}

/// An input error named with this command's flags (`--applied-after`, not `applied-from`).
fn flag_names(error: FeatureError) -> FeatureError {
    match error {
        FeatureError::InvalidInput { field, message } => {
            let field = match field.as_str() {
                "applied-from" => "--applied-after".to_string(),
                "applied-to" => "--applied-before".to_string(),
                "updated-from" => "--updated-after".to_string(),
                "updated-to" => "--updated-before".to_string(),
                other => format!("--{other}"),
            };
            FeatureError::InvalidInput { field, message }
        }
        other => other,
    }
}
