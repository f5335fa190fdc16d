//! A read-only table from words to values, for the one lookup every token of a post makes.
//!
//! Built once per compile from the words of the phrase trie, then only read. A general
//! hash map of boxed strings was most of a short post's phrase scan: each hit followed a
//! pointer to the key and called `memcmp` for a word of a few bytes. Here the first 16
//! bytes of a word are its key, packed into two `u64`s stored in the slot itself, so a
//! lookup is a hash of those, one or two slot loads and two integer compares; only words
//! longer than 16 bytes compare a tail, kept aside.
//!
//! Cost: open addressing with linear probing at a load of at most one half, 32 bytes a
//! slot (a pack's few thousand words and ten thousand custom terms fit in a megabyte).

/// How many bytes of a word live in its slot.
const INLINE: usize = 16;

#[derive(Clone, Copy)]
struct Slot<V> {
    key: [u64; 2],
    /// The word's length in bytes; 0 marks an empty slot (no word is empty).
    len: u32,
    /// For words longer than [`INLINE`], the index of the rest in `tails`.
    tail: u32,
    value: V,
}

pub(crate) struct WordTable<V> {
    slots: Box<[Slot<V>]>,
    mask: usize,
    tails: Vec<Box<[u8]>>,
}

impl<V: Copy + Default> WordTable<V> {
    /// A table of `words`, which must be distinct and non-empty (the trie's words are).
    pub fn new<'w>(words: impl ExactSizeIterator<Item = (&'w str, V)>) -> WordTable<V> {
        let capacity = (words.len() * 2).next_power_of_two().max(16);
        let empty = Slot { key: [0; 2], len: 0, tail: 0, value: V::default() };
        let mut table = WordTable { slots: vec![empty; capacity].into_boxed_slice(), mask: capacity - 1, tails: Vec::new() };
        for (word, value) in words {
            let bytes = word.as_bytes();
            debug_assert!(!bytes.is_empty() && table.get(word).is_none(), "distinct, non-empty words");
            let key = pack(bytes);
            let mut at = hash(key, bytes.len()) & table.mask;
            while table.slots[at].len != 0 {
                at = (at + 1) & table.mask;
            }
            let tail = if bytes.len() > INLINE {
                table.tails.push(bytes[INLINE..].into());
                (table.tails.len() - 1) as u32
            } else {
                0
            };
            table.slots[at] = Slot { key, len: bytes.len() as u32, tail, value };
        }
        table
    }

    /// The value of `word`, if it is in the table.
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        let bytes = word.as_bytes();
        let key = pack(bytes);
        let len = bytes.len() as u32;
        let mut at = hash(key, bytes.len()) & self.mask;
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if slot.key == key && slot.len == len && (bytes.len() <= INLINE || *self.tails[slot.tail as usize] == bytes[INLINE..]) {
                return Some(slot.value);
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// The first [`INLINE`] bytes of a word, little-endian, zero-padded.
#[inline]
fn pack(bytes: &[u8]) -> [u64; 2] {
    let head = &bytes[..bytes.len().min(INLINE)];
    let (low, high) = head.split_at(head.len().min(8));
    [fold(low), fold(high)]
}

/// Up to 8 bytes as a little-endian `u64`: one load when there are 8, else a fold (copying
/// a short tail into a padded array called `memcpy`, which cost more than the fold).
#[inline]
fn fold(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(eight) => u64::from_le_bytes(eight),
        Err(_) => bytes.iter().rev().fold(0, |word, &b| word << 8 | u64::from(b)),
    }
}

/// FxHash of the packed key and the length (the length tells apart words that share
/// their first 16 bytes).
#[inline]
fn hash(key: [u64; 2], len: usize) -> usize {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = key[0].wrapping_mul(K);
    h = (h.rotate_left(5) ^ key[1]).wrapping_mul(K);
    h = (h.rotate_left(5) ^ len as u64).wrapping_mul(K);
    // The high bits are the best mixed.
    (h >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_the_words_it_holds() {
        let words = ["a", "to", "the", "labour", "eightchr", "ninechars", "sixteen-bytes-xx", "seventeen-bytes-x", "a-rather-long-word-of-thirty-bytes", "a-rather-long-word-of-thirty-bytez", "ünïcode"];
        let table = WordTable::new(words.iter().enumerate().map(|(i, w)| (*w, i as u32)));
        for (i, word) in words.iter().enumerate() {
            assert_eq!(table.get(word), Some(i as u32), "{word}");
        }
        // Prefixes, extensions, one byte changed at either end, a zero byte where the
        // padding is: none of them is a word of the table.
        for absent in ["", "b", "th", "thee", "Labour", "eightch", "eightchrs", "ninecharz", "sixteen-bytes-x", "sixteen-bytes-xxx", "seventeen-bytes-y", "a-rather-long-word-of-thirty-byte", "a-rather-long-word-of-thirty-bytesx", "a\0", "to\0\0", "ünïcodé"] {
            assert_eq!(table.get(absent), None, "{absent:?}");
        }
    }

    #[test]
    fn a_full_probe_chain_still_ends() {
        // Many words in the smallest table: lookups of absent words stop at an empty slot.
        let words: Vec<String> = (0..8).map(|i| format!("w{i}")).collect();
        let table = WordTable::new(words.iter().map(|w| (w.as_str(), ())));
        assert!(words.iter().all(|w| table.get(w).is_some()));
        assert!((0..1000).all(|i| table.get(&format!("x{i}")).is_none()));
    }
}
