//! Issue 16's write figure: the same people load, through the native iCIMS client (so the
//! component's cost is out of the picture), into a fresh SQLite file and into a fresh database on
//! a throwaway PostgreSQL server (`ats-test-postgres`, the distribution's package), alternately;
//! and rediscovery's queries on a big load into PostgreSQL.

use crate::Scale;
use crate::env::{self, CONN, Env};
use crate::figures::{full_load, native_people_load_into, rediscovery, start_env};
use crate::report::{Report, verdict};
use ats_app::host::{Host, HostPaths, StoreUrl};
use ats_app::live_connection::LiveConnection;
use ats_mirror::MirrorStore;
use ats_mirror_postgres::PgMirror;
use ats_mirror_sqlite::SqliteMirror;
use std::sync::Arc;

/// Rounds per backend (alternating), the figure being each backend's best.
const ROUNDS: usize = 2;

/// One load into `mirror`: records per second.
async fn load(
    env: &Env,
    live: &LiveConnection,
    mirror: Arc<dyn MirrorStore>,
    label: &str,
) -> anyhow::Result<f64> {
    Ok(native_people_load_into(env, live, mirror, label).await?.0)
}

pub async fn writes_figure(scale: Scale, report: &Report) -> anyhow::Result<()> {
    let people = scale.big;
    println!("\n## PostgreSQL beside SQLite: {people} people written through the native client");
    let env = env::start(env::sim_config(people, scale.jobs, 0, 0)).await?;
    let live = env.connect(&env.host, CONN).await?;
    let (mut sqlite, mut postgres) = (0f64, 0f64);
    for round in 0..ROUNDS {
        let file = env.dir.path().join(format!("pg-figure-{round}.sqlite"));
        let s = load(
            &env,
            &live,
            Arc::new(SqliteMirror::open(file)?),
            "sqlite    ",
        )
        .await?;
        let url = ats_test_postgres::database();
        let p = load(
            &env,
            &live,
            Arc::new(PgMirror::connect(&url).await?),
            "postgresql",
        )
        .await?;
        (sqlite, postgres) = (sqlite.max(s), postgres.max(p));
    }
    let ratio = postgres / sqlite;
    report.add(
        &format!("PostgreSQL writes, {people} people (native client, loopback)"),
        format!("{postgres:.0} records/s, {ratio:.2}× SQLite's"),
        ">= 0.7× SQLite's",
        format!("SQLite {sqlite:.0} records/s"),
        verdict(ratio >= 0.7),
    );
    Ok(())
}

/// Issue 16's search figure: the big load (lists, jobs, people, applications, titles and skills
/// mapped) through the component into a fresh PostgreSQL database, then rediscovery's queries on
/// it, as the SQLite figure runs them on the SQLite mirror. With `keep`, the load goes into that
/// database (which should be empty) and stays there for [`rediscovery_on_kept`].
pub async fn rediscovery_figure(
    scale: Scale,
    keep: Option<String>,
    report: &Report,
) -> anyhow::Result<()> {
    println!(
        "\n## Rediscovery on PostgreSQL: big load of {} people through the component",
        scale.big
    );
    let env = start_env(scale.big, scale.jobs, scale.big_workflows, 0).await?;
    let host = Host::open(
        HostPaths {
            data_dir: env.dir.path().join("pg-host"),
            cache_dir: env::workspace_root().join("target/bench-component-cache"),
            store: Some(StoreUrl::Postgres(
                keep.unwrap_or_else(ats_test_postgres::database),
            )),
        },
        None,
    )?;
    let live = env.connect_with(&host, CONN, &env::CUSTOM_FIELDS).await?;
    full_load(&host, &live).await?;
    rediscovery(
        host.mirror.as_ref(),
        scale.big as usize,
        "PostgreSQL",
        report,
    )
    .await
}

/// Rediscovery's queries on a PostgreSQL mirror kept by `--keep-pg` (no load).
pub async fn rediscovery_on_kept(url: &str, report: &Report) -> anyhow::Result<()> {
    println!("\n## Rediscovery on the kept PostgreSQL mirror");
    let mirror = PgMirror::connect(url).await?;
    let people = mirror
        .ids(CONN, ats_model::RecordKind::Candidate)
        .await?
        .len();
    rediscovery(&mirror, people, "PostgreSQL", report).await
}
