//! Compiles the packs of one policy plus one profile into rules over phrase sets.
//!
//! Every rule's patterns become one set; every distinct context clause (`require`/`unless`
//! `any` lists) becomes a set shared by all rules that use it; each custom term and the
//! allowed phrases get their own. All their phrases go into one [`Matcher`].
//!
//! Cost: proportional to the expanded phrases (a few thousand for a pack) plus the custom
//! terms; ten thousand custom terms compile in milliseconds (see `benches/check.rs`).

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use regex::Regex;

use crate::date::Date;
use crate::engine::ConfigError;
use crate::finding::{Category, Severity, Source, Suggestion};
use crate::judge::{CompiledCue, CompiledJudgement, JUDGED};
use crate::matcher::{pattern_tokens, Matcher, MatcherBuilder, PatternToken};
use crate::pack::{self, Catalogue, ClauseDef, Element, Pattern, ScopeDef, SpanMode, TermDef};
use crate::profile::Profile;

/// Where a context clause looks, relative to the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    Overlap,
    Tokens { before: u32, after: u32, clause: bool },
    Clause,
    Sentence,
    Post,
}

pub(crate) struct CompiledRule {
    pub id: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub message: Arc<str>,
    pub explanation: Arc<str>,
    pub source: Source,
    pub suggestions: Arc<[Suggestion]>,
    pub span: SpanMode,
    pub require: Vec<(u32, Window)>,
    pub unless: Vec<(u32, Window)>,
    /// The position of the rule's pack in the policy's packs (base packs first): when two
    /// findings of one category overlap, the more specific pack's wins a tie.
    pub pack_rank: u32,
}

pub(crate) struct LinkRule {
    pub set: u32,
    /// (host, path fragments): the URL's host is `host` or a subdomain of it, and if
    /// fragments are given its path contains one.
    pub domains: Vec<(String, Vec<String>)>,
}

pub(crate) struct CompiledCombination {
    pub id: Arc<str>,
    pub severity: Severity,
    pub when_any: Vec<Category>,
    pub with_any: Vec<Category>,
    pub message: Arc<str>,
    pub explanation: Arc<str>,
    pub source: Source,
    pub suggestions: Arc<[Suggestion]>,
}

pub(crate) struct CompiledCustom {
    /// `custom.<category>`.
    pub rule: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub message: Arc<str>,
    /// The user's note, or a sentence naming the term.
    pub explanation: Arc<str>,
    /// Shared by every custom term.
    pub source: Source,
    pub suggestions: Arc<[Suggestion]>,
}

/// Who a set belongs to, for the evaluator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetOwner {
    Context,
    Rule(u32),
    Custom(u32),
    Allowed,
    /// A cue class of the scorer (its index in `Compiled::cues`)…
    Cue(u32),
    /// …and the phrases that cancel it.
    CueVeto(u32),
}

pub(crate) struct Compiled {
    pub matcher: Matcher,
    pub owners: Vec<SetOwner>,
    pub rules: Vec<CompiledRule>,
    pub links: Vec<LinkRule>,
    pub combinations: Vec<CompiledCombination>,
    pub customs: Vec<CompiledCustom>,
    /// (custom term index, its regex), matched on the raw text.
    pub regexes: Vec<(u32, Regex)>,
    /// The scorer's cue classes, in the catalogue's order.
    pub cues: Vec<CompiledCue>,
    /// The categories the scorer judges under this policy.
    pub judgements: Vec<CompiledJudgement>,
    /// Per judged category (model column), the cues one of which a post needs to be
    /// judged, as a bit set over cue indices (all bits: no gate).
    pub gates: [u64; JUDGED.len()],
}

/// Regex custom terms are capped so a pasted monster cannot stall compilation.
const REGEX_SIZE_LIMIT: usize = 256 * 1024;

struct Compiler<'c> {
    cat: &'c Catalogue,
    profile: &'c Profile,
    today: Date,
    builder: MatcherBuilder,
    owners: Vec<SetOwner>,
    clause_sets: HashMap<String, u32>,
    /// Expanded list alternatives, cached by (name, all_dates).
    /// Expanded lists, shared: a list is referenced by many patterns.
    list_cache: HashMap<(String, bool), Rc<Vec<Vec<PatternToken>>>>,
}

