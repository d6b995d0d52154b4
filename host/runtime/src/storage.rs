//! Plugin storage: the trait and the in-memory store live in `ats_mirror::plugin_storage` (the
//! durable one is a mirror backend's); the runtime only exposes a scope to the plugin
//! (`keyvalue.rs`).

pub use ats_mirror::plugin_storage::{MemoryStorage, PluginStorage, StorageError};
