//! Files that are not a usable plugin fail to load with an error that says what is wrong.

use ats_runtime::RuntimeError;
use e2e_tests::runtime_fixtures::*;

fn load(bytes: Option<&[u8]>) -> RuntimeError {
    let dir = tempfile::tempdir().unwrap();
    let runtime = runtime_in(&dir.path().join("cache"), |_| {});
    let path = dir.path().join("plugin.wasm");
    if let Some(bytes) = bytes {
        std::fs::write(&path, bytes).unwrap();
    }
    match runtime.load_plugin(&path) {
        Ok(_) => panic!("loading {bytes:?} should fail"),
        Err(e) => e,
    }
}

#[test]
fn a_missing_file() {
    let error = load(None);
    assert!(
        matches!(error, RuntimeError::PluginNotFound { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("does not exist"), "{error}");
}

#[test]
fn garbage_bytes() {
    let error = load(Some(b"this is not wasm at all"));
    assert!(
        matches!(error, RuntimeError::NotAComponent { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("not a WebAssembly component"),
        "{error}"
    );
}

#[test]
fn a_truncated_component() {
    let probe = std::fs::read(e2e_tests::plugin_path("sandbox_probe")).unwrap();
    let error = load(Some(&probe[..probe.len() / 2]));
    assert!(
        matches!(error, RuntimeError::NotAComponent { .. }),
        "{error:?}"
    );
}

#[test]
fn a_core_module() {
    // The smallest valid core module: magic and version 1.
    let error = load(Some(b"\0asm\x01\0\0\0"));
    assert!(
        matches!(error, RuntimeError::CoreModule { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("wasm32-wasip2"), "{error}");
}

#[test]
fn a_component_of_another_world() {
    // The smallest valid component: it exports nothing.
    let error = load(Some(b"\0asm\x0d\0\x01\0"));
    assert!(
        matches!(error, RuntimeError::WrongWorld { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("ats:connector/connector@0.1.0"),
        "{error}"
    );
}
