//! The template connector against the example ATS passes every invariant, and none is skipped:
//! it is the reference a new connector is compared with.

mod conformance_support;

use ats_conformance::{Invariant, Outcome};
use conformance_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn template_connector_passes_every_invariant() {
    let env = start("template_connector", &[]).await;
    // One application the API key may not see the job of: a record error, not a failed page.
    let application = env.ats.ids(template_ats::Kind::Applications)[5];
    assert!(
        env.ats
            .remove_field(template_ats::Kind::Applications, application, "job_id")
    );
    let report = suite(&env.conn).await;
    assert!(report.passed(), "\n{}", report.table());
    for invariant in Invariant::ALL {
        assert!(
            matches!(report.outcome(invariant), Some(Outcome::Pass(_))),
            "{invariant} was not exercised:\n{}",
            report.table()
        );
    }
    // The suite paged with a small page size: every stream took several pages.
    let paging = report
        .outcome(Invariant::Paging)
        .unwrap()
        .detail()
        .to_string();
    assert!(
        paging.contains("`candidates`: 25 records, 3 pages"),
        "{paging}"
    );
}
