//! A full-text index of candidates that answers "the best `k` matches by relevance plus
//! recency" without scoring every match in SQL.
//!
//! Why: FTS5's `bm25()` costs about 2.4 µs a match, so a common last name (11k matches in a 1M
//! mirror) took 25-30 ms to rank, and 50 clients searching on two cores queued for a second.
//! tantivy scores a match in tens of nanoseconds from its own posting lists and fast fields.
//!
//! The index is derived data, kept beside the store by the backend (see `ats-mirror-sqlite`'s
//! `search_sync`): it holds each live candidate's searchable text, connection and update time,
//! keyed by the store's row id, and a [`Position`] in the store's change log, committed with the
//! documents so a crash never leaves the two apart. Filters stay the store's job: the index
//! ranks, the store checks the filters on the ranked rows.
//!
//! Text is cut by [`ats_mirror::search_text::index_terms`], the same words every backend
//! indexes, so a search finds here what FTS5 finds.

mod collect;
mod query;
mod schema;
mod score;

pub use query::{MAX_PREFIX_TERMS, Narrowing, Words};
pub use schema::{FIELD_WEIGHTS, FIELDS};
pub use score::{Hit, MAX_RECENCY, RECENCY_HALF_LIFE, Ranked, recency};

use schema::{Fields, NO_UPDATE};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bumped whenever what a document holds changes, so an index built by older code is rebuilt.
pub const FORMAT: u32 = 3;

/// Memory the writer buffers before it writes a segment (tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another process keeps this index (tantivy's writer lock is held).
    #[error("the search index at {0} is kept by another process")]
    Busy(PathBuf),
    #[error("search index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("search index at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where the index stands in the store's change log, saved with each commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The store's identity: an index is never applied to another store's changes.
    pub mirror: String,
    /// Every change up to this sequence number is in the index.
    pub through: i64,
    /// While a full build is under way: rows up to this row id are indexed (as of `through`),
    /// the rest are still to read.
    pub built_to: Option<i64>,
    /// [`FORMAT`] of the code that wrote it.
    pub format: u32,
}

/// One candidate's searchable text; `texts` in [`FIELDS`] order. `facets` are the store's
/// necessary conditions of its application filters (`stage:interview`, `status:42`), so a
/// search by stage ranks by recency here and the store checks the exact filter on the page.
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub rid: i64,
    pub conn: String,
    pub updated_at: Option<i64>,
    pub texts: [Option<String>; FIELDS.len()],
    pub facets: Vec<String>,
}

/// The index directory, its writer (one per directory, across processes) and a reader that is
/// reloaded after each commit, so a search sees every change applied before it.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
}

impl SearchIndex {
    /// Opens or creates the index in `dir`. [`Error::Busy`] when another process keeps it.
    pub fn open(dir: &Path) -> Result<SearchIndex, Error> {
        let path = dir.to_path_buf();
        let tantivy = |source| Error::Tantivy {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let directory =
            MmapDirectory::open(dir).map_err(|e| tantivy(tantivy::TantivyError::from(e)))?;
        if !Index::exists(&directory).map_err(|e| tantivy(e.into()))? {
            let index = Index::create(directory, schema, Default::default()).map_err(tantivy)?;
            return Self::with_index(path, index, fields);
        }
        match Index::open(directory) {
            Ok(index) if index.schema() == schema => Self::with_index(path, index, fields),
            // Written by code with another schema, or unreadable: start over (the store holds
            // the truth, and a build resumes from nothing).
            found => {
                if let Err(e) = found {
                    tracing::warn!(error = %e, dir = %path.display(), "search index unreadable; rebuilding");
                }
                Self::recreate(dir, schema, fields)
            }
        }
    }

    fn recreate(
        dir: &Path,
        schema: tantivy::schema::Schema,
        fields: Fields,
    ) -> Result<SearchIndex, Error> {
        let path = dir.to_path_buf();
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        std::fs::remove_dir_all(dir).map_err(io)?;
        std::fs::create_dir_all(dir).map_err(io)?;
        let index = Index::create_in_dir(dir, schema).map_err(|source| Error::Tantivy {
            path: path.clone(),
            source,
        })?;
        Self::with_index(path, index, fields)
    }

    fn with_index(path: PathBuf, index: Index, fields: Fields) -> Result<SearchIndex, Error> {
        let writer = match index.writer_with_num_threads(1, WRITER_MEMORY) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => return Err(Error::Busy(path)),
            Err(source) => return Err(Error::Tantivy { path, source }),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| Error::Tantivy {
                path: path.clone(),
                source,
            })?;
        Ok(SearchIndex {
            path,
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
        })
    }

    fn tantivy(&self, source: tantivy::TantivyError) -> Error {
        Error::Tantivy {
            path: self.path.clone(),
            source,
        }
    }

    /// The position of the last commit; `None` for a new index or one written for another
    /// format.
    pub fn position(&self) -> Result<Option<Position>, Error> {
        let metas = self.index.load_metas().map_err(|e| self.tantivy(e))?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Position>(p).ok())
            .filter(|p| p.format == FORMAT))
    }

    /// Replaces the documents of `removed` and of every doc's row id with `docs`, and commits
    /// them at `position`. Searches after this returns see the change.
    pub fn apply(
        &self,
        docs: Vec<IndexDoc>,
        removed: &[i64],
        position: &Position,
        clear_first: bool,
    ) -> Result<(), Error> {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if clear_first {
            writer.delete_all_documents().map_err(|e| self.tantivy(e))?;
        }
        for rid in removed.iter().copied().chain(docs.iter().map(|d| d.rid)) {
            writer.delete_term(Term::from_field_i64(self.fields.rid, rid));
        }
        for doc in docs {
            writer
                .add_document(self.fields.document(doc))
                .map_err(|e| self.tantivy(e))?;
        }
        let payload = serde_json::to_string(position).expect("a position serialises");
        let mut commit = writer.prepare_commit().map_err(|e| self.tantivy(e))?;
        commit.set_payload(&payload);
        commit.commit().map_err(|e| self.tantivy(e))?;
        drop(writer);
        self.reader.reload().map_err(|e| self.tantivy(e))
    }

    /// The best `window` live matches of `words` in `conn` that pass `narrowing`, ranked by
    /// relevance plus [`recency`] at `now` (ties: newer update, then higher row id). Without
    /// words, relevance is 0: the newest come first.
    pub fn rank(
        &self,
        conn: &str,
        words: &Words,
        narrowing: &Narrowing,
        now: i64,
        window: usize,
    ) -> Result<Ranked, Error> {
        let searcher = self.reader.searcher();
        let query = query::build(&searcher, &self.fields, conn, words, narrowing)
            .map_err(|e| self.tantivy(e))?;
        let collector = collect::TopByScore { window, now };
        searcher
            .search(&*query, &collector)
            .map_err(|e| self.tantivy(e))
    }

    /// Documents in the index (live ones, after the last commit).
    pub fn docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// Converts an index document for tantivy.
impl Fields {
    fn document(&self, doc: IndexDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_i64(self.rid, doc.rid);
        d.add_text(self.conn, &doc.conn);
        d.add_i64(self.updated_at, doc.updated_at.unwrap_or(NO_UPDATE));
        for facet in &doc.facets {
            d.add_text(self.facet, facet);
        }
        for (field, text) in self.texts.iter().zip(doc.texts.iter()) {
            if let Some(text) = text.as_deref().filter(|t| !t.is_empty()) {
                d.add_text(*field, ats_mirror::search_text::index_terms(text).join(" "));
            }
        }
        d
    }
}

#[cfg(test)]
mod tests;
