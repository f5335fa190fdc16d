//! Posts as the model sees them: units (a word, or a cue phrase as one unit such as
//! `<party>`), and the features they make.
//!
//! Features, each counted once a post however often it occurs:
//! - `w:UNIT`: a unit (`w:wrecked`, `w:<party>`), except function words;
//! - `b:UNIT_UNIT`: two neighbouring units of one sentence (`b:<party>_have`), unless both
//!   are function words;
//! - `v:POLARITY`: a word of the evaluative lexicon, by strength (`v:neg2`), after negation;
//! - `x:<cue>+POLARITY`: a cue and an evaluative word within [`PAIR_WINDOW`] units of one
//!   sentence (`x:<party>+neg`: a party with a negative judgement);
//! - `x:<cue>&<cue>`: two cues likewise (`x:<ask>&<party>`), names in byte order.
//!
//! Training and checking emit the same features through [`FeatureSink`]: training asks for
//! names, checking for hashes of the same bytes, so the two cannot drift apart.

use crate::judge::lexicon::{lexicon, Polarity};
use crate::judge::{CompiledCue, ORDINARY};
use crate::normalize::{Kind, Token, Tokenized};

/// How many units apart a cue and a judgement may be and still pair ("the Tories, who
/// promised so much, have wrecked" is one judgement).
pub(crate) const PAIR_WINDOW: usize = 8;

/// Words that turn the polarity of an evaluative word within three units after them, in
/// the normaliser's forms ("isn't" → `isnt`).
const NEGATORS: [&str; 24] = [
    "not", "no", "never", "nothing", "nobody", "neither", "nor", "without", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "cant", "cannot",
    "couldnt", "wont", "wouldnt", "shouldnt", "hasnt", "havent", "aint",
];

/// Function words: no unigram feature of their own (alone they say nothing about a post,
/// and with little data they pick up chance weight), and no pair of two of them ("is a");
/// with another word they make pairs ("<party> have"). Sorted, for the binary search in
/// [`is_function_word`].
const FUNCTION_WORDS: [&str; 48] = [
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "do", "for", "from", "has", "he", "her", "his", "i", "if", "im", "in", "is", "it", "its",
    "just", "me", "my", "of", "on", "or", "our", "she", "so", "that", "the", "their", "them", "these", "they", "this", "those", "to", "was", "we", "were",
    "with", "you", "your",
];

/// A word of up to eight bytes as one integer (zero-padded; words never contain a zero).
const fn packed(word: &[u8]) -> u64 {
    let mut out = 0u64;
    let mut i = 0;
    while i < word.len() && i < 8 {
        out |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    out
}

/// [`FUNCTION_WORDS`] packed and sorted, made at compile time.
const PACKED_FUNCTION_WORDS: [u64; FUNCTION_WORDS.len()] = {
    let mut out = [0u64; FUNCTION_WORDS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = packed(FUNCTION_WORDS[i].as_bytes());
        i += 1;
    }
    // Insertion sort: a const context has no slice sort.
    let mut j = 1;
    while j < out.len() {
        let mut k = j;
        while k > 0 && out[k - 1] > out[k] {
            let t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
            k -= 1;
        }
        j += 1;
    }
    out
};

/// Called for every word of every post: a binary search over integers (string
/// comparisons were a tenth of a check).
pub(crate) fn is_function_word(word: &str) -> bool {
    word.len() <= 5 && PACKED_FUNCTION_WORDS.binary_search(&packed(word.as_bytes())).is_ok()
}

pub(crate) struct Unit<'a> {
    /// Token range.
    pub start: u32,
    pub end: u32,
    pub sentence: u32,
    pub clause: u32,
    /// What the model sees: the normalised word, `<cue>`, `<url>`, `<at>` or `<num>`.
    pub text: &'a str,
    pub cue: Option<u16>,
    pub polarity: Polarity,
    pub function: bool,
    /// [`hash_bytes`] of `text`, for the features it makes.
    pub hash: u64,
}

pub(crate) struct Units<'a> {
    units: Vec<Unit<'a>>,
    text: &'a str,
    tokens: &'a [Token],
}

