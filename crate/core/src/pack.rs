//! Rule packs: the TOML data under `crate/core/packs/`, embedded at compile time, parsed and
//! validated once per process.
//!
//! A pack file may hold rules (`[[rule]]`), post-level combinations (`[[combination]]`),
//! named term lists (`[list.NAME]`) and named link lists (`[links.NAME]`). Lists live in one
//! namespace across files, so the shared lists (parties, office-holders, donation domains)
//! are written once. Unknown keys anywhere are errors (`deny_unknown_fields`), because a
//! misspelt key that is silently ignored is a rule that silently never fires.
//!
//! Cost: parsing and validating every pack takes about a millisecond, once, behind a
//! `OnceLock`; an [`crate::Engine`] compiles from the parsed form.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::date::Date;
use crate::finding::{Category, Severity};
use crate::profile::{Policy, Profile};

/// The embedded pack files, by path relative to `crate/core/`: (path, TOML text) natively, (path, the same as JSON) in wasm (build.rs).
macro_rules! pack_files {
    ($($name:literal),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        const PACK_FILES: &[(&str, &str)] = &[$((concat!("packs/", $name, ".toml"), include_str!(concat!("../packs/", $name, ".toml")))),*];
        #[cfg(target_arch = "wasm32")]
        const PACK_FILES: &[(&str, &str)] = &[$((concat!("packs/", $name, ".toml"), include_str!(concat!(env!("OUT_DIR"), "/packs/", $name, ".json")))),*];
    };
}

pack_files!(
    "common",
    "uk-civil-service",
    "us-hatch-act",
    "journalist",
    "generic",
    "lists/words",
    "lists/uk-parties",
    "lists/us-parties",
    "lists/office-holders",
    "lists/uk-employers",
    "lists/donation-domains",
    "lists/uk-politicians",
    "lists/us-politicians",
    "lists/government",
    "lists/campaigning",
    "lists/public-sphere",
    "lists/abuse",
    "cues",
);

/// Lists the engine fills from the profile at compile time rather than from pack data.
pub(crate) const RUNTIME_LISTS: [&str; 2] = ["employer", "role"];

/// The longest phrase, in tokens, a pattern or custom term may have. Bounds the look-back
/// when checking context windows.
pub(crate) const MAX_PHRASE_TOKENS: usize = 16;

/// A pattern may expand (through its lists) to at most this many phrases.
const MAX_EXPANSION: usize = 20_000;

/// A pack file that does not parse or validate. Names the file and, where it applies, the
/// rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub file: String,
    pub rule: Option<String>,
    pub reason: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "{}: rule {}: {}", self.file, rule, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

impl std::error::Error for PackError {}

// ---- The file format ------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: Option<PackHeader>,
    #[serde(default)]
    list: BTreeMap<String, ListDef>,
    #[serde(default)]
    links: BTreeMap<String, LinksDef>,
    #[serde(default)]
    rule: Vec<RuleDef>,
    #[serde(default)]
    combination: Vec<CombinationDef>,
    #[serde(default)]
    judgement: Vec<JudgementDef>,
    #[serde(default)]
    cue: Vec<CueDef>,
    #[serde(default)]
    gate: Vec<GateDef>,
}

// Some fields are documentation for people reading the data; serde still checks them.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackHeader {
    pub id: String,
    pub title: String,
    pub version: String,
    /// When a person last checked the rules against their sources.
    pub reviewed: String,
    #[serde(default)]
    pub extends: Vec<String>,
    /// The profile the inline examples of this pack's rules run with.
    #[serde(default)]
    pub example_profile: Option<Profile>,
}

// Some fields are documentation for people reading the data; serde still checks them.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListDef {
    pub description: String,
    pub reviewed: String,
    #[serde(default)]
    pub source: Vec<String>,
    pub terms: Vec<TermDef>,
}

/// A list term: a phrase, or a dated entry with its other names.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum TermDef {
    Phrase(String),
    Entry(EntryDef),
}

// Some fields are documentation for people reading the data; serde still checks them.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryDef {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    #[serde(default)]
    pub note: String,
}

// Some fields are documentation for people reading the data; serde still checks them.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinksDef {
    pub description: String,
    pub reviewed: String,
    pub domains: Vec<DomainDef>,
}

