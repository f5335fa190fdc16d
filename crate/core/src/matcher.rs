//! The phrase automaton: every phrase any compiled rule, context clause, custom term or
//! allowed phrase needs, in one Aho-Corasick automaton over the normalised buffer.
//!
//! A phrase is stored as `" tok tok "` (see [`crate::normalize`]), so hits are whole
//! tokens by construction. Several sources may share a phrase ("labour" is both a party
//! name and part of an exception), so each phrase carries a list of [`Entry`]s, each with
//! the set it belongs to and the per-token conditions (case, hashtag) it needs. Case is
//! checked after the automaton, on the few hits, instead of building case variants.
//!
//! Cost: building is linear in the total phrase length (a few milliseconds for ten
//! thousand phrases); scanning is one overlapping pass over the buffer, then per hit a
//! binary search for its token and a check of each entry's conditions.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

use crate::normalize::{self, Kind, Token, Tokenized, ALL_CAPS, CAPITALISED, HASHTAG_WHOLE, OBFUSCATED, SEP};
use crate::pack::MAX_PHRASE_TOKENS;

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
    Exact(Box<str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagRule {
    Any,
    /// Must be part of a hashtag (patterns written `#…`).
    Part,
    /// Must be a whole unsplit hashtag: the space-less form of a multi-word phrase
    /// (`#votelabour` for "vote labour").
    Whole,
}

/// A pattern word after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternToken {
    pub norm: String,
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
        out.push(PatternToken { norm: tokenized.norm(i).to_string(), case, hashtag: hashtag || token.kind == Kind::Hashtag });
    }
    if out.is_empty() {
        return Err("has no words to match".into());
    }
    Ok(out)
}

#[derive(Debug, Clone)]
struct TokenRule {
    case: CaseRule,
    tag: TagRule,
}

#[derive(Debug)]
struct Entry {
    set: u32,
    tokens: Box<[TokenRule]>,
}

#[derive(Debug)]
struct Phrase {
    len: usize,
    entries: Vec<Entry>,
}

/// A match of a set's phrase: tokens `start..end` of the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub set: u32,
    pub start: u32,
    pub end: u32,
}

/// FxHash (rustc's hasher): phrase keys are short and not attacker-chosen in bulk, and
/// SipHash was a visible share of compiling ten thousand custom terms.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Collects phrases, then builds the automaton.
#[derive(Default)]
pub(crate) struct MatcherBuilder {
    phrases: Vec<Phrase>,
    /// Phrase key (`" tok tok "`) → index in `phrases`, which is the automaton's pattern id.
    by_key: FxMap<String, usize>,
}

impl MatcherBuilder {
    /// Adds `tokens` as a phrase of `set`. With `ignore_case`, case rules are dropped.
    /// Multi-word phrases also get their space-less form, matching a whole hashtag.
    pub fn add(&mut self, set: u32, tokens: &[PatternToken], ignore_case: bool) -> Result<(), String> {
        if tokens.is_empty() {
            return Err("has no words to match".into());
        }
        if tokens.len() > MAX_PHRASE_TOKENS {
            return Err(format!("has {} words (at most {MAX_PHRASE_TOKENS})", tokens.len()));
        }
        let rules: Box<[TokenRule]> = tokens
            .iter()
            .map(|t| TokenRule {
                case: if ignore_case { CaseRule::Any } else { t.case.clone() },
                tag: if t.hashtag { TagRule::Part } else { TagRule::Any },
            })
            .collect();
        let mut key = String::with_capacity(tokens.iter().map(|t| t.norm.len() + 1).sum::<usize>() + 1);
        key.push(SEP);
        for t in tokens {
            key.push_str(&t.norm);
            key.push(SEP);
        }
        self.insert(key, tokens.len(), Entry { set, tokens: rules });
        if tokens.len() > 1 && !tokens.iter().any(|t| t.norm.starts_with('@')) {
            let mut joined = String::new();
            joined.push(SEP);
            tokens.iter().for_each(|t| joined.push_str(&t.norm));
            joined.push(SEP);
            let whole = Box::new([TokenRule { case: CaseRule::Any, tag: TagRule::Whole }]);
            self.insert(joined, 1, Entry { set, tokens: whole });
        }
        Ok(())
    }

