//! The evaluative lexicon: how positive or negative a word is, from VADER's lexicon
//! (MIT; `crate/core/model/README.md` says where from and how it was derived) plus the
//! project's own additions for political and abusive wording VADER lacks.
//!
//! Words are looked up in the normaliser's forms; a word not found is tried without a
//! common inflection (`wrecked` → `wreck`, `ruins` → `ruin`), since VADER lists mostly
//! base forms.

use std::sync::OnceLock;

use crate::matcher::FxMap;

const VADER: &str = include_str!("../../model/lexicon-vader.tsv");
const EXTRA: &str = include_str!("../../model/lexicon-extra.tsv");

/// A word's judgement, by strength. VADER's valences run from −4 to +4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Polarity {
    None,
    Negative,
    StrongNegative,
    Positive,
    StrongPositive,
}

impl Polarity {
    fn of(valence: f32) -> Polarity {
        match valence {
            v if v <= -2.0 => Polarity::StrongNegative,
            v if v <= -0.8 => Polarity::Negative,
            v if v >= 2.0 => Polarity::StrongPositive,
            v if v >= 0.8 => Polarity::Positive,
            _ => Polarity::None,
        }
    }

    /// Negation turns a judgement round and weakens it ("not great" is mildly negative).
    pub fn negated(self) -> Polarity {
        match self {
            Polarity::None => Polarity::None,
            Polarity::Negative | Polarity::StrongNegative => Polarity::Positive,
            Polarity::Positive | Polarity::StrongPositive => Polarity::Negative,
        }
    }

    pub fn name(self) -> Option<&'static str> {
        match self {
            Polarity::None => None,
            Polarity::Negative => Some("neg"),
            Polarity::StrongNegative => Some("neg2"),
            Polarity::Positive => Some("pos"),
            Polarity::StrongPositive => Some("pos2"),
        }
    }

    /// For explanations: "a strong negative judgement".
    pub fn describe(name: &str) -> &'static str {
        match name {
            "neg" => "a negative judgement",
            "neg2" => "a strong negative judgement",
            "pos" => "a positive judgement",
            "pos2" => "a strong positive judgement",
            _ => "a judgement",
        }
    }
}

pub(crate) struct Lexicon {
    valence: FxMap<Box<str>, f32>,
}

/// Suffixes tried, longest first, when a word is not listed as written.
const SUFFIXES: [&str; 6] = ["ing", "ed", "es", "ly", "s", "d"];

impl Lexicon {
    pub fn polarity(&self, word: &str) -> Polarity {
        if let Some(&v) = self.valence.get(word) {
            return Polarity::of(v);
        }
        for suffix in SUFFIXES {
            if let Some(stem) = word.strip_suffix(suffix).filter(|s| s.len() >= 3) {
                // (Most words end in none of the suffixes, so this costs one lookup.)
                if let Some(&v) = self.valence.get(stem) {
                    return Polarity::of(v);
                }
            }
        }
        Polarity::None
    }
}

/// Parses `word<TAB>valence` lines; `#` starts a comment line. Later files override
/// earlier ones, so the project's additions can correct VADER.
fn parse(files: &[&str]) -> Result<Lexicon, String> {
    let mut valence = FxMap::default();
    for (n, file) in files.iter().enumerate() {
        for (line_no, line) in file.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, value) = line.split_once('\t').ok_or_else(|| format!("lexicon file {n} line {}: no tab", line_no + 1))?;
            let value: f32 = value.trim().parse().map_err(|_| format!("lexicon file {n} line {}: bad valence {value:?}", line_no + 1))?;
            valence.insert(word.into(), value);
        }
    }
    Ok(Lexicon { valence })
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    // The files are the repository's own, checked by the test below: a failure here is a
    // build defect, so it falls back to an empty lexicon rather than panicking a check.
    LEXICON.get_or_init(|| parse(&[VADER, EXTRA]).unwrap_or(Lexicon { valence: FxMap::default() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_files_parse() {
        let lexicon = parse(&[VADER, EXTRA]).unwrap();
        assert!(lexicon.valence.len() > 5000, "{}", lexicon.valence.len());
    }

    #[test]
    fn inflections_and_strength() {
        let l = lexicon();
        assert_eq!(l.polarity("wrecks"), Polarity::Negative, "VADER's wreck, through the suffix");
        assert_eq!(l.polarity("wrecked"), Polarity::StrongNegative, "the project's own entry");
        assert_eq!(l.polarity("amazing"), Polarity::StrongPositive);
        assert_eq!(l.polarity("table"), Polarity::None);
        assert_eq!(Polarity::StrongNegative.negated(), Polarity::Positive);
    }
}