// Some fields are documentation for people reading the data; serde still checks them.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DomainDef {
    /// Matches this host and its subdomains.
    pub host: String,
    /// If non-empty, the path must contain one of these (lower case), e.g. `/donate`.
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub owner: String,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SpanMode {
    /// The finding covers the matched pattern.
    #[default]
    Match,
    /// The finding covers the pattern and the nearest hit of the first `require` clause
    /// ("Tories are a disgrace").
    WithContext,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub explanation: String,
    pub source: SourceDef,
    #[serde(default)]
    pub patterns: Vec<String>,
    /// The name of a `[links.NAME]` list: the rule matches URLs to those sites.
    pub links: Option<String>,
    /// Every clause must find a hit near the match.
    #[serde(default)]
    pub require: Vec<ClauseDef>,
    /// Any clause that finds a hit near the match suppresses it.
    #[serde(default)]
    pub unless: Vec<ClauseDef>,
    /// Ignore the case of the pattern's words ("vote labour" is as clear as "vote Labour").
    #[serde(default)]
    pub ignore_case: bool,
    #[serde(default)]
    pub span: SpanMode,
    #[serde(default)]
    pub suggestions: Vec<SuggestionDef>,
    #[serde(default)]
    pub flag: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceDef {
    pub title: String,
    pub section: String,
    pub url: String,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuggestionDef {
    pub replacement: String,
    pub label: String,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ScopeDef {
    Overlap,
    Clause,
    Sentence,
    Post,
}

/// A context clause: one of `any` near the match. The window is `within` tokens either
/// side, or `before`/`after` tokens, optionally cut at clause punctuation (`clause = true`),
/// or a `scope`. Without a window, `require` looks in the sentence and `unless` at
/// phrases overlapping the match.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClauseDef {
    pub any: Vec<String>,
    pub within: Option<u32>,
    pub before: Option<u32>,
    pub after: Option<u32>,
    #[serde(default)]
    pub clause: bool,
    pub scope: Option<ScopeDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CombinationDef {
    pub id: String,
    #[serde(default = "high")]
    pub severity: Severity,
    /// A finding of one of these categories makes the post attributable…
    pub when_any: Vec<Category>,
    /// …and one of these makes it risky.
    pub with_any: Vec<Category>,
    pub message: String,
    pub explanation: String,
    pub source: SourceDef,
    #[serde(default)]
    pub suggestions: Vec<SuggestionDef>,
    #[serde(default)]
    pub flag: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
}

fn high() -> Severity {
    Severity::High
}

/// A category the trained scorer judges for a policy (`[[judgement]]`): what its findings
/// say and cite. The score decides whether and how strongly it shows; `max_severity` caps
/// it for policies under which the category matters less (a generic employee's politics).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JudgementDef {
    pub id: String,
    pub category: Category,
    #[serde(default = "high")]
    pub max_severity: Severity,
    pub message: String,
    pub explanation: String,
    pub source: SourceDef,
    #[serde(default)]
    pub suggestions: Vec<SuggestionDef>,
    /// Posts the scorer must judge this way at strict (tested, like a rule's examples).
    #[serde(default)]
    pub flag: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
}

/// The cues a post must have before the scorer judges a category (`[[gate]]` in `cues.toml`).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct GateDef {
    pub category: Category,
    pub cues: Vec<String>,
}

/// A class of words the scorer sees as one feature (`[[cue]]` in `cues.toml`): every
/// party name is `<party>`, so what the model learns about one party carries to all, and
/// to names added later.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct CueDef {
    /// The feature's name (`party` → the unit `<party>`).
    pub id: String,
    /// How an explanation names it: "names a party".
    pub describe: String,
    pub patterns: Vec<String>,
    /// Phrases that cancel a cue they overlap ("labour pains" is not the party)…
    #[serde(default)]
    pub unless: Vec<String>,
    /// …or that stand within this many tokens of it, either side, in the same sentence
    /// ("I'm such an" before "idiot"; "hospice" after "donate").
    #[serde(default)]
    pub unless_within: u32,
    #[serde(default)]
    pub ignore_case: bool,
}

// ---- The parsed catalogue ---------------------------------------------------------------

pub(crate) struct Pack {
    pub file: &'static str,
    pub header: PackHeader,
    pub rules: Vec<RuleDef>,
    pub combinations: Vec<CombinationDef>,
    pub judgements: Vec<JudgementDef>,
}

