//! Logs forwarded to the host (`wasi:logging/logging`), which adds the connection's name.

use crate::bindings::wasi::logging::logging::{Level, log};

const CONTEXT: &str = "connector";

pub fn debug(message: &str) {
    log(Level::Debug, CONTEXT, message);
}

pub fn info(message: &str) {
    log(Level::Info, CONTEXT, message);
}

pub fn warn(message: &str) {
    log(Level::Warn, CONTEXT, message);
}

pub fn error(message: &str) {
    log(Level::Error, CONTEXT, message);
}