impl<'a> Units<'a> {
    /// `cues`: (start, end, cue) token ranges, sorted and disjoint.
    pub fn new(text: &'a str, tokenized: &'a Tokenized<'a>, cues: &[(u32, u32, u16)], classes: &'a [CompiledCue]) -> Units<'a> {
        let tokens = &tokenized.tokens;
        let lexicon = lexicon();
        let mut units = Vec::with_capacity(tokens.len());
        let mut next_cue = cues.iter().peekable();
        let mut i = 0usize;
        while i < tokens.len() {
            let token = &tokens[i];
            if let Some(&&(start, end, cue)) = next_cue.peek() {
                if start as usize == i {
                    next_cue.next();
                    let (text, cue) = if cue == ORDINARY { ("<ordinary>", None) } else { (&*classes[usize::from(cue)].unit, Some(cue)) };
                    units.push(Unit {
                        start,
                        end,
                        sentence: token.sentence,
                        clause: token.clause,
                        text,
                        cue,
                        polarity: Polarity::None,
                        function: false,
                        hash: hash_bytes(text.as_bytes()),
                    });
                    i = end as usize;
                    continue;
                }
            }
            let norm = tokenized.norm(i);
            let function = is_function_word(norm);
            let (text, polarity) = match token.kind {
                Kind::Url => ("<url>", Polarity::None),
                Kind::Mention => ("<at>", Polarity::None),
                _ if function => (norm, Polarity::None),
                _ if norm.bytes().all(|b| b.is_ascii_digit()) => ("<num>", Polarity::None),
                _ => (norm, lexicon.polarity(norm)),
            };
            units.push(Unit {
                start: i as u32,
                end: i as u32 + 1,
                sentence: token.sentence,
                clause: token.clause,
                text,
                cue: None,
                polarity,
                function,
                hash: hash_bytes(text.as_bytes()),
            });
            i += 1;
        }
        // Negation: "not corrupt", "never been better".
        for j in 0..units.len() {
            if units[j].polarity == Polarity::None {
                continue;
            }
            let clause = units[j].clause;
            let negated = units[j.saturating_sub(3)..j].iter().any(|u| u.clause == clause && u.text.len() <= 8 && NEGATORS.contains(&u.text));
            if negated {
                units[j].polarity = units[j].polarity.negated();
            }
        }
        Units { units, text, tokens }
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn unit(&self, j: usize) -> &Unit<'a> {
        &self.units[j]
    }

    /// The words of unit `j` as the post has them.
    pub fn surface(&self, j: usize) -> &'a str {
        let u = &self.units[j];
        &self.text[self.tokens[u.start as usize].byte_start..self.tokens[u.end as usize - 1].byte_end]
    }
}

/// One feature: its name is `prefix first separator second` (`b:` `<party>` `_` `have`),
/// made by up to two units.
pub(crate) struct Feature<'a> {
    parts: [&'a str; 4],
    /// The hashes of `parts[1]` and `parts[3]` ([`hash_bytes`]), a unit's computed once a post.
    hashes: [u64; 2],
    units: [u32; 2],
    pair: bool,
}

impl Feature<'_> {
    pub fn name(&self) -> String {
        self.parts.concat()
    }

    /// The hash of the name, from its parts' hashes: no pass over the bytes per feature
    /// (a post has a hundred features or so; hashing their bytes was most of scoring).
    pub fn hash(&self) -> u64 {
        combine(tag(self.parts[0], self.parts[2]), self.hashes)
    }

    /// The units that made the feature.
    pub fn units(&self) -> impl Iterator<Item = usize> + '_ {
        let n = if self.pair { 2 } else { 1 };
        self.units[..n].iter().map(|&u| u as usize)
    }
}

/// Which kind of feature a prefix and separator make.
fn tag(prefix: &str, separator: &str) -> u64 {
    match (prefix, separator) {
        ("w:", _) => 1,
        ("v:", _) => 2,
        ("b:", _) => 3,
        ("x:", "+") => 4,
        ("x:", _) => 5,
        _ => 0,
    }
}

/// The hash of a feature's name, as [`Feature::hash`] computes it: the name split back
/// into its parts. Units never contain `_`, `+` or `&` (the normaliser keeps letters and
/// digits; cue units are `<letters-and-dashes>`), so the split is unambiguous.
pub(crate) fn name_hash(name: &str) -> u64 {
    let (prefix, rest) = name.split_at_checked(2).unwrap_or(("", name));
    let separator = match prefix {
        "b:" => "_",
        "x:" if rest.contains('+') => "+",
        "x:" => "&",
        _ => "",
    };
    let (first, second) = if separator.is_empty() { (rest, "") } else { rest.split_once(separator).unwrap_or((rest, "")) };
    combine(tag(prefix, separator), [hash_bytes(first.as_bytes()), hash_bytes(second.as_bytes())])
}

