//! `SidMap`: the engine's map from SID to per-service data (service status,
//! service configuration). It behaves like a `BTreeMap<String, V>` —
//! iteration in byte-wise key order, which the logs and files depend on —
//! but finds a key in constant time.
//!
//! Why: every round each of the 32 LRMs and the manager look services up
//! by SID several times. In an ordered tree each lookup walks ~14 string
//! comparisons, each one a pointer chase to the key's heap buffer; at
//! 10,000 services those maps no longer fit the CPU caches and the walks
//! dominated a round. Here keys and values sit in two parallel vectors kept
//! in key order (iteration is a slice walk), and a hash index maps the
//! 64-bit hash of a key to its position. The index is built lazily after a
//! structural change (insert in the middle, remove) and kept up to date by
//! appends, so the usual life of these maps — bulk load in key order, then
//! many lookups and in-place updates — never rebuilds it.
//!
//! Two keys with the same 64-bit hash are handled: such a hash is marked
//! ambiguous in the index and its lookups fall back to a binary search.

use super::fasthash::{FastHasher, FastMap};
use compact_str::CompactString;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Index entry of a hash shared by more than one key.
const AMBIGUOUS: u32 = u32::MAX;

fn hash_key(k: &str) -> u64 {
    BuildHasherDefault::<FastHasher>::default().hash_one(k)
}

/// A key of a [`SidMap`]: a string kept inline up to 24 bytes.
pub type Key = CompactString;

/// A map from SID (or any string key) to `V`, iterated in key order.
pub struct SidMap<V> {
    /// Strictly ascending. Keys are stored inline (a SID or uid is shorter
    /// than 24 bytes), so a comparison reads this vector, not a separate
    /// heap buffer per key.
    keys: Vec<Key>,
    /// `vals[i]` belongs to `keys[i]`.
    vals: Vec<V>,
    /// hash of a key -> its position (or [`AMBIGUOUS`]); built on demand.
    index: OnceLock<FastMap<u64, u32>>,
    /// Position of the last key found: the engine looks the same service up
    /// several times in a row, or walks the services in key order; checking
    /// this position and the next is a comparison with data already in
    /// cache (relaxed atomic: a hint, any value is safe).
    last: AtomicU32,
}

impl<V> Default for SidMap<V> {
    fn default() -> Self {
        SidMap {
            keys: Vec::new(),
            vals: Vec::new(),
            index: OnceLock::new(),
            last: AtomicU32::new(0),
        }
    }
}

impl<V: Clone> Clone for SidMap<V> {
    fn clone(&self) -> Self {
        let index = OnceLock::new();
        if let Some(ix) = self.index.get() {
            let _ = index.set(ix.clone());
        }
        SidMap {
            keys: self.keys.clone(),
            vals: self.vals.clone(),
            index,
            last: AtomicU32::new(0),
        }
    }
}

impl<V: PartialEq> PartialEq for SidMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys && self.vals == other.vals
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for SidMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

fn index_add(ix: &mut FastMap<u64, u32>, h: u64, pos: usize) {
    ix.entry(h)
        .and_modify(|p| *p = AMBIGUOUS)
        .or_insert(pos as u32);
}

