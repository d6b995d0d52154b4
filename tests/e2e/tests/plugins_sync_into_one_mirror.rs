//! Issue 8: the host syncs the iCIMS connector and the template connector at once, each with
//! its own connection, allow-list, storage and quota, into one mirror, without mixing data.

use ats_app::sync_runner::{SyncOptions, sync_connection};
use ats_mirror::{ConnectionRow, SecretRef};
use ats_model::RecordKind;
use ats_sync::NoProgress;
use e2e_tests::host_fixture;
use std::collections::{BTreeMap, BTreeSet};
use template_ats::{Kind, TemplateAts, TemplateAtsConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn icims_and_template_sync_side_by_side_into_one_mirror() {
    let env = host_fixture::start(host_fixture::sim_config(140, 5, 90)).await;
    let icims = env.connect_icims("icims-acme", env.customer()).await;

    let ats = TemplateAts::start(TemplateAtsConfig {
        candidates: 33,
        ..Default::default()
    })
    .await
    .expect("example ATS");
    let key_file = env.dir.path().join("template.key");
    std::fs::write(&key_file, ats.api_key()).unwrap();
    let template_path = e2e_tests::plugin_path("template_connector");
    let row = ConnectionRow {
        name: "template-acme".into(),
        tenant: ats_mirror::DEFAULT_TENANT.into(),
        plugin_path: template_path.display().to_string(),
        plugin_hash: env
            .host
            .runtime
            .load_plugin(&template_path)
            .unwrap()
            .content_hash()
            .to_string(),
        granted_api_hosts: vec![ats.base_url()],
        settings: BTreeMap::from([("base-url".to_string(), ats.base_url())]),
        secrets: BTreeMap::from([(
            "api-key".to_string(),
            SecretRef::File(key_file.display().to_string()),
        )]),
        stream_intervals: BTreeMap::new(),
        ..ConnectionRow::default()
    };
    env.host.mirror.upsert_connection(&row).await.unwrap();
    let template = env
        .host
        .live("template-acme")
        .await
        .expect("template goes live");

    let options = SyncOptions::default();
    let (a, b) = tokio::join!(
        sync_connection(&env.host, &icims, &options, &NoProgress),
        sync_connection(&env.host, &template, &options, &NoProgress),
    );
    assert!(a.unwrap().iter().all(|r| r.outcome == "completed"));
    assert!(b.unwrap().iter().all(|r| r.outcome == "completed"));

    let mirror = &env.host.mirror;
    let template_ids: BTreeSet<String> = ats
        .ids(Kind::Candidates)
        .iter()
        .map(u64::to_string)
        .collect();
    let mirrored: BTreeSet<String> = mirror
        .ids("template-acme", RecordKind::Candidate)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(mirrored, template_ids);
    assert_eq!(
        mirror
            .ids("icims-acme", RecordKind::Candidate)
            .await
            .unwrap()
            .len(),
        140
    );
    // Each plugin reached only its own ATS; nothing was refused by the other's allow-list.
    let (i, t) = (icims.connection.stats(), template.connection.stats());
    assert_eq!((i.refused, t.refused), (0, 0));
    assert!(t.by_host.keys().all(|h| *h == ats.host()), "{t:?}");
    assert!(!i.by_host.contains_key(&ats.host()), "{i:?}");
    // The iCIMS connector cached status names in its own storage scope; the template's is empty.
    assert!(!env.host.storage.list_keys("icims-acme").unwrap().is_empty());
    assert!(
        env.host
            .storage
            .list_keys("template-acme")
            .unwrap()
            .is_empty()
    );
}
