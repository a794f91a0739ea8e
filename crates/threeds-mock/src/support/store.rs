//! A bounded map whose entries expire: sessions and ACS transactions live here,
//! so memory stays bounded however many flows a client starts.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why an entry could not be stored or used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("capacity of {0} live entries reached; try again after some expire")]
    /// The store holds as many live entries as it may (its capacity).
    Full(usize),
}

struct Entry<V> {
    value: V,
    expires_at: Instant,
}

/// Entries live for `lifetime` after they are inserted; at most `capacity` live at once.
pub struct ExpiringStore<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    lifetime: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> ExpiringStore<K, V> {
    /// An empty store.
    pub fn new(lifetime: Duration, capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), lifetime, capacity }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        // A panic while holding the lock cannot leave a map half-written; go on.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Inserts a new entry; when full, expired entries are swept first.
    pub fn insert(&self, key: K, value: V) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.expires_at > now);
            if entries.len() >= self.capacity {
                return Err(StoreError::Full(self.capacity));
            }
        }
        entries.insert(key, Entry { value, expires_at: now + self.lifetime });
        Ok(())
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
        assert_eq!(store.insert(3, ()), Err(StoreError::Full(2)));
        std::thread::sleep(Duration::from_millis(40));
        store.insert(3, ()).unwrap();
        assert_eq!(store.len(), 1);
    }
}
