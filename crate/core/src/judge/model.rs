//! The trained model: `crate/core/model/model.tsv`, written by `crate/train` and read here.
//!
//! The file is tab-separated text, one feature a line, one column per judged category, so
//! a retrained model is a diff a reviewer can read. Rows in brackets are not features:
//! `(bias)`, and `(strict)`, `(standard)`, `(relaxed)`, the probability thresholds chosen
//! on the development split. An empty model (no rows) judges nothing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::finding::Severity;
use crate::judge::features::{is_function_word, name_hash, Feature, FeatureSink, Units};
use crate::judge::lexicon::Polarity;
use crate::judge::{CompiledCue, JUDGED};

const MODEL: &str = include_str!("../../model/model.tsv");

/// Feature hashes are already well mixed: the table uses them as they are.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) struct Model {
    /// Feature hash → row.
    rows: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    /// Row-major, `JUDGED.len()` weights a row.
    weights: Vec<f32>,
    names: Vec<Box<str>>,
    bias: [f32; JUDGED.len()],
    /// Per category: Strict, Standard, Relaxed probability thresholds.
    thresholds: [[f32; 3]; JUDGED.len()],
}

const K: usize = JUDGED.len();

impl Model {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn row(&self, hash: u64) -> Option<&[f32]> {
        self.rows.get(&hash).map(|&r| &self.weights[r as usize * K..r as usize * K + K])
    }

    /// The weights of a named feature, for `impartial explain`.
    pub fn weights_of(&self, name: &str) -> Option<&[f32]> {
        self.row(name_hash(name))
    }

    pub fn thresholds(&self, column: usize) -> [f32; 3] {
        self.thresholds[column]
    }

    /// The severity a probability earns: low from Strict's threshold, medium from
    /// Standard's, high from Relaxed's.
    pub fn level(&self, column: usize, probability: f32) -> Option<Severity> {
        let [strict, standard, relaxed] = self.thresholds[column];
        match probability {
            p if p >= relaxed => Some(Severity::High),
            p if p >= standard => Some(Severity::Medium),
            p if p >= strict => Some(Severity::Low),
            _ => None,
        }
    }

    /// Parses the model file. Errors name the line.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut model = Model { rows: HashMap::default(), weights: Vec::new(), names: Vec::new(), bias: [0.0; K], thresholds: [[f32::INFINITY; 3]; K] };
        let mut header = false;
        for (n, line) in text.lines().enumerate() {
            let at = |reason: String| format!("model.tsv line {}: {reason}", n + 1);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default();
            let values: Vec<&str> = fields.collect();
            if values.len() != K {
                return Err(at(format!("{} values, expected {K}", values.len())));
            }
            if !header {
                let expected: Vec<&str> = JUDGED.iter().map(|c| c.as_str()).collect();
                if name != "feature" || values != expected {
                    return Err(at(format!("the header must be `feature` and {}", expected.join(", "))));
                }
                header = true;
                continue;
            }
            let mut row = [0f32; K];
            for (slot, v) in row.iter_mut().zip(&values) {
                *slot = v.parse().map_err(|_| at(format!("bad number {v:?}")))?;
            }
            match name {
                "(bias)" => model.bias = row,
                "(strict)" | "(standard)" | "(relaxed)" => {
                    let level = ["(strict)", "(standard)", "(relaxed)"].iter().position(|l| *l == name).unwrap_or(0);
                    for (c, t) in row.iter().enumerate() {
                        model.thresholds[c][level] = *t;
                    }
                }
                _ => {
                    let index = model.names.len() as u32;
                    if model.rows.insert(name_hash(name), index).is_some() {
                        return Err(at(format!("feature {name:?} is listed twice (or its hash collides)")));
                    }
                    model.names.push(name.into());
                    model.weights.extend_from_slice(&row);
                }
            }
        }
        Ok(model)
    }
}

/// The embedded model, parsed once.
pub(crate) fn model() -> &'static Model {
    static PARSED: OnceLock<Model> = OnceLock::new();
    // `tests` below parses the embedded file, so an error here is a build defect; an empty
    // model then judges nothing rather than panicking in a user's browser.
    PARSED.get_or_init(|| Model::parse(MODEL).unwrap_or_else(|_| Model::parse("").expect("an empty model parses")))
}

/// Feature occurrences of one post, scored as they arrive.
pub(crate) struct Scorer<'m> {
    model: &'m Model,
    /// (hash, row, first unit, second unit or `u32::MAX`), for features the model knows.
    seen: Vec<(u64, u32, u32, u32)>,
    units: usize,
}

