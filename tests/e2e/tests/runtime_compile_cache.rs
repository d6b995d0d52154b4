//! A plugin is compiled once: a second runtime over the same cache folder loads the compiled
//! form, and a corrupt cache entry is compiled again instead of failing.

use e2e_tests::runtime_fixtures::*;

#[test]
fn the_second_load_comes_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let first = probe_plugin(&runtime_in(cache.path(), |_| {}));
    assert!(!first.loaded_from_cache());
    assert_eq!(first.content_hash().len(), 64);

    let second = probe_plugin(&runtime_in(cache.path(), |_| {}));
    assert!(second.loaded_from_cache());
    assert_eq!(second.content_hash(), first.content_hash());

    for entry in std::fs::read_dir(cache.path()).unwrap() {
        std::fs::write(entry.unwrap().path(), b"not machine code").unwrap();
    }
    let third = probe_plugin(&runtime_in(cache.path(), |_| {}));
    assert!(
        !third.loaded_from_cache(),
        "a corrupt entry must be recompiled"
    );
    let fourth = probe_plugin(&runtime_in(cache.path(), |_| {}));
    assert!(
        fourth.loaded_from_cache(),
        "the recompiled entry is cached again"
    );
}

#[tokio::test]
async fn a_cached_plugin_runs() {
    let cache = tempfile::tempdir().unwrap();
    drop(probe_plugin(&runtime_in(cache.path(), |_| {})));
    let runtime = runtime_in(cache.path(), |_| {});
    let plugin = probe_plugin(&runtime);
    assert!(plugin.loaded_from_cache());
    let info = plugin.describe(&Default::default()).await.unwrap();
    assert_eq!(info.id, "sandbox-probe");
}
