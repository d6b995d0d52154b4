//! The iCIMS connector against the iCIMS simulator passes every invariant: the contract fits
//! an id-paged, search-then-GET API as well as the template's cursor tokens.

mod icims_support;

use ats_conformance::{SuiteOptions, run_suite};
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn icims_connector_passes_every_invariant() {
    let env = start(config(30, 4, 40), &[]).await;
    let report = run_suite(&env.conn, &SuiteOptions::default()).await;
    println!("{}", report.table());
    assert!(report.passed(), "\n{}", report.table());
}
