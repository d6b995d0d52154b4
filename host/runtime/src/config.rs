//! `wasi:config/store` for plugins, via `wasmtime-wasi-config`: the connection's non-secret
//! settings, by key. Secrets are never put here (see `connection`), so `config::get` of a
//! secret's key answers `none` inside the plugin.

use crate::call::HostState;
use std::collections::BTreeMap;
use std::sync::Arc;
use wasmtime::component::Linker;
use wasmtime_wasi_config::{WasiConfig, WasiConfigVariables};

/// The settings a plugin sees, shared by every call of a connection.
pub(crate) fn variables(settings: &BTreeMap<String, String>) -> Arc<WasiConfigVariables> {
    Arc::new(settings.iter().collect())
}

pub(crate) fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    wasmtime_wasi_config::add_to_linker(linker, |state| WasiConfig::from(&*state.config))
}
