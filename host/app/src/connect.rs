//! Loading a plugin and settling what it may reach, before a connection is checked or saved:
//! the steps `ats connect`/`check`/`conformance` and the service's "create connection" share.

/// Runs CPU-heavy plugin loading off the async executor.
pub async fn load_plugin(
    runtime: &ats_runtime::Runtime,
    path: &std::path::Path,
) -> anyhow::Result<ats_runtime::Plugin> {
    let runtime = runtime.clone();
    let path = path.to_path_buf();
    Ok(tokio::task::spawn_blocking(move || runtime.load_plugin(&path)).await??)
}

/// What the plugin asks for with the file's settings, and what the operator grants it: the
/// file's `[grant]`, or (with `grant_declared`) what the plugin declares.
pub async fn describe_and_grant(
    file: &crate::connection_file::ConnectionFile,
    plugin: &ats_runtime::Plugin,
    grant_declared: bool,
) -> anyhow::Result<(ats_model::ConnectorInfo, ats_runtime::HostGrant)> {
    let info = plugin.describe(&file.settings).await.map_err(|e| {
        anyhow::anyhow!(
            "connection `{}`: describing the plugin failed: {e}",
            file.name
        )
    })?;
    let grant = crate::grant_review::grant_for(file, &info, grant_declared)?;
    Ok((info, grant))
}

/// The runtime's spec for a connection file that is checked but not saved, with its grant
/// (see [`describe_and_grant`]) and the file's limits.
pub async fn spec_for(
    file: &crate::connection_file::ConnectionFile,
    plugin: &ats_runtime::Plugin,
    runtime: &ats_runtime::Runtime,
    grant_declared: bool,
) -> anyhow::Result<ats_runtime::ConnectionSpec> {
    let (_, grant) = describe_and_grant(file, plugin, grant_declared).await?;
    Ok(file.to_spec(grant, &runtime.config().limits)?)
}