fn combine(tag: u64, [first, second]: [u64; 2]) -> u64 {
    fmix(fmix(tag.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ first) ^ second)
}

/// MurmurHash3's 64-bit finaliser.
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A 64-bit hash of a unit's text: 8-byte words mixed in by multiply and shift, then
/// finalised. With [`combine`], the model's few thousand features never meet in practice
/// (loading the model refuses a collision, and a test loads the committed model).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = (h ^ u64::from_le_bytes(chunk.try_into().expect("chunks of 8"))).wrapping_mul(K);
        h ^= h >> 32;
    }
    let tail = chunks.remainder().iter().rev().fold(0u64, |word, &b| word << 8 | u64::from(b));
    fmix((h ^ tail).wrapping_mul(K))
}

/// [`hash_bytes`] of the empty second part of a one-unit feature.
const EMPTY_HASH: u64 = 0;

pub(crate) trait FeatureSink {
    fn feature(&mut self, feature: &Feature);
}

/// Emits every feature of the post, in unit order.
pub(crate) fn extract(units: &Units, sink: &mut impl FeatureSink) {
    let all = &units.units;
    fn one(parts: [&str; 4], hash: u64, j: usize) -> Feature<'_> {
        Feature { parts, hashes: [hash, EMPTY_HASH], units: [j as u32, 0], pair: false }
    }
    fn two(parts: [&str; 4], hashes: [u64; 2], j: usize, k: usize) -> Feature<'_> {
        Feature { parts, hashes, units: [j as u32, k as u32], pair: true }
    }
    for (j, u) in all.iter().enumerate() {
        if !u.function {
            sink.feature(&one(["w:", u.text, "", ""], u.hash, j));
        }
        // Two function words ("is a") are grammar, not a judgement.
        if let Some(next) = all.get(j + 1).filter(|n| n.sentence == u.sentence && !(u.function && n.function)) {
            sink.feature(&two(["b:", u.text, "_", next.text], [u.hash, next.hash], j, j + 1));
        }
        if let Some(p) = u.polarity.name() {
            sink.feature(&one(["v:", p, "", ""], hash_bytes(p.as_bytes()), j));
        }
        if u.cue.is_none() {
            continue;
        }
        let window = j.saturating_sub(PAIR_WINDOW)..(j + PAIR_WINDOW + 1).min(all.len());
        for k in window.filter(|&k| k != j && all[k].sentence == u.sentence) {
            let other = &all[k];
            if let Some(p) = other.polarity.name() {
                sink.feature(&two(["x:", u.text, "+", p], [u.hash, hash_bytes(p.as_bytes())], j, k));
            }
            if other.cue.is_some() && k > j {
                let (a, b) = if u.text <= other.text { (u, other) } else { (other, u) };
                sink.feature(&two(["x:", a.text, "&", b.text], [a.hash, b.hash], j, k));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_sorted_for_the_search() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(FUNCTION_WORDS.iter().all(|w| w.len() <= 5 && is_function_word(w)));
        assert!(!is_function_word("tories"));
    }

    #[test]
    fn a_feature_hashes_as_its_name() {
        let h = |s: &str| hash_bytes(s.as_bytes());
        assert_eq!(EMPTY_HASH, h(""));
        let f = Feature { parts: ["b:", "<party>", "_", "have"], hashes: [h("<party>"), h("have")], units: [0, 1], pair: true };
        assert_eq!(f.name(), "b:<party>_have");
        assert_eq!(f.hash(), name_hash("b:<party>_have"));
        assert_ne!(f.hash(), name_hash("b:<party>have"));
        assert_ne!(f.hash(), name_hash("x:<party>&have"));
        let f = Feature { parts: ["x:", "<party>", "+", "neg2"], hashes: [h("<party>"), h("neg2")], units: [0, 1], pair: true };
        assert_eq!(f.hash(), name_hash("x:<party>+neg2"));
        let f = Feature { parts: ["w:", "wrecked", "", ""], hashes: [h("wrecked"), EMPTY_HASH], units: [0, 0], pair: false };
        assert_eq!(f.hash(), name_hash("w:wrecked"));
    }
}