/// A scored post: the logits and each unit's share of them.
pub(crate) struct Scored {
    logits: [f32; K],
    /// `units × K`: the weight each unit carries for each category.
    shares: Vec<f32>,
    /// (row, first unit, second unit) of each distinct feature, for explanations.
    features: Vec<(u32, u32, u32)>,
}

impl<'m> Scorer<'m> {
    pub fn new(model: &'m Model, units: usize) -> Scorer<'m> {
        Scorer { model, seen: Vec::with_capacity(units * 3), units }
    }

    pub fn finish(mut self) -> Scored {
        let model = self.model;
        self.seen.sort_unstable();
        let mut logits = model.bias;
        let mut shares = vec![0f32; self.units * K];
        let mut features = Vec::new();
        let mut at = 0;
        while at < self.seen.len() {
            let hash = self.seen[at].0;
            let end = self.seen[at..].iter().position(|s| s.0 != hash).map_or(self.seen.len(), |n| at + n);
            let group = &self.seen[at..end];
            let row = group[0].1 as usize;
            let weights = &model.weights[row * K..row * K + K];
            for (logit, w) in logits.iter_mut().zip(weights) {
                *logit += w;
            }
            // A feature counts once a post; its weight is shared by every unit that made it.
            let makers: usize = group.iter().map(|s| if s.3 == u32::MAX { 1 } else { 2 }).sum();
            for &(_, _, a, b) in group {
                for u in [a, b].into_iter().filter(|&u| u != u32::MAX) {
                    for (c, w) in weights.iter().enumerate() {
                        shares[u as usize * K + c] += w / makers as f32;
                    }
                }
            }
            features.push((group[0].1, group[0].2, group[0].3));
            at = end;
        }
        Scored { logits, shares, features }
    }
}

impl FeatureSink for Scorer<'_> {
    fn feature(&mut self, feature: &Feature) {
        let hash = feature.hash();
        if let Some(&row) = self.model.rows.get(&hash) {
            let mut units = feature.units();
            let a = units.next().unwrap_or(0) as u32;
            let b = units.next().map_or(u32::MAX, |u| u as u32);
            self.seen.push((hash, row, a, b));
        }
    }
}

/// Units a span may grow to either side of its strongest word.
const MAX_SPAN_UNITS: usize = 10;

impl Scored {
    pub fn probability(&self, column: usize) -> f32 {
        1.0 / (1.0 + (-self.logits[column]).exp())
    }

    fn share(&self, unit: usize, column: usize) -> f32 {
        self.shares[unit * K + column]
    }

    /// The units to underline: in the sentence whose words carry the most weight for the
    /// category, within the clause of its strongest word, from the first to the last word
    /// carrying at least a quarter of that word's weight (at most [`MAX_SPAN_UNITS`] either
    /// side), widened to the strongest word's partner: the nearest judgement for a target,
    /// the nearest target for a judgement.
    pub fn span(&self, column: usize, units: &Units) -> Option<(usize, usize)> {
        let n = units.len();
        let mut best: Option<(f32, usize, usize)> = None; // (weight, first unit, end unit) of a sentence
        let mut start = 0;
        while start < n {
            let sentence = units.unit(start).sentence;
            let end = (start..n).find(|&j| units.unit(j).sentence != sentence).unwrap_or(n);
            let weight: f32 = (start..end).map(|j| self.share(j, column).max(0.0)).sum();
            if best.is_none_or(|(w, _, _)| weight > w) {
                best = Some((weight, start, end));
            }
            start = end;
        }
        let (weight, lo, hi) = best?;
        if weight <= 0.0 {
            return None;
        }
        let peak = (lo..hi).max_by(|&a, &b| self.share(a, column).total_cmp(&self.share(b, column)))?;
        let strong = self.share(peak, column) * 0.25;
        let clause = units.unit(peak).clause;
        let window = peak.saturating_sub(MAX_SPAN_UNITS).max(lo)..(peak + MAX_SPAN_UNITS + 1).min(hi);
        let in_clause = |j: &usize| units.unit(*j).clause == clause;
        let carrying: Vec<usize> = window.clone().filter(in_clause).filter(|&j| self.share(j, column) >= strong && self.share(j, column) > 0.0).collect();
        let (mut first, mut last) = (*carrying.first()?, *carrying.last()?);
        // The target and the judgement together: a cue's nearest evaluative word, or an
        // evaluative word's nearest cue, in the clause ("Tories have wrecked", not "Tories").
        let is_cue = units.unit(peak).cue.is_some();
        let partner = window
            .filter(in_clause)
            .filter(|&j| j != peak && self.share(j, column) > 0.0)
            .filter(|&j| if is_cue { units.unit(j).polarity != Polarity::None } else { units.unit(j).cue.is_some() })
            .min_by_key(|&j| j.abs_diff(peak));
        if let Some(j) = partner.filter(|_| is_cue || units.unit(peak).polarity != Polarity::None) {
            first = first.min(j);
            last = last.max(j);
        }
        Some((first, last))
    }

