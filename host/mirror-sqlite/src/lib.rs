//! The SQLite backend: one file per host, WAL, FTS5.
//!
//! One writer connection behind a mutex serialises writes (SQLite allows one writer anyway, and
//! the sync engine writes a page per transaction); a small pool of read connections serves
//! features concurrently, never blocked by the writer thanks to WAL.
//!
//! rusqlite blocks, so [`SqliteMirror`] implements the async mirror traits by running each call
//! on tokio's blocking pool (`async_api.rs`); the SQL itself is synchronous code on [`Db`].

mod async_api;
mod candidate_applications;
mod connections;
mod error;
mod features;
mod fts;
mod indexed;
mod leases;
pub mod ledger;
mod migrations;
mod plugin_storage;
pub(crate) mod queries;
mod ranked;
mod reconcile;
mod records;
mod search_sync;
mod store;
mod sync_state;
mod tokens;
mod work_queue;

pub use error::Error;
pub use indexed::FILTERED_WINDOW_MAX;
pub use migrations::SCHEMA_VERSION;
pub use plugin_storage::SqliteStorage;
pub use queries::{
    BROAD_MATCHES, BROAD_WINDOW, NARROW_MAX, SELECTIVE_MAX, SearchPlan, SearchSql, choose_plan,
    search_sql,
};
pub use ranked::ranked_window;
pub use search_sync::{INLINE_MAX, index_dir};

use ats_mirror::MirrorError;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read connections open at most: two per core (at least 4, at most 32). More concurrent
/// reads wait for one; opening one per request instead starts each with a cold page cache and
/// re-parsed schema, which under 50 concurrent searches of a 1M mirror cost more than the
/// searches (34 searches/s instead of hundreds).
fn max_readers() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .clamp(4, 32)
}

/// How much of the file a reader maps (see `open_reader`).
const MMAP_SIZE: i64 = 1 << 40;

/// The SQLite mirror. Cheap to clone and share.
#[derive(Clone)]
pub struct SqliteMirror {
    db: Arc<Db>,
    /// Stream leases, in this process only (see `leases.rs`).
    leases: Arc<ats_mirror::InProcessLeases>,
    /// The service's work queue and event-delivery memory, in this process only (see
    /// `work_queue.rs`).
    work: Arc<ats_mirror::InProcessWorkQueue>,
    deliveries: Arc<ats_mirror::InProcessDeliveries>,
    /// The search index beside the file, opened by the first text search (so a process that
    /// never searches never takes it from one that does); `None` inside when it cannot be kept
    /// here, or when opened [`SqliteMirror::without_search_index`].
    search: Arc<OnceLock<Option<Arc<search_sync::SearchSync>>>>,
}

impl SqliteMirror {
    /// Opens (creating if needed) the mirror file and upgrades its schema. Fails with
    /// [`MirrorError::SchemaTooNew`] for a file written by a newer host.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteMirror, MirrorError> {
        Ok(SqliteMirror {
            db: Arc::new(Db::open(path.as_ref())?),
            leases: Arc::default(),
            work: Arc::default(),
            deliveries: Arc::default(),
            search: Arc::default(),
        })
    }

    /// As [`SqliteMirror::open`], searching with FTS5 alone (the SQL plans), never with the
    /// search index: for comparisons, and for a process that must leave the index to another.
    pub fn without_search_index(path: impl AsRef<Path>) -> Result<SqliteMirror, MirrorError> {
        let mirror = SqliteMirror::open(path)?;
        let _ = mirror.search.set(None);
        Ok(mirror)
    }

    /// Candidates in the search index, when this mirror keeps one and a text search opened it.
    pub fn search_index_docs(&self) -> Option<u64> {
        self.search.get()?.as_ref().map(|s| s.docs())
    }

    /// The search index, opened on first use (shared by every mirror of this process on the
    /// same file, see [`search_sync::shared`]).
    fn search_index(&self) -> Option<&Arc<search_sync::SearchSync>> {
        self.search
            .get_or_init(|| search_sync::shared(&self.db))
            .as_ref()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.db.path
    }

    /// Writes a consistent copy of the whole mirror to `dest` (which must not exist), while
    /// readers carry on (writes wait): a backup, or a fixture for benchmarks.
    pub async fn copy_to(&self, dest: impl AsRef<Path>) -> Result<(), MirrorError> {
        let dest = dest.as_ref().to_string_lossy().into_owned();
        self.run(move |db| {
            db.write(|c| {
                c.execute("VACUUM INTO ?1", [&dest])?;
                Ok(())
            })?;
            // The copy is another mirror from now on: a search index kept for the original
            // must never be taken for its own.
            Connection::open(&dest)?.execute(
                "UPDATE search_index_state SET mirror_id = lower(hex(randomblob(16)))",
                [],
            )?;
            Ok(())
        })
        .await
    }

    /// Runs `work` on a blocking thread (rusqlite blocks) and turns its error into the
    /// mirror's.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, MirrorError> {
        let db = self.db.clone();
        match tokio::task::spawn_blocking(move || work(&db)).await {
            Ok(result) => result.map_err(MirrorError::from),
            Err(joined) => Err(MirrorError::backend("SQLite", joined)),
        }
    }
}