pub(crate) struct Catalogue {
    pub packs: Vec<Pack>,
    /// The scorer's word classes, in feature order.
    pub cues: Vec<CueDef>,
    pub gates: Vec<GateDef>,
    pub lists: HashMap<String, (&'static str, ListDef)>,
    pub links: HashMap<String, LinksDef>,
    /// The latest `reviewed` date of any list: the default "today" for dated entries.
    pub data_date: Date,
}

impl Catalogue {
    pub fn pack(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.header.id == id)
    }

    /// The packs a policy runs, base packs first (`extends` resolved depth-first).
    pub fn packs_for(&self, policy: Policy) -> Vec<&Pack> {
        let mut out: Vec<&Pack> = Vec::new();
        fn visit<'c>(cat: &'c Catalogue, id: &str, out: &mut Vec<&'c Pack>, depth: usize) {
            let Some(pack) = cat.pack(id) else { return };
            if depth > 8 || out.iter().any(|p| std::ptr::eq(*p, pack)) {
                return;
            }
            for base in &pack.header.extends {
                visit(cat, base, out, depth + 1);
            }
            out.push(pack);
        }
        visit(self, policy_pack_id(policy), &mut out, 0);
        out
    }

    pub fn all_rule_ids(&self) -> HashSet<&str> {
        self.packs
            .iter()
            .flat_map(|p| {
                p.rules.iter().map(|r| r.id.as_str()).chain(p.combinations.iter().map(|c| c.id.as_str())).chain(p.judgements.iter().map(|j| j.id.as_str()))
            })
            .collect()
    }
}

pub(crate) fn policy_pack_id(policy: Policy) -> &'static str {
    match policy {
        Policy::UkCivilService => "uk-civil-service",
        Policy::UsHatchAct => "us-hatch-act",
        Policy::Journalist => "journalist",
        Policy::Generic => "generic",
    }
}

