//! Compiled plugins cached on disk, so a plugin is compiled once per machine, not per start.
//!
//! The key is the SHA-256 of the `.wasm` plus a digest of the engine's
//! `precompile_compatibility_hash` (wasmtime version, target, compiler settings): a new wasmtime
//! or different settings never load stale machine code. Entries are written to a temporary file
//! and renamed, so a crash never leaves half a file under a valid name; an entry that fails to
//! load (corrupt, truncated, incompatible) is compiled again and overwritten.

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

/// A compiled component and whether it came from the cache.
pub(crate) struct Compiled {
    pub(crate) component: Component,
    pub(crate) from_cache: bool,
}

/// Loads the compiled form of `wasm` from `cache_dir`, or compiles and stores it.
pub(crate) fn load_or_compile(
    engine: &Engine,
    cache_dir: &Path,
    wasm: &[u8],
    content_hash: &str,
) -> wasmtime::Result<Compiled> {
    let entry = entry_path(engine, cache_dir, content_hash);
    // Read into memory rather than `deserialize_file`: that one maps the file, and a mapped
    // file truncated by another process (a cache clean-up, a concurrent rewrite) kills this
    // process with SIGBUS.
    if let Ok(bytes) = std::fs::read(&entry) {
        // SAFETY: the bytes come from the runtime's own cache folder, written by
        // `Component::serialize` of an engine with the same compatibility hash (it is in the
        // name); wasmtime also checks the header and refuses an incompatible artefact. Whoever
        // can write to the cache folder can run code as this user anyway.
        match unsafe { Component::deserialize(engine, &bytes) } {
            Ok(component) => {
                return Ok(Compiled {
                    component,
                    from_cache: true,
                });
            }
            Err(e) => tracing::warn!(
                entry = %entry.display(),
                "cached plugin could not be loaded, compiling again: {e}"
            ),
        }
    }
    let component = Component::new(engine, wasm)?;
    if let Err(e) = store(&component, &entry) {
        tracing::warn!(entry = %entry.display(), "cannot cache the compiled plugin: {e:#}");
    }
    Ok(Compiled {
        component,
        from_cache: false,
    })
}

/// `<cache_dir>/<sha256 of wasm>-<engine digest>.cwasm`.
fn entry_path(engine: &Engine, cache_dir: &Path, content_hash: &str) -> PathBuf {
    let mut hasher = Sha256Hasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let engine_digest = hex::encode(&hasher.0.finalize()[..8]);
    cache_dir.join(format!("{content_hash}-{engine_digest}.cwasm"))
}

fn store(component: &Component, entry: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = component.serialize()?;
    let temp = entry.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temp, bytes)?;
    if let Err(e) = std::fs::rename(&temp, entry) {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    Ok(())
}

/// Feeds `Hash` output into SHA-256, for a digest that is stable across processes (the std
/// hasher is not guaranteed to be).
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
