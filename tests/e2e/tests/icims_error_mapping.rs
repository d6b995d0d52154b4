//! Each error kind, produced by the simulator's faults, quota and permissions.

mod icims_support;

use ats_model::{ConnectorError, RateLimitScope, RecordKind};
use ats_runtime::CallError;
use icims_sim::{FaultKind, FaultMatch, FaultScript, Permission};
use icims_support::*;

fn connector_error<T: std::fmt::Debug>(result: Result<T, CallError>) -> ConnectorError {
    match result {
        Err(CallError::Connector(e)) => e,
        other => panic!("expected a connector error, got {other:?}"),
    }
}

fn fault(endpoint: &str, kind: FaultKind) -> FaultScript {
    faults(endpoint, kind, 1)
}

fn faults(endpoint: &str, kind: FaultKind, count: u32) -> FaultScript {
    FaultScript {
        matcher: FaultMatch {
            endpoint: Some(endpoint.into()),
            path_prefix: None,
        },
        fault: kind,
        count,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_typed() {
    let env = start(config(5, 2, 2), &[]).await;
    let state = env.sim.state();

    let e = connector_error(env.conn.get(RecordKind::Candidate, "987654").await);
    assert!(matches!(e, ConnectorError::NotFound { .. }), "{e:?}");

    for kind in [
        FaultKind::InternalError,
        FaultKind::Unavailable,
        FaultKind::Malformed,
        FaultKind::Reset,
    ] {
        let id = state
            .ids(env.customer, icims_sim::RecordType::People)
            .unwrap()[0]
            .to_string();
        // A GET by id is idempotent: the connector retries one failure itself...
        state.push_fault(fault("get.people", kind));
        assert!(
            env.conn.get(RecordKind::Candidate, &id).await.is_ok(),
            "{kind:?} retried"
        );
        // ...and types the failure as transient when every attempt (three) fails.
        state.push_fault(faults("get.people", kind, 3));
        let e = connector_error(env.conn.get(RecordKind::Candidate, &id).await);
        assert!(
            matches!(e, ConnectorError::Transient { .. }),
            "{kind:?}: {e:?}"
        );
    }

    state.push_fault(fault("search.people", FaultKind::TooManyRequests));
    let e = connector_error(env.conn.list_ids(RecordKind::Candidate, None).await);
    assert!(matches!(e, ConnectorError::RateLimited { .. }), "{e:?}");

    state.set_quota_used(env.customer, 10_000).unwrap();
    let e = connector_error(env.conn.list_ids(RecordKind::Candidate, None).await);
    match e {
        ConnectorError::RateLimited {
            scope,
            retry_after_seconds,
            ..
        } => {
            assert_eq!(scope, RateLimitScope::Daily);
            assert!(retry_after_seconds.is_some_and(|s| s <= 86_400));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn denied_permission_and_bad_credentials() {
    let mut config = config(5, 2, 2);
    config.customers[0].denied_permissions = vec![Permission::PeopleGet];
    let env = start(config, &[]).await;
    let id = env
        .sim
        .state()
        .ids(env.customer, icims_sim::RecordType::People)
        .unwrap()[0]
        .to_string();
    let e = connector_error(env.conn.get(RecordKind::Candidate, &id).await);
    assert!(
        matches!(&e, ConnectorError::PermissionMissing { permission, .. } if permission == "people-get"),
        "{e:?}"
    );

    let e = connector_error(
        env.conn
            .create_candidate(ats_model::CandidateInput {
                first_name: Some("A".into()),
                last_name: Some("B".into()),
                emails: Some(vec!["not-an-email".into()]),
                ..Default::default()
            })
            .await,
    );
    assert!(matches!(e, ConnectorError::InvalidInput { .. }), "{e:?}");

    // Wrong client secret: the host's token request fails and the connector reports unauthorized.
    let mut settings = settings(&env.sim, &[]);
    settings.insert("client-id".into(), "wrong-client".into());
    let conn = connect(&env.runtime, &env.plugin, &env.sim, settings).await;
    let e = connector_error(conn.check_connection().await);
    assert!(matches!(e, ConnectorError::Unauthorized { .. }), "{e:?}");
}
