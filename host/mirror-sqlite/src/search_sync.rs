//! Keeps the search index (`ats-search-index`, a directory beside the mirror file) in step
//! with the candidates, by following the change log triggers write (`search_changes`,
//! migration 13).
//!
//! A text search uses the index only when it holds every logged change: a few pending
//! changes (at most [`INLINE_MAX`], what a sync page or an export leaves) are applied first,
//! in the search's own call, so a search always sees the writes before it. More (a first
//! build, a big load) are applied by one background thread in chunks, each committed with its
//! position, while searches keep using FTS5; a crash or exit mid-way resumes where the last
//! chunk left off. One process keeps the index (tantivy's writer lock); another process
//! opening the same mirror searches with FTS5 alone.

use crate::records::stored_texts;
use crate::{Db, Error, lock};
use ats_mirror::derived::resume_index_text;
use ats_search_index::{IndexDoc, Position, SearchIndex};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// Pending changes a search applies itself before using the index; more go to the
/// background and the search uses FTS5 meanwhile.
pub const INLINE_MAX: i64 = 2_000;
/// Changes read per step of a catch-up.
const CATCH_UP_CHUNK: i64 = 20_000;
/// Candidates read per step of a full build.
const BUILD_CHUNK: i64 = 50_000;
/// The log is pruned up to the index's position once that moved this far past the last prune.
const PRUNE_EVERY: i64 = 10_000;
/// Log rows dropped per prune: a short write, so a sync's page never waits long behind it.
const PRUNE_BATCH: i64 = 20_000;

/// The index directory of a mirror file: `mirror.sqlite` keeps `mirror.sqlite.search/`.
pub fn index_dir(mirror: &Path) -> PathBuf {
    let mut dir = mirror.as_os_str().to_owned();
    dir.push(".search");
    PathBuf::from(dir)
}

/// The index of each mirror file this process keeps: a second `SqliteMirror` on the same file
/// (a test beside the service, a benchmark's next phase) shares it instead of finding it
/// locked and searching without it.
static KEPT: Mutex<Vec<(PathBuf, Weak<SearchSync>)>> = Mutex::new(Vec::new());

/// The index kept for `db`'s file in this process, opened when none is.
pub(crate) fn shared(db: &Db) -> Option<Arc<SearchSync>> {
    let key = std::fs::canonicalize(&db.path).unwrap_or_else(|_| db.path.clone());
    let mut kept = lock(&KEPT);
    kept.retain(|(_, sync)| sync.strong_count() > 0);
    if let Some(sync) = kept
        .iter()
        .find(|(p, _)| *p == key)
        .and_then(|(_, s)| s.upgrade())
    {
        return Some(sync);
    }
    let sync = Arc::new(SearchSync::open(db)?);
    kept.push((key, Arc::downgrade(&sync)));
    Some(sync)
}

pub(crate) struct SearchSync {
    index: SearchIndex,
    mirror_id: String,
    /// The index's committed position (read once at open, then kept by `step`).
    position: Mutex<Option<Position>>,
    /// Held by whoever applies changes, so two never interleave.
    applying: Mutex<()>,
    background: AtomicBool,
}

/// What the mirror file says: the log's last sequence number and how far it was pruned.
struct LogState {
    last: i64,
    pruned_through: i64,
}

