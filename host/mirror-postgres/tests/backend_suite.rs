//! The backend test suite (`ats_mirror::testsuite`) on the PostgreSQL mirror: one throwaway
//! server for this test binary (`ats-test-postgres`), a fresh database per test.

use ats_mirror_postgres::PgMirror;

ats_mirror::backend_suite!(async {
    let url = ats_test_postgres::database();
    (PgMirror::connect(&url).await.unwrap(), ())
});
