//! A customer missing each permission in turn: check-connection reports exactly that one missing.

mod icims_support;

use ats_model::PermissionState;
use icims_sim::Permission;
use icims_support::*;

const ALL: [(Permission, &str); 14] = [
    (Permission::JobsList, "jobs-list"),
    (Permission::JobsGet, "jobs-get"),
    (Permission::WorkflowsList, "workflows-list"),
    (Permission::WorkflowsAdd, "workflows-add"),
    (Permission::WorkflowsUpdate, "workflows-update"),
    (Permission::WorkflowsGet, "workflows-get"),
    (Permission::PeopleAdd, "people-add"),
    (Permission::PeopleList, "people-list"),
    (Permission::PeopleUpdate, "people-update"),
    (Permission::PeopleGet, "people-get"),
    (Permission::StatusList, "status-list"),
    (Permission::StatusGet, "status-get"),
    (Permission::StatusUpdate, "status-update"),
    (Permission::PersonFoldersList, "person-folders-list"),
];

#[tokio::test(flavor = "multi_thread")]
async fn each_missing_permission_is_named() {
    for (denied, id) in ALL {
        let mut config = config(3, 2, 2);
        config.customers[0].denied_permissions = vec![denied];
        let env = start(config, &[]).await;
        let report = env.conn.check_connection().await.expect("check");
        let missing: Vec<&str> = report.missing().map(|p| p.permission.as_str()).collect();
        // A status is a field of a workflow: without the workflow permission there is no status
        // permission either, so both are reported missing.
        let expected = match id {
            "workflows-list" => vec![id, "status-list"],
            "workflows-get" => vec![id, "status-get"],
            "workflows-update" => vec![id, "status-update"],
            _ => vec![id],
        };
        assert_eq!(
            missing, expected,
            "denied {denied:?}: {:?}",
            report.permissions
        );
        assert!(
            report
                .permissions
                .iter()
                .filter(|p| !expected.contains(&p.permission.as_str()))
                .all(|p| p.state == PermissionState::Granted),
            "{:?}",
            report.permissions
        );
    }
}
