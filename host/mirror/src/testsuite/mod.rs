//! The backend test suite: the mirror's guarantees as one async function per behaviour, each
//! taking any backend (`&dyn Mirror`) and panicking when the backend breaks the guarantee.
//!
//! Compiled only with this crate's `testsuite` feature. A backend crate runs the whole suite by
//! enabling the feature in its dev-dependencies and invoking [`backend_suite!`](crate::backend_suite)
//! in one integration-test file, with an expression that opens a fresh, empty backend:
//!
//! ```toml
//! [dev-dependencies]
//! ats-mirror = { path = "../mirror", features = ["testsuite"] }
//! tokio = { workspace = true }   # the generated tests are #[tokio::test]s
//! tempfile.workspace = true      # if the backend needs a directory
//! ```
//!
//! ```ignore
//! // tests/backend_suite.rs
//! use ats_mirror_sqlite::SqliteMirror;
//!
//! ats_mirror::backend_suite!(async {
//!     let dir = tempfile::tempdir().unwrap();
//!     let mirror = SqliteMirror::open(dir.path().join("mirror.db")).unwrap();
//!     (mirror, dir)
//! });
//! ```
//!
//! The expression is evaluated (and awaited) once per test, so every test gets its own empty
//! backend. It yields a pair `(backend, guard)`: `&backend` must coerce to `&dyn Mirror` (the
//! backend type itself, a `Box<dyn Mirror>` or an `Arc<dyn Mirror>`), and `guard` (a temporary
//! directory, a throw-away database, or `()`) is dropped after the test. It may also call an
//! `async fn open() -> (Backend, Guard)` of the test file, or anything else the file imports.
//!
//! The macro expands to one `#[tokio::test(flavor = "multi_thread")]` per suite function, in a
//! module per area: `page_apply::applying_the_same_page_twice_doubles_nothing`, … (so
//! `cargo test page_apply::` runs one area). A backend's own tests (its schema, its query plans)
//! can reuse [`fixtures`].
//!
//! Adding a behaviour: write `pub async fn name(m: &dyn Mirror)` in its area's module and add
//! `name` to that area's list in [`backend_suite!`](crate::backend_suite).

pub mod connections;
pub mod feature_state;
pub mod fixtures;
pub mod leases;
pub mod page_apply;
pub mod reconcile;
pub mod search;
pub mod status_history;
pub mod work_queue;

/// Runs the whole backend test suite on one backend: expands to one
/// `#[tokio::test(flavor = "multi_thread")]` per suite function. See [`testsuite`](crate::testsuite).
#[macro_export]
macro_rules! backend_suite {
    ($open:expr $(,)?) => {
        $crate::backend_suite!(@areas ($open)
            page_apply {
                applying_the_same_page_twice_doubles_nothing,
                a_changed_record_is_updated_and_raw_round_trips,
                the_checkpoint_is_saved_with_the_page,
                a_page_that_fails_midway_leaves_the_previous_state,
                gone_ids_are_soft_deleted_and_come_back_when_seen_again,
                single_record_writes_and_deletes_show_immediately,
                an_application_without_a_job_is_refused,
                an_updated_candidate_is_found_by_its_new_words_only,
                a_record_twice_in_one_page_is_stored_as_last_seen,
                record_errors_are_kept_until_the_record_is_written_or_gone,
            }
            reconcile {
                unlisted_records_are_marked_missing_then_deleted_after_the_grace_period,
                a_record_listed_again_is_no_longer_missing,
                an_abandoned_scan_changes_nothing_and_cannot_be_finished,
                records_first_seen_during_the_scan_are_not_marked,
                scans_of_one_kind_do_not_touch_other_kinds,
            }
            feature_state {
                an_idempotency_key_is_claimed_once_and_keeps_its_result,
                rejection_reasons_are_kept_and_replaced,
                resume_text_becomes_searchable_and_survives_profile_updates,
                a_resume_is_due_until_its_text_is_stored_and_again_after_the_candidate_changes,
                the_run_log_keeps_runs_newest_first_with_their_totals,
            }
            status_history {
                each_status_change_is_recorded_once_starting_with_the_initial_status,
                an_application_without_a_status_has_no_empty_history_row,
                a_candidates_applications_come_newest_first_with_their_jobs_even_deleted_or_unknown,
            }
            search {
                text_search_ranks_by_relevance_then_recency,
                custom_fields_addresses_and_application_sources_are_found,
                each_filter_narrows_the_results,
                any_words_and_jobs_not_applied_to_gather_people_for_a_job,
                duplicates_are_grouped_into_one_hit_until_dismissed,
                paging_walks_groups_without_overlap,
                dedupe_keys_find_candidates_by_email_url_phone_and_name,
                applicants_of_a_job_come_with_their_candidates,
                the_source_filter_also_finds_the_source_detail,
                filters_follow_changes_to_applications_statuses_and_sources,
            }
            leases {
                a_lease_is_held_by_one_process_until_it_expires,
                the_heartbeat_keeps_a_lease_and_a_lost_lease_cannot_be_renewed,
                a_released_lease_is_free_at_once,
                a_page_written_under_a_lost_lease_is_refused_whole,
            }
            work_queue {
                rereads_of_one_record_coalesce_until_taken,
                taken_work_is_held_until_finished_or_its_claim_expires,
                handed_back_work_waits_for_its_time,
                two_takers_at_once_never_share_an_item,
                replays_are_refused_and_second_deliveries_are_duplicates,
            }
            connections {
                only_secret_references_are_stored,
                a_connection_keeps_its_tenant,
                api_tokens_are_found_by_hash_until_revoked,
                deleting_a_connection_leaves_nothing_of_it,
            }
        );
    };
    (@areas ($open:expr) $($area:ident { $($name:ident),* $(,)? })*) => {
        $(
            mod $area {
                #[allow(unused_imports)]
                use super::*;
                $(
                    #[tokio::test(flavor = "multi_thread")]
                    async fn $name() {
                        let (backend, _guard) = $open.await;
                        $crate::testsuite::$area::$name(&backend).await;
                    }
                )*
            }
        )*
    };
}