    /// The strongest cues for the category in words: "names a party (Tories) with a strong
    /// negative judgement (wrecked)".
    pub fn describe(&self, column: usize, units: &Units, model: &Model, cues: &[CompiledCue]) -> String {
        let mut ranked: Vec<(f32, u32, u32, u32)> =
            self.features.iter().map(|&(row, a, b)| (model.weights[row as usize * K + column], row, a, b)).filter(|f| f.0 > 0.15).collect();
        // Pairs of a target and a judgement first (they say the most), then by weight; a
        // feature whose words an earlier cue already named adds nothing.
        let is_pair = |row: u32| model.names[row as usize].starts_with("x:");
        ranked.sort_by(|x, y| is_pair(y.1).cmp(&is_pair(x.1)).then(y.0.total_cmp(&x.0)));
        let mut parts: Vec<String> = Vec::new();
        let mut named: Vec<u32> = Vec::new();
        for &(_, row, a, b) in &ranked {
            let made_by: Vec<u32> = if b == u32::MAX { vec![a] } else { vec![a, b] };
            if made_by.iter().all(|u| named.contains(u)) {
                continue;
            }
            let name = &model.names[row as usize];
            let Some(part) = describe_feature(name, a as usize, b, units, cues) else {
                continue;
            };
            if !parts.contains(&part) {
                parts.push(part);
                named.extend(made_by);
            }
            if parts.len() == 3 {
                break;
            }
        }
        if parts.is_empty() {
            return "the wording as a whole".into();
        }
        let last = parts.pop().unwrap_or_default();
        if parts.is_empty() {
            format!("it {last}")
        } else {
            format!("it {}, and {last}", parts.join(", "))
        }
    }
}

fn cue_description<'c>(unit_text: &str, cues: &'c [CompiledCue]) -> Option<&'c str> {
    cues.iter().find(|c| &*c.unit == unit_text).map(|c| &*c.describe)
}

fn describe_feature(name: &str, a: usize, b: u32, units: &Units, cues: &[CompiledCue]) -> Option<String> {
    let (kind, rest) = name.split_at_checked(2)?;
    let word = |u: usize| units.surface(u);
    match kind {
        "w:" if rest.starts_with('<') => cue_description(rest, cues).map(|d| format!("{d} ({})", word(a))),
        "w:" => Some(format!("uses the word “{}”", word(a))),
        // A pair with a function word ("the Tories") says less than its other half's own cue.
        "b:" if rest.split('_').any(is_function_word) => None,
        "b:" => Some(format!("uses the words “{} {}”", word(a), word(b as usize))),
        "v:" => Some(format!("makes {} ({})", Polarity::describe(rest), word(a))),
        "x:" => {
            if let Some((cue, polarity)) = rest.split_once('+') {
                let d = cue_description(cue, cues)?;
                Some(format!("{d} ({}) with {} ({})", word(a), Polarity::describe(polarity), word(b as usize)))
            } else {
                let (first, second) = rest.split_once('&')?;
                let (da, db) = (cue_description(first, cues)?, cue_description(second, cues)?);
                // The pair's names are in byte order; the units are in post order.
                let (ua, ub) = if &*units.unit(a).text == first { (a, b as usize) } else { (b as usize, a) };
                Some(format!("{da} ({}) and {} ({})", word(ua), db.trim_start_matches("names ").to_string().replace("a ", "a "), word(ub)))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_parses() {
        Model::parse(MODEL).unwrap();
    }

    #[test]
    fn bad_models_are_refused_with_the_line() {
        let header = "feature\tpartisan\tgovernment\tsolicitation\tconduct\n";
        let error = |text: String| Model::parse(&text).err().unwrap_or_default();
        assert!(error(format!("{header}w:x\t1\t2\n")).contains("line 2"));
        assert!(error(format!("{header}w:x\t1\t0\t0\tzero\n")).contains("bad number"));
        assert!(error(format!("{header}w:x\t1\t0\t0\t0\nw:x\t1\t0\t0\t0\n")).contains("twice"));
        assert!(Model::parse("feature\tconduct\tpartisan\tgovernment\tsolicitation\n").is_err());
    }
}