pub(crate) fn compile(cat: &Catalogue, profile: &Profile, today: Date) -> Result<Compiled, ConfigError> {
    let mut c =
        Compiler { cat, profile, today, builder: MatcherBuilder::default(), owners: Vec::new(), clause_sets: HashMap::new(), list_cache: HashMap::new() };
    validate_profile(cat, profile)?;
    let disabled: Vec<&str> = profile.disabled_rules.iter().map(|s| s.trim()).collect();
    // Explanations never name the employer: findings are shown inside the web page, and
    // nothing of the profile may reach a page unless the post itself contains it.

    let mut rules = Vec::new();
    let mut links = Vec::new();
    let mut combinations = Vec::new();
    for (pack_rank, pack) in cat.packs_for(profile.policy).into_iter().enumerate() {
        let pack_err = |rule: &str, reason: String| ConfigError { field: format!("{} (rule {rule})", pack.file), reason };
        for def in pack.rules.iter().filter(|r| !disabled.contains(&r.id.as_str())) {
            let index = rules.len() as u32;
            let set = c.new_set(SetOwner::Rule(index));
            for text in &def.patterns {
                c.add_pattern(set, text, def.ignore_case).map_err(|e| pack_err(&def.id, format!("pattern {text:?}: {e}")))?;
            }
            if let Some(name) = &def.links {
                let list = &cat.links[name];
                let domains = list.domains.iter().map(|d| (d.host.to_ascii_lowercase(), d.paths.iter().map(|p| p.to_ascii_lowercase()).collect())).collect();
                links.push(LinkRule { set, domains });
            }
            let require = def.require.iter().map(|cl| c.clause(cl, Window::Sentence)).collect::<Result<_, _>>().map_err(|e| pack_err(&def.id, e))?;
            let unless = def.unless.iter().map(|cl| c.clause(cl, Window::Overlap)).collect::<Result<_, _>>().map_err(|e| pack_err(&def.id, e))?;
            rules.push(CompiledRule {
                id: def.id.as_str().into(),
                category: def.category,
                severity: def.severity,
                message: pack::reflow(&def.message).into(),
                explanation: pack::reflow(&def.explanation).into(),
                source: def.source.clone().into(),
                suggestions: def.suggestions.iter().cloned().map(Into::into).collect(),
                span: def.span,
                require,
                unless,
                pack_rank: pack_rank as u32,
            });
        }
        for def in pack.combinations.iter().filter(|r| !disabled.contains(&r.id.as_str())) {
            combinations.push(CompiledCombination {
                id: def.id.as_str().into(),
                severity: def.severity,
                when_any: def.when_any.clone(),
                with_any: def.with_any.clone(),
                message: pack::reflow(&def.message).into(),
                explanation: pack::reflow(&def.explanation).into(),
                source: def.source.clone().into(),
                suggestions: def.suggestions.iter().cloned().map(Into::into).collect(),
            });
        }
    }

    let mut judgements: Vec<CompiledJudgement> = Vec::new();
    for (pack_rank, pack) in cat.packs_for(profile.policy).into_iter().enumerate() {
        for def in pack.judgements.iter().filter(|j| !disabled.contains(&j.id.as_str())) {
            // A policy pack's judgement of a category replaces its base pack's.
            judgements.retain(|j| j.category != def.category);
            judgements.push(CompiledJudgement {
                id: def.id.as_str().into(),
                category: def.category,
                column: JUDGED.iter().position(|&c| c == def.category).unwrap_or(0),
                max_severity: def.max_severity,
                message: pack::reflow(&def.message).into(),
                explanation: pack::reflow(&def.explanation).into(),
                source: def.source.clone().into(),
                suggestions: def.suggestions.iter().cloned().map(Into::into).collect(),
                pack_rank: pack_rank as u32,
            });
        }
    }
    let mut cues = Vec::with_capacity(cat.cues.len());
    for (k, def) in cat.cues.iter().enumerate() {
        let cue_err = |reason: String| ConfigError { field: format!("packs/cues.toml (cue {})", def.id), reason };
        let set = c.new_set(SetOwner::Cue(k as u32));
        for text in &def.patterns {
            c.add_pattern(set, text, def.ignore_case).map_err(|e| cue_err(format!("pattern {text:?}: {e}")))?;
        }
        if !def.unless.is_empty() {
            let veto = c.new_set(SetOwner::CueVeto(k as u32));
            for text in &def.unless {
                c.add_pattern(veto, text, false).map_err(|e| cue_err(format!("unless {text:?}: {e}")))?;
            }
        }
        cues.push(CompiledCue { describe: def.describe.as_str().into(), veto_within: def.unless_within, unit: format!("<{}>", def.id).into() });
    }
    let mut gates = [u64::MAX; JUDGED.len()];
    for gate in &cat.gates {
        let column = JUDGED.iter().position(|&c| c == gate.category).unwrap_or(0);
        gates[column] = gate.cues.iter().filter_map(|id| cat.cues.iter().position(|c| &c.id == id)).fold(0, |bits, k| bits | 1 << k);
    }

    let mut customs = Vec::new();
    let mut regexes = Vec::new();
    let custom_source = Source { title: "Your Impartial settings".into(), section: "Custom terms".into(), url: Arc::default() };
    let custom_suggestions: Arc<[Suggestion]> = Arc::new([Suggestion { replacement: Arc::default(), label: "Remove it".into() }]);
    // One rule id per category (`custom.<category>`), shared by all its terms.
    let custom_rules: Vec<Arc<str>> = Category::ALL.iter().map(|c| format!("custom.{}", c.as_str()).into()).collect();
    for (i, term) in profile.custom_terms.iter().enumerate() {
        let field = |name: &str| format!("custom_terms[{i}].{name}");
        let pattern = term.pattern.trim();
        if pattern.is_empty() {
            return Err(ConfigError { field: field("pattern"), reason: "is empty".into() });
        }
        let index = customs.len() as u32;
        if term.regex {
            let regex = regex::RegexBuilder::new(pattern)
                .case_insensitive(!term.match_case)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| ConfigError { field: field("pattern"), reason: format!("not a valid regex: {}", one_line(&e.to_string())) })?;
            if regex.is_match("") {
                return Err(ConfigError { field: field("pattern"), reason: "matches empty text".into() });
            }
            regexes.push((index, regex));
        } else {
            let set = c.new_set(SetOwner::Custom(index));
            let tokens = pattern_tokens(pattern, false).map_err(|reason| ConfigError { field: field("pattern"), reason })?;
            c.builder.add(set, &tokens, !term.match_case).map_err(|reason| ConfigError { field: field("pattern"), reason })?;
        }
        let explanation = match term.note.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(note) => note.into(),
            None => format!(
                "You asked Impartial to flag “{pattern}” as {} content. Check the post does not reveal \
                 more than you mean to before you publish it.",
                term.category.as_str()
            )
            .into(),
        };
        customs.push(CompiledCustom {
            rule: custom_rules[Category::ALL.iter().position(|&c| c == term.category).unwrap_or(0)].clone(),
            category: term.category,
            severity: term.severity.unwrap_or(Severity::Medium),
            message: format!("This matches your custom term “{pattern}”.").into(),
            explanation,
            source: custom_source.clone(),
            suggestions: custom_suggestions.clone(),
        });
    }

    if !profile.allowed_phrases.is_empty() {
        let set = c.new_set(SetOwner::Allowed);
        for (i, phrase) in profile.allowed_phrases.iter().enumerate() {
            let tokens = pattern_tokens(phrase, false).map_err(|reason| ConfigError { field: format!("allowed_phrases[{i}]"), reason })?;
            c.builder.add(set, &tokens, true).map_err(|reason| ConfigError { field: format!("allowed_phrases[{i}]"), reason })?;
        }
    }

    let matcher = c.builder.build().map_err(|reason| ConfigError { field: "profile".into(), reason })?;
    Ok(Compiled { matcher, owners: c.owners, rules, links, combinations, customs, regexes, cues, judgements, gates })
}

