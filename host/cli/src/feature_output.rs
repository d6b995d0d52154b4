//! What the recruiter-feature commands share: the saved connection (live when the feature
//! writes to the ATS, spending from its shared quota ledger), and the output: the feature's
//! table, or JSON with `--json`. Input errors exit with 2 (nothing was written), other errors
//! with 1.

use crate::Cli;
use ats_app::host::{Host, HostError};
use ats_app::live_connection::LiveConnection;
use ats_features::FeatureError;
use std::path::Path;
use std::process::ExitCode;

/// Exit code of a command refused for its input.
pub const INVALID_INPUT: u8 = 2;

/// The host, checked to know the connection (for features that only read the mirror).
pub(crate) async fn host_for(cli: &Cli, connection: &str) -> anyhow::Result<Host> {
    let host = crate::open_host(cli)?;
    if host.mirror.connection(connection).await?.is_none() {
        return Err(HostError::UnknownConnection(connection.to_string()).into());
    }
    Ok(host)
}

/// The host and the connection running, for features that write to the ATS.
pub(crate) async fn live_for(
    cli: &Cli,
    connection: &str,
) -> anyhow::Result<(Host, LiveConnection)> {
    let host = crate::open_host(cli)?;
    let live = host.live(connection).await?;
    Ok((host, live))
}

/// Prints a feature's answer, or its error as one line with the right exit code.
pub(crate) fn finish<T: serde::Serialize>(
    result: Result<T, FeatureError>,
    json: bool,
) -> anyhow::Result<ExitCode>
where
    for<'a> crate::shown::Shown<'a, T>: std::fmt::Display,
{
    match result {
        Ok(report) if json => {
            crate::output(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
            Ok(ExitCode::SUCCESS)
        }
        Ok(report) => {
            crate::output(&crate::shown::Shown(&report).to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.is_input_error() => Ok(invalid(e.into())),
        Err(e) => Err(e.into()),
    }
}

/// Prints an input error as one line and returns exit code 2.
pub(crate) fn invalid(error: anyhow::Error) -> ExitCode {
    crate::fail(&error);
    ExitCode::from(INVALID_INPUT)
}

/// Reads a platform profile file. A resume `path` inside it is taken relative to the file's
/// folder, so a profile and its resume can travel together.
pub(crate) fn read_profile(path: &Path) -> Result<ats_features::PlatformCandidate, anyhow::Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the profile {}: {e}", path.display()))?;
    let mut profile = ats_features::export::parse_json(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if let Some(resume) = profile.resume.as_mut()
        && let Some(p) = resume.path.as_mut()
        && Path::new(p).is_relative()
        && let Some(folder) = path.parent()
    {
        *p = folder.join(&*p).display().to_string();
    }
    Ok(profile)
}
