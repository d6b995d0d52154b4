//! Issue 14: two `ats` processes on one data folder, a full `ats sync` and `ats export`s beside
//! it, spend one connection's quota from one ledger in the mirror's database. With a daily quota
//! smaller than the full load, the simulator never receives more requests than the quota (and
//! never answers "quota exceeded"), and the ledger counts every request of both processes.

mod cli_support;

use cli_support::{ats, component, says};

use ats_mirror::{LedgerStore, MirrorStore};
use ats_mirror_sqlite::SqliteMirror;
use ats_model::RecordKind;
use ats_sync::Lane;
use icims_sim::{IcimsSim, RecordType, SimConfig};
use std::time::{Duration, Instant};

const QUOTA: u64 = 400;
const EXPORTS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_and_exports_in_two_processes_spend_one_ledger_and_never_overrun() {
    // A full load needs far more than the quota (a GET per person), and latency makes it last
    // long enough for exports to run beside it. The window is a day that began a minute ago on
    // the simulator's clock, so it cannot reset mid-test.
    let mut config = SimConfig {
        latency_ms: 10,
        ..SimConfig::default()
    };
    config.quota.limit = QUOTA;
    let now = ats_sync::meter::now();
    config.clock.start_unix = Some(now - now.rem_euclid(86_400) + 60);
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (800, 3, 100);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let creds = state.credentials();
    let cid = creds.customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("secret"), &creds.client_secret).unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        sim.connection_toml("acme", &component(), cid, "secret", &[]),
    )
    .unwrap();
    let connect = ats(&data, &["connect", file.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(connect.status.success(), "{}", says(&connect));
    let before_sync = state.quota(cid).unwrap().used;
    let people_before = state.ids(cid, RecordType::People).unwrap().len();

    // Process one: the full load, which pauses at the budget (exit code 3).
    let sync = ats(&data, &["sync", "acme"]).spawn().unwrap();
    let started = Instant::now();
    while state.quota(cid).unwrap().used < before_sync + 20 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sync sends nothing"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Process two (and three, …): exports while the sync runs.
    let sync_pid = sync.id().unwrap();
    let mut sync = sync;
    let mut overlapped = 0;
    let export = |i: usize| {
        let profile = dir.path().join(format!("person-{i}.json"));
        std::fs::write(
            &profile,
            format!(
                r#"{{"first_name": "Ada{i}", "last_name": "Lovelace", "emails": ["ada{i}@example.com"],
                    "current_title": "Analyst Programmer", "source": "cli test"}}"#
            ),
        )
        .unwrap();
        ats(&data, &["export", "acme", profile.to_str().unwrap()]).output()
    };
    for i in 0..EXPORTS {
        let export = export(i).await.unwrap();
        assert!(export.status.success(), "export {i}: {}", says(&export));
        if sync.try_wait().unwrap().is_none() {
            overlapped += 1;
        }
    }
    let sync = sync.wait_with_output().await.unwrap();
    assert_eq!(
        sync.status.code(),
        Some(3),
        "the sync pauses: {}",
        says(&sync)
    );
    assert!(
        overlapped >= 1,
        "no export ran while the sync (pid {sync_pid}) did; make the load larger"
    );

    // The sync left its lanes' reserve to interactive work: exports, two processes at a time,
    // spend it to the last request, until the host holds one back.
    let mut held_back = false;
    for round in 0..20 {
        let (a, b) = tokio::join!(export(100 + 2 * round), export(101 + 2 * round));
        for output in [a.unwrap(), b.unwrap()] {
            if !output.status.success() {
                let stderr = String::from_utf8_lossy(&output.stderr);
                // The host answers a held-back request with 429 (the simulator's count below
                // shows it was not the simulator refusing).
                assert!(stderr.contains("rate limited"), "{}", says(&output));
                held_back = true;
            }
        }
        if held_back {
            break;
        }
    }
    assert!(held_back, "the exports never reached the end of the quota");

    // The simulator never received more than the quota, and refused nothing.
    let quota = state.quota(cid).unwrap();
    let received = state.counters().by_customer[&cid.to_string()];
    println!(
        "received {received} API requests ({} before the sync), quota {QUOTA}; {overlapped} of {EXPORTS} exports overlapped the sync",
        before_sync
    );
    assert!(
        received <= QUOTA,
        "{received} requests for a quota of {QUOTA}"
    );
    assert_eq!(
        quota.refused_total, 0,
        "the simulator answered quota exceeded"
    );
    assert_eq!(quota.used, received);

    // Both processes did their work: the sync mirrored people, every export created one.
    let mirror = SqliteMirror::open(data.join("mirror.sqlite")).unwrap();
    let mirrored = mirror
        .counts("acme")
        .await
        .unwrap()
        .get(RecordKind::Candidate)
        .live;
    assert!(mirrored > 0);
    assert!(state.ids(cid, RecordType::People).unwrap().len() > people_before + EXPORTS);
    // One ledger counted them all, the check's, the sync's and the exports': had either
    // process kept a ledger of its own, the stored one would miss its requests.
    let stored = mirror
        .ledger("acme")
        .unwrap()
        .expect("a ledger in the database");
    let ledger = ats_sync::meter::decode_ledger(&stored).expect("a ledger");
    let spent: u64 = Lane::ALL.iter().map(|&l| ledger.spent(l)).sum();
    assert_eq!(spent, received, "{ledger:?}");
    assert_eq!(ledger.in_flight(), 0);
    assert_eq!(ledger.remaining(), Some(QUOTA - received));
    // Spent to the end: less is left than an export needs.
    assert!(QUOTA - received < 10, "{ledger:?}");
    // No JSON ledger files any more.
    assert!(!data.join("quota").exists());

    // `ats status` shows the shared ledger.
    let status = ats(&data, &["status", "acme", "--json"])
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {}", says(&status)));
    assert_eq!(json[0]["quota"]["remaining"], QUOTA - received, "{text}");
}
