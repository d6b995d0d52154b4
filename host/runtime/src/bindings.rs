//! Host bindings of the `ats:connector/plugin` world (contract version 0.1.0).
//!
//! Generated types stay in this module and `convert`; the rest of the crate speaks
//! `ats_model`. A future contract version gets its own bindings module and converter, so old
//! plugins keep loading (Zed's `since_v0.X.Y` pattern).

wasmtime::component::bindgen!({
    path: "../../wit",
    world: "ats:connector/plugin",
    imports: { default: trappable },
    exports: { default: async },
    require_store_data_send: true,
    with: {
        "wasi:http": wasmtime_wasi_http::p2::bindings::http,
        "wasi:io": wasmtime_wasi::p2::bindings::io,
        "wasi:clocks": wasmtime_wasi::p2::bindings::clocks,
        "wasi:keyvalue/store.bucket": crate::keyvalue::Bucket,
    },
});

pub(crate) use exports::ats::connector::connector as wit;
pub(crate) use exports::ats::connector::types as wit_types;

/// The name under which a plugin must export the connector interface.
pub(crate) const CONNECTOR_EXPORT: &str = "ats:connector/connector@0.1.0";
