//! Each deliberately broken mode of `tests/fixtures/broken-connectors` fails exactly the
//! invariant it breaks, with a message that names what went wrong; unbroken, it passes.

mod conformance_support;

use ats_conformance::Invariant;
use conformance_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn unbroken_fixture_passes() {
    let env = start("broken_connector", &[]).await;
    let report = suite(&env.conn).await;
    assert!(report.passed(), "\n{}", report.table());
}

#[tokio::test(flavor = "multi_thread")]
async fn repeating_cursor_fails_paging() {
    let env = start("broken_connector", &[("break", "repeat-cursor")]).await;
    let report = suite(&env.conn).await;
    assert_only_failure(&report, Invariant::Paging, "repeats record");
}

#[tokio::test(flavor = "multi_thread")]
async fn ignoring_updated_since_fails_updated_since() {
    let env = start("broken_connector", &[("break", "ignore-updated-since")]).await;
    let report = suite(&env.conn).await;
    assert_only_failure(&report, Invariant::UpdatedSince, "are older");
}

#[tokio::test(flavor = "multi_thread")]
async fn calling_an_undeclared_host_fails_allowed_hosts() {
    let env = start("broken_connector", &[("break", "undeclared-host")]).await;
    let report = suite(&env.conn).await;
    assert_only_failure(&report, Invariant::AllowedHosts, "refused by the sandbox");
}

#[tokio::test(flavor = "multi_thread")]
async fn string_error_fails_typed_errors() {
    let env = start("broken_connector", &[("break", "string-error")]).await;
    let report = suite(&env.conn).await;
    assert_only_failure(&report, Invariant::TypedErrors, "answered `internal`");
}
