//! Turns the hits of one post into findings: rule windows, custom terms, allowed phrases,
//! then the post-level combinations.
//!
//! Cost: hits are sorted once; each context check is a binary search plus a walk over the
//! hits inside a bounded window, so a post with h hits costs O(h log h) whatever its size.

use std::cmp::Reverse;
use std::sync::Arc;

use crate::compile::{Compiled, CompiledRule, SetOwner, Window};
use crate::finding::{Category, Finding};
use crate::judge::Judged;
use crate::matcher::Hit;
use crate::normalize::{self, Kind, Token, Tokenized, HASHTAG_FIRST};
use crate::pack::{SpanMode, MAX_PHRASE_TOKENS};

/// At most this many findings per rule per post: a 1 MB paste of slogans stays a
/// bounded answer rather than megabytes of repeated explanations. Custom terms share
/// their rule id (`custom.<category>`), so the cap is per category over all of them.
pub(crate) const MAX_FINDINGS_PER_RULE: usize = 200;

pub(crate) struct Post<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Sorted by (set, start, longest first).
    pub hits: &'a [Hit],
}

impl Post<'_> {
    fn hits_of(&self, set: u32) -> &[Hit] {
        let lo = self.hits.partition_point(|h| h.set < set);
        let hi = self.hits.partition_point(|h| h.set <= set);
        &self.hits[lo..hi]
    }

    /// Byte range of tokens `start..end`, with a hashtag's `#` when the range starts it.
    fn bytes(&self, start: u32, end: u32) -> (usize, usize) {
        let first = &self.tokens[start as usize];
        let hash = usize::from(first.has(HASHTAG_FIRST));
        (first.byte_start - hash, self.tokens[end as usize - 1].byte_end)
    }

    fn finding(&self, rule: &Arc<str>, category: Category, severity: crate::Severity, bytes: (usize, usize)) -> Finding {
        let (byte_start, byte_end) = bytes;
        Finding {
            rule: rule.clone(),
            category,
            severity,
            // UTF-16 offsets are filled in by `set_utf16_offsets` once findings are final.
            start: 0,
            end: 0,
            byte_start,
            byte_end,
            text: self.text[byte_start..byte_end].to_string(),
            message: Arc::default(),
            explanation: Arc::default(),
            source: crate::Source { title: Arc::default(), section: Arc::default(), url: Arc::default() },
            suggestions: Arc::default(),
            score: None,
        }
    }

    /// The hit of `set` nearest to `of` inside `window`, if any.
    fn near(&self, set: u32, of: Hit, window: Window) -> Option<Hit> {
        let hits = self.hits_of(set);
        let from = |first: u32| hits.partition_point(|h| h.start < first);
        let tok = |i: u32| &self.tokens[i as usize];
        match window {
            Window::Post => hits.first().copied(),
            Window::Sentence | Window::Clause => {
                let key = |t: &Token| {
                    if window == Window::Sentence {
                        t.sentence
                    } else {
                        t.clause
                    }
                };
                let unit = key(tok(of.start));
                let lo = self.tokens.partition_point(|t| key(t) < unit) as u32;
                let hi = self.tokens.partition_point(|t| key(t) <= unit) as u32;
                // The nearest hit by start is next to where `of` would sort: O(log n) even
                // when one megabyte-long "sentence" holds a hundred thousand hits.
                let (first, last) = (from(lo), from(hi));
                let at = from(of.start).clamp(first, last);
                let before = at.checked_sub(1).filter(|&i| i >= first).map(|i| hits[i]);
                let after = (at < last).then(|| hits[at]);
                before.into_iter().chain(after).min_by_key(|h| distance(of, *h))
            }
            Window::Overlap => {
                let lo = of.start.saturating_sub(MAX_PHRASE_TOKENS as u32);
                hits[from(lo)..].iter().take_while(|h| h.start < of.end).find(|h| h.end > of.start).copied()
            }
            Window::Tokens { before, after, clause } => {
                let lo = of.start.saturating_sub(before + MAX_PHRASE_TOKENS as u32);
                hits[from(lo)..]
                    .iter()
                    .take_while(|h| h.start <= of.end - 1 + after)
                    .filter(|h| h.end - 1 + before >= of.start)
                    .filter(|h| !clause || tok(h.start.min(of.start)).clause == tok(h.end.max(of.end) - 1).clause)
                    .min_by_key(|h| distance(of, **h))
                    .copied()
            }
        }
    }
}

/// Tokens between two hits (0 when they touch or overlap).
fn distance(a: Hit, b: Hit) -> u32 {
    b.start.saturating_sub(a.end).max(a.start.saturating_sub(b.end))
}

/// Fills in `start`/`end` (UTF-16) from the byte offsets. Done last, and only when there
/// are findings, because most posts have none and the index costs a pass over the text.
pub(crate) fn set_utf16_offsets(text: &str, findings: &mut [Finding]) {
    if findings.is_empty() {
        return;
    }
    let index = crate::offsets::Utf16Index::new(text);
    for f in findings {
        f.start = index.utf16(f.byte_start);
        f.end = index.utf16(f.byte_end);
    }
}