/// The parsed, validated catalogue, or the first error in the embedded packs.
pub(crate) fn catalogue() -> Result<&'static Catalogue, &'static PackError> {
    static CATALOGUE: OnceLock<Result<Catalogue, PackError>> = OnceLock::new();
    CATALOGUE.get_or_init(load).as_ref()
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_pack_file(text: &str) -> Result<PackFile, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn parse_pack_file(json: &str) -> Result<PackFile, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

fn load() -> Result<Catalogue, PackError> {
    let mut packs = Vec::new();
    let mut lists = HashMap::new();
    let mut links = HashMap::new();
    let mut cues = Vec::new();
    let mut gates = Vec::new();
    for &(file, text) in PACK_FILES {
        let err = |reason: String| PackError { file: file.into(), rule: None, reason };
        let parsed = parse_pack_file(text).map_err(err)?;
        for (name, list) in parsed.list {
            if RUNTIME_LISTS.contains(&name.as_str()) || lists.contains_key(&name) {
                return Err(err(format!("list `{name}` is defined twice or shadows a runtime list")));
            }
            lists.insert(name, (file, list));
        }
        for (name, def) in parsed.links {
            if links.insert(name.clone(), def).is_some() {
                return Err(err(format!("links `{name}` is defined twice")));
            }
        }
        cues.extend(parsed.cue);
        gates.extend(parsed.gate);
        match parsed.pack {
            Some(header) => packs.push(Pack { file, header, rules: parsed.rule, combinations: parsed.combination, judgements: parsed.judgement }),
            None if parsed.rule.is_empty() && parsed.combination.is_empty() && parsed.judgement.is_empty() => {}
            None => return Err(err("rules need a [pack] header".into())),
        }
    }
    let mut data_date = Date::parse("2000-01-01").expect("valid");
    for (name, (file, list)) in &lists {
        let err = |reason: String| PackError { file: (*file).into(), rule: None, reason: format!("list `{name}`: {reason}") };
        let reviewed = Date::parse(&list.reviewed).ok_or_else(|| err(format!("bad reviewed date {:?}", list.reviewed)))?;
        data_date = data_date.max(reviewed);
        for term in &list.terms {
            if let TermDef::Entry(entry) = term {
                for date in entry.valid_from.iter().chain(&entry.valid_to) {
                    Date::parse(date).ok_or_else(|| err(format!("{}: bad date {date:?}", entry.term)))?;
                }
            }
        }
    }
    let catalogue = Catalogue { packs, cues, gates, lists, links, data_date };
    validate(&catalogue)?;
    Ok(catalogue)
}

/// Checks what serde cannot: ids unique, references resolve, patterns expand.
fn validate(cat: &Catalogue) -> Result<(), PackError> {
    let mut seen = HashSet::new();
    for policy in [Policy::UkCivilService, Policy::UsHatchAct, Policy::Journalist, Policy::Generic] {
        if cat.pack(policy_pack_id(policy)).is_none() {
            return Err(PackError { file: "packs".into(), rule: None, reason: format!("no pack for policy {}", policy_pack_id(policy)) });
        }
    }
    for pack in &cat.packs {
        let file = pack.file;
        let err = |rule: &str, reason: String| PackError { file: file.into(), rule: Some(rule.into()), reason };
        Date::parse(&pack.header.reviewed).ok_or_else(|| PackError { file: file.into(), rule: None, reason: "bad reviewed date".into() })?;
        for base in &pack.header.extends {
            if cat.pack(base).is_none() {
                return Err(PackError { file: file.into(), rule: None, reason: format!("extends unknown pack {base}") });
            }
        }
        for rule in &pack.rules {
            if !seen.insert(rule.id.as_str()) {
                return Err(err(&rule.id, "duplicate rule id".into()));
            }
            if rule.patterns.is_empty() == rule.links.is_none() {
                return Err(err(&rule.id, "needs exactly one of `patterns` or `links`".into()));
            }
            if let Some(name) = &rule.links {
                if !cat.links.contains_key(name) {
                    return Err(err(&rule.id, format!("unknown links list `{name}`")));
                }
            }
            for pattern in &rule.patterns {
                parse_pattern(pattern).and_then(|p| check_refs(cat, &p)).map_err(|e| err(&rule.id, format!("pattern {pattern:?}: {e}")))?;
            }
            for (what, clause) in rule.require.iter().map(|c| ("require", c)).chain(rule.unless.iter().map(|c| ("unless", c))) {
                if clause.any.is_empty() {
                    return Err(err(&rule.id, format!("a `{what}` clause has an empty `any`")));
                }
                if clause.scope.is_some() && (clause.within.is_some() || clause.before.is_some() || clause.after.is_some()) {
                    return Err(err(&rule.id, format!("a `{what}` clause has both a scope and a token window")));
                }
                for term in &clause.any {
                    parse_pattern(term).and_then(|p| check_refs(cat, &p)).map_err(|e| err(&rule.id, format!("{what} {term:?}: {e}")))?;
                }
            }
            if rule.flag.is_empty() {
                return Err(err(&rule.id, "needs at least one `flag` example".into()));
            }
        }
        for judgement in &pack.judgements {
            if !seen.insert(judgement.id.as_str()) {
                return Err(err(&judgement.id, "duplicate rule id".into()));
            }
            if !crate::judge::JUDGED.contains(&judgement.category) {
                return Err(err(&judgement.id, format!("the scorer does not judge {}", judgement.category.as_str())));
            }
            if judgement.flag.is_empty() {
                return Err(err(&judgement.id, "needs at least one `flag` example".into()));
            }
        }
        for combo in &pack.combinations {
            if !seen.insert(combo.id.as_str()) {
                return Err(err(&combo.id, "duplicate rule id".into()));
            }
            if combo.flag.is_empty() {
                return Err(err(&combo.id, "needs at least one `flag` example".into()));
            }
        }
    }
    let mut cue_ids = HashSet::new();
    for cue in &cat.cues {
        let err = |reason: String| PackError { file: "packs/cues.toml".into(), rule: Some(format!("cue {}", cue.id)), reason };
        if !cue_ids.insert(cue.id.as_str()) {
            return Err(err("duplicate cue id".into()));
        }
        if !cue.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return Err(err("a cue id is lower-case letters and dashes".into()));
        }
        for pattern in cue.patterns.iter().chain(&cue.unless) {
            parse_pattern(pattern).and_then(|p| check_refs(cat, &p)).map_err(|e| err(format!("pattern {pattern:?}: {e}")))?;
        }
    }
    if cat.cues.len() > 64 {
        return Err(PackError { file: "packs/cues.toml".into(), rule: None, reason: "at most 64 cues (a post's cues are a bit set)".into() });
    }
    for gate in &cat.gates {
        let err = |reason: String| PackError { file: "packs/cues.toml".into(), rule: Some(format!("gate {}", gate.category.as_str())), reason };
        if !crate::judge::JUDGED.contains(&gate.category) {
            return Err(err("the scorer does not judge this category".into()));
        }
        if let Some(unknown) = gate.cues.iter().find(|c| !cue_ids.contains(c.as_str())) {
            return Err(err(format!("no cue {unknown:?}")));
        }
    }
    Ok(())
}

