//! The backend test suite on the SQLite mirror searching with FTS5 alone (the SQL plans), as a
//! process does that finds the search index kept by another; `backend_suite.rs` runs it with
//! the index.

use ats_mirror_sqlite::SqliteMirror;

ats_mirror::backend_suite!(async {
    let dir = tempfile::tempdir().unwrap();
    let mirror = SqliteMirror::without_search_index(dir.path().join("mirror.db")).unwrap();
    (mirror, dir)
});
