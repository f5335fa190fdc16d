//! The phrase automaton: every phrase any compiled rule, context clause, custom term or
//! allowed phrase needs, in one trie over the normalised words of the post.
//!
//! Phrases are sequences of whole tokens (see [`crate::normalize`]). Several sources may
//! share a phrase ("labour" is both a party name and part of an exception), so each
//! phrase carries a list of [`Entry`]s, each with the set it belongs to and the per-token
//! conditions (case, hashtag) it needs. Case is checked after the trie, on the few hits,
//! instead of building case variants.
//!
//! Why words and not bytes: an Aho-Corasick automaton over the bytes of the normalised
//! text spent most of an engine's compile time on its failure links (about 12 ms natively
//! and over 100 ms in a cold wasm service worker for one pack), while a trie over words
//! needs none, since a phrase can only start at a token.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use crate::normalize::{self, Kind, Token, Tokenized, ALL_CAPS, CAPITALISED, HASHTAG_WHOLE, OBFUSCATED};
use crate::pack::MAX_PHRASE_TOKENS;
use crate::word_table::WordTable;

/// Which case a token of the post must have to match a pattern word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CaseRule {
    /// Written in lower case: any case matches.
    Any,
    /// Written with a capital ("Labour"): the post's word must start with one, or be a
    /// hashtag or a disguised word, where the form itself is the evidence.
    Capitalised,
    /// Written as an acronym or with inner capitals ("HMRC", "MoD"): exactly so, or all
    /// capitals ("MOD").
    Exact(Arc<str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagRule {
    Any,
    /// Must be part of a hashtag (patterns written `#…`).
    Part,
}

/// A pattern word after normalisation. Shared (`Rc`), because expanding list references
/// copies each word into every phrase it is part of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternToken {
    pub norm: Rc<str>,
    pub case: CaseRule,
    pub hashtag: bool,
}

/// Normalises literal pattern words with the post normaliser, deriving each word's case
/// rule from how it is written.
pub(crate) fn pattern_tokens(words: &str, hashtag: bool) -> Result<Vec<PatternToken>, String> {
    let tokenized = normalize::tokenize(words);
    let mut out = Vec::with_capacity(tokenized.tokens.len());
    for (i, token) in tokenized.tokens.iter().enumerate() {
        if token.kind == Kind::Url {
            return Err("a URL cannot be a phrase (links rules match sites)".into());
        }
        let raw = &words[token.byte_start..token.byte_end];
        let uppers = normalize::cased_chars(raw).filter(|c| c.is_uppercase()).count();
        let first_upper = normalize::cased_chars(raw).next().is_some_and(char::is_uppercase);
        let case = match (uppers, first_upper) {
            (0, _) => CaseRule::Any,
            (1, true) => CaseRule::Capitalised,
            _ => CaseRule::Exact(normalize::cased_chars(raw).collect::<String>().into()),
        };
        out.push(PatternToken { norm: tokenized.norm(i).into(), case, hashtag: hashtag || token.kind == Kind::Hashtag });
    }
    if out.is_empty() {
        return Err("has no words to match".into());
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
struct TokenRule {
    case: CaseRule,
    tag: TagRule,
}

/// One set's claim on a phrase, with what each token must be. Most phrases ask nothing of
/// case or hashtags, so those carry no per-token rules (one allocation fewer a phrase).
/// A phrase's entries are a chain through one shared vector (`next`), not a vector each:
/// tens of thousands of one-entry vectors were a tenth of compiling a pack.
#[derive(Debug)]
struct Entry {
    set: u32,
    rules: EntryRules,
    /// The phrase's next entry, or [`NONE`].
    next: u32,
}

#[derive(Debug, PartialEq)]
enum EntryRules {
    /// Any case, hashtag or not.
    None,
    /// The space-less form of a multi-word phrase: a whole unsplit hashtag.
    WholeHashtag,
    PerToken(Box<[TokenRule]>),
}

#[derive(Debug)]
struct Phrase {
    len: usize,
    /// The first and last of its entries in `entries`.
    first: u32,
    last: u32,
}

/// A match of a set's phrase: tokens `start..end` of the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub set: u32,
    pub start: u32,
    pub end: u32,
}

/// Bits for a hit's start token in [`sort_hits`]'s packed key (posts of up to 16 million
/// tokens; longer ones take the slower path).
const START_BITS: u32 = 24;
/// Bits for a phrase's length (at most [`MAX_PHRASE_TOKENS`] = 16).
const LEN_BITS: u32 = 5;

/// Sorts hits in the order evaluation needs: by set, then start, longest first.
///
/// Cost: a short post has a few dozen hits (function words of context clauses among them),
/// and comparing them as structs was a tenth of its check; they are sorted as packed
/// `u64` keys (set, start, 16 − length) instead, which decode back exactly.
pub(crate) fn sort_hits(hits: &mut [Hit]) {
    let packable = hits.iter().all(|h| h.start < 1 << START_BITS && (h.end - h.start) as usize <= MAX_PHRASE_TOKENS);
    if !packable {
        hits.sort_unstable_by_key(|h| (h.set, h.start, std::cmp::Reverse(h.end)));
        return;
    }
    let pack = |h: &Hit| {
        let shortfall = (MAX_PHRASE_TOKENS as u32 - (h.end - h.start)) as u64;
        u64::from(h.set) << (START_BITS + LEN_BITS) | u64::from(h.start) << LEN_BITS | shortfall
    };
    let mut keys: Vec<u64> = hits.iter().map(pack).collect();
    keys.sort_unstable();
    for (hit, key) in hits.iter_mut().zip(keys) {
        let start = (key >> LEN_BITS) as u32 & ((1 << START_BITS) - 1);
        let len = MAX_PHRASE_TOKENS as u32 - (key as u32 & ((1 << LEN_BITS) - 1));
        *hit = Hit { set: (key >> (START_BITS + LEN_BITS)) as u32, start, end: start + len };
    }
}

/// FxHash (rustc's hasher): keys are short words and state numbers, not attacker-chosen
/// in bulk, and SipHash was a visible share of compiling ten thousand custom terms.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("chunks of 8")));
        }
        // The tail folded byte by byte: copying it into a padded array called memcpy,
        // a visible share of hashing the short words of a post.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(rest.iter().rev().fold(0u64, |word, &b| word << 8 | u64::from(b)));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// No state: a word that starts no phrase, or a trie state with no phrase ending in it.