// ---- Pattern syntax ---------------------------------------------------------------------

/// One element of a pattern: literal words, or a list reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Element {
    Words(String),
    /// `@name` (current entries) or `@name:all` (entries of any date).
    List {
        name: String,
        all_dates: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// `#…`: every token must come from a hashtag.
    pub hashtag_only: bool,
    pub elements: Vec<Element>,
}

/// Parses `"vote for @uk-parties"`, `"#vote @uk-parties"`, `"@office-holders:all"`.
/// Literal words between list references are kept together and normalised later.
pub(crate) fn parse_pattern(text: &str) -> Result<Pattern, String> {
    let trimmed = text.trim();
    let (hashtag_only, body) = match trimmed.strip_prefix('#') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut elements = Vec::new();
    let mut words = String::new();
    for piece in body.split_whitespace() {
        if let Some(name) = piece.strip_prefix('@').filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')) {
            if !words.is_empty() {
                elements.push(Element::Words(std::mem::take(&mut words)));
            }
            let (name, all_dates) = match name.strip_suffix(":all") {
                Some(n) => (n, true),
                None => (name, false),
            };
            elements.push(Element::List { name: name.to_string(), all_dates });
        } else {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(piece);
        }
    }
    if !words.is_empty() {
        elements.push(Element::Words(words));
    }
    if elements.is_empty() {
        return Err("is empty".into());
    }
    Ok(Pattern { hashtag_only, elements })
}

fn check_refs(cat: &Catalogue, pattern: &Pattern) -> Result<(), String> {
    let mut expansion = 1usize;
    for element in &pattern.elements {
        if let Element::List { name, .. } = element {
            if RUNTIME_LISTS.contains(&name.as_str()) {
                continue;
            }
            let (_, list) = cat.lists.get(name).ok_or_else(|| format!("unknown list @{name}"))?;
            let size: usize = list
                .terms
                .iter()
                .map(|t| match t {
                    TermDef::Phrase(_) => 1,
                    TermDef::Entry(e) => 1 + e.aliases.len(),
                })
                .sum();
            expansion = expansion.saturating_mul(size.max(1));
        }
    }
    if expansion > MAX_EXPANSION {
        return Err(format!("expands to {expansion} phrases (limit {MAX_EXPANSION})"));
    }
    Ok(())
}

// ---- Documentation ----------------------------------------------------------------------

/// A rule's documentation, from its pack: what `impartial explain` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleDoc {
    pub id: String,
    /// The pack file that defines it, e.g. `packs/uk-civil-service.toml`.
    pub file: String,
    pub pack: String,
    pub category: Option<Category>,
    pub severity: Severity,
    /// `rule`, `combination` or `judgement` (the trained scorer's; `severity` is its cap).
    pub kind: &'static str,
    pub message: String,
    pub explanation: String,
    pub source: crate::finding::Source,
    pub flag: Vec<String>,
    pub allow: Vec<String>,
}

