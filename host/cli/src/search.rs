//! `ats search <connection> [QUERY] [filters]`: rediscovery over the mirror, one result per
//! person (duplicate records shown together).

use crate::Cli;
use crate::feature_output::{finish, host_for, invalid};
use ats_features::rediscovery::{SearchFilters, yes_or_no};
use ats_features::{FeatureError, unix_now};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved connection's name.
    pub connection: String,
    /// Search words (names, titles, companies, emails, resume text).
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterFlags,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The search filters as flags, shared by `ats search` and `ats rediscover`.
#[derive(Debug, clap::Args)]
pub struct FilterFlags {
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
    #[arg(long, value_name = "yes|no", value_parser = yes_or_no)]
    pub rejected: Option<bool>,
    /// In this folder (repeatable).
    #[arg(long, value_name = "ID")]
    pub folder: Vec<String>,
    /// Came from this source: the ATS's source or its detail (a campaign, a referrer, the
    /// platform that exported them), of the person or of an application, any case.
    #[arg(long)]
    pub source: Option<String>,
    /// Has this custom field value (any case) or list value id, e.g. `field23848=C23900`
    /// (repeatable: every one must hold). The connection's `custom-fields` setting says which
    /// fields are read.
    #[arg(long, value_name = "NAME=VALUE")]
    pub field: Vec<String>,
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
    pub page: Option<usize>,
    /// Results per page (at most 500).
    #[arg(long, value_name = "N")]
    pub per_page: Option<usize>,
}

impl FilterFlags {
    /// The request these flags make with `query` as its words: the same one the service reads
    /// from JSON.
    pub fn filters(&self, query: &[String]) -> SearchFilters {
        SearchFilters {
            text: (!query.is_empty()).then(|| query.join(" ")),
            status: self.status.clone(),
            status_name: None,
            stage: self.stage.clone(),
            job: self.job.clone(),
            rejected: self.rejected,
            folder: self.folder.clone(),
            source: self.source.clone(),
            field: self.field.clone(),
            applied_after: self.applied_after.clone(),
            applied_before: self.applied_before.clone(),
            updated_after: self.updated_after.clone(),
            updated_before: self.updated_before.clone(),
            page: self.page,
            per_page: self.per_page,
        }
    }
}

pub async fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let request = match args.filters.filters(&args.query).resolve(unix_now()) {
        Ok(r) => r,
        Err(e) => return Ok(invalid(as_flag(e).into())),
    };
    let host = host_for(cli, &args.connection).await?;
    let result = ats_features::rediscover(host.mirror.as_ref(), &args.connection, &request).await;
    finish(result, args.json)
}

/// An input error named as this command's flag: a field `applied_after` is `--applied-after`.
pub(crate) fn as_flag(error: FeatureError) -> FeatureError {
    match error {
        FeatureError::InvalidInput { field, message } => FeatureError::InvalidInput {
            field: format!("--{}", field.replace('_', "-")),
            message,
        },
        other => other,
    }
}
