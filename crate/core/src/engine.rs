//! The public engine: compile a profile once, check many posts.

use std::cmp::Reverse;

use crate::compile::{self, Compiled};
use crate::date::Date;
use crate::evaluate::{self, Post};
use crate::finding::{Category, Finding, Strictness};
use crate::judge;
use crate::matcher;
use crate::normalize;
use crate::pack;
use crate::profile::Profile;

/// Settings the engine cannot compile, named by field (`custom_terms[3].pattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// Rules compiled for one profile. Build once per settings change, then check many posts.
///
/// An `Engine` is immutable: a failed [`Engine::new`] leaves whatever engine the caller
/// already has in force.
pub struct Engine {
    compiled: Compiled,
}

impl Engine {
    /// Compiles the profile's policy packs, custom terms and allowed phrases. Dated list
    /// entries (office-holders) are taken as of the date the lists were last reviewed; use
    /// [`Engine::new_as_of`] to pass the real date.
    ///
    /// Cost: a few milliseconds for a pack; ten thousand custom terms add a few more.
    pub fn new(profile: &Profile) -> Result<Engine, ConfigError> {
        let cat = pack::catalogue().map_err(pack_config_error)?;
        Engine::new_as_of(profile, cat.data_date)
    }

    /// Like [`Engine::new`], with "today" for dated list entries (who holds which office).
    pub fn new_as_of(profile: &Profile, today: Date) -> Result<Engine, ConfigError> {
        let cat = pack::catalogue().map_err(pack_config_error)?;
        Ok(Engine { compiled: compile::compile(cat, profile, today)? })
    }

    /// Finds what the given strictness shows in `text`, ordered by position (then longest
    /// first).
    ///
    /// Cost: linear in the text plus O(h log h) in the h phrase hits; a 280-character
    /// post takes a few microseconds. Any input is accepted; findings per rule are capped
    /// at 200 so a pasted megabyte gives a bounded answer.
    pub fn check(&self, text: &str, strictness: Strictness) -> Vec<Finding> {
        if strictness == Strictness::Off {
            return Vec::new();
        }
        let tokenized = normalize::tokenize(text);
        // One allocation up front: most tokens start at most one hit.
        let mut hits = Vec::with_capacity(tokenized.tokens.len());
        self.compiled.matcher.scan(text, &tokenized, &mut hits);
        evaluate::link_hits(&self.compiled, text, &tokenized, &mut hits);
        let judged = judge::judge(&self.compiled, text, &tokenized, &hits);
        if judged.is_empty() && !evaluate::may_find(&self.compiled, &hits) {
            return Vec::new();
        }
        matcher::sort_hits(&mut hits);
        let post = Post { text, tokens: &tokenized.tokens, hits: &hits };
        let mut findings = evaluate::findings(&self.compiled, &post, judged);
        findings.retain(|f| strictness.shows(f.severity));
        evaluate::set_utf16_offsets(text, &mut findings);
        findings.sort_by(|a, b| (a.byte_start, Reverse(a.byte_end), &a.rule).cmp(&(b.byte_start, Reverse(b.byte_end), &b.rule)));
        findings
    }
}

/// One feature of the trained scorer in a post, for training and explanations.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredFeature {
    /// The feature as the model file names it: `x:<party>+neg`.
    pub feature: String,
    /// The post's words that made it: `Tories … wrecked`.
    pub words: String,
    /// Its weight for each judged category (empty when the model does not know it).
    pub weights: Vec<(Category, f32)>,
}

impl Engine {
    /// The categories the trained scorer judges, in the model file's column order.
    pub fn judged_categories() -> &'static [Category] {
        &judge::JUDGED
    }

    /// Every feature the scorer sees in `text`, in post order (repeats included), with the
    /// model's weights. Training calls this on every labelled post, so the model learns
    /// from exactly what checking computes.
    pub fn features(&self, text: &str) -> Vec<ScoredFeature> {
        let tokenized = normalize::tokenize(text);
        let mut hits = Vec::with_capacity(tokenized.tokens.len());
        self.compiled.matcher.scan(text, &tokenized, &mut hits);
        let model = judge::model();
        judge::post_features(&self.compiled, text, &tokenized, &hits)
            .into_iter()
            .map(|(feature, words)| {
                let weights = model.weights_of(&feature).map(|w| judge::JUDGED.iter().copied().zip(w.iter().copied()).collect()).unwrap_or_default();
                ScoredFeature { feature, words, weights }
            })
            .collect()
    }

    /// The scorer's probability for each judged category (what a finding's `score` is),
    /// `None` where the post names none of the category's gate cues and is not judged.
    pub fn scores(&self, text: &str) -> Vec<(Category, Option<f32>)> {
        let tokenized = normalize::tokenize(text);
        let mut hits = Vec::with_capacity(tokenized.tokens.len());
        self.compiled.matcher.scan(text, &tokenized, &mut hits);
        judge::JUDGED.iter().copied().zip(judge::probabilities(&self.compiled, text, &tokenized, &hits)).collect()
    }

    /// Per judged category, the probabilities at which a scored finding shows on Strict,
    /// Standard and Relaxed sites.
    pub fn score_thresholds() -> Vec<(Category, [f32; 3])> {
        let model = judge::model();
        judge::JUDGED.iter().enumerate().map(|(c, &category)| (category, model.thresholds(c))).collect()
    }
}

fn pack_config_error(e: &pack::PackError) -> ConfigError {
    ConfigError { field: e.file.clone(), reason: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Category, Severity};

    fn check(text: &str) -> Vec<Finding> {
        Engine::new(&Profile::example()).unwrap().check(text, Strictness::Standard)
    }

    #[test]
    fn disclosure_has_utf16_span() {
        let text = "👩‍💻 I work at HMRC and love it";
        let found = check(text);
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.category, Category::Disclosure);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&utf16[f.start..f.end]).unwrap(), f.text);
        assert_eq!(&text[f.byte_start..f.byte_end], f.text);
    }

    #[test]
    fn a_customer_mention_is_not_disclosure() {
        assert!(check("On hold to HMRC again, 40 minutes and counting").is_empty());
    }

    #[test]
    fn off_shows_nothing() {
        let engine = Engine::new(&Profile::example()).unwrap();
        assert!(engine.check("I work at HMRC. Vote Labour!", Strictness::Off).is_empty());
    }

    #[test]
    fn relaxed_shows_only_high() {
        let engine = Engine::new(&Profile::example()).unwrap();
        let found = engine.check("I work at HMRC. Vote Labour!", Strictness::Relaxed);
        assert!(!found.is_empty());
        assert!(found.iter().all(|f| f.severity == Severity::High));
    }
}

#[cfg(test)]
mod size_probe {
    #[test]
    #[ignore]
    fn print_sizes() {
        for policy in crate::Policy::ALL {
            let p = crate::Profile { policy, ..crate::Profile::example() };
            let t = std::time::Instant::now();
            let e = super::Engine::new(&p).unwrap();
            eprintln!("{policy:?}: {:?} in {:?}", e.compiled.matcher.size(), t.elapsed());
        }
    }
}