/// Finds hits of link rules: URL tokens whose host and path fit the rule's domains.
pub(crate) fn link_hits(compiled: &Compiled, text: &str, tokenized: &Tokenized, hits: &mut Vec<Hit>) {
    if compiled.links.is_empty() {
        return;
    }
    for (i, token) in tokenized.tokens.iter().enumerate().filter(|(_, t)| t.kind == Kind::Url) {
        let (host, path) = normalize::url_host_and_path(&text[token.byte_start..token.byte_end]);
        for rule in &compiled.links {
            let fits = rule.domains.iter().any(|(domain, paths)| {
                let host_ok = host == *domain || host.strip_suffix(domain.as_str()).is_some_and(|sub| sub.ends_with('.'));
                host_ok && (paths.is_empty() || paths.iter().any(|p| path.contains(p.as_str())))
            });
            if fits {
                hits.push(Hit { set: rule.set, start: i as u32, end: i as u32 + 1 });
            }
        }
    }
}

/// Whether the post can have any finding: a hit of a rule or a custom term, or a custom
/// regex to run. Hits of context clauses (function words among them) and allowed phrases
/// only qualify or cancel those, and most posts have nothing else: four in five short
/// posts of the benchmark corpus, which then skip sorting and evaluating their hits.
pub(crate) fn may_find(compiled: &Compiled, hits: &[Hit]) -> bool {
    !compiled.regexes.is_empty() || hits.iter().any(|h| matches!(compiled.owners[h.set as usize], SetOwner::Rule(_) | SetOwner::Custom(_)))
}

/// All findings of the post, before strictness filtering: the rules' and the scorer's
/// (`judged`), which meet in the overlap resolution, the allowed phrases and the
/// combinations like any other.
pub(crate) fn findings(compiled: &Compiled, post: &Post<'_>, judged: Vec<Judged>) -> Vec<Finding> {
    let mut out = Vec::new();
    // Rule findings with their rank, until overlaps are resolved.
    let mut ruled: Vec<(Finding, Rank)> = judged.into_iter().map(|j| (j.finding, Rank { pack_rank: j.pack_rank, order: u32::MAX })).collect();
    let mut allowed: Vec<(usize, usize)> = Vec::new();
    // Custom findings so far, by category (the index in `Category::ALL`).
    let mut customs = [0usize; Category::ALL.len()];
    let mut at = 0;
    while at < post.hits.len() {
        let set = post.hits[at].set;
        // A linear walk, not a binary search: groups are a hit or two, and the walk visits
        // each hit once however many there are.
        let end = post.hits[at..].iter().position(|h| h.set != set).map_or(post.hits.len(), |n| at + n);
        let group = &post.hits[at..end];
        match compiled.owners[set as usize] {
            SetOwner::Rule(r) => rule_findings(&compiled.rules[r as usize], r, group, post, &mut ruled),
            SetOwner::Custom(c) => {
                let used = custom_count(&mut customs, compiled, c);
                for hit in dedupe(group).take(MAX_FINDINGS_PER_RULE - *used) {
                    out.push(custom_finding(compiled, c, post.bytes(hit.start, hit.end), post));
                    *used += 1;
                }
            }
            SetOwner::Allowed => allowed.extend(group.iter().map(|h| post.bytes(h.start, h.end))),
            SetOwner::Context | SetOwner::Cue(_) | SetOwner::CueVeto(_) => {}
        }
        at = end;
    }
    out.extend(drop_overlapping(ruled));
    for (c, regex) in &compiled.regexes {
        let used = custom_count(&mut customs, compiled, *c);
        for m in regex.find_iter(post.text).filter(|m| !m.is_empty()).take(MAX_FINDINGS_PER_RULE - *used) {
            out.push(custom_finding(compiled, *c, (m.start(), m.end()), post));
            *used += 1;
        }
    }
    if !allowed.is_empty() {
        let allowed = merge_ranges(allowed);
        out.retain(|f| {
            let i = allowed.partition_point(|&(_, end)| end <= f.byte_start);
            !(i < allowed.len() && allowed[i].0 < f.byte_end)
        });
    }
    combine(compiled, post, &mut out);
    out
}

/// The count of custom findings so far in custom term `c`'s category.
fn custom_count<'a>(counts: &'a mut [usize; Category::ALL.len()], compiled: &Compiled, c: u32) -> &'a mut usize {
    let category = compiled.customs[c as usize].category;
    &mut counts[Category::ALL.iter().position(|&k| k == category).unwrap_or(0)]
}

/// Sorted, disjoint byte ranges covering the same bytes as `ranges`.
fn merge_ranges(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Hits in order, skipping any that overlaps one already taken (longest first wins).
fn dedupe(group: &[Hit]) -> impl Iterator<Item = Hit> + '_ {
    let mut taken_end = 0u32;
    group.iter().copied().filter(move |h| {
        if h.start < taken_end {
            return false;
        }
        taken_end = h.end;
        true
    })
}

