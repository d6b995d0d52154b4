//! Shared fixtures for the end-to-end tests: where the built components are, and helpers to
//! start the pieces each scenario needs. Every test starts its own simulator and host on
//! ephemeral ports, so tests run in parallel without sharing state.

pub mod host_fixture;
pub mod hostile;

use std::path::PathBuf;

/// The built guest component `<name>.wasm` (e.g. `icims_connector`).
///
/// Components are built once per run by `cargo xtask build-plugins` (the README's test command
/// runs it first). `ATS_PLUGIN_DIR` overrides the folder.
pub fn plugin_path(name: &str) -> PathBuf {
    let dir = std::env::var_os("ATS_PLUGIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/wasm32-wasip2/release"));
    let path = dir.join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask build-plugins` first (or `cargo xtask test`)",
        path.display()
    );
    path
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the e2e crate lives two levels below the workspace root")
}

pub mod runtime_fixtures;

/// What an operator grants a connection to `sim`: its API host over plain HTTP (a loopback
/// test server) and its token URL.
pub fn sim_grant(sim: &icims_sim::IcimsSim) -> ats_runtime::HostGrant {
    ats_runtime::HostGrant {
        api_hosts: vec![sim.api_base_url()],
        token_url: Some(sim.token_url()),
        other_hosts: Vec::new(),
    }
}
