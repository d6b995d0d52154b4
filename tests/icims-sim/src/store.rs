//! Compact in-memory records of one customer. One million people must fit comfortably and
//! search must scan them without allocating, so strings live in one append-only arena and
//! records hold 8-byte spans; list-valued fields are indices into the customer's node lists.
//! Ids are dense per type, so tables are vectors indexed by `id - base` (an O(1) start for
//! `id >` paging, like a BTreeMap range but cheaper).

use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Marker for "no value" in u16 list-index fields.
pub const NONE: u16 = u16::MAX;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    off: u32,
    len: u32,
}

impl Span {
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// Append-only string storage. Overwritten values are simply left behind (mutations are rare
/// compared with reads; the sim is not long-lived).
#[derive(Debug, Default)]
pub struct Arena {
    buf: String,
}

impl Arena {
    pub fn push(&mut self, s: &str) -> Span {
        if s.is_empty() || self.buf.len() + s.len() > u32::MAX as usize {
            return Span::default();
        }
        let off = self.buf.len() as u32;
        self.buf.push_str(s);
        Span {
            off,
            len: s.len() as u32,
        }
    }

    pub fn get(&self, span: Span) -> &str {
        self.buf
            .get(span.off as usize..(span.off + span.len) as usize)
            .unwrap_or("")
    }

    pub fn bytes(&self) -> usize {
        self.buf.len()
    }
}

/// Records of one type keyed by dense ids starting at `base`.
#[derive(Debug)]
pub struct IdTable<T> {
    base: u32,
    items: Vec<Option<T>>,
    live: usize,
}

impl<T> IdTable<T> {
    pub fn new(base: u32) -> Self {
        IdTable {
            base,
            items: Vec::new(),
            live: 0,
        }
    }

    pub fn get(&self, id: u64) -> Option<&T> {
        let idx = id.checked_sub(self.base as u64)?;
        self.items.get(usize::try_from(idx).ok()?)?.as_ref()
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut T> {
        let idx = id.checked_sub(self.base as u64)?;
        self.items.get_mut(usize::try_from(idx).ok()?)?.as_mut()
    }

    pub fn insert(&mut self, item: T) -> u32 {
        let id = self.base + self.items.len() as u32;
        self.items.push(Some(item));
        self.live += 1;
        id
    }

    pub fn remove(&mut self, id: u64) -> Option<T> {
        let idx = usize::try_from(id.checked_sub(self.base as u64)?).ok()?;
        let out = self.items.get_mut(idx)?.take();
        if out.is_some() {
            self.live -= 1;
        }
        out
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn reserve(&mut self, n: usize) {
        self.items.reserve(n);
    }

    /// Live records with id >= `from`, ascending.
    pub fn iter_from(&self, from: u64) -> impl Iterator<Item = (u32, &T)> {
        let start = from
            .saturating_sub(self.base as u64)
            .min(self.items.len() as u64) as usize;
        let base = self.base;
        self.items[start..]
            .iter()
            .enumerate()
            .filter_map(move |(i, r)| r.as_ref().map(|r| (base + (start + i) as u32, r)))
    }

    /// Random live id (used by the generator; `pick` in 0..len of the backing vector).
    pub fn live_id_at(&self, pick: usize) -> Option<u32> {
        let n = self.items.len();
        (0..n)
            .map(|k| (pick + k) % n)
            .find(|&i| self.items[i].is_some())
            .map(|i| self.base + i as u32)
    }

    pub fn slots(&self) -> usize {
        self.items.len()
    }
}

/// Where a person's resume comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResumeKind {
    None,
    /// Text generated from the person's fields on demand (costs no memory).
    Generated,
    /// Uploaded through the binary endpoint; bytes in `CustomerData::files`.
    Uploaded,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub first: Span,
    pub middle: Span,
    pub last: Span,
    pub email: Span,
    pub phone: Span,
    pub phone_type: u8,
    pub street: Span,
    /// Index into `generator::CITIES` or `NONE`.
    pub city: u16,
    pub zip: Span,
    pub folder: u16,
    pub source: u16,
    pub sourcename: Span,
    pub linkedin: Span,
    pub title: Span,
    pub company: Span,
    pub skills: Span,
    /// Minutes since the unix epoch (iCIMS dates have minute precision).
    pub created: u32,
    pub updated: u32,
    pub resume: ResumeKind,
    /// Whose generated career (`generator::career`) the person has: their own id, the
    /// original's for a duplicate, 0 for people created through the API (no work history).
    pub profile: u32,
    /// Fields set through the API that have no typed slot, and values (phones, addresses)
    /// written as whole JSON; these win over the typed slots when rendering.
    pub extra: Option<Box<Map<String, Value>>>,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub jobid: String,
    pub title: String,
    pub folder: u16,
    pub overview: String,
    /// The `qualifications` field (HTML); empty when not set.
    pub qualifications: String,
    /// What a generated job really asks for (the ground truth's side); `None` for jobs created
    /// through the API.
    pub needs: Option<crate::generator::career::JobNeeds>,
    /// Company (location) id, 0 = none.
    pub location: u32,
    pub hiring_manager: u32,
    pub recruiter: u32,
    pub department: u16,
    pub positions: u32,
    pub created: u32,
    pub updated: u32,
    pub extra: Option<Box<Map<String, Value>>>,
}

#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    pub folder: u16,
    pub street: String,
    pub city: u16,
    pub zip: String,
    pub created: u32,
    pub updated: u32,
    pub extra: Option<Box<Map<String, Value>>>,
}

#[derive(Debug, Clone)]
pub struct Workflow {
    pub job: u32,
    pub person: u32,
    pub status: u16,
    pub source: u16,
    pub sourcename: Span,
    pub created: u32,
    pub updated: u32,
    pub extra: Option<Box<Map<String, Value>>>,
}

/// An uploaded file (resume).
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub filename: String,
    pub content_type: String,
    pub bytes: bytes::Bytes,
}

