//! Judgement: a trained linear scorer beside the rules.
//!
//! The rules find the wording someone listed; readers judge meaning. The scorer reads the
//! whole post as features (words, word pairs, cue classes such as `<party>` or
//! `<minister>`, the evaluative lexicon's polarity, and cue–polarity pairs such as
//! `x:party+neg2`) and adds their weights, learned offline by logistic regression
//! (`crate/train`, data in `crate/core/model/model.tsv`). Per category the probability is
//! compared with three thresholds chosen on a development split, one per strictness:
//! at or above Relaxed's the finding is high, Standard's medium, Strict's low, so a
//! site's strictness shows scored findings exactly as it shows rule findings.
//!
//! What is underlined comes from the same arithmetic: each feature's weight is shared
//! among the words that produced it, and the finding covers the words that carry the
//! judgement in the sentence that scores highest (for "The Tories have wrecked the NHS",
//! "Tories have wrecked"). The explanation names the strongest cues by their words.
//!
//! Vetoes stay with the rules: a cue's `unless` phrases ("labour pains") cancel it before
//! any feature is made, allowed phrases remove findings, disabled judgements never run.
//!
//! Cost: one pass over the post's tokens, a hash lookup per feature (about three a word),
//! and a sort of the post's features; no allocation per feature.

mod features;
mod lexicon;
mod model;

use std::sync::Arc;

use crate::compile::{Compiled, SetOwner};
use crate::finding::{Category, Finding, Severity, Source, Suggestion};
use crate::matcher::Hit;
use crate::normalize::{Token, Tokenized, HASHTAG_FIRST};
use crate::pack::MAX_PHRASE_TOKENS;

pub(crate) use features::{extract, Feature, FeatureSink, Units};
pub(crate) use model::model;

/// The categories the scorer judges, in the model's column order.
pub(crate) const JUDGED: [Category; 4] = [Category::Partisan, Category::Government, Category::Solicitation, Category::Conduct];

/// One `[[judgement]]` of the policy's packs, compiled.
pub(crate) struct CompiledJudgement {
    pub id: Arc<str>,
    pub category: Category,
    /// The model's column for the category.
    pub column: usize,
    pub max_severity: Severity,
    pub message: Arc<str>,
    pub explanation: Arc<str>,
    pub source: Source,
    pub suggestions: Arc<[Suggestion]>,
    pub pack_rank: u32,
}

/// A cue class compiled into the matcher: its hits' set and its veto set.
pub(crate) struct CompiledCue {
    pub describe: Arc<str>,
    /// Veto phrases count this many tokens either side, in the sentence (0: overlap only).
    pub veto_within: u32,
    /// The unit the model sees: `<party>`.
    pub unit: Box<str>,
}

/// The cue index of a unit made of an ordinary sense that vetoed a cue ("labour pains").
pub(crate) const ORDINARY: u16 = u16::MAX;

/// A scored finding before overlap resolution, with the rank that breaks ties.
pub(crate) struct Judged {
    pub finding: Finding,
    pub pack_rank: u32,
}

/// The cue covering each token, from the cue hits not cancelled by their vetoes: the
/// longest hit wins where hits overlap.
pub(crate) fn cue_spans(compiled: &Compiled, hits: &[Hit], tokens: &[Token]) -> Vec<(u32, u32, u16)> {
    let mut cues: Vec<(u32, u32, u16)> = Vec::new();
    let mut vetoes: Vec<(u32, u32, u32)> = Vec::new();
    for h in hits {
        match compiled.owners[h.set as usize] {
            SetOwner::Cue(k) => cues.push((h.start, h.end, k as u16)),
            SetOwner::CueVeto(k) => vetoes.push((h.start, h.end, k)),
            _ => {}
        }
    }
    if cues.is_empty() {
        return cues;
    }
    // A vetoed cue's words become one unit of their own: "labour pains" is `<ordinary>`,
    // so neither the cue nor the bare word "labour" speaks for the party.
    let mut ordinary = Vec::new();
    let sentence = |t: u32| tokens[t as usize].sentence;
    // By cue, then start: each cue looks only at its own vetoes that start near it, so a
    // megabyte of cues and vetoes stays O(n log n).
    vetoes.sort_unstable_by_key(|&(vs, _, vk)| (vk, vs));
    cues.retain(|&(s, e, k)| {
        let within = compiled.cues[usize::from(k)].veto_within;
        let near = |vs: u32, ve: u32| {
            (vs < e && s < ve) || (within > 0 && sentence(vs) == sentence(s) && (ve <= s && s - ve <= within || e <= vs && vs - e <= within))
        };
        let lo = (u32::from(k), s.saturating_sub(within + MAX_PHRASE_TOKENS as u32));
        let first = vetoes.partition_point(|&(vs, _, vk)| (vk, vs) < lo);
        let veto = vetoes[first..].iter().take_while(|&&(vs, _, vk)| vk == u32::from(k) && vs < e + within).find(|&&(vs, ve, _)| near(vs, ve));
        if let Some(&(vs, ve, _)) = veto {
            // An overlapping veto takes its whole phrase ("labour pains"); a nearby one only
            // the cue's own words, so the words between keep their say.
            let overlaps = vs < e && s < ve;
            ordinary.push(if overlaps { (vs.min(s), ve.max(e), ORDINARY) } else { (s, e, ORDINARY) });
        }
        veto.is_none()
    });
    cues.extend(ordinary);
    // Longest first at each start, then drop any that overlaps one already taken.
    cues.sort_unstable_by_key(|&(s, e, k)| (s, std::cmp::Reverse(e), k));
    let mut taken_end = 0;
    cues.retain(|&(s, e, _)| {
        if s < taken_end {
            return false;
        }
        taken_end = e;
        true
    });
    debug_assert!(cues.iter().all(|&(_, e, _)| e as usize <= tokens.len()));
    cues
}