/// The log's last sequence number (0 before the first change).
fn last_logged(db: &Connection) -> Result<i64, Error> {
    Ok(db
        .prepare_cached("SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

fn log_state(db: &Connection) -> Result<LogState, Error> {
    let last = last_logged(db)?;
    let pruned_through = db
        .prepare_cached("SELECT pruned_through FROM search_index_state")?
        .query_row([], |r| r.get(0))?;
    Ok(LogState {
        last,
        pruned_through,
    })
}

impl SearchSync {
    /// Opens the index beside `db`'s file; `None` (searches use FTS5) when it cannot be kept
    /// here, with the reason logged once.
    pub(crate) fn open(db: &Db) -> Option<SearchSync> {
        let dir = index_dir(&db.path);
        let opened = SearchIndex::open(&dir).and_then(|index| Ok((index.position()?, index)));
        let (position, index) = match opened {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(error = %e, "search uses FTS5 alone");
                return None;
            }
        };
        let mirror_id = db
            .read(|c| {
                Ok(
                    c.query_row("SELECT mirror_id FROM search_index_state", [], |r| {
                        r.get::<_, String>(0)
                    })?,
                )
            })
            .inspect_err(|e| tracing::warn!(error = %e, "search uses FTS5 alone"))
            .ok()?;
        Some(SearchSync {
            index,
            mirror_id,
            position: Mutex::new(position),
            applying: Mutex::new(()),
            background: AtomicBool::new(false),
        })
    }

    /// The index, when it holds every change logged so far (applying a few first). Otherwise
    /// starts the background catch-up and answers `None`.
    pub(crate) fn ready(self: &Arc<Self>, db: &Arc<Db>) -> Result<Option<&SearchIndex>, Error> {
        // Up to date, as nearly always: one lookup of the log's last number.
        let position = self.usable_position();
        if let Some(p) = &position
            && p.through == db.read(last_logged)?
        {
            return Ok(Some(&self.index));
        }
        let state = db.read(log_state)?;
        let behind = match position {
            Some(p) if p.through < state.last && p.through >= state.pruned_through => {
                db.read(|c| pending(c, p.through, INLINE_MAX + 1))?
            }
            // A build reads every candidate: a small mirror's is done here too.
            _ => db.read(|c| {
                Ok(
                    c.prepare_cached("SELECT count(*) FROM (SELECT 1 FROM candidates LIMIT ?1)")?
                        .query_row([INLINE_MAX + 1], |r| r.get(0))?,
                )
            })?,
        };
        if behind <= INLINE_MAX {
            // One step holds every change committed before this search began (a chunk is
            // larger than `INLINE_MAX`); later ones are the next search's.
            self.step(db)?;
            return Ok(Some(&self.index));
        }
        self.start_background(db.clone());
        Ok(None)
    }

    /// Applies every change, however many, then prunes the log: returns when the index is up
    /// to date.
    pub(crate) fn catch_up(&self, db: &Db) -> Result<(), Error> {
        while !self.step(db)? {}
        if let Some(at) = lock(&self.position).clone() {
            while self.prune(db, &at, true)? {}
        }
        Ok(())
    }

    pub(crate) fn docs(&self) -> u64 {
        self.index.docs()
    }

    /// The position, when it belongs to this mirror and no build is under way.
    fn usable_position(&self) -> Option<Position> {
        lock(&self.position)
            .clone()
            .filter(|p| p.mirror == self.mirror_id && p.built_to.is_none())
    }

    fn start_background(self: &Arc<Self>, db: Arc<Db>) {
        if self.background.swap(true, Ordering::AcqRel) {
            return;
        }
        let sync = self.clone();
        let spawned = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let result = sync.catch_up(&db);
                sync.background.store(false, Ordering::Release);
                match result {
                    Ok(()) => tracing::info!(
                        docs = sync.index.docs(),
                        secs = started.elapsed().as_secs_f64(),
                        "search index up to date"
                    ),
                    Err(e) => tracing::warn!(error = %e, "search index catch-up failed; searches use FTS5"),
                }
            });
        if spawned.is_err() {
            self.background.store(false, Ordering::Release);
        }
    }

    /// One chunk of work; `true` when the index then holds every change logged before it
    /// began.
    fn step(&self, db: &Db) -> Result<bool, Error> {
        let _applying = lock(&self.applying);
        let current = lock(&self.position).clone();
        let (docs, removed, next, clear, last) = db.read(|c| {
            let tx = c.unchecked_transaction()?; // one snapshot for the log and the rows
            let state = log_state(&tx)?;
            let valid = current.as_ref().filter(|p| {
                p.mirror == self.mirror_id
                    && p.through <= state.last
                    && (p.through >= state.pruned_through || p.built_to.is_some())
            });
            let (docs, removed, next, clear) = match valid {
                None => build_chunk(&tx, &self.mirror_id, state.last, 0, true)?,
                Some(p) => match p.built_to {
                    Some(after) => build_chunk(&tx, &self.mirror_id, p.through, after, false)?,
                    None => catch_up_chunk(&tx, p)?,
                },
            };
            tx.finish()?;
            Ok((docs, removed, next, clear, state.last))
        })?;
        if Some(&next) != current.as_ref() || clear {
            self.index.apply(docs, &removed, &next, clear)?;
            *lock(&self.position) = Some(next.clone());
        }
        if let Err(e) = self.prune(db, &next, false) {
            tracing::debug!(error = %e, "search log not pruned this time");
        }
        Ok(next.built_to.is_none() && next.through == last)
    }

    /// Drops up to [`PRUNE_BATCH`] rows of the log below the index's position, once that moved
    /// [`PRUNE_EVERY`] past the last prune; `true` when more remain. Without `wait`, only when
    /// the writer is free (a search never waits for a sync's page to prune).
    fn prune(&self, db: &Db, at: &Position, wait: bool) -> Result<bool, Error> {
        if at.built_to.is_some() {
            return Ok(false);
        }
        let mut writer = if wait {
            lock(&db.writer)
        } else {
            match db.writer.try_lock() {
                Ok(w) => w,
                Err(_) => return Ok(false),
            }
        };
        let tx = writer.transaction()?;
        let pruned_through: i64 =
            tx.query_row("SELECT pruned_through FROM search_index_state", [], |r| {
                r.get(0)
            })?;
        let more = at.through - pruned_through >= PRUNE_EVERY;
        if more {
            let to = at.through.min(pruned_through + PRUNE_BATCH);
            tx.execute("DELETE FROM search_changes WHERE seq <= ?1", [to])?;
            tx.execute("UPDATE search_index_state SET pruned_through = ?1", [to])?;
        }
        tx.commit()?;
        Ok(more)
    }
}

