//! A table from words to values, for the one lookup every token of a post makes.
//!
//! The phrase trie adds its words here while it compiles, then the matcher only reads. A
//! general hash map of boxed strings was most of a short post's phrase scan: each hit
//! followed a pointer to the key and called `memcmp` for a word of a few bytes. Here the
//! first 16 bytes of a word are its key, packed into two `u64`s stored in the slot itself,
//! so a lookup is a hash of those, one or two slot loads and two integer compares; only
//! words longer than 16 bytes compare a tail, kept aside in one buffer. Adding a word
//! allocates nothing but the occasional doubling of the slots.
//!
//! Cost: open addressing with linear probing at a load of at most one half, 32 bytes a
//! slot (a pack's few thousand words and ten thousand custom terms fit in a megabyte).
//! No removal: compiled words stay until the table is dropped.

/// How many bytes of a word live in its slot.
const INLINE: usize = 16;

#[derive(Clone, Copy)]
struct Slot<V> {
    key: [u64; 2],
    /// The word's length in bytes; 0 marks an empty slot (no word is empty).
    len: u32,
    /// For words longer than [`INLINE`], where the rest starts in `tails`.
    tail: u32,
    value: V,
}

pub(crate) struct WordTable<V> {
    slots: Box<[Slot<V>]>,
    mask: usize,
    len: usize,
    /// The bytes past the first [`INLINE`] of every long word, one after another.
    tails: Vec<u8>,
}

impl<V: Copy + Default> Default for WordTable<V> {
    fn default() -> Self {
        WordTable::with_slots(64)
    }
}

impl<V: Copy + Default> WordTable<V> {
    fn with_slots(count: usize) -> WordTable<V> {
        let empty = Slot { key: [0; 2], len: 0, tail: 0, value: V::default() };
        WordTable { slots: vec![empty; count].into_boxed_slice(), mask: count - 1, len: 0, tails: Vec::new() }
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The value of `word`, if it is in the table.
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        self.find(word.as_bytes()).map(|slot| slot.value)
    }

    /// The value of `word`, added with `make()` first if the table does not hold it yet.
    /// `word` must not be empty.
    pub fn get_or_insert_with(&mut self, word: &str, make: impl FnOnce() -> V) -> &mut V {
        let bytes = word.as_bytes();
        debug_assert!(!bytes.is_empty(), "no word is empty");
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let key = pack(bytes);
        let mut at = hash(key, bytes.len()) & self.mask;
        while self.slots[at].len != 0 {
            if self.holds(&self.slots[at], key, bytes) {
                return &mut self.slots[at].value;
            }
            at = (at + 1) & self.mask;
        }
        let tail = if bytes.len() > INLINE {
            self.tails.extend_from_slice(&bytes[INLINE..]);
            u32::try_from(self.tails.len() - (bytes.len() - INLINE)).expect("under 4 GiB of long words")
        } else {
            0
        };
        let len = u32::try_from(bytes.len()).expect("a word under 4 GiB");
        self.slots[at] = Slot { key, len, tail, value: make() };
        self.len += 1;
        &mut self.slots[at].value
    }

    /// The slot holding `bytes`, if any.
    #[inline]
    fn find(&self, bytes: &[u8]) -> Option<&Slot<V>> {
        let key = pack(bytes);
        let mut at = hash(key, bytes.len()) & self.mask;
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if self.holds(slot, key, bytes) {
                return Some(slot);
            }
            at = (at + 1) & self.mask;
        }
    }

    /// Whether `slot` holds the word `bytes`, whose packed head is `key`.
    #[inline]
    fn holds(&self, slot: &Slot<V>, key: [u64; 2], bytes: &[u8]) -> bool {
        slot.key == key && slot.len as usize == bytes.len() && (bytes.len() <= INLINE || self.tail(slot) == &bytes[INLINE..])
    }

    fn tail(&self, slot: &Slot<V>) -> &[u8] {
        let start = slot.tail as usize;
        &self.tails[start..start + slot.len as usize - INLINE]
    }

    /// Doubles the slots; the packed keys rehash without looking at the words again.
    fn grow(&mut self) {
        let bigger = WordTable::with_slots(self.slots.len() * 2);
        let old = std::mem::replace(&mut self.slots, bigger.slots);
        self.mask = bigger.mask;
        for slot in old.iter().filter(|s| s.len != 0) {
            let mut at = hash(slot.key, slot.len as usize) & self.mask;
            while self.slots[at].len != 0 {
                at = (at + 1) & self.mask;
            }
            self.slots[at] = *slot;
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
        let words = [
            "a",
            "to",
            "the",
            "labour",
            "eightchr",
            "ninechars",
            "sixteen-bytes-xx",
            "seventeen-bytes-x",
            "a-rather-long-word-of-thirty-bytes",
            "a-rather-long-word-of-thirty-bytez",
            "ünïcode",
        ];
        let mut table = WordTable::default();
        for (i, word) in words.iter().enumerate() {
            assert_eq!(*table.get_or_insert_with(word, || i as u32), i as u32);
        }
        // Known words keep their value.
        assert_eq!(*table.get_or_insert_with("the", || 0), 2);
        assert_eq!(table.len(), words.len());
        for (i, word) in words.iter().enumerate() {
            assert_eq!(table.get(word), Some(i as u32), "{word}");
        }
        // Prefixes, extensions, one byte changed at either end, a zero byte where the
        // padding is: none of them is a word of the table.
        for absent in [
            "",
            "b",
            "th",
            "thee",
            "Labour",
            "eightch",
            "eightchrs",
            "ninecharz",
            "sixteen-bytes-x",
            "sixteen-bytes-xxx",
            "seventeen-bytes-y",
            "a-rather-long-word-of-thirty-byte",
            "a-rather-long-word-of-thirty-bytesx",
            "a\0",
            "to\0\0",
            "ünïcodé",
        ] {
            assert_eq!(table.get(absent), None, "{absent:?}");
        }
    }

    #[test]
    fn grows_keeping_every_word_and_its_value() {
        // Far past the first 64 slots, long words (with tails) among them; values changed
        // before a growth survive it.
        let words: Vec<String> = (0..5_000).map(|i| if i % 3 == 0 { format!("a-long-word-past-sixteen-bytes-{i}") } else { format!("w{i}") }).collect();
        let mut table = WordTable::default();
        for (i, word) in words.iter().enumerate() {
            table.get_or_insert_with(word, || i as u32);
            if i == 10 {
                *table.get_or_insert_with(&words[0], || unreachable!("the first word is in")) = 99_999;
            }
        }
        assert_eq!(table.get(&words[0]), Some(99_999));
        assert!(words.iter().enumerate().skip(1).all(|(i, w)| table.get(w) == Some(i as u32)));
        assert!((0..1000).all(|i| table.get(&format!("x{i}")).is_none() && table.get(&format!("a-long-word-past-sixteen-bytes-x{i}")).is_none()));
        // The table is at most half full, so a chain always ends at an empty slot.
        assert!(table.len() * 2 <= table.slots.len());
    }
}
