//! Issue 5: two connections (two customers of one ATS, e.g. sandbox and production) sync side
//! by side into one mirror without mixing data, each with its own token and quota.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use icims_sim::{CustomerConfig, RecordType};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_customers_sync_side_by_side_without_mixing() {
    let mut config = host_fixture::sim_config(250, 8, 300);
    let mut production = CustomerConfig {
        id: 5678,
        name: "Production".into(),
        customer_type: "production".into(),
        ..CustomerConfig::default()
    };
    production.generator.people = 410;
    production.generator.jobs = 12;
    production.generator.workflows = 90;
    production.generator.seed = 99;
    config.customers.push(production);
    let env = host_fixture::start(config).await;
    let sandbox = env.connect_icims("acme-sandbox", 1234).await;
    let prod = env.connect_icims("acme-production", 5678).await;

    let options = SyncOptions::default();
    let (a, b) = tokio::join!(
        sync_connection(&env.host, &sandbox, &options, &NoProgress),
        sync_connection(&env.host, &prod, &options, &NoProgress),
    );
    assert!(a.unwrap().iter().all(|r| r.outcome == "completed"));
    assert!(b.unwrap().iter().all(|r| r.outcome == "completed"));

    let state = env.sim.state();
    for (conn, cid) in [("acme-sandbox", 1234u64), ("acme-production", 5678)] {
        for (ty, kind) in [
            (RecordType::People, RecordKind::Candidate),
            (RecordType::Jobs, RecordKind::Job),
            (RecordType::Workflows, RecordKind::Application),
        ] {
            let sim: BTreeSet<u64> = state
                .ids(cid, ty)
                .unwrap()
                .into_iter()
                .map(u64::from)
                .collect();
            let mirror: BTreeSet<u64> = env
                .host
                .mirror
                .ids(conn, kind)
                .await
                .unwrap()
                .iter()
                .map(|i| i.parse().unwrap())
                .collect();
            assert_eq!(mirror, sim, "{conn} {kind}");
        }
    }
    // Same ids can exist in both tenants: each mirror copy carries its own tenant's data.
    let counts_a = env
        .host
        .mirror
        .counts("acme-sandbox")
        .await
        .unwrap()
        .get(RecordKind::Candidate)
        .live;
    let counts_b = env
        .host
        .mirror
        .counts("acme-production")
        .await
        .unwrap()
        .get(RecordKind::Candidate)
        .live;
    assert_eq!((counts_a, counts_b), (250, 410));
    assert_eq!(sandbox.connection.stats().tokens_fetched, 1);
    assert_eq!(prod.connection.stats().tokens_fetched, 1);
    let per_customer = state.counters().by_customer;
    assert!(
        per_customer["1234"] > 500 && per_customer["5678"] > 500,
        "{per_customer:?}"
    );
}