/// Logged changes after `through`, counted up to `cap`.
fn pending(db: &Connection, through: i64, cap: i64) -> Result<i64, Error> {
    Ok(db
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM search_changes WHERE seq > ?1 LIMIT ?2)",
        )?
        .query_row(params![through, cap], |r| r.get(0))?)
}

type Work = (Vec<IndexDoc>, Vec<i64>, Position, bool);

/// The next candidates of a full build (row ids after `after`), as of log position `through`.
fn build_chunk(
    db: &Connection,
    mirror: &str,
    through: i64,
    after: i64,
    first: bool,
) -> Result<Work, Error> {
    let docs = read_docs(
        db,
        "c.rid > ?1 AND c.deleted_at IS NULL ORDER BY c.rid LIMIT ?2",
        params![after, BUILD_CHUNK],
    )?;
    let built_to = (docs.len() as i64 == BUILD_CHUNK).then(|| docs.last().map_or(after, |d| d.rid));
    let next = Position {
        mirror: mirror.to_string(),
        through,
        built_to,
        format: ats_search_index::FORMAT,
    };
    Ok((docs, Vec::new(), next, first))
}

/// The candidates the next logged changes name: live ones re-read, the rest removed.
fn catch_up_chunk(db: &Connection, at: &Position) -> Result<Work, Error> {
    let mut stmt = db.prepare_cached(
        "SELECT seq, rid FROM search_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut through = at.through;
    let mut rids = Vec::new();
    for row in stmt.query_map(params![at.through, CATCH_UP_CHUNK], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (seq, rid) = row?;
        through = seq;
        rids.push(rid);
    }
    rids.sort_unstable();
    rids.dedup();
    let docs = read_docs(
        db,
        "c.rid IN (SELECT value FROM json_each(?1)) AND c.deleted_at IS NULL",
        params![serde_json::to_string(&rids)?],
    )?;
    let live: std::collections::HashSet<i64> = docs.iter().map(|d| d.rid).collect();
    let removed = rids.into_iter().filter(|r| !live.contains(r)).collect();
    let next = Position {
        through,
        ..at.clone()
    };
    Ok((docs, removed, next, false))
}

/// Candidates as the index holds them: the texts FTS5 indexes (see `stored_texts`), and their
/// facets.
fn read_docs(
    db: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<IndexDoc>, Error> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT c.rid, c.conn, c.updated_at, c.display_name, c.emails_text, c.title, c.company, \
         c.skills_text, c.resume_text, c.record_json, \
         (SELECT json_group_array(facet) FROM candidate_facets f WHERE f.rid = c.rid) \
         FROM candidates c WHERE {condition}"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut docs = Vec::new();
    while let Some(r) = rows.next()? {
        let json: String = r.get(9)?;
        let resume: Option<String> = r.get(8)?;
        // A record this code cannot read is still found by its columns.
        let (resume, location) = stored_texts(&json, resume.as_deref())
            .unwrap_or_else(|_| (resume_index_text(resume.as_deref(), None), None));
        let facets: String = r.get(10)?;
        docs.push(IndexDoc {
            rid: r.get(0)?,
            conn: r.get(1)?,
            updated_at: r.get(2)?,
            texts: [
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                resume,
                location,
            ],
            facets: serde_json::from_str(&facets)?,
        });
    }
    Ok(docs)
}
