//! One runtime hosts the iCIMS connector and the template connector at once, each with its own
//! connection, allow-list and storage; both read fully and nothing crosses between them.

mod icims_support;

use ats_model::{ListRequest, RecordKind};
use ats_runtime::{Connection, ConnectionSpec, MemoryStorage, NoObserver, Secret};
use icims_support::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use template_ats::{TemplateAts, TemplateAtsConfig};

async fn candidate_ids(conn: &Connection) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut cursor = None;
    loop {
        let request = ListRequest {
            cursor,
            updated_since: None,
            page_size_hint: Some(50),
        };
        let page = conn
            .list_records(RecordKind::Candidate, request)
            .await
            .expect("page");
        ids.extend(page.records.iter().map(|r| r.id().to_string()));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn icims_and_template_run_side_by_side() {
    // iCIMS: simulator, runtime and connection from the shared iCIMS set-up.
    let icims = start(config(12, 2, 5), &[]).await;
    // The template, loaded into the same runtime, against its own example ATS.
    let ats = TemplateAts::start(TemplateAtsConfig {
        candidates: 7,
        ..Default::default()
    })
    .await
    .expect("example ATS");
    let plugin = icims
        .runtime
        .load_plugin(&e2e_tests::plugin_path("template_connector"))
        .expect("template loads");
    let template_storage = Arc::new(MemoryStorage::new());
    let template = icims
        .runtime
        .connect(
            &plugin,
            ConnectionSpec {
                name: "template-side".into(),
                settings: BTreeMap::from([("base-url".to_string(), ats.base_url())]),
                secrets: BTreeMap::from([("api-key".to_string(), Secret::new(ats.api_key()))]),
                grant: ats_runtime::HostGrant {
                    api_hosts: vec![ats.base_url()],
                    ..Default::default()
                },
                limits: None,
            },
            template_storage,
            Arc::new(NoObserver),
        )
        .await
        .expect("template connects");

    // Each connection's allow-list is its own plugin's declaration.
    assert_eq!(template.info().api_hosts, vec![ats.host()]);
    let icims_hosts = &icims.conn.info().api_hosts;
    assert!(
        icims_hosts.contains(&authority(&icims.sim.api_base_url())),
        "{icims_hosts:?}"
    );
    assert!(!icims_hosts.contains(&ats.host()), "{icims_hosts:?}");

    let (icims_ids, template_ids) =
        tokio::join!(candidate_ids(&icims.conn), candidate_ids(&template));
    assert_eq!(icims_ids.len(), 12);
    assert_eq!(template_ids.len(), 7);
    assert_eq!(
        template_ids,
        ats.ids(template_ats::Kind::Candidates)
            .iter()
            .map(u64::to_string)
            .collect()
    );

    // No request crossed: each connection only reached its own ATS, and nothing was refused.
    let (i, t) = (icims.conn.stats(), template.stats());
    assert_eq!((i.refused, t.refused), (0, 0));
    assert!(t.by_host.keys().all(|h| *h == ats.host()), "{t:?}");
    assert!(!i.by_host.contains_key(&ats.host()), "{i:?}");
    assert_eq!(
        t.sent,
        ats.requests(),
        "every template request reached the example ATS"
    );
}
