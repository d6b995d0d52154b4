//! The batch de-duplication pass: compare only candidates that share a mirror blocking key
//! (email, URL, phone, or `last:first-initial`), never all pairs.

use super::ladder::{Certainty, MatchRule, PersonKeys, compare};
use super::metrics::pair;
use crate::{FeatureError, Mirror};
use ats_mirror::{DedupeKeyKind, DuplicateLink, LinkStatus};
use ats_model::{AtsRecord, RecordKind, Timestamp};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct DedupeOptions {
    pub now: Timestamp,
    /// Blocks larger than this (a shared switchboard phone, a very common name) are skipped
    /// with a warning: comparing them pairwise costs n² and yields noise.
    pub max_block: usize,
    /// Find links without storing them.
    pub dry_run: bool,
}

impl DedupeOptions {
    pub fn at(now: Timestamp) -> Self {
        DedupeOptions {
            now,
            max_block: 50,
            dry_run: false,
        }
    }
}

/// One pair the pass linked (or would link).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundLink {
    pub a_id: String,
    pub b_id: String,
    pub rule: MatchRule,
    pub certainty: Certainty,
    pub confidence: f64,
    pub reason: String,
    /// `confirmed` for certain rules, `suggested` for a person to review.
    pub status: &'static str,
    /// False when an earlier decision by a person (confirmed or dismissed) was kept, or in a
    /// dry run.
    pub stored: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DedupeReport {
    pub links: Vec<FoundLink>,
    pub pairs_compared: usize,
    pub warnings: Vec<String>,
}

impl DedupeReport {
    /// Found pairs, for [`super::precision_recall`].
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.links
            .iter()
            .map(|l| (l.a_id.clone(), l.b_id.clone()))
            .collect()
    }
}

/// Most keys one `shared_keys` call returns; the pass warns when a kind reaches it.
const KEY_LIMIT: usize = 1_000_000;

/// Finds duplicate candidates in the mirror and stores the links (unless `dry_run`). Certain
/// rules (email, profile URL) are stored `confirmed`; phone and name matches `suggested`, for a
/// person to review. A link a person already confirmed or dismissed is left as it is.
pub async fn find_duplicates<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    options: &DedupeOptions,
) -> Result<DedupeReport, FeatureError> {
    let mut report = DedupeReport::default();
    let mut keys: HashMap<String, Option<PersonKeys>> = HashMap::new();
    let mut verdicts = BTreeMap::new();
    for kind in [
        DedupeKeyKind::Email,
        DedupeKeyKind::Url,
        DedupeKeyKind::Phone,
        DedupeKeyKind::Name,
    ] {
        let blocks = mirror.shared_keys(conn, kind, KEY_LIMIT).await?;
        if blocks.len() == KEY_LIMIT {
            report.warnings.push(format!(
                "only the first {KEY_LIMIT} shared {} keys were examined",
                kind.as_str()
            ));
        }
        for (key, ids) in blocks {
            if ids.len() > options.max_block {
                report.warnings.push(format!(
                    "skipped {} key `{key}` shared by {} candidates (more than {}); review it by hand",
                    kind.as_str(),
                    ids.len(),
                    options.max_block
                ));
                continue;
            }
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    let p = pair(a, b);
                    if verdicts.contains_key(&p) {
                        continue;
                    }
                    let (Some(ka), Some(kb)) = (
                        person(mirror, conn, &mut keys, a).await?,
                        person(mirror, conn, &mut keys, b).await?,
                    ) else {
                        continue;
                    };
                    report.pairs_compared += 1;
                    verdicts.insert(p, compare(&ka, &kb));
                }
            }
        }
    }
    // The mirror's name key (`last:f`) keeps accents and nicknames apart (`núñez:j` vs
    // `nunez:j`, Bob vs Robert); block once more on the folded last name and the initial of the
    // formal first name. One read per candidate, still no all-pairs comparison.
    let mut folded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in mirror.ids(conn, RecordKind::Candidate).await? {
        if let Some(k) = person(mirror, conn, &mut keys, &id).await?
            && let Some(initial) = k.first.chars().next()
            && !k.last.is_empty()
        {
            folded
                .entry(format!("{}:{initial}", k.last))
                .or_default()
                .push(id);
        }
    }
    for (key, ids) in folded {
        if ids.len() > options.max_block {
            report.warnings.push(format!(
                "skipped folded name key `{key}` shared by {} candidates (more than {}); review it by hand",
                ids.len(),
                options.max_block
            ));
            continue;
        }
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let p = pair(a, b);
                if verdicts.contains_key(&p) {
                    continue;
                }
                let (Some(ka), Some(kb)) = (keys[a].clone(), keys[b].clone()) else {
                    continue;
                };
                report.pairs_compared += 1;
                verdicts.insert(p, compare(&ka, &kb));
            }
        }
    }
    for ((a, b), verdict) in verdicts {
        let Some(v) = verdict else { continue };
        let status = if v.certainty == Certainty::Certain {
            LinkStatus::Confirmed
        } else {
            LinkStatus::Suggested
        };
        let stored =
            !options.dry_run && store_link(mirror, conn, &a, &b, &v, status, options.now).await?;
        report.links.push(FoundLink {
            a_id: a,
            b_id: b,
            rule: v.rule,
            certainty: v.certainty,
            confidence: v.confidence,
            reason: v.reason,
            status: status.as_str(),
            stored,
        });
    }
    Ok(report)
}

async fn person<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    cache: &mut HashMap<String, Option<PersonKeys>>,
    id: &str,
) -> Result<Option<PersonKeys>, FeatureError> {
    if let Some(k) = cache.get(id) {
        return Ok(k.clone());
    }
    let keys = match mirror.record(conn, RecordKind::Candidate, id).await? {
        Some(s) if s.deleted_at.is_none() => match s.record {
            AtsRecord::Candidate(c) => Some(PersonKeys::from_candidate(&c)),
            _ => None,
        },
        _ => None,
    };
    cache.insert(id.to_string(), keys.clone());
    Ok(keys)
}

/// Stores links from `person` to each of `others`, except to those a person already decided
/// on (confirmed or dismissed), in one write. Returns the others linked.
pub(crate) async fn store_links<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    person: &str,
    others: &[(String, super::Verdict)],
    status: LinkStatus,
    now: Timestamp,
) -> Result<Vec<String>, FeatureError> {
    let existing = mirror.duplicate_links(conn, person).await?;
    let mut links = Vec::new();
    let mut linked = Vec::new();
    for (other, v) in others {
        if other == person {
            continue;
        }
        let (a, b) = pair(person, other);
        let before = existing.iter().find(|l| l.a_id == a && l.b_id == b);
        if before.is_some_and(|l| l.status != LinkStatus::Suggested) {
            continue;
        }
        links.push(DuplicateLink {
            created_at: before.map_or(now, |l| l.created_at),
            a_id: a,
            b_id: b,
            rule: v.rule.as_str().to_string(),
            confidence: v.confidence,
            status,
            updated_at: now,
        });
        linked.push(other.clone());
    }
    mirror.put_duplicate_links(conn, &links).await?;
    Ok(linked)
}

/// Stores a link unless a person already decided on this pair. Returns whether it wrote.
async fn store_link<M: Mirror + ?Sized>(
    mirror: &M,
    conn: &str,
    a: &str,
    b: &str,
    v: &super::Verdict,
    status: LinkStatus,
    now: Timestamp,
) -> Result<bool, FeatureError> {
    let linked = store_links(mirror, conn, a, &[(b.to_string(), v.clone())], status, now).await?;
    Ok(!linked.is_empty())
}