/// Everything one customer owns.
#[derive(Debug)]
pub struct CustomerData {
    pub arena: Arena,
    pub people: IdTable<Person>,
    pub jobs: IdTable<Job>,
    pub companies: IdTable<Company>,
    pub workflows: IdTable<Workflow>,
    /// (person, job) pairs that have a workflow: iCIMS keeps one workflow per pair (§4).
    pub pairs: HashSet<(u32, u32)>,
    pub files: HashMap<u32, StoredFile>,
    /// Generator ground truth: groups of person ids that are the same human.
    pub duplicate_groups: Vec<Vec<u32>>,
    /// The year generated work histories run up to (the data set's "now").
    pub career_year: i32,
    /// The generator's seed: careers are drawn again from it (`generator::career`).
    pub career_seed: u64,
}

impl CustomerData {
    pub fn new() -> Self {
        CustomerData {
            arena: Arena::default(),
            people: IdTable::new(1),
            jobs: IdTable::new(1001),
            companies: IdTable::new(101),
            workflows: IdTable::new(10_001),
            pairs: HashSet::new(),
            files: HashMap::new(),
            duplicate_groups: Vec::new(),
            career_year: 2026,
            career_seed: 0,
        }
    }
}

impl Default for CustomerData {
    fn default() -> Self {
        Self::new()
    }
}

/// Minutes since epoch from unix seconds (clamped into u32).
pub fn to_minutes(unix_secs: i64) -> u32 {
    (unix_secs.div_euclid(60)).clamp(0, u32::MAX as i64) as u32
}

pub fn from_minutes(m: u32) -> i64 {
    m as i64 * 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_table_iterates_from_and_skips_removed() {
        let mut t = IdTable::new(10);
        for i in 0..5 {
            t.insert(i);
        }
        t.remove(12);
        let ids: Vec<u32> = t.iter_from(11).map(|(id, _)| id).collect();
        assert_eq!(ids, vec![11, 13, 14]);
        assert_eq!(t.iter_from(0).count(), 4);
        assert_eq!(t.iter_from(100).count(), 0);
        assert!(t.get(12).is_none());
        assert_eq!(t.get(14), Some(&4));
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn arena_round_trips() {
        let mut a = Arena::default();
        let s = a.push("hello");
        let e = a.push("");
        assert_eq!(a.get(s), "hello");
        assert!(e.is_empty());
        assert_eq!(a.get(e), "");
    }
}
