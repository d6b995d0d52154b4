//! Loading a plugin: read, check it is a component of the right world, compile (or load from
//! the compile cache) and pre-link it once. Every call then instantiates from the
//! `InstancePre` cheaply.

use crate::bindings::{self, CONNECTOR_EXPORT};
use crate::call::{self, CallContext, HostState};
use crate::engine::{Runtime, RuntimeInner};
use crate::error::{CallError, RuntimeError};
use crate::outbound_http::ConnectionHttp;
use crate::storage::MemoryStorage;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded plugin: compiled and linked once, shared by all its connections. Cheap to clone.
#[derive(Clone)]
pub struct Plugin {
    pub(crate) inner: Arc<PluginInner>,
}

pub(crate) struct PluginInner {
    pub(crate) runtime: Arc<RuntimeInner>,
    path: PathBuf,
    content_hash: String,
    from_cache: bool,
    pub(crate) pre: bindings::PluginPre<HostState>,
}

const CORE_MODULE_VERSION: [u8; 4] = [0x01, 0x00, 0x00, 0x00];
const COMPONENT_VERSION: [u8; 4] = [0x0d, 0x00, 0x01, 0x00];

impl Runtime {
    /// Loads the plugin at `wasm_path`: a WebAssembly component implementing the
    /// `ats:connector/plugin` world. Compiles it, or loads the compiled form from the cache.
    ///
    /// This is CPU-heavy on first load (seconds); call it from a blocking context or once at
    /// start-up.
    pub fn load_plugin(&self, wasm_path: &Path) -> Result<Plugin, RuntimeError> {
        let path = wasm_path.to_path_buf();
        let wasm = std::fs::read(wasm_path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                RuntimeError::PluginNotFound { path: path.clone() }
            } else {
                RuntimeError::ReadPlugin {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        check_header(&path, &wasm)?;
        let content_hash = hex::encode(Sha256::digest(&wasm));
        let runtime = &self.inner;
        let compiled = crate::compile_cache::load_or_compile(
            &runtime.engine,
            &runtime.config.cache_dir,
            &wasm,
            &content_hash,
        )
        .map_err(|e| RuntimeError::NotAComponent {
            path: path.clone(),
            detail: format!("{e:#}"),
        })?;
        let component = compiled.component;

        let component_type = component.component_type();
        let exports: Vec<&str> = component_type
            .exports(&runtime.engine)
            .map(|(name, _)| name)
            .collect();
        if !exports.contains(&CONNECTOR_EXPORT) {
            let found = if exports.is_empty() {
                "nothing".to_string()
            } else {
                exports.join(", ")
            };
            return Err(RuntimeError::WrongWorld {
                path,
                detail: format!("it does not export `{CONNECTOR_EXPORT}` (it exports {found})"),
            });
        }
        let instance_pre = runtime.linker.instantiate_pre(&component).map_err(|e| {
            RuntimeError::UnsupportedImport {
                path: path.clone(),
                detail: format!("{e:#}"),
            }
        })?;
        let pre = bindings::PluginPre::new(instance_pre).map_err(|e| RuntimeError::WrongWorld {
            path: path.clone(),
            detail: format!("{e:#}"),
        })?;
        tracing::debug!(plugin = %path.display(), hash = %content_hash, from_cache = compiled.from_cache, "plugin loaded");
        Ok(Plugin {
            inner: Arc::new(PluginInner {
                runtime: self.inner.clone(),
                path,
                content_hash,
                from_cache: compiled.from_cache,
                pre,
            }),
        })
    }
}

/// Tells a core module and garbage apart from a component before compiling, for a clear error.
fn check_header(path: &Path, wasm: &[u8]) -> Result<(), RuntimeError> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(RuntimeError::NotAComponent {
            path: path.to_path_buf(),
            detail: "the file does not start with the WebAssembly magic bytes".into(),
        });
    }
    match <[u8; 4]>::try_from(&wasm[4..8]) {
        Ok(CORE_MODULE_VERSION) => Err(RuntimeError::CoreModule {
            path: path.to_path_buf(),
        }),
        Ok(COMPONENT_VERSION) => Ok(()),
        _ => Err(RuntimeError::NotAComponent {
            path: path.to_path_buf(),
            detail: format!("unknown WebAssembly version bytes {:02x?}", &wasm[4..8]),
        }),
    }
}