/// Pack prose is hard-wrapped in TOML; callers get paragraphs as single lines, separated
/// by a blank line.
pub(crate) fn reflow(text: &str) -> String {
    text.trim().split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn doc_of_rule(pack: &Pack, rule: &RuleDef) -> RuleDoc {
    RuleDoc {
        id: rule.id.clone(),
        file: pack.file.into(),
        pack: pack.header.id.clone(),
        category: Some(rule.category),
        severity: rule.severity,
        kind: "rule",
        message: rule.message.clone(),
        explanation: reflow(&rule.explanation),
        source: rule.source.clone().into(),
        flag: rule.flag.clone(),
        allow: rule.allow.clone(),
    }
}

fn doc_of_combination(pack: &Pack, combo: &CombinationDef) -> RuleDoc {
    RuleDoc {
        id: combo.id.clone(),
        file: pack.file.into(),
        pack: pack.header.id.clone(),
        category: None,
        severity: combo.severity,
        kind: "combination",
        message: combo.message.clone(),
        explanation: reflow(&combo.explanation),
        source: combo.source.clone().into(),
        flag: combo.flag.clone(),
        allow: combo.allow.clone(),
    }
}

fn doc_of_judgement(pack: &Pack, judgement: &JudgementDef) -> RuleDoc {
    RuleDoc {
        id: judgement.id.clone(),
        file: pack.file.into(),
        pack: pack.header.id.clone(),
        category: Some(judgement.category),
        severity: judgement.max_severity,
        kind: "judgement",
        message: judgement.message.clone(),
        explanation: reflow(&judgement.explanation),
        source: judgement.source.clone().into(),
        flag: judgement.flag.clone(),
        allow: judgement.allow.clone(),
    }
}

/// Every rule a policy runs (or, with `None`, every rule of every pack), in pack order.
pub fn rule_docs(policy: Option<Policy>) -> Result<Vec<RuleDoc>, PackError> {
    let cat = catalogue().map_err(Clone::clone)?;
    let packs: Vec<&Pack> = match policy {
        Some(p) => cat.packs_for(p),
        None => cat.packs.iter().collect(),
    };
    Ok(packs
        .into_iter()
        .flat_map(|pack| {
            pack.rules
                .iter()
                .map(move |r| doc_of_rule(pack, r))
                .chain(pack.combinations.iter().map(move |c| doc_of_combination(pack, c)))
                .chain(pack.judgements.iter().map(move |j| doc_of_judgement(pack, j)))
        })
        .collect())
}

/// A pack example without its `[` `]` marks, and the marked text: the marks say what the
/// rule must underline ("I work at [HMRC] and it is hard"). Brackets around a dot
/// (`secure[.]actblue[.]com`) are a defanged link, not a mark.
pub fn example_span(example: &str) -> (String, Option<String>) {
    let Some(open) = example.find('[').filter(|&i| !example[i..].starts_with("[.]")) else { return (example.to_string(), None) };
    let Some(close) = example[open..].find(']').map(|i| open + i) else { return (example.to_string(), None) };
    let span = example[open + 1..close].to_string();
    (format!("{}{}{}", &example[..open], span, &example[close + 1..]), Some(span))
}

/// The documentation of one rule by id.
pub fn rule_doc(id: &str) -> Option<RuleDoc> {
    rule_docs(None).ok()?.into_iter().find(|d| d.id == id)
}

/// The profile a pack's inline examples are written for (its `example_profile`), under
/// `policy`. Packs without one get the default profile.
pub fn example_profile(pack: &str, policy: Policy) -> Profile {
    let profile = catalogue().ok().and_then(|cat| cat.pack(pack)).and_then(|p| p.header.example_profile.clone()).unwrap_or_default();
    Profile { policy, ..profile }
}

impl From<SourceDef> for crate::finding::Source {
    fn from(s: SourceDef) -> Self {
        crate::finding::Source { title: s.title.into(), section: s.section.into(), url: s.url.into() }
    }
}

impl From<SuggestionDef> for crate::finding::Suggestion {
    fn from(s: SuggestionDef) -> Self {
        crate::finding::Suggestion { replacement: s.replacement.into(), label: s.label.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wasm build reads build.rs's JSON instead of the TOML: it must mean the same.
    #[test]
    fn json_packs_for_wasm_equal_the_toml() {
        for &(file, toml_text) in PACK_FILES {
            let name = file.trim_start_matches("packs/").trim_end_matches(".toml");
            let json_path = format!("{}/packs/{name}.json", env!("OUT_DIR"));
            let json = std::fs::read_to_string(&json_path).unwrap_or_else(|e| panic!("{json_path}: {e}"));
            let from_toml: PackFile = toml::from_str(toml_text).expect("TOML parses");
            let from_json: PackFile = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{file} as JSON: {e}"));
            assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"), "{file}");
        }
    }

    #[test]
    fn embedded_packs_parse_and_validate() {
        if let Err(e) = catalogue() {
            panic!("{e}");
        }
    }

    #[test]
    fn prose_is_reflowed_into_paragraphs() {
        assert_eq!(reflow("  one\ntwo\n\nthree  four\n"), "one two\n\nthree four");
    }

    #[test]
    fn patterns_parse_list_references() {
        let p = parse_pattern("#vote for @uk-parties now").unwrap();
        assert!(p.hashtag_only);
        assert_eq!(
            p.elements,
            vec![Element::Words("vote for".into()), Element::List { name: "uk-parties".into(), all_dates: false }, Element::Words("now".into()),]
        );
        assert!(parse_pattern("  ").is_err());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let bad = "[[rule]]\nid = \"x\"\ncategory = \"partisan\"\nseverity = \"low\"\nmesage = \"typo\"\n";
        let err = toml::from_str::<PackFile>(bad).unwrap_err().to_string();
        assert!(err.contains("mesage"), "{err}");
    }
}
