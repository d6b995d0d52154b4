//! The shared search cache behind `staleness` (§5.1): results are keyed by (customer, type,
//! normalised query) and served for `staleness` minutes of sim time, so a record changed after
//! the entry was made stays invisible until it expires. `staleness=0` bypasses it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::record_type::RecordType;

type Key = (u64, RecordType, String);
/// (made at, sim ms; ascending ids)
type Entry = (i64, Arc<Vec<u32>>);

#[derive(Debug, Default)]
pub struct SearchCache {
    map: Mutex<HashMap<Key, Entry>>,
    capacity: usize,
}

impl SearchCache {
    pub fn new(capacity: usize) -> Self {
        SearchCache {
            map: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Cached ids if an entry younger than `staleness_ms` exists.
    pub fn get(&self, key: &Key, now_ms: i64, staleness_ms: i64) -> Option<Arc<Vec<u32>>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(key) {
            Some((at, ids)) if now_ms - at < staleness_ms => Some(ids.clone()),
            _ => None,
        }
    }

    pub fn put(&self, key: Key, now_ms: i64, ids: Arc<Vec<u32>>, max_age_ms: i64) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.capacity {
            map.retain(|_, (at, _)| now_ms - *at < max_age_ms);
            if map.len() >= self.capacity {
                map.clear();
            }
        }
        map.insert(key, (now_ms, ids));
    }

    pub fn clear(&self) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_staleness() {
        let c = SearchCache::new(10);
        let k = (1, RecordType::People, "q".to_string());
        c.put(k.clone(), 0, Arc::new(vec![1, 2]), 900_000);
        assert_eq!(c.get(&k, 899_999, 900_000).unwrap().as_slice(), &[1, 2]);
        assert!(c.get(&k, 900_000, 900_000).is_none());
        assert!(
            c.get(&(1, RecordType::Jobs, "q".into()), 1, 900_000)
                .is_none()
        );
    }
}