impl Plugin {
    /// SHA-256 of the `.wasm` file, hex.
    pub fn content_hash(&self) -> &str {
        &self.inner.content_hash
    }

    /// True when the compiled code came from the cache folder instead of a fresh compile.
    pub fn loaded_from_cache(&self) -> bool {
        self.inner.from_cache
    }

    /// Where the plugin was loaded from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Calls the plugin's `describe` with the given (non-secret) settings. The plugin gets no
    /// network and throw-away storage.
    pub async fn describe(
        &self,
        settings: &BTreeMap<String, String>,
    ) -> Result<ats_model::ConnectorInfo, CallError> {
        let context = CallContext {
            connection: "describe".into(),
            config: crate::config::variables(settings),
            storage: Arc::new(MemoryStorage::new()),
            http: Arc::new(ConnectionHttp::deny_all(
                "describe",
                self.inner.runtime.http.clone(),
            )),
            redactor: Default::default(),
            limits: Arc::new(self.inner.runtime.config.limits.clone()),
        };
        let info = call::run(
            &self.inner.runtime,
            &self.inner.pre,
            &context,
            "describe",
            |g, s| Box::pin(async move { g.call_describe(s).await }),
        )
        .await
        .map_err(|e| crate::returned::call_error(&context.limits, e))?;
        crate::returned::connector_info(&context.limits, info.into())
    }
}

/// A plugin instantiated in its own store and not called: what every call costs before the
/// plugin runs. For measuring instantiation time and memory per instance (benchmarks); calls
/// do not use it.
pub struct IdleInstance {
    _store: wasmtime::Store<HostState>,
    _instance: bindings::Plugin,
}

impl Plugin {
    /// Instantiates the plugin from its pre-linked `InstancePre` in a fresh store (as every
    /// call does, with the same limits, throw-away storage and no network), without calling
    /// any export. The instance lives as long as the returned value.
    pub async fn instantiate_idle(&self) -> Result<IdleInstance, CallError> {
        let context = CallContext {
            connection: "idle".into(),
            config: crate::config::variables(&BTreeMap::new()),
            storage: Arc::new(MemoryStorage::new()),
            http: Arc::new(ConnectionHttp::deny_all(
                "idle",
                self.inner.runtime.http.clone(),
            )),
            redactor: Default::default(),
            limits: Arc::new(self.inner.runtime.config.limits.clone()),
        };
        let (mut store, _stderr) = call::new_store(&self.inner.runtime, &context);
        // No epoch deadline callback: instantiation runs no guest code past start functions,
        // and the default deadline interrupts anything that does.
        store.set_epoch_deadline(1 << 40);
        let instance = self
            .inner
            .pre
            .instantiate_async(&mut store)
            .await
            .map_err(|e| CallError::Instantiate(format!("{e:#}")))?;
        Ok(IdleInstance {
            _store: store,
            _instance: instance,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_told_apart() {
        let path = Path::new("x.wasm");
        assert!(matches!(
            check_header(path, b"\0asm\x01\0\0\0"),
            Err(RuntimeError::CoreModule { .. })
        ));
        assert!(check_header(path, b"\0asm\x0d\0\x01\0").is_ok());
        assert!(matches!(
            check_header(path, b"hello world"),
            Err(RuntimeError::NotAComponent { .. })
        ));
        assert!(matches!(
            check_header(path, b""),
            Err(RuntimeError::NotAComponent { .. })
        ));
    }
}
