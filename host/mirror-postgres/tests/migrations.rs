//! Opening migrates the database once (again is harmless, two hosts at once take turns), a
//! database from a newer host is refused, and a server that cannot be reached is named in the
//! error without its password.

use ats_mirror::testsuite::fixtures::*;
use ats_mirror::{MirrorError, MirrorStore};
use ats_mirror_postgres::{PgMirror, SCHEMA_VERSION};
use ats_model::RecordKind;
use sqlx::Connection;

async fn version(url: &str) -> i64 {
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    ats_mirror_postgres::schema_version(&mut c).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_applied_twice_are_harmless_and_keep_the_data() {
    let url = ats_test_postgres::database();
    assert_eq!(version(&url).await, 0);
    let first = PgMirror::connect(&url).await.unwrap();
    apply(
        &first,
        RecordKind::Candidate,
        candidates(vec![candidate("1", "Ada", "Lovelace", "ada@example.com")]),
        "c1",
        10,
    )
    .await;
    assert_eq!(version(&url).await, SCHEMA_VERSION);
    // Migrating again, on an open and a new connection, changes nothing.
    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
    ats_mirror_postgres::migrate(&mut c).await.unwrap();
    let second = PgMirror::connect(&url).await.unwrap();
    assert_eq!(version(&url).await, SCHEMA_VERSION);
    assert_eq!(
        second.ids(CONN, RecordKind::Candidate).await.unwrap(),
        vec!["1"]
    );
    assert_eq!(
        first.ids(CONN, RecordKind::Candidate).await.unwrap(),
        vec!["1"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hosts_opening_a_new_database_at_once_take_turns() {
    let url = ats_test_postgres::database();
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { PgMirror::connect(&url).await.map(|_| ()) })
        })
        .collect();
    for open in opens {
        open.await.unwrap().unwrap();
    }
    assert_eq!(version(&url).await, SCHEMA_VERSION);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_a_newer_host_is_refused_with_a_clear_error() {
    let url = ats_test_postgres::database();
    drop(PgMirror::connect(&url).await.unwrap());
    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE ats_schema_version SET version = $1")
        .bind(SCHEMA_VERSION + 1)
        .execute(&mut c)
        .await
        .unwrap();
    let err = PgMirror::connect(&url).await.err().expect("must refuse");
    assert!(matches!(err, MirrorError::SchemaTooNew { found, known }
        if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION));
    assert!(err.to_string().contains("newer than this host"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_is_named_without_its_password() {
    // Nothing listens on the port of a server that was started and stopped.
    let port = {
        let server = ats_test_postgres::PgServer::start().unwrap();
        server.port()
    };
    let url = format!("postgres://ats:s3cret-pw@127.0.0.1:{port}/mirror");
    let err = PgMirror::connect(&url).await.err().expect("must fail");
    let text = format!("{err} {err:?}");
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains("cannot connect"), "{text}");
    assert!(!text.contains("s3cret-pw"), "{text}");
    // The synchronous open says the same.
    let err = PgMirror::open(&url).err().expect("must fail");
    assert!(!format!("{err} {err:?}").contains("s3cret-pw"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_url_that_is_not_postgres_says_what_to_write() {
    let err = PgMirror::connect("postgres://ats:pw@[bad/mirror")
        .await
        .err()
        .expect("must fail");
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("postgres://USER@HOST:PORT/DATABASE"),
        "{text}"
    );
    assert!(!text.contains("pw@"), "{text}");
}
