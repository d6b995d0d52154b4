//! The backend test suite (`ats_mirror::testsuite`) on the SQLite mirror: each test opens a new
//! file in its own temporary directory.

use ats_mirror_sqlite::SqliteMirror;

ats_mirror::backend_suite!(async {
    let dir = tempfile::tempdir().unwrap();
    let mirror = SqliteMirror::open(dir.path().join("mirror.db")).unwrap();
    (mirror, dir)
});