/// The ways a post names the employer, from the profile's names: each name as written;
/// without a leading national prefix when two or more words remain ("US Postal Service" →
/// "Postal Service", "HM Revenue and Customs" → "Revenue and Customs"); and as an @mention
/// of its letters and digits ("BBC News" → "@bbcnews"), which is how staff often name an
/// employer's account in a bio ("Producer @BBCNews").
fn employer_forms(names: Vec<String>) -> Vec<String> {
    const PREFIXES: [&str; 4] = ["US", "U.S.", "UK", "HM"];
    let mut out: Vec<String> = Vec::with_capacity(names.len() * 3);
    let push = |form: String, out: &mut Vec<String>| {
        if !form.is_empty() && !out.contains(&form) {
            out.push(form);
        }
    };
    for name in names {
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() >= 3 && PREFIXES.contains(&words[0]) {
            push(words[1..].join(" "), &mut out);
        }
        let handle: String = name.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).collect();
        if handle.len() >= 3 {
            push(format!("@{handle}"), &mut out);
        }
        push(name, &mut out);
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Other names for one employer. Every rule phrase that names the employer is expanded for
/// each of them, so compiling grows with their number (fuzzing found 1,600 aliases took 15 s);
/// a real employer has a handful.
pub(crate) const MAX_ALIASES: usize = 50;

fn validate_profile(cat: &Catalogue, profile: &Profile) -> Result<(), ConfigError> {
    if profile.aliases.len() > MAX_ALIASES {
        return Err(ConfigError {
            field: "aliases".into(),
            reason: format!("has {} names; at most {MAX_ALIASES} (other names for one employer)", profile.aliases.len()),
        });
    }
    for (i, alias) in profile.aliases.iter().enumerate() {
        if alias.trim().is_empty() {
            return Err(ConfigError { field: format!("aliases[{i}]"), reason: "is empty".into() });
        }
        pattern_tokens(alias, false).map_err(|reason| ConfigError { field: format!("aliases[{i}]"), reason })?;
    }
    if !profile.employer.trim().is_empty() {
        pattern_tokens(&profile.employer, false).map_err(|reason| ConfigError { field: "employer".into(), reason })?;
    }
    let known = cat.all_rule_ids();
    for (i, id) in profile.disabled_rules.iter().enumerate() {
        if !known.contains(id.trim()) {
            return Err(ConfigError { field: format!("disabled_rules[{i}]"), reason: format!("no rule is called {id:?}") });
        }
    }
    Ok(())
}

impl Compiler<'_> {
    fn new_set(&mut self, owner: SetOwner) -> u32 {
        self.owners.push(owner);
        (self.owners.len() - 1) as u32
    }

    /// The set for a context clause, shared between identical clauses.
    fn clause(&mut self, clause: &ClauseDef, default: Window) -> Result<(u32, Window), String> {
        let window = match (clause.scope, clause.within.or(clause.before).or(clause.after)) {
            (Some(ScopeDef::Overlap), _) => Window::Overlap,
            (Some(ScopeDef::Clause), _) => Window::Clause,
            (Some(ScopeDef::Sentence), _) => Window::Sentence,
            (Some(ScopeDef::Post), _) => Window::Post,
            (None, Some(_)) => Window::Tokens {
                before: clause.before.or(clause.within).unwrap_or(0),
                after: clause.after.or(clause.within).unwrap_or(0),
                clause: clause.clause,
            },
            (None, None) if clause.clause => Window::Clause,
            (None, None) => default,
        };
        let mut key_terms = clause.any.clone();
        key_terms.sort();
        let key = key_terms.join("\u{1f}");
        if let Some(&set) = self.clause_sets.get(&key) {
            return Ok((set, window));
        }
        let set = self.new_set(SetOwner::Context);
        for term in &clause.any {
            self.add_pattern(set, term, false).map_err(|e| format!("{term:?}: {e}"))?;
        }
        self.clause_sets.insert(key, set);
        Ok((set, window))
    }

    /// Adds every phrase the pattern stands for, walking the product of its elements'
    /// alternatives without building it (a pattern of three lists is thousands of phrases).
    fn add_pattern(&mut self, set: u32, text: &str, ignore_case: bool) -> Result<(), String> {
        let pattern = pack::parse_pattern(text)?;
        let alternatives = self.alternatives(&pattern, 0)?;
        if alternatives.iter().any(|a| a.is_empty()) {
            return Ok(()); // e.g. @employer with no employer set
        }
        let mut phrase = Vec::with_capacity(pack::MAX_PHRASE_TOKENS);
        add_product(&mut self.builder, set, &alternatives, &mut phrase, ignore_case)
    }

    /// All phrases a pattern stands for: the product of its elements' alternatives.
    fn expand(&mut self, pattern: &Pattern, depth: usize) -> Result<Vec<Vec<PatternToken>>, String> {
        let mut phrases: Vec<Vec<PatternToken>> = vec![Vec::new()];
        for alternatives in self.alternatives(pattern, depth)? {
            if alternatives.is_empty() {
                return Ok(Vec::new());
            }
            let mut next = Vec::with_capacity(phrases.len() * alternatives.len());
            for prefix in &phrases {
                for alt in alternatives.iter() {
                    let mut phrase = prefix.clone();
                    phrase.extend(alt.iter().cloned());
                    next.push(phrase);
                }
            }
            phrases = next;
        }
        Ok(phrases)
    }

    /// Each element's alternatives: one phrase for literal words, a list's phrases for a
    /// list reference (shared with the list cache).
    fn alternatives(&mut self, pattern: &Pattern, depth: usize) -> Result<Vec<Rc<Vec<Vec<PatternToken>>>>, String> {
        if depth > 4 {
            return Err("lists nest too deeply".into());
        }
        let mut out = Vec::with_capacity(pattern.elements.len());
        for element in &pattern.elements {
            let alternatives = match element {
                // Re-attach the `#` so CamelCase splits as it does in posts ("#BlueWave").
                Element::Words(words) if pattern.hashtag_only => Rc::new(vec![pattern_tokens(&format!("#{words}"), true)?]),
                Element::Words(words) => Rc::new(vec![pattern_tokens(words, false)?]),
                Element::List { name, all_dates } => {
                    let mut alts = self.list(name, *all_dates, depth)?;
                    if pattern.hashtag_only {
                        Rc::make_mut(&mut alts).iter_mut().flatten().for_each(|t| t.hashtag = true);
                    }
                    alts
                }
            };
            let empty = alternatives.is_empty();
            out.push(alternatives);
            if empty {
                break; // the product is empty whatever follows
            }
        }
        Ok(out)
    }

    fn list(&mut self, name: &str, all_dates: bool, depth: usize) -> Result<Rc<Vec<Vec<PatternToken>>>, String> {
        let runtime: Option<Vec<String>> = match name {
            "employer" => {
                Some(std::iter::once(&self.profile.employer).chain(&self.profile.aliases).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            }
            "role" => Some(self.profile.role.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
            _ => None,
        };
        if let Some(mut terms) = runtime {
            if name == "employer" {
                terms = employer_forms(terms);
            }
            let mut phrases = terms.iter().map(|t| pattern_tokens(t, false)).collect::<Result<Vec<_>, _>>()?;
            if name == "role" {
                // "grade 7" is as revealing as "Grade 7"; employer acronyms keep their case.
                phrases.iter_mut().flatten().for_each(|t| t.case = crate::matcher::CaseRule::Any);
            }
            return Ok(Rc::new(phrases));
        }
        let cache_key = (name.to_string(), all_dates);
        if let Some(cached) = self.list_cache.get(&cache_key) {
            return Ok(Rc::clone(cached));
        }
        let (_, list) = self.cat.lists.get(name).ok_or_else(|| format!("unknown list @{name}"))?;
        let mut terms: Vec<&str> = Vec::new();
        for term in &list.terms {
            match term {
                TermDef::Phrase(p) => terms.push(p),
                TermDef::Entry(e) => {
                    let from = e.valid_from.as_deref().and_then(Date::parse);
                    let to = e.valid_to.as_deref().and_then(Date::parse);
                    let current = from.is_none_or(|f| f <= self.today) && to.is_none_or(|t| self.today <= t);
                    if all_dates || current {
                        terms.push(&e.term);
                        terms.extend(e.aliases.iter().map(String::as_str));
                    }
                }
            }
        }
        let mut out = Vec::new();
        for term in terms {
            let pattern = pack::parse_pattern(term).map_err(|e| format!("list @{name}: {term:?} {e}"))?;
            out.extend(self.expand(&pattern, depth + 1)?);
        }
        let out = Rc::new(out);
        self.list_cache.insert(cache_key, Rc::clone(&out));
        Ok(out)
    }
}

/// Adds to `builder` each phrase of the product `alternatives`, after the words in `phrase`.
fn add_product<'a>(
    builder: &mut MatcherBuilder,
    set: u32,
    alternatives: &'a [Rc<Vec<Vec<PatternToken>>>],
    phrase: &mut Vec<&'a PatternToken>,
    ignore_case: bool,
) -> Result<(), String> {
    let Some((first, rest)) = alternatives.split_first() else {
        return builder.add(set, phrase, ignore_case);
    };
    for alt in first.iter() {
        let len = phrase.len();
        phrase.extend(alt);
        add_product(builder, set, rest, phrase, ignore_case)?;
        phrase.truncate(len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::employer_forms;

    #[test]
    fn employer_forms_add_unprefixed_names_and_handles() {
        let forms = employer_forms(vec!["US Postal Service".into(), "BBC News".into(), "HMRC".into(), "HM Treasury".into()]);
        assert_eq!(forms, ["Postal Service", "@uspostalservice", "US Postal Service", "@bbcnews", "BBC News", "@hmrc", "HMRC", "@hmtreasury", "HM Treasury"]);
    }
}
