//! The iCIMS connector against the iCIMS simulator passes every invariant: the contract fits
//! an id-paged, search-then-GET API as well as the template's cursor tokens.

mod icims_support;

use ats_conformance::{Invariant, Outcome, SuiteOptions, run_suite};
use icims_sim::{HiddenFields, RecordType};
use icims_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn icims_connector_passes_every_invariant() {
    let env = start(config(30, 4, 40), &[]).await;
    // One workflow whose person the integration user may not see: a record error to check.
    let state = env.sim.state();
    let cid = state.credentials().customer_ids[0];
    let workflow = state.ids(cid, RecordType::Workflows).unwrap()[2];
    state
        .set_hidden_fields(
            cid,
            vec![HiddenFields {
                record_type: RecordType::Workflows,
                fields: vec!["associatedprofile".into()],
                ids: vec![u64::from(workflow)],
            }],
        )
        .unwrap();
    let report = run_suite(&env.conn, &SuiteOptions::default()).await;
    println!("{}", report.table());
    assert!(report.passed(), "\n{}", report.table());
    assert!(
        matches!(report.outcome(Invariant::RecordErrors), Some(Outcome::Pass(note)) if note.contains(&workflow.to_string())),
        "\n{}",
        report.table()
    );
}