    fn insert(&mut self, key: String, len: usize, entry: Entry) {
        let next = self.phrases.len();
        let at = *self.by_key.entry(key).or_insert(next);
        match self.phrases.get_mut(at) {
            Some(phrase) => {
                let duplicate = phrase.entries.iter().any(|e| e.set == entry.set && e.tokens.iter().zip(entry.tokens.iter()).all(|(a, b)| a.case == b.case && a.tag == b.tag));
                if !duplicate {
                    phrase.entries.push(entry);
                }
            }
            None => self.phrases.push(Phrase { len, entries: vec![entry] }),
        }
    }

    pub fn build(self) -> Result<Matcher, String> {
        let mut keys = vec![""; self.phrases.len()];
        for (key, &id) in &self.by_key {
            keys[id] = key.as_str();
        }
        let automaton = if keys.is_empty() {
            None
        } else {
            // Standard semantics: overlapping search must report "labour" inside
            // "vote labour" and inside "labour pains" alike. Every key starts with the
            // separator, so a start-byte prefilter would stop at every token: off.
            // The contiguous NFA (chosen automatically above 100 patterns) is ~0.5 MB for a
            // pack; a DFA searched ~20% faster but took ~10 MB: not worth it in a browser.
            let built = AhoCorasickBuilder::new().prefilter(false).build(&keys);
            Some(built.map_err(|e| e.to_string())?)
        };
        Ok(Matcher { automaton, phrases: self.phrases })
    }
}

pub(crate) struct Matcher {
    automaton: Option<AhoCorasick>,
    phrases: Vec<Phrase>,
}

impl Matcher {
    /// Appends every set hit in the post to `hits` (unsorted).
    pub fn scan(&self, text: &str, tokenized: &Tokenized, hits: &mut Vec<Hit>) {
        let Some(automaton) = &self.automaton else { return };
        for m in automaton.find_overlapping_iter(tokenized.buffer.as_str()) {
            let phrase = &self.phrases[m.pattern().as_usize()];
            let Some(start) = tokenized.token_at_buffer(m.start()) else { continue };
            let Some(tokens) = tokenized.tokens.get(start..start + phrase.len) else { continue };
            // A phrase never spans a clause break: "If you vote, Labour wins" and
            // "I won't vote. Labour is hard work" are not "vote Labour".
            if tokens[0].clause != tokens[tokens.len() - 1].clause {
                continue;
            }
            for entry in &phrase.entries {
                if entry.tokens.iter().zip(tokens).all(|(rule, token)| token_matches(text, rule, token)) {
                    hits.push(Hit { set: entry.set, start: start as u32, end: (start + phrase.len) as u32 });
                }
            }
        }
    }
}

impl Matcher {
    /// (phrases, entries) in the automaton: for tests and tuning.
    #[allow(dead_code)]
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.phrases.len(), self.phrases.iter().map(|p| p.entries.len()).sum())
    }
}

fn token_matches(text: &str, rule: &TokenRule, token: &Token) -> bool {
    let is_tag = token.kind == Kind::Hashtag;
    let tag_ok = match rule.tag {
        TagRule::Any => true,
        TagRule::Part => is_tag,
        TagRule::Whole => is_tag && token.has(HASHTAG_WHOLE),
    };
    tag_ok
        && match &rule.case {
            CaseRule::Any => true,
            CaseRule::Capitalised => token.has(CAPITALISED) || is_tag || token.has(OBFUSCATED),
            CaseRule::Exact(written) => {
                token.has(ALL_CAPS) || normalize::cased_chars(&text[token.byte_start..token.byte_end]).eq(written.chars())
            }
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
        assert_eq!(hits(&[("vote labour", true), ("Labour", false)], "vote Labour #votelabour #VoteLabour"),
            [(0, 0, 2), (0, 2, 3), (0, 3, 5), (1, 1, 2), (1, 4, 5)]);
    }

    #[test]
    fn phrases_stop_at_clause_breaks() {
        assert_eq!(hits(&[("vote labour", true)], "If you vote, Labour wins. I won't vote. Labour is hard"), []);
        assert_eq!(hits(&[("vote labour", true)], "#Vote #Labour"), [(0, 0, 2)]);
    }

    #[test]
    fn adjacent_terms_both_match() {
        assert_eq!(hits(&[("hmrc", true), ("dwp", true)], "HMRC DWP"), [(0, 0, 1), (1, 1, 2)]);
    }
}
