//! A small, fast, non-cryptographic hasher for the engine's per-round maps
//! keyed by SIDs, UIDs and node names. These maps are rebuilt every round
//! from data the engine itself wrote, so flooding resistance (what the
//! standard SipHash buys) is not needed; speed is. The mixing is the
//! multiply-rotate scheme popularised by the Firefox and rustc hashers.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher state: one 64-bit word.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply only carries entropy upwards, and hash tables take
    /// their bucket from the low bits: SIDs such as `vm:1000`..`vm:9999`
    /// differ in their last bytes, i.e. the high bits of the word, and
    /// would all land in few buckets. A final avalanche (the MurmurHash3
    /// finaliser) mixes every input bit into every output bit.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_lookups_work() {
        let mut m: FastMap<String, u32> = FastMap::default();
        for i in 0..10_000u32 {
            m.insert(format!("vm:{i}"), i);
        }
        assert_eq!(m.len(), 10_000);
        for i in (0..10_000u32).step_by(97) {
            assert_eq!(m.get(format!("vm:{i}").as_str()), Some(&i));
        }
        assert_eq!(m.get("vm:10000"), None);
        // keys that differ only after the first 8 bytes, or by length
        let mut s: FastSet<&str> = FastSet::default();
        s.insert("abcdefgh1");
        s.insert("abcdefgh2");
        s.insert("abcdefgh");
        s.insert("abcdefgh\0");
        assert_eq!(s.len(), 4);
    }

    #[test]
    fn sequential_sids_spread_over_the_low_bits() {
        // hash tables index buckets by the low bits: 4,096 consecutive SIDs
        // must fill most of 4,096 buckets, not a handful
        use std::hash::BuildHasher;
        let b = BuildHasherDefault::<FastHasher>::default();
        let buckets: FastSet<u64> = (10_000..14_096u32)
            .map(|i| b.hash_one(format!("vm:{i}").as_str()) & 4095)
            .collect();
        assert!(buckets.len() > 2_000, "only {} buckets used", buckets.len());
    }
}
