//! What the SQLite-only tests share: a mirror in a temporary directory, and the suite's
//! fixtures (record builders, the rediscovery fixture).
#![allow(dead_code)]

pub use ats_mirror::testsuite::fixtures::*;
use ats_mirror_sqlite::SqliteMirror;

pub struct TestMirror {
    pub mirror: SqliteMirror,
    pub dir: tempfile::TempDir,
}

pub fn mirror() -> TestMirror {
    let dir = tempfile::tempdir().unwrap();
    let mirror = SqliteMirror::open(dir.path().join("mirror.db")).unwrap();
    TestMirror { mirror, dir }
}

/// A mirror holding the suite's rediscovery fixture ([`search_fixture`]).
pub async fn search_mirror() -> TestMirror {
    let t = mirror();
    search_fixture(&t.mirror).await;
    t
}