impl<V> SidMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn index(&self) -> &FastMap<u64, u32> {
        self.index.get_or_init(|| {
            let mut ix = FastMap::with_capacity_and_hasher(self.keys.len(), Default::default());
            for (i, k) in self.keys.iter().enumerate() {
                index_add(&mut ix, hash_key(k), i);
            }
            ix
        })
    }

    /// Make room for `n` more entries.
    pub fn reserve(&mut self, n: usize) {
        self.keys.reserve(n);
        self.vals.reserve(n);
    }

    /// Position of `k`, if present.
    fn pos(&self, k: &str) -> Option<usize> {
        // a key past the last one is absent: a map being filled in key
        // order answers its lookups without building the index
        if self.keys.last().is_none_or(|l| l.as_str() < k) {
            return None;
        }
        let last = self.last.load(Ordering::Relaxed) as usize;
        if self.keys.get(last).is_some_and(|x| x == k) {
            return Some(last);
        }
        // a walk in key order (the manager's service loop) finds the next
        // key right after the last one, in memory it is about to read
        if self.keys.get(last + 1).is_some_and(|x| x == k) {
            self.last.store(last as u32 + 1, Ordering::Relaxed);
            return Some(last + 1);
        }
        let p = match self.index().get(&hash_key(k)) {
            None => None,
            Some(&AMBIGUOUS) => self.keys.binary_search_by(|x| x.as_str().cmp(k)).ok(),
            Some(&p) => (self.keys[p as usize] == k).then_some(p as usize),
        }?;
        self.last.store(p as u32, Ordering::Relaxed);
        Some(p)
    }

    pub fn contains_key(&self, k: &str) -> bool {
        self.pos(k).is_some()
    }

    pub fn get(&self, k: &str) -> Option<&V> {
        self.pos(k).map(|p| &self.vals[p])
    }

    /// Like [`SidMap::get`], trying position `hint` first: the position of
    /// the same key in a map with (usually) the same keys, such as the
    /// service status beside the service configuration. A wrong hint costs
    /// one comparison.
    pub fn get_hinted(&self, k: &str, hint: usize) -> Option<&V> {
        if self.keys.get(hint).is_some_and(|x| x == k) {
            return Some(&self.vals[hint]);
        }
        self.get(k)
    }

    pub fn get_key_value(&self, k: &str) -> Option<(&Key, &V)> {
        self.pos(k).map(|p| (&self.keys[p], &self.vals[p]))
    }

    /// The entry at position `i` of the key order (panics when out of range).
    pub fn entry_at(&self, i: usize) -> (&Key, &V) {
        (&self.keys[i], &self.vals[i])
    }

    pub fn get_mut(&mut self, k: &str) -> Option<&mut V> {
        self.pos(k).map(|p| &mut self.vals[p])
    }

    /// Insert or replace; returns the old value.
    pub fn insert(&mut self, k: impl Into<Key>, v: V) -> Option<V> {
        let k: Key = k.into();
        // appending in key order (the usual way these maps are filled)
        // needs neither a lookup nor the index
        let append = self.keys.last().is_none_or(|last| *last < k);
        if !append {
            if let Some(p) = self.pos(&k) {
                return Some(std::mem::replace(&mut self.vals[p], v));
            }
        }
        if append {
            let pos = self.keys.len();
            if let Some(ix) = self.index.get_mut() {
                index_add(ix, hash_key(&k), pos);
            }
            self.keys.push(k);
            self.vals.push(v);
            return None;
        }
        let p = self.keys.partition_point(|x| *x < k);
        self.keys.insert(p, k);
        self.vals.insert(p, v);
        self.index = OnceLock::new();
        None
    }

    pub fn remove(&mut self, k: &str) -> Option<V> {
        let p = self.pos(k)?;
        self.keys.remove(p);
        let v = self.vals.remove(p);
        self.index = OnceLock::new();
        Some(v)
    }

    /// Keep the entries for which `f` returns true (in key order).
    pub fn retain(&mut self, mut f: impl FnMut(&Key, &mut V) -> bool) {
        // in place: kept entries move down over dropped ones (nothing moves
        // while nothing is dropped)
        let n = self.keys.len();
        let mut kept = 0;
        for i in 0..n {
            if f(&self.keys[i], &mut self.vals[i]) {
                if kept != i {
                    self.keys.swap(kept, i);
                    self.vals.swap(kept, i);
                }
                kept += 1;
            }
        }
        if kept != n {
            self.keys.truncate(kept);
            self.vals.truncate(kept);
            self.index = OnceLock::new();
        }
    }

    pub fn iter(&self) -> Iter<'_, V> {
        self.keys.iter().zip(self.vals.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        self.keys.iter().zip(self.vals.iter_mut())
    }

    pub fn keys(&self) -> std::slice::Iter<'_, Key> {
        self.keys.iter()
    }

    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.vals.iter()
    }

    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.vals.iter_mut()
    }

    /// Build from entries in any order; a repeated key keeps its last value
    /// (as inserting them one by one into a map would).
    fn from_entries(mut entries: Vec<(Key, V)>) -> Self {
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            entries.sort_by(|a, b| a.0.cmp(&b.0)); // stable: equal keys keep their order
        }
        let mut m = SidMap {
            keys: Vec::with_capacity(entries.len()),
            vals: Vec::with_capacity(entries.len()),
            index: OnceLock::new(),
            last: AtomicU32::new(0),
        };
        for (k, v) in entries {
            if m.keys.last() == Some(&k) {
                *m.vals.last_mut().expect("parallel") = v;
            } else {
                m.keys.push(k);
                m.vals.push(v);
            }
        }
        m
    }
}

pub type Iter<'a, V> = std::iter::Zip<std::slice::Iter<'a, Key>, std::slice::Iter<'a, V>>;
pub type IterMut<'a, V> = std::iter::Zip<std::slice::Iter<'a, Key>, std::slice::IterMut<'a, V>>;

impl<K: Into<Key>, V> Extend<(K, V)> for SidMap<V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut entries: Vec<(Key, V)> = std::mem::take(&mut self.keys)
            .into_iter()
            .zip(std::mem::take(&mut self.vals))
            .collect();
        entries.extend(iter.into_iter().map(|(k, v)| (k.into(), v)));
        *self = SidMap::from_entries(entries);
    }
}

