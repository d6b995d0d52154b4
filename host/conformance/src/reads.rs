//! Reads: every stream pages to the end, a cursor taken mid-way resumes without loss or repeat,
//! `list-ids` covers what was listed, and `updated-since` filters as promised.

use crate::SuiteOptions;
use crate::report::Outcome;
use ats_model::{AtsRecord, ListRequest, RecordError, StreamSpec, Timestamp};
use ats_runtime::Connection;
use std::collections::{BTreeMap, BTreeSet};

/// One stream read from the start: its records in order and the cursor after each page.
pub struct FullRead {
    pub records: Vec<AtsRecord>,
    /// The records the pages reported as untranslatable.
    pub record_errors: Vec<RecordError>,
    /// `cursors[i]` is the `next-cursor` of page `i`, with the number of records read so far.
    pub cursors: Vec<(String, usize)>,
}

/// Reads a stream to its end (or `max_pages`), from `cursor`.
async fn read_all(
    connection: &Connection,
    stream: &StreamSpec,
    cursor: Option<String>,
    updated_since: Option<Timestamp>,
    options: &SuiteOptions,
) -> Result<FullRead, String> {
    let mut read = FullRead {
        records: Vec::new(),
        record_errors: Vec::new(),
        cursors: Vec::new(),
    };
    let mut cursor = cursor;
    for page_number in 1..=options.max_pages {
        let request = ListRequest {
            cursor: cursor.clone(),
            updated_since,
            page_size_hint: Some(options.page_size),
        };
        let page = connection
            .list_records(stream.kind, request)
            .await
            .map_err(|e| format!("stream `{}` page {page_number}: {e}", stream.name))?;
        if let Some(wrong) = page.records.iter().find(|r| r.kind() != stream.kind) {
            return Err(format!(
                "stream `{}` ({:?}) returned a {:?} record `{}`",
                stream.name,
                stream.kind,
                wrong.kind(),
                wrong.id()
            ));
        }
        check_record_errors(stream, page_number, &page)?;
        read.records.extend(page.records);
        read.record_errors.extend(page.record_errors);
        match page.next_cursor {
            None => return Ok(read),
            Some(next) if Some(&next) == cursor.as_ref() => {
                return Err(format!(
                    "stream `{}` page {page_number} answered its own cursor as the next one (endless loop)",
                    stream.name
                ));
            }
            Some(next) => {
                read.cursors.push((next.clone(), read.records.len()));
                cursor = Some(next);
            }
        }
    }
    Err(format!(
        "stream `{}` did not end within {} pages",
        stream.name, options.max_pages
    ))
}

/// A page's record errors: each names a record of the page that is in no other list of it,
/// once, with what is wrong and what to do.
fn check_record_errors(
    stream: &StreamSpec,
    page_number: usize,
    page: &ats_model::Page,
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for e in &page.record_errors {
        let problem = if e.id.trim().is_empty() {
            Some("has an empty id".to_string())
        } else if !seen.insert(e.id.as_str()) {
            Some("is reported twice".to_string())
        } else if page.records.iter().any(|r| r.id() == e.id) {
            Some("is also among the page's records".to_string())
        } else if page.gone.contains(&e.id) {
            Some("is also among the page's gone ids".to_string())
        } else if e.reason.trim().is_empty() || e.advice.trim().is_empty() {
            Some("does not say what is wrong and what to do".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(format!(
                "stream `{}` page {page_number}: record error `{}` {problem}",
                stream.name, e.id
            ));
        }
    }
    Ok(())
}

/// The record-error invariant, using the full reads: `get` of a record a page could not
/// translate does not answer it (it fails, as the page did), so the host keeps the error.
pub async fn record_errors(connection: &Connection, reads: &BTreeMap<String, FullRead>) -> Outcome {
    let mut notes = Vec::new();
    for stream in &connection.info().streams {
        let Some(full) = reads.get(&stream.name) else {
            continue;
        };
        if full.record_errors.is_empty() {
            continue;
        }
        for e in full.record_errors.iter().take(3) {
            if let Ok(record) = connection.get(stream.kind, &e.id).await {
                return Outcome::Fail(format!(
                    "stream `{}` reported `{}` as untranslatable ({}), but `get` answers it as {} `{}`",
                    stream.name,
                    e.id,
                    e.reason,
                    record.kind(),
                    record.id()
                ));
            }
        }
        notes.push(format!(
            "`{}`: {} record error(s), e.g. `{}`: {}",
            stream.name,
            full.record_errors.len(),
            full.record_errors[0].id,
            full.record_errors[0].reason
        ));
    }
    if notes.is_empty() {
        Outcome::Skip("no page reported a record error".into())
    } else {
        Outcome::Pass(notes.join("; "))
    }
}

/// The first id that occurs twice, with its positions.
fn first_repeat(records: &[AtsRecord]) -> Option<(String, usize, usize)> {
    let mut seen = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(first) = seen.insert(r.id().to_string(), i) {
            return Some((r.id().to_string(), first, i));
        }
    }
    None
}