const NONE: u32 = u32::MAX;

/// A word of some phrase: its id, and the trie state reached when a phrase starts with it.
#[derive(Clone, Copy)]
struct Word {
    id: u32,
    first: u32,
}

impl Default for Word {
    /// No word: what a token of the post not in any phrase looks up as.
    fn default() -> Word {
        Word { id: NONE, first: NONE }
    }
}

/// The phrase trie, an automaton over words. State 0 is the root; `words` gives a word's
/// id and the root's transition in one lookup, `next` the transitions of every other state.
#[derive(Default)]
struct Trie {
    words: WordTable<Word>,
    next: FxMap<(u32, u32), u32>,
    /// Per state, the phrase that ends there (or [`NONE`]).
    phrase_of: Vec<u32>,
}

impl Trie {
    fn word(&mut self, norm: &str) -> Word {
        let id = self.words.len() as u32;
        *self.words.get_or_insert_with(norm, || Word { id, first: NONE })
    }

    fn new_state(&mut self) -> u32 {
        self.phrase_of.push(NONE);
        self.phrase_of.len() as u32 // state 0 is the root, never stored in `phrase_of`
    }

    /// The root's transition on `norm`, created (with the word) if needed, in one lookup
    /// when the word is known: every phrase starts here, and the space-less forms of
    /// multi-word phrases are mostly new words.
    fn first_state(&mut self, norm: &str) -> u32 {
        let state = self.phrase_of.len() as u32 + 1;
        let id = self.words.len() as u32;
        let word = self.words.get_or_insert_with(norm, || Word { id, first: NONE });
        if word.first != NONE {
            return word.first;
        }
        word.first = state;
        self.new_state()
    }

    /// The state a phrase of these words ends in, creating the path as needed.
    fn insert<'w>(&mut self, mut words: impl Iterator<Item = &'w str>) -> u32 {
        let first = words.next().expect("phrases have a word");
        let mut state = self.first_state(first);
        for norm in words {
            let id = self.word(norm).id;
            state = match self.next.get(&(state, id)) {
                Some(&s) => s,
                None => {
                    let s = self.new_state();
                    self.next.insert((state, id), s);
                    s
                }
            };
        }
        state
    }

    fn phrase_slot(&mut self, state: u32) -> &mut u32 {
        &mut self.phrase_of[state as usize - 1]
    }
}

/// Collects phrases into the trie.
#[derive(Default)]
pub(crate) struct MatcherBuilder {
    trie: Trie,
    phrases: Vec<Phrase>,
    entries: Vec<Entry>,
    /// Reused for each phrase's space-less form.
    joined: String,
}

