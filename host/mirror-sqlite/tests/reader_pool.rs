//! Reads share a bounded pool of connections: far more concurrent reads than connections all
//! complete (they wait for one; none fails and none deadlocks), and while they run the mirror
//! never holds more connections to its file than the pool allows.

use ats_mirror::{ConnectionRow, MirrorStore};
use ats_mirror_sqlite::SqliteMirror;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Open descriptors of this process on `path`.
fn open_files(path: &std::path::Path) -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|dir| {
            dir.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .filter(|target| target == path)
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_reads_share_a_bounded_pool() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite");
    let mirror = Arc::new(SqliteMirror::open(&path).unwrap());
    let path = path.canonicalize().unwrap();
    mirror
        .upsert_connection(&ConnectionRow {
            name: "acme".into(),
            ..ConnectionRow::default()
        })
        .await
        .unwrap();
    let most = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..128 {
        let (mirror, most, path) = (mirror.clone(), most.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..10 {
                let rows = mirror.connections().await.unwrap();
                assert_eq!(rows.len(), 1);
                most.fetch_max(open_files(&path), Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The writer, the readers (two per core, 4 to 32).
    let allowed = 1 + (cores * 2).clamp(4, 32);
    let most = most.load(Ordering::Relaxed);
    assert!(
        most <= allowed,
        "{most} connections on the file at once; the pool allows {allowed}"
    );
}