fn ids(records: &[AtsRecord]) -> BTreeSet<String> {
    records.iter().map(|r| r.id().to_string()).collect()
}

fn sample(set: &BTreeSet<String>) -> String {
    let shown: Vec<_> = set.iter().take(3).map(String::as_str).collect();
    let more = set.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The paging invariant for every stream. Returns the outcome and each stream's full read,
/// which the other checks reuse (no second full read).
pub async fn paging(
    connection: &Connection,
    options: &SuiteOptions,
) -> (Outcome, BTreeMap<String, FullRead>) {
    let streams = &connection.info().streams;
    let mut reads = BTreeMap::new();
    if streams.is_empty() {
        return (
            Outcome::Skip("the connector declares no stream".into()),
            reads,
        );
    }
    let mut notes = Vec::new();
    for stream in streams {
        let full = match read_all(connection, stream, None, None, options).await {
            Ok(full) => full,
            Err(reason) => return (Outcome::Fail(reason), reads),
        };
        if let Some((id, first, again)) = first_repeat(&full.records) {
            let reason = format!(
                "stream `{}` repeats record `{id}` (positions {first} and {again}) in one read from the start",
                stream.name
            );
            return (Outcome::Fail(reason), reads);
        }
        // Resume from the cursor of the middle page: must yield exactly the records after it.
        let resume = if full.cursors.is_empty() {
            format!("`{}`: {} records, 1 page", stream.name, full.records.len())
        } else {
            let (cursor, before) = full.cursors[(full.cursors.len() - 1) / 2].clone();
            let resumed = match read_all(connection, stream, Some(cursor), None, options).await {
                Ok(r) => r,
                Err(reason) => return (Outcome::Fail(format!("resuming: {reason}")), reads),
            };
            let expected = ids(&full.records[before..]);
            let got = ids(&resumed.records);
            let earlier = ids(&full.records[..before]);
            let lost: BTreeSet<_> = expected.difference(&got).cloned().collect();
            let repeated: BTreeSet<_> = got.intersection(&earlier).cloned().collect();
            if !lost.is_empty() {
                let reason = format!(
                    "stream `{}`: resuming from a mid-way cursor lost {} record(s): {}",
                    stream.name,
                    lost.len(),
                    sample(&lost)
                );
                return (Outcome::Fail(reason), reads);
            }
            if !repeated.is_empty() || first_repeat(&resumed.records).is_some() {
                let repeated = if repeated.is_empty() {
                    first_repeat(&resumed.records)
                        .map(|r| r.0)
                        .into_iter()
                        .collect()
                } else {
                    repeated
                };
                let reason = format!(
                    "stream `{}`: resuming from a mid-way cursor repeated record(s) {} already read before it",
                    stream.name,
                    sample(&repeated)
                );
                return (Outcome::Fail(reason), reads);
            }
            format!(
                "`{}`: {} records, {} pages, resumed after {before}",
                stream.name,
                full.records.len(),
                full.cursors.len() + 1
            )
        };
        notes.push(resume);
        if stream.lists_ids {
            match list_all_ids(connection, stream, options).await {
                Ok(listed) => {
                    let missing: BTreeSet<_> =
                        ids(&full.records).difference(&listed).cloned().collect();
                    if !missing.is_empty() {
                        let reason = format!(
                            "stream `{}`: list-ids misses {} listed record(s): {}",
                            stream.name,
                            missing.len(),
                            sample(&missing)
                        );
                        return (Outcome::Fail(reason), reads);
                    }
                }
                Err(reason) => return (Outcome::Fail(reason), reads),
            }
        }
        reads.insert(stream.name.clone(), full);
    }
    (Outcome::Pass(notes.join("; ")), reads)
}

async fn list_all_ids(
    connection: &Connection,
    stream: &StreamSpec,
    options: &SuiteOptions,
) -> Result<BTreeSet<String>, String> {
    let mut all = BTreeSet::new();
    let mut cursor = None;
    for _ in 0..options.max_pages {
        let page = connection
            .list_ids(stream.kind, cursor.clone())
            .await
            .map_err(|e| format!("stream `{}`: list-ids: {e}", stream.name))?;
        all.extend(page.ids);
        match page.next_cursor {
            None => return Ok(all),
            Some(next) => cursor = Some(next),
        }
    }
    Err(format!(
        "stream `{}`: list-ids did not end within {} pages",
        stream.name, options.max_pages
    ))
}

/// The `updated-since` invariant for every incremental stream, using the full reads.
pub async fn updated_since(
    connection: &Connection,
    reads: &BTreeMap<String, FullRead>,
    options: &SuiteOptions,
) -> Outcome {
    let info = connection.info();
    // An ATS with minute precision reports times truncated: a record shown at `t` may have
    // changed up to `precision - 1` seconds later, so it still matches a `since` inside that span.
    let slack = i64::from(info.timestamp_precision_seconds.max(1)) - 1;
    let mut notes = Vec::new();
    for stream in info.streams.iter().filter(|s| s.incremental) {
        let Some(full) = reads.get(&stream.name) else {
            continue;
        };
        let mut times: Vec<Timestamp> = full
            .records
            .iter()
            .filter_map(AtsRecord::updated_at)
            .collect();
        times.sort_unstable();
        times.dedup();
        let Some(&since) = times.get(times.len() / 2) else {
            notes.push(format!("`{}`: no record has `updated-at`", stream.name));
            continue;
        };
        let filtered = match read_all(connection, stream, None, Some(since), options).await {
            Ok(read) => read.records,
            Err(reason) => return Outcome::Fail(reason),
        };
        let too_old: Vec<_> = filtered
            .iter()
            .filter(|r| r.updated_at().is_some_and(|t| t + slack < since))
            .collect();
        if let Some(first) = too_old.first() {
            return Outcome::Fail(format!(
                "stream `{}`: with updated-since {since}, {} of {} records are older (e.g. `{}` updated {})",
                stream.name,
                too_old.len(),
                filtered.len(),
                first.id(),
                first.updated_at().unwrap_or_default()
            ));
        }
        let expected: BTreeSet<String> = full
            .records
            .iter()
            .filter(|r| r.updated_at().is_some_and(|t| t >= since))
            .map(|r| r.id().to_string())
            .collect();
        let lost: BTreeSet<_> = expected.difference(&ids(&filtered)).cloned().collect();
        if !lost.is_empty() {
            return Outcome::Fail(format!(
                "stream `{}`: with updated-since {since}, {} record(s) updated at/after it are missing: {}",
                stream.name,
                lost.len(),
                sample(&lost)
            ));
        }
        notes.push(format!(
            "`{}`: {} of {} records since {since} (range {}..{})",
            stream.name,
            filtered.len(),
            full.records.len(),
            times[0],
            times[times.len() - 1]
        ));
    }
    if notes.is_empty() {
        Outcome::Skip("no incremental stream".into())
    } else if notes.iter().all(|n| n.contains("no record has")) {
        Outcome::Skip(notes.join("; "))
    } else {
        Outcome::Pass(notes.join("; "))
    }
}