/// A post as the model scored it.
struct Judging<'a> {
    units: Units<'a>,
    scored: model::Scored,
    /// The cues the post names, as a bit set over cue indices.
    present: u64,
}

/// Scores the post, or `None` when it names no cue that would let any of `columns` be
/// judged: most everyday posts, which then cost only the cue look-up.
fn score_post<'a>(
    compiled: &'a Compiled,
    text: &'a str,
    tokenized: &'a Tokenized<'a>,
    hits: &[Hit],
    columns: impl Iterator<Item = usize>,
) -> Option<Judging<'a>> {
    let cues = cue_spans(compiled, hits, &tokenized.tokens);
    let present = cues.iter().filter(|c| c.2 != ORDINARY).fold(0u64, |bits, &(_, _, k)| bits | 1 << k);
    let mut columns = columns;
    if !columns.any(|c| judged_in(compiled, c, present)) {
        return None;
    }
    let units = Units::new(text, tokenized, &cues, &compiled.cues);
    let mut scorer = model::Scorer::new(model(), units.len());
    extract(&units, &mut scorer);
    Some(Judging { units, scored: scorer.finish(), present })
}

/// Whether a post naming the cues `present` is judged for the model's column: a category
/// without a gate always is.
fn judged_in(compiled: &Compiled, column: usize, present: u64) -> bool {
    compiled.gates[column] == u64::MAX || compiled.gates[column] & present != 0
}

/// The probability per judged category, `None` where the post lacks the category's gate.
pub(crate) fn probabilities(compiled: &Compiled, text: &str, tokenized: &Tokenized, hits: &[Hit]) -> [Option<f32>; JUDGED.len()] {
    let Some(judging) = score_post(compiled, text, tokenized, hits, 0..JUDGED.len()) else { return [None; JUDGED.len()] };
    std::array::from_fn(|c| judged_in(compiled, c, judging.present).then(|| judging.scored.probability(c)))
}

/// Scores the post and returns the findings of the policy's judgements that reach the
/// Strict threshold (the caller filters by the site's strictness).
pub(crate) fn judge(compiled: &Compiled, text: &str, tokenized: &Tokenized, hits: &[Hit]) -> Vec<Judged> {
    let model = model();
    if compiled.judgements.is_empty() || model.is_empty() || tokenized.tokens.is_empty() {
        return Vec::new();
    }
    let Some(Judging { units, scored, present }) = score_post(compiled, text, tokenized, hits, compiled.judgements.iter().map(|j| j.column)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for j in compiled.judgements.iter().filter(|j| judged_in(compiled, j.column, present)) {
        let probability = scored.probability(j.column);
        let Some(level) = model.level(j.column, probability) else {
            continue;
        };
        let severity = level.min(j.max_severity);
        let Some((first, last)) = scored.span(j.column, &units) else {
            continue;
        };
        let tokens = &tokenized.tokens;
        let (start_tok, end_tok) = (units.unit(first).start as usize, units.unit(last).end as usize);
        let hash = usize::from(tokens[start_tok].has(HASHTAG_FIRST));
        let (byte_start, byte_end) = (tokens[start_tok].byte_start - hash, tokens[end_tok - 1].byte_end);
        let cues_text = scored.describe(j.column, &units, model, &compiled.cues);
        let explanation = format!("This is a judgement of how the post is likely to be read, not a match of a listed phrase: {cues_text}. {}", j.explanation);
        out.push(Judged {
            finding: Finding {
                rule: j.id.clone(),
                category: j.category,
                severity,
                start: 0,
                end: 0,
                byte_start,
                byte_end,
                text: text[byte_start..byte_end].to_string(),
                message: j.message.clone(),
                explanation: explanation.into(),
                source: j.source.clone(),
                suggestions: j.suggestions.clone(),
                score: Some(probability),
            },
            pack_rank: j.pack_rank,
        });
    }
    out
}

/// The features of a post with the words behind each, as the model sees them: for
/// training (`crate/train`) and `impartial explain`.
pub(crate) fn post_features(compiled: &Compiled, text: &str, tokenized: &Tokenized, hits: &[Hit]) -> Vec<(String, String)> {
    struct Collect<'u, 'a> {
        units: &'u Units<'a>,
        out: Vec<(String, String)>,
    }
    impl FeatureSink for Collect<'_, '_> {
        fn feature(&mut self, feature: &Feature) {
            let words = feature.units().map(|u| self.units.surface(u)).collect::<Vec<_>>().join(" … ");
            self.out.push((feature.name(), words));
        }
    }
    let cues = cue_spans(compiled, hits, &tokenized.tokens);
    let units = Units::new(text, tokenized, &cues, &compiled.cues);
    let mut sink = Collect { units: &units, out: Vec::new() };
    extract(&units, &mut sink);
    sink.out
}