impl<K: Into<Key>, V> FromIterator<(K, V)> for SidMap<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        SidMap::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl<'a, V> IntoIterator for &'a SidMap<V> {
    type Item = (&'a Key, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, V> IntoIterator for &'a mut SidMap<V> {
    type Item = (&'a Key, &'a mut V);
    type IntoIter = IterMut<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<V> IntoIterator for SidMap<V> {
    type Item = (Key, V);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<Key>, std::vec::IntoIter<V>>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter().zip(self.vals)
    }
}

impl<V> std::ops::Index<&str> for SidMap<V> {
    type Output = V;
    fn index(&self, k: &str) -> &V {
        self.get(k).expect("key present in SidMap")
    }
}

impl<V: Serialize> Serialize for SidMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SidMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V_<V> {
            type Value = SidMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<SidMap<V>, A::Error> {
                let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some((k, v)) = a.next_entry::<Key, V>()? {
                    entries.push((k, v));
                }
                Ok(SidMap::from_entries(entries))
            }
        }
        d.deserialize_map(V_(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(String, u32),
        Remove(String),
        Retain(u32),
        Extend(Vec<(String, u32)>),
        Get(String),
    }

    fn key() -> impl Strategy<Value = String> {
        // few distinct keys, so inserts hit existing ones and removes find them
        prop_oneof![
            (0u32..40).prop_map(|i| format!("vm:{i}")),
            (0u32..5).prop_map(|i| format!("ct:{i}")),
            Just(String::new()),
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (key(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => key().prop_map(Op::Remove),
            1 => (1u32..5).prop_map(Op::Retain),
            1 => prop::collection::vec((key(), any::<u32>()), 0..6).prop_map(Op::Extend),
            3 => key().prop_map(Op::Get),
        ]
    }

    proptest! {
        /// Every operation gives the same result and the same ordered
        /// contents as a `BTreeMap` would.
        #[test]
        fn behaves_like_a_btreemap(ops in prop::collection::vec(op(), 0..80)) {
            let mut m: SidMap<u32> = SidMap::new();
            let mut b: BTreeMap<String, u32> = BTreeMap::new();
            for o in ops {
                match o {
                    Op::Insert(k, v) => prop_assert_eq!(m.insert(k.clone(), v), b.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(m.remove(&k), b.remove(&k)),
                    Op::Retain(d) => {
                        m.retain(|_, v| *v % d == 0);
                        b.retain(|_, v| *v % d == 0);
                    }
                    Op::Extend(es) => {
                        m.extend(es.clone());
                        b.extend(es);
                    }
                    Op::Get(k) => {
                        prop_assert_eq!(m.get(&k), b.get(&k));
                        for hint in [0, 1, 7, 1000] {
                            prop_assert_eq!(m.get_hinted(&k, hint), b.get(&k));
                        }
                        prop_assert_eq!(m.contains_key(&k), b.contains_key(&k));
                    }
                }
                prop_assert_eq!(m.len(), b.len());
                let got: Vec<(&str, &u32)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
                let want: Vec<(&str, &u32)> = b.iter().map(|(k, v)| (k.as_str(), v)).collect();
                prop_assert_eq!(got, want);
            }
            for (k, v) in &b {
                prop_assert_eq!(m.get(k), Some(v));
            }
        }
    }

    #[test]
    fn colliding_hashes_still_find_their_keys() {
        // force every key into one ambiguous index slot
        let mut m: SidMap<u32> = (0..100).map(|i| (format!("vm:{i}"), i)).collect();
        let mut ix = FastMap::default();
        for i in 0..m.len() {
            index_add(&mut ix, 7, i);
        }
        m.index = OnceLock::new();
        let _ = m.index.set(ix);
        // lookups of absent keys hash elsewhere (not 7) and must miss
        assert_eq!(m.get("vm:1000"), None);
        // keys hashing to an ambiguous slot are found by binary search
        let h = hash_key("vm:42");
        let mut ix2 = FastMap::default();
        index_add(&mut ix2, h, 0);
        index_add(&mut ix2, h, 1);
        m.index = OnceLock::new();
        let _ = m.index.set(ix2);
        assert_eq!(m.get("vm:42"), Some(&42));
        // and a hash owned by another key does not return that key's value
        let mut ix3 = FastMap::default();
        index_add(&mut ix3, hash_key("vm:7"), 0); // position 0 holds "vm:0"
        m.index = OnceLock::new();
        let _ = m.index.set(ix3);
        assert_eq!(m.get("vm:7"), None);
    }

    #[test]
    fn json_round_trip_sorts_and_keeps_the_last_duplicate() {
        let m: SidMap<u32> = serde_json::from_str(r#"{"vm:2":1,"vm:10":2,"vm:2":3}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"vm:10":2,"vm:2":3}"#
        );
        let c = m.clone();
        assert_eq!(c, m);
        assert_eq!(c["vm:2"], 3);
    }
}
