//! A bounded map whose entries expire: sessions and ACS transactions live here,
//! so memory stays bounded however many flows a client starts. When it is full,
//! expired entries go first, then the oldest finished ones (a session whose
//! outcome is final, an ended challenge): only a store whose every entry is still
//! live refuses a new one, and says when the next one expires.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why an entry could not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Every entry is live and unfinished.
    #[error("capacity of {capacity} live entries reached; the next one expires in {} s", retry_after.as_secs())]
    Full {
        /// The store's capacity.
        capacity: usize,
        /// When the oldest live entry expires.
        retry_after: Duration,
    },
}

struct Entry<V> {
    value: V,
    inserted: u64,
    expires_at: Instant,
}

/// A full store makes room for this share of its capacity at once (1/8), so that
/// the scan that finds finished entries runs once per many inserts.
const EVICTION_BATCH_DIVISOR: usize = 8;

/// Entries live for `lifetime` after they are inserted; at most `capacity` at once.
pub struct ExpiringStore<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    next_sequence: std::sync::atomic::AtomicU64,
    lifetime: Duration,
    capacity: usize,
    /// Whether an entry may make room for a new one before it expires.
    finished: fn(&V) -> bool,
}

impl<K: Eq + Hash + Clone, V: Clone> ExpiringStore<K, V> {
    /// An empty store whose entries all stay until they expire.
    pub fn new(lifetime: Duration, capacity: usize) -> Self {
        Self::with_finished(lifetime, capacity, |_| false)
    }

    /// An empty store where entries that are `finished` may make room before they expire.
    pub fn with_finished(lifetime: Duration, capacity: usize, finished: fn(&V) -> bool) -> Self {
        Self { entries: Mutex::new(HashMap::new()), next_sequence: Default::default(), lifetime, capacity: capacity.max(1), finished }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        // A panic while holding the lock cannot leave a map half-written; go on.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Inserts a new entry; when full, expired entries go first, then the oldest
    /// finished ones, which are returned (so indexes over them can follow).
    pub fn insert(&self, key: K, value: V) -> Result<Vec<V>, StoreError> {
        let now = Instant::now();
        let mut entries = self.lock();
        let mut evicted = Vec::new();
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.retain(|_, entry| entry.expires_at > now);
            let target = self.capacity - (self.capacity / EVICTION_BATCH_DIVISOR).max(1);
            if entries.len() > target {
                let mut finished: Vec<(u64, K)> =
                    entries.iter().filter(|(_, entry)| (self.finished)(&entry.value)).map(|(key, entry)| (entry.inserted, key.clone())).collect();
                finished.sort_unstable_by_key(|(inserted, _)| *inserted);
                let excess = entries.len() - target;
                evicted = finished.into_iter().take(excess).filter_map(|(_, key)| entries.remove(&key)).map(|entry| entry.value).collect();
            }
            if entries.len() >= self.capacity {
                let next_expiry = entries.values().map(|entry| entry.expires_at).min().unwrap_or(now);
                return Err(StoreError::Full { capacity: self.capacity, retry_after: next_expiry.saturating_duration_since(now) });
            }
        }
        let inserted = self.next_sequence.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        entries.insert(key, Entry { value, inserted, expires_at: now + self.lifetime });
        Ok(evicted)
    }

    /// Removes an entry, live or not.
    pub fn remove(&self, key: &K) -> Option<V> {
        self.lock().remove(key).map(|entry| entry.value)
    }

    /// A copy of a live entry.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.lock();
        entries.get(key).filter(|entry| entry.expires_at > Instant::now()).map(|entry| entry.value.clone())
    }

    /// Changes a live entry in place and returns what `change` returns.
    pub fn update<R>(&self, key: &K, change: impl FnOnce(&mut V) -> R) -> Option<R> {
        let mut entries = self.lock();
        entries.get_mut(key).filter(|entry| entry.expires_at > Instant::now()).map(|entry| change(&mut entry.value))
    }

    /// Drops expired entries; returns how many are left.
    pub fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut entries = self.lock();
        entries.retain(|_, entry| entry.expires_at > now);
        entries.len()
    }

    /// How many entries are held (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let store = ExpiringStore::new(Duration::from_millis(30), 10);
        store.insert(1, "a").unwrap();
        assert_eq!(store.get(&1), Some("a"));
        assert_eq!(
            store.update(&1, |v| {
                *v = "b";
                7
            }),
            Some(7)
        );
        assert_eq!(store.get(&1), Some("b"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(store.get(&1), None);
        assert_eq!(store.update(&1, |_| ()), None);
        assert_eq!(store.sweep(), 0);
    }

    #[test]
    fn capacity_is_a_hard_bound_until_entries_expire() {
        let store = ExpiringStore::new(Duration::from_millis(30), 2);
        store.insert(1, ()).unwrap();
        store.insert(2, ()).unwrap();
        let Err(StoreError::Full { capacity, retry_after }) = store.insert(3, ()) else { panic!("a full store refuses") };
        assert_eq!(capacity, 2);
        assert!(retry_after <= Duration::from_millis(30), "the next expiry is within the lifetime: {retry_after:?}");
        std::thread::sleep(Duration::from_millis(40));
        store.insert(3, ()).unwrap();
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn a_full_store_makes_room_from_its_oldest_finished_entries() {
        // Values: (id, finished).
        let store = ExpiringStore::with_finished(Duration::from_secs(60), 16, |(_, finished): &(u32, bool)| *finished);
        for id in 0..16 {
            store.insert(id, (id, id % 2 == 0)).unwrap();
        }
        // Full: the oldest finished entries (0, 2) make room for a batch of 1/8.
        assert_eq!(store.insert(16, (16, false)).unwrap(), vec![(0, true), (2, true)]);
        assert_eq!((store.get(&0), store.get(&2)), (None, None));
        assert_eq!(store.get(&4), Some((4, true)), "only as many as the batch");
        assert_eq!(store.get(&1), Some((1, false)), "unfinished entries stay");
        assert_eq!(store.len(), 15);
        // Many more inserts never fail while finished entries are left.
        for id in 17..200 {
            store.insert(id, (id, true)).unwrap();
        }
        assert!(store.len() <= 16);
        for id in (1..16).step_by(2) {
            assert_eq!(store.get(&id), Some((id, false)), "unfinished entry {id} is never evicted");
        }
    }

    #[test]
    fn a_store_of_live_unfinished_entries_refuses_without_evicting() {
        let store = ExpiringStore::with_finished(Duration::from_secs(60), 4, |_: &u32| false);
        for id in 0..4 {
            store.insert(id, id).unwrap();
        }
        assert!(matches!(store.insert(4, 4), Err(StoreError::Full { capacity: 4, .. })));
        assert_eq!(store.len(), 4);
        assert!((0..4).all(|id| store.get(&id) == Some(id)));
        store.insert(2, 20).unwrap();
        assert_eq!(store.get(&2), Some(20), "replacing an existing key needs no room");
    }
}
