//! Posts as the model sees them: units (a word, or a cue phrase as one unit such as
//! `<party>`), and the features they make.
//!
//! Features, each counted once a post however often it occurs:
//! - `w:UNIT`: a unit (`w:wrecked`, `w:<party>`), except function words;
//! - `b:UNIT_UNIT`: two neighbouring units of one sentence (`b:<party>_have`);
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
/// and with little data they pick up chance weight), but they still make word pairs
/// ("<party> have", "is a").
const FUNCTION_WORDS: [&str; 48] = [
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "are", "was", "were", "be", "been", "it",
    "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "you", "your", "he", "she", "they", "them", "his", "her", "their", "im", "so",
    "just", "if", "do", "has",
];

pub(crate) fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word)
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
                    units.push(Unit { start, end, sentence: token.sentence, clause: token.clause, text, cue, polarity: Polarity::None });
                    i = end as usize;
                    continue;
                }
            }
            let norm = tokenized.norm(i);
            let (text, polarity) = match token.kind {
                Kind::Url => ("<url>", Polarity::None),
                Kind::Mention => ("<at>", Polarity::None),
                _ if norm.bytes().all(|b| b.is_ascii_digit()) => ("<num>", Polarity::None),
                _ => (norm, lexicon.polarity(norm)),
            };
            units.push(Unit { start: i as u32, end: i as u32 + 1, sentence: token.sentence, clause: token.clause, text, cue: None, polarity });
            i += 1;
        }
        // Negation: "not corrupt", "never been better".
        for j in 0..units.len() {
            if units[j].polarity == Polarity::None {
                continue;
            }
            let clause = units[j].clause;
            let negated = units[j.saturating_sub(3)..j].iter().any(|u| u.clause == clause && NEGATORS.contains(&u.text));
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

/// One feature: the concatenation of its parts, made by up to two units.
pub(crate) struct Feature<'a> {
    parts: [&'a str; 4],
    units: [u32; 2],
    pair: bool,
}

impl Feature<'_> {
    pub fn name(&self) -> String {
        self.parts.concat()
    }

    /// FNV-1a 64 over the name's bytes, without building it.
    pub fn hash(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in self.parts {
            for &b in part.as_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    /// The units that made the feature.
    pub fn units(&self) -> impl Iterator<Item = usize> + '_ {
        let n = if self.pair { 2 } else { 1 };
        self.units[..n].iter().map(|&u| u as usize)
    }
}

/// The hash of a feature's name, as [`Feature::hash`] computes it.
pub(crate) fn name_hash(name: &str) -> u64 {
    Feature { parts: [name, "", "", ""], units: [0, 0], pair: false }.hash()
}

pub(crate) trait FeatureSink {
    fn feature(&mut self, feature: &Feature);
}

/// Emits every feature of the post, in unit order.
pub(crate) fn extract(units: &Units, sink: &mut impl FeatureSink) {
    let all = &units.units;
    fn one(parts: [&str; 4], j: usize) -> Feature<'_> {
        Feature { parts, units: [j as u32, 0], pair: false }
    }
    fn two(parts: [&str; 4], j: usize, k: usize) -> Feature<'_> {
        Feature { parts, units: [j as u32, k as u32], pair: true }
    }
    for (j, u) in all.iter().enumerate() {
        if !is_function_word(u.text) {
            sink.feature(&one(["w:", u.text, "", ""], j));
        }
        if let Some(next) = all.get(j + 1).filter(|n| n.sentence == u.sentence) {
            sink.feature(&two(["b:", u.text, "_", next.text], j, j + 1));
        }
        if let Some(p) = u.polarity.name() {
            sink.feature(&one(["v:", p, "", ""], j));
        }
        if u.cue.is_none() {
            continue;
        }
        let window = j.saturating_sub(PAIR_WINDOW)..(j + PAIR_WINDOW + 1).min(all.len());
        for k in window.filter(|&k| k != j && all[k].sentence == u.sentence) {
            let other = &all[k];
            if let Some(p) = other.polarity.name() {
                sink.feature(&two(["x:", u.text, "+", p], j, k));
            }
            if other.cue.is_some() && k > j {
                let (a, b) = if u.text <= other.text { (u.text, other.text) } else { (other.text, u.text) };
                sink.feature(&two(["x:", a, "&", b], j, k));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_hashes_as_its_name() {
        let f = Feature { parts: ["b:", "<party>", "_", "have"], units: [0, 1], pair: true };
        assert_eq!(f.name(), "b:<party>_have");
        assert_eq!(f.hash(), name_hash("b:<party>_have"));
        assert_ne!(f.hash(), name_hash("b:<party>have"));
    }
}