/// One finding per category per stretch of text: when findings of the same category
/// overlap, a rule's finding beats the scorer's (a rule names its phrase and the guidance
/// exactly; the scorer speaks where no rule did), then the strongest stays (higher
/// severity, then the more specific pack, whose
/// explanation fits the policy best, then the longer span, then the earlier rule). Several
/// rules often see the same words ("Tories are a disgrace" is a party attack; "Tories" near
/// "disgrace" is also a party stance), and two underlines with two explanations for one
/// phrase help nobody. Custom terms are kept as they are: the user asked for them.
///
/// Cost: O(f log f) in the f rule findings.
fn drop_overlapping(mut ruled: Vec<(Finding, Rank)>) -> Vec<Finding> {
    if ruled.len() < 2 {
        return ruled.into_iter().map(|(f, _)| f).collect();
    }
    ruled.sort_by_key(|(f, r)| {
        (f.category, f.score.is_some(), Reverse(f.severity), Reverse(r.pack_rank), Reverse(f.byte_end - f.byte_start), r.order, f.byte_start)
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(ruled.len());
    // Byte ranges kept so far for the current category, by start; they never overlap.
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut category = None;
    for (f, _) in ruled {
        if category != Some(f.category) {
            category = Some(f.category);
            taken.clear();
        }
        // The kept range starting last before this one ends is the only one it can overlap.
        let overlaps = taken.range(..f.byte_end).next_back().is_some_and(|(_, &end)| end > f.byte_start);
        if !overlaps {
            taken.insert(f.byte_start, f.byte_end);
            kept.push(f);
        }
    }
    kept
}

/// What breaks a tie between overlapping findings of one category and severity: the more
/// specific pack, then (after length) the rule defined first.
#[derive(Clone, Copy)]
struct Rank {
    pack_rank: u32,
    order: u32,
}

fn rule_findings(rule: &CompiledRule, index: u32, group: &[Hit], post: &Post<'_>, out: &mut Vec<(Finding, Rank)>) {
    let mut count = 0;
    let mut taken_end = 0u32;
    for &hit in group {
        if hit.start < taken_end || count == MAX_FINDINGS_PER_RULE {
            continue;
        }
        let mut span = (hit.start, hit.end);
        let mut ok = true;
        for (n, &(set, window)) in rule.require.iter().enumerate() {
            match post.near(set, hit, window) {
                Some(context) if n == 0 && rule.span == SpanMode::WithContext => {
                    span = (span.0.min(context.start), span.1.max(context.end));
                }
                Some(_) => {}
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok || rule.unless.iter().any(|&(set, window)| post.near(set, hit, window).is_some()) {
            continue;
        }
        taken_end = hit.end;
        count += 1;
        let mut f = post.finding(&rule.id, rule.category, rule.severity, post.bytes(span.0, span.1));
        f.message = rule.message.clone();
        f.explanation = rule.explanation.clone();
        f.source = rule.source.clone();
        f.suggestions = rule.suggestions.clone();
        out.push((f, Rank { pack_rank: rule.pack_rank, order: index }));
    }
}

fn custom_finding(compiled: &Compiled, index: u32, bytes: (usize, usize), post: &Post<'_>) -> Finding {
    let term = &compiled.customs[index as usize];
    let mut f = post.finding(&term.rule, term.category, term.severity, bytes);
    f.message = term.message.clone();
    f.explanation = term.explanation.clone();
    f.source = term.source.clone();
    f.suggestions = term.suggestions.clone();
    f
}

/// Post-level combinations: something that makes the post attributable (disclosure,
/// disclaimer) with something risky (partisan, government, solicitation) adds the
/// combination's finding twice, on the attributable part and on the riskiest part, with the
/// risky one's category.
fn combine(compiled: &Compiled, post: &Post<'_>, out: &mut Vec<Finding>) {
    let mut added = Vec::new();
    for combo in &compiled.combinations {
        let attributable = combo.when_any.iter().find_map(|c| out.iter().find(|f| f.category == *c));
        let risky = out.iter().filter(|f| combo.with_any.contains(&f.category)).max_by_key(|f| (f.severity, Reverse(f.byte_start)));
        let (Some(attributable), Some(risky)) = (attributable, risky) else {
            continue;
        };
        // Both halves are marked: on a Relaxed site, where only high findings show, the
        // politics that make the post high must be underlined as well as the job.
        for span in [(attributable.byte_start, attributable.byte_end), (risky.byte_start, risky.byte_end)] {
            let mut f = post.finding(&combo.id, risky.category, combo.severity, span);
            f.message = combo.message.clone();
            f.explanation = combo.explanation.clone();
            f.source = combo.source.clone();
            f.suggestions = combo.suggestions.clone();
            added.push(f);
        }
    }
    out.extend(added);
}