impl MatcherBuilder {
    /// Adds `tokens` as a phrase of `set`. With `ignore_case`, case rules are dropped.
    /// Multi-word phrases also get their space-less form, matching a whole hashtag.
    pub fn add<T: Borrow<PatternToken>>(&mut self, set: u32, tokens: &[T], ignore_case: bool) -> Result<(), String> {
        let tokens = || tokens.iter().map(Borrow::borrow);
        let len = tokens().len();
        if len == 0 {
            return Err("has no words to match".into());
        }
        if len > MAX_PHRASE_TOKENS {
            return Err(format!("has {len} words (at most {MAX_PHRASE_TOKENS})"));
        }
        let plain = tokens().all(|t| !t.hashtag && (ignore_case || t.case == CaseRule::Any));
        let rules = if plain {
            EntryRules::None
        } else {
            EntryRules::PerToken(
                tokens()
                    .map(|t| TokenRule {
                        case: if ignore_case { CaseRule::Any } else { t.case.clone() },
                        tag: if t.hashtag { TagRule::Part } else { TagRule::Any },
                    })
                    .collect(),
            )
        };
        let state = self.trie.insert(tokens().map(|t| &*t.norm));
        self.insert(state, len, set, rules);
        if len > 1 && !tokens().any(|t| t.norm.starts_with('@')) {
            let mut joined = std::mem::take(&mut self.joined);
            joined.clear();
            joined.extend(tokens().map(|t| &*t.norm));
            let state = self.trie.insert(std::iter::once(joined.as_str()));
            self.joined = joined;
            self.insert(state, 1, set, EntryRules::WholeHashtag);
        }
        Ok(())
    }

    fn insert(&mut self, state: u32, len: usize, set: u32, rules: EntryRules) {
        let at = self.entries.len() as u32;
        let slot = self.trie.phrase_slot(state);
        if *slot == NONE {
            *slot = self.phrases.len() as u32;
            self.phrases.push(Phrase { len, first: at, last: at });
            self.entries.push(Entry { set, rules, next: NONE });
            return;
        }
        let phrase = &mut self.phrases[*slot as usize];
        let duplicate = chain(&self.entries, phrase.first).any(|e| e.set == set && e.rules == rules);
        if !duplicate {
            self.entries[phrase.last as usize].next = at;
            phrase.last = at;
            self.entries.push(Entry { set, rules, next: NONE });
        }
    }

    pub fn build(mut self) -> Result<Matcher, String> {
        self.trie.next.shrink_to_fit();
        self.entries.shrink_to_fit();
        Ok(Matcher { words: self.trie.words, next: self.trie.next, phrase_of: self.trie.phrase_of, phrases: self.phrases, entries: self.entries })
    }
}

/// Finds phrases by walking the word trie from every token: one lookup of each token's
/// word, one hash lookup more per further word of a candidate.
/// Phrases are whole tokens by construction and overlapping matches all count, so
/// "labour" is found inside both "vote labour" and "labour pains".
///
/// Cost: building is one hash insert per phrase word (ten thousand custom terms in a few
/// milliseconds); scanning is linear in the tokens times the words of the longest
/// candidate (at most [`MAX_PHRASE_TOKENS`]).
pub(crate) struct Matcher {
    /// The trie's words, each with its id and the root's transition (see [`WordTable`]).
    words: WordTable<Word>,
    /// The trie's other transitions and the phrase ending in each state, as in [`Trie`].
    next: FxMap<(u32, u32), u32>,
    phrase_of: Vec<u32>,
    phrases: Vec<Phrase>,
    entries: Vec<Entry>,
}

impl Matcher {
    /// Appends every set hit in the post to `hits` (unsorted).
    pub fn scan(&self, text: &str, tokenized: &Tokenized, hits: &mut Vec<Hit>) {
        if self.phrases.is_empty() {
            return;
        }
        let count = tokenized.tokens.len();
        // Each token's word, looked up once: a token is also the second or third word of
        // the candidates starting before it.
        let words: Vec<Word> = (0..count).map(|i| self.words.get(tokenized.norm(i)).unwrap_or_default()).collect();
        for start in 0..count {
            let mut state = words[start].first;
            let mut end = start + 1;
            while state != NONE {
                let phrase = self.phrase_of[state as usize - 1];
                if phrase != NONE {
                    self.report(text, &tokenized.tokens[start..end], start, &self.phrases[phrase as usize], hits);
                }
                if end == count || end - start == MAX_PHRASE_TOKENS {
                    break;
                }
                state = match words[end].id {
                    NONE => NONE,
                    id => self.next.get(&(state, id)).copied().unwrap_or(NONE),
                };
                end += 1;
            }
        }
    }

