//! Issue 16: the CLI with its mirror in PostgreSQL. `ats connect` and `ats sync` against the
//! simulator, the mirror in a throwaway PostgreSQL server chosen by `--database` (and by
//! `ATS_DATABASE_URL`), end with the mirror equal to the simulator; a server that cannot be
//! reached is a one-line error naming it, never its password.

mod cli_support;

use ats_mirror::MirrorStore;
use ats_mirror_postgres::PgMirror;
use ats_model::RecordKind;
use cli_support::{ats, component, says};
use icims_sim::{IcimsSim, RecordType, SimConfig};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_and_sync_into_postgres_make_the_mirror_equal_the_simulator() {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (300, 8, 240);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let cid = state.credentials().customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(
        dir.path().join("secret"),
        &state.credentials().client_secret,
    )
    .unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        sim.connection_toml("acme", &component(), cid, "secret", &[]),
    )
    .unwrap();
    let url = ats_test_postgres::database();

    let mut connect = ats(
        &data,
        &["--database", &url, "connect", file.to_str().unwrap()],
    );
    let connect = connect.output().await.unwrap();
    assert!(connect.status.success(), "{}", says(&connect));
    // The sync finds the connection through ATS_DATABASE_URL alone.
    let mut sync = ats(&data, &["sync", "acme"]);
    sync.env("ATS_DATABASE_URL", &url).env_remove("ATS_STORE");
    let sync = sync.output().await.unwrap();
    assert!(sync.status.success(), "{}", says(&sync));
    // Nothing went to a SQLite file in the data folder.
    assert!(!data.join("mirror.sqlite").exists());

    let mirror = PgMirror::connect(&url).await.unwrap();
    for (ty, kind) in [
        (RecordType::People, RecordKind::Candidate),
        (RecordType::Jobs, RecordKind::Job),
        (RecordType::Workflows, RecordKind::Application),
    ] {
        let expected: BTreeSet<u64> = state
            .ids(cid, ty)
            .unwrap()
            .into_iter()
            .map(u64::from)
            .collect();
        assert!(!expected.is_empty(), "{kind}: the simulator holds none");
        let ids = mirror.ids("acme", kind).await.unwrap();
        let got: BTreeSet<u64> = ids.iter().map(|i| i.parse().unwrap()).collect();
        assert_eq!(got.len(), ids.len(), "{kind}: an id is doubled");
        assert_eq!(got, expected, "{kind}: records lost or extra");
    }
    let runs = mirror.runs("acme", 50).await.unwrap();
    assert!(!runs.is_empty() && runs.iter().all(|r| r.outcome.is_some()));

    // A second sync over the same database reads it back (status shows the connection).
    let status = ats(&data, &["--database", &url, "status"])
        .output()
        .await
        .unwrap();
    assert!(status.status.success(), "{}", says(&status));
    assert!(String::from_utf8_lossy(&status.stdout).contains("acme"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_is_one_line_naming_the_server_without_its_password() {
    // A port nothing listens on: a server started and stopped.
    let port = ats_test_postgres::PgServer::start().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://ats:hunter2-secret@127.0.0.1:{port}/mirror");
    let out = ats(dir.path(), &["--database", &url, "status"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", says(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(!says(&out).contains("hunter2"), "{}", says(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_leased_by_another_process_is_not_synced_until_it_is_released() {
    let mut config = SimConfig::default();
    let g = &mut config.customers[0].generator;
    (g.people, g.jobs, g.workflows) = (60, 3, 40);
    let sim = IcimsSim::start(config).await.unwrap();
    let state = sim.state();
    let cid = state.credentials().customer_ids[0];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(
        dir.path().join("secret"),
        &state.credentials().client_secret,
    )
    .unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        sim.connection_toml("acme", &component(), cid, "secret", &[]),
    )
    .unwrap();
    let url = ats_test_postgres::database();
    let connect = ats(
        &data,
        &["--database", &url, "connect", file.to_str().unwrap()],
    )
    .output()
    .await
    .unwrap();
    assert!(connect.status.success(), "{}", says(&connect));

    // Another process (this test) is syncing the candidates.
    use ats_mirror::LeaseStore;
    let mirror = PgMirror::connect(&url).await.unwrap();
    let now = ats_sync::meter::now();
    let other = mirror
        .try_lease("acme", "candidates", "another-host-1", 3_600, now)
        .await
        .unwrap()
        .expect("a free stream");
    let sync = ats(&data, &["--database", &url, "sync", "acme", "--json"])
        .output()
        .await
        .unwrap();
    assert_eq!(
        sync.status.code(),
        Some(3),
        "busy is 'try later': {}",
        says(&sync)
    );
    let reports: serde_json::Value = serde_json::from_slice(&sync.stdout).unwrap();
    let outcome = |stream: &str| {
        reports
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["stream"] == stream)
            .map(|r| r["outcome"].as_str().unwrap().to_string())
    };
    assert_eq!(outcome("candidates").as_deref(), Some("busy"));
    assert_eq!(outcome("jobs").as_deref(), Some("completed"));
    assert!(
        mirror
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !mirror
            .ids("acme", RecordKind::Job)
            .await
            .unwrap()
            .is_empty()
    );

    // Released: the next sync takes the stream and the mirror catches up.
    mirror.release_lease(&other).await.unwrap();
    let sync = ats(&data, &["--database", &url, "sync", "acme"])
        .output()
        .await
        .unwrap();
    assert!(sync.status.success(), "{}", says(&sync));
    let expected = state.ids(cid, RecordType::People).unwrap().len();
    assert_eq!(
        mirror
            .ids("acme", RecordKind::Candidate)
            .await
            .unwrap()
            .len(),
        expected
    );
}
