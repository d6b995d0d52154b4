//! Shared set-up for the `conformance_*` scenarios: the example ATS on loopback and a plugin
//! (the template connector or the broken fixture) connected to it in the real runtime.
#![allow(dead_code)]

use ats_conformance::{ConformanceReport, Invariant, Outcome, SuiteOptions, run_suite};
use ats_runtime::{
    Connection, ConnectionSpec, MemoryStorage, NoObserver, Runtime, RuntimeConfig, Secret,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use template_ats::{TemplateAts, TemplateAtsConfig};

pub struct Env {
    pub ats: TemplateAts,
    pub runtime: Runtime,
    pub conn: Connection,
}

/// Starts the example ATS (25 candidates, 5 jobs, 40 applications) and connects `plugin`
/// (`template_connector` or `broken_connector`) to it with `extra` settings.
pub async fn start(plugin: &str, extra: &[(&str, &str)]) -> Env {
    let ats = TemplateAts::start(TemplateAtsConfig::default())
        .await
        .expect("the example ATS starts");
    let runtime = Runtime::new(RuntimeConfig::new(
        e2e_tests::workspace_root().join("target/e2e-component-cache"),
    ))
    .expect("runtime");
    let plugin = runtime
        .load_plugin(&e2e_tests::plugin_path(plugin))
        .expect("plugin loads");
    let mut settings = BTreeMap::from([("base-url".to_string(), ats.base_url())]);
    for (k, v) in extra {
        settings.insert(k.to_string(), v.to_string());
    }
    let spec = ConnectionSpec {
        name: "conformance".into(),
        settings,
        secrets: BTreeMap::from([("api-key".to_string(), Secret::new(ats.api_key()))]),
        grant: ats_runtime::HostGrant {
            api_hosts: vec![ats.base_url()],
            ..Default::default()
        },
        limits: None,
    };
    let conn = runtime
        .connect(
            &plugin,
            spec,
            Arc::new(MemoryStorage::new()),
            Arc::new(NoObserver),
        )
        .await
        .expect("connects");
    Env { ats, runtime, conn }
}

/// Runs the suite and prints its table (shown when a test fails).
pub async fn suite(conn: &Connection) -> ConformanceReport {
    let report = run_suite(conn, &SuiteOptions::default()).await;
    println!("{}", report.table());
    report
}

/// Asserts that exactly `invariant` failed, with a reason containing `reason`.
pub fn assert_only_failure(report: &ConformanceReport, invariant: Invariant, reason: &str) {
    assert_eq!(report.failures(), vec![invariant], "\n{}", report.table());
    match report.outcome(invariant) {
        Some(Outcome::Fail(text)) => assert!(text.contains(reason), "`{text}` lacks `{reason}`"),
        other => panic!("{invariant} should fail, got {other:?}"),
    }
    assert!(
        report.table().contains(&format!("{invariant}")),
        "the table names the invariant"
    );
}