    fn report(&self, text: &str, tokens: &[Token], start: usize, phrase: &Phrase, hits: &mut Vec<Hit>) {
        // A phrase never spans a clause break: "If you vote, Labour wins" and
        // "I won't vote. Labour is hard work" are not "vote Labour".
        if tokens[0].clause != tokens[tokens.len() - 1].clause {
            return;
        }
        for entry in chain(&self.entries, phrase.first) {
            let matches = match &entry.rules {
                EntryRules::None => true,
                EntryRules::WholeHashtag => tokens[0].kind == Kind::Hashtag && tokens[0].has(HASHTAG_WHOLE),
                EntryRules::PerToken(rules) => rules.iter().zip(tokens).all(|(rule, token)| token_matches(text, rule, token)),
            };
            if matches {
                hits.push(Hit { set: entry.set, start: start as u32, end: (start + phrase.len) as u32 });
            }
        }
    }
}

impl Matcher {
    /// (phrases, entries) in the automaton: for tests and tuning.
    #[allow(dead_code)]
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.phrases.len(), self.entries.len())
    }
}

/// The entries of a phrase, from its first.
fn chain(entries: &[Entry], first: u32) -> impl Iterator<Item = &Entry> {
    std::iter::successors(entries.get(first as usize), |e| entries.get(e.next as usize))
}

fn token_matches(text: &str, rule: &TokenRule, token: &Token) -> bool {
    let is_tag = token.kind == Kind::Hashtag;
    let tag_ok = match rule.tag {
        TagRule::Any => true,
        TagRule::Part => is_tag,
    };
    tag_ok
        && match &rule.case {
            CaseRule::Any => true,
            CaseRule::Capitalised => token.has(CAPITALISED) || is_tag || token.has(OBFUSCATED),
            CaseRule::Exact(written) => token.has(ALL_CAPS) || normalize::cased_chars(&text[token.byte_start..token.byte_end]).eq(written.chars()),
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(phrases: &[(&str, bool)], text: &str) -> Vec<(u32, u32, u32)> {
        let mut b = MatcherBuilder::default();
        for (set, (p, ignore)) in phrases.iter().enumerate() {
            b.add(set as u32, &pattern_tokens(p, false).unwrap(), *ignore).unwrap();
        }
        let m = b.build().unwrap();
        let t = normalize::tokenize(text);
        let mut out = Vec::new();
        m.scan(text, &t, &mut out);
        out.sort();
        out.into_iter().map(|h| (h.set, h.start, h.end)).collect()
    }

    #[test]
    fn whole_words_only_with_case_rules() {
        assert_eq!(hits(&[("Tory", false)], "history tory Tory T0ry"), [(0, 2, 3), (0, 3, 4)]);
        assert_eq!(hits(&[("HMRC", false)], "hmrc HMRC H.M.R.C HMRC's"), [(0, 1, 2), (0, 2, 3), (0, 3, 4)]);
        assert_eq!(hits(&[("MoD", false)], "mod MoD MOD"), [(0, 1, 2), (0, 2, 3)]);
    }

    #[test]
    fn overlapping_phrases_and_hashtag_forms() {
        assert_eq!(
            hits(&[("vote labour", true), ("Labour", false)], "vote Labour #votelabour #VoteLabour"),
            [(0, 0, 2), (0, 2, 3), (0, 3, 5), (1, 1, 2), (1, 4, 5)]
        );
    }

    #[test]
    fn phrases_stop_at_clause_breaks() {
        assert_eq!(hits(&[("vote labour", true)], "If you vote, Labour wins. I won't vote. Labour is hard"), []);
        assert_eq!(hits(&[("vote labour", true)], "#Vote #Labour"), [(0, 0, 2)]);
    }

    #[test]
    fn hits_sort_by_set_then_start_longest_first_on_both_paths() {
        let hit = |set, start, end| Hit { set, start, end };
        let mut hits = vec![hit(2, 0, 1), hit(1, 5, 6), hit(1, 5, 8), hit(u32::MAX, 3, 20), hit(1, 2, 3), hit(0, 9, 10)];
        let mut expected = hits.clone();
        expected.sort_by_key(|h| (h.set, h.start, std::cmp::Reverse(h.end)));
        let mut packed = hits.clone();
        packed.truncate(3);
        packed.push(hit(u32::MAX, 1 << 23, (1 << 23) + 16));
        let mut packed_expected = packed.clone();
        packed_expected.sort_by_key(|h| (h.set, h.start, std::cmp::Reverse(h.end)));
        sort_hits(&mut packed); // every hit fits the packed key
        assert_eq!(packed, packed_expected);
        sort_hits(&mut hits); // a span of 17 tokens takes the general path
        assert_eq!(hits, expected);
    }

    #[test]
    fn adjacent_terms_both_match() {
        assert_eq!(hits(&[("hmrc", true), ("dwp", true)], "HMRC DWP"), [(0, 0, 1), (1, 1, 2)]);
    }
}