/// The database: one writer connection, a pool of readers; the SQL of every call is sync code
/// on this type.
pub(crate) struct Db {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Readers>,
    /// Signalled when a reader is given back.
    reader_returned: Condvar,
    /// The quota ledgers' own file and connection (see `ledger.rs`).
    ledgers: Mutex<Connection>,
}

impl Db {
    fn open(path: &Path) -> Result<Db, Error> {
        let path = path.to_path_buf();
        let mut writer = Connection::open(&path)?;
        configure(&writer)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        let fts5: bool =
            writer.query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
                r.get(0)
            })?;
        if !fts5 {
            return Err(MirrorError::MissingFeature("FTS5").into());
        }
        migrations::migrate(&mut writer)?;
        let ledgers = ledger::open_ledgers(&path)?;
        Ok(Db {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Readers {
                idle: Vec::new(),
                open: 0,
                max: max_readers(),
            }),
            reader_returned: Condvar::new(),
            ledgers: Mutex::new(ledgers),
        })
    }

    /// Runs `f` on the writer connection (callers open their own transaction).
    fn write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = lock(&self.writer);
        f(&mut conn)
    }

    /// Runs `f` on the quota ledgers' connection.
    fn ledgers<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = lock(&self.ledgers);
        f(&mut conn)
    }

    /// Runs `f` on a pooled read-only connection, waiting for one when all are in use.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
        let lent = Lent {
            db: self,
            conn: Some(self.take_reader()?),
        };
        f(lent.conn.as_ref().expect("lent until dropped"))
    }

    fn take_reader(&self) -> Result<Connection, Error> {
        let mut readers = lock(&self.readers);
        loop {
            if let Some(c) = readers.idle.pop() {
                return Ok(c);
            }
            if readers.open < readers.max {
                readers.open += 1;
                drop(readers);
                return self
                    .open_reader()
                    .inspect_err(|_| lock(&self.readers).open -= 1);
            }
            readers = self
                .reader_returned
                .wait(readers)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    fn open_reader(&self) -> Result<Connection, Error> {
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&c)?;
        c.pragma_update(None, "query_only", true)?;
        // Readers map the file: a search touches thousands of index pages, and copying each
        // from the OS page cache into every connection's own cache (`pread`) cost more than
        // the search's own work under concurrent searches. SQLite caps the size at its build's
        // `SQLITE_MAX_MMAP_SIZE` and reads the rest as before.
        c.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        Ok(c)
    }
}

/// A reader lent to one call; given back when dropped, even when the call panicked.
struct Lent<'a> {
    db: &'a Db,
    conn: Option<Connection>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            lock(&self.db.readers).idle.push(conn);
            self.db.reader_returned.notify_one();
        }
    }
}

/// The read connections: idle ones, and how many are open in all.
struct Readers {
    idle: Vec<Connection>,
    open: usize,
    max: usize,
}

/// Settings every connection needs; WAL is a property of the file, set once by the writer.
fn configure(conn: &Connection) -> Result<(), Error> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -32_000)?; // KiB
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// A poisoned lock only means another thread panicked; its transaction was rolled back when
/// dropped, so the connection is still sound.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
