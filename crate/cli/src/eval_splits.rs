//! `impartial eval --splits tests/corpus/splits.toml`: the engine (rules and trained scorer
//! together) on every source of the corpus, per source and per split.
//!
//! - Labelled posts: precision and recall per category at strict (a category in `expect`
//!   and reported is a hit, in `expect` and not reported a miss, in `absent` and reported a
//!   false alarm), and the share of clean posts (empty `expect`) that show anything at
//!   standard.
//! - Everyday text: the share showing a partisan, government or solicitation finding at
//!   standard, and, separately, the share showing conduct (`--list-flagged SOURCE:conduct`
//!   lists them for checking by hand).
//! - Politicians' posts: of those labelled partisan, government or solicitation, the share
//!   with any of the three at strict, checked as of each post's month (who held office then).
//!
//! `--gate` holds the test split to the judgement targets (each can be set by its flag):
//! precision and recall at least 0.90 per category, clean posts flagged at most 1%, everyday
//! text at most 0.5%, politicians' political posts found at least 90%. Exit 1 when one is
//! not met.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use impartial_core::{Category, Engine, Strictness};
use impartial_corpus::{Kind, Split};

use crate::options::EvalArgs;
use crate::UsageError;

pub const GATE_MIN_PRECISION: f64 = 0.90;
pub const GATE_MIN_RECALL: f64 = 0.90;
pub const GATE_MAX_CLEAN_FLAG_RATE: f64 = 0.01;
pub const GATE_MAX_EVERYDAY_RATE: f64 = 0.005;
pub const GATE_MIN_POLITICIANS_FOUND: f64 = 0.90;

const POLITICAL: [Category; 3] = [Category::Partisan, Category::Government, Category::Solicitation];

#[derive(Default, Clone, Copy)]
struct Counts {
    hits: usize,
    misses: usize,
    false_alarms: usize,
}

impl Counts {
    fn precision(&self) -> Option<f64> {
        let n = self.hits + self.false_alarms;
        (n > 0).then(|| self.hits as f64 / n as f64)
    }
    fn recall(&self) -> Option<f64> {
        let n = self.hits + self.misses;
        (n > 0).then(|| self.hits as f64 / n as f64)
    }
}

/// What one source (or one split) scored.
#[derive(Default)]
struct Tally {
    posts: usize,
    categories: BTreeMap<Category, Counts>,
    clean: usize,
    clean_flagged: usize,
    everyday: usize,
    everyday_political: usize,
    everyday_conduct: usize,
    political_posts: usize,
    political_found: usize,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

pub fn run(args: &EvalArgs) -> Result<ExitCode, UsageError> {
    let splits = args.splits.as_deref().expect("run only with --splits");
    let root = Path::new(".");
    let corpus = impartial_corpus::load(root, splits).map_err(UsageError)?;
    let listing = match &args.list_flagged {
        Some(spec) => {
            let (source, category) = spec.split_once(':').ok_or_else(|| UsageError(format!("--list-flagged {spec:?}: expected SOURCE:CATEGORY")))?;
            let category =
                Category::ALL.into_iter().find(|c| c.as_str() == category).ok_or_else(|| UsageError(format!("--list-flagged: no category {category:?}")))?;
            Some((source.to_string(), category))
        }
        None => None,
    };
    let mut engines: HashMap<String, Engine> = HashMap::new();
    let mut by_source: BTreeMap<(Split, String), Tally> = BTreeMap::new();
    let mut by_split: BTreeMap<Split, Tally> = BTreeMap::new();
    let mut listed = Vec::new();
    for e in &corpus.examples {
        // One engine per profile and date: a 2016 post is judged by who held office then.
        let key = e.engine_key();
        if !engines.contains_key(&key) {
            let engine = e.engine().map_err(|err| UsageError(format!("{}: profile: {err}", e.id)))?;
            engines.insert(key.clone(), engine);
        }
        let engine = &engines[&key];
        let strict = engine.check(&e.text, Strictness::Strict);
        let standard: Vec<Category> = strict.iter().filter(|f| Strictness::Standard.shows(f.severity)).map(|f| f.category).collect();
        let strict: Vec<Category> = strict.iter().map(|f| f.category).collect();
        if let Some((source, category)) = &listing {
            if &e.source == source {
                let what = match (e.kind, e.expect.contains(category), e.absent.contains(category), strict.contains(category)) {
                    (Kind::Everyday, ..) if standard.contains(category) => Some("flagged"),
                    (Kind::Everyday, ..) => None,
                    (_, true, _, false) => Some("miss"),
                    (_, _, true, true) => Some("false alarm"),
                    _ => None,
                };
                if let Some(what) = what {
                    listed.push(format!("{what}\t{}\t{}", e.id, e.text.replace('\n', " ")));
                }
            }
        }
        for tally in [by_source.entry((e.split, e.source.clone())).or_default(), by_split.entry(e.split).or_default()] {
            tally.posts += 1;
            match e.kind {
                Kind::Everyday => {
                    tally.everyday += 1;
                    tally.everyday_political += usize::from(standard.iter().any(|c| POLITICAL.contains(c)));
                    tally.everyday_conduct += usize::from(standard.contains(&Category::Conduct));
                }
                Kind::Labelled | Kind::Politicians => {
                    for c in Category::ALL {
                        let counts = tally.categories.entry(c).or_default();
                        let reported = strict.contains(&c);
                        if e.expect.contains(&c) {
                            if reported {
                                counts.hits += 1
                            } else {
                                counts.misses += 1
                            }
                        } else if e.absent.contains(&c) && reported {
                            counts.false_alarms += 1;
                        }
                    }
                    if e.kind == Kind::Labelled && e.expect.is_empty() {
                        tally.clean += 1;
                        tally.clean_flagged += usize::from(!standard.is_empty());
                    }
                    if e.kind == Kind::Politicians && e.expect.iter().any(|c| POLITICAL.contains(c)) {
                        tally.political_posts += 1;
                        tally.political_found += usize::from(strict.iter().any(|c| POLITICAL.contains(c)));
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for note in &corpus.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(out, "== By source (strict for precision/recall; standard for flag rates)\n");
    let _ = writeln!(
        out,
        "{:<6} {:<22} {:>6}  {}",
        "split", "source", "posts", "per category P/R at strict · clean flagged · everyday flagged (political, conduct) · politicians found"
    );
    for ((split, source), t) in &by_source {
        let _ = writeln!(out, "{:<6} {:<22} {:>6}  {}", split.as_str(), source, t.posts, summary(t));
    }
    let _ = writeln!(out, "\n== By split\n");
    for (split, t) in &by_split {
        let _ = writeln!(out, "{} ({} posts): {}", split.as_str(), t.posts, summary(t));
        let _ = writeln!(out, "  {:<13} {:>9} {:>8} {:>6} {:>7} {:>7}", "category", "precision", "recall", "hits", "misses", "alarms");
        for (c, counts) in &t.categories {
            let _ = writeln!(
                out,
                "  {:<13} {:>9} {:>8} {:>6} {:>7} {:>7}",
                c.as_str(),
                pct(counts.precision()),
                pct(counts.recall()),
                counts.hits,
                counts.misses,
                counts.false_alarms
            );
        }
    }
    let mut failures = Vec::new();
    if args.real_and_gate.gate {
        let test = by_split.get(&Split::Test).ok_or_else(|| UsageError("--gate: the splits have no test posts".into()))?;
        let min_p = args.min_precision.unwrap_or(GATE_MIN_PRECISION);
        let min_r = args.min_recall.unwrap_or(GATE_MIN_RECALL);
        for (c, counts) in &test.categories {
            if counts.precision().is_some_and(|p| p < min_p) {
                failures.push(format!("test {} precision {} < {}", c.as_str(), pct(counts.precision()), pct(Some(min_p))));
            }
            if counts.recall().is_some_and(|r| r < min_r) {
                failures.push(format!("test {} recall {} < {}", c.as_str(), pct(counts.recall()), pct(Some(min_r))));
            }
        }
        let max_clean = args.max_clean_flag_rate.unwrap_or(GATE_MAX_CLEAN_FLAG_RATE);
        if ratio(test.clean_flagged, test.clean).is_some_and(|r| r > max_clean) {
            failures.push(format!("test clean posts flagged at standard {} > {}", pct(ratio(test.clean_flagged, test.clean)), pct(Some(max_clean))));
        }
        let max_everyday = args.real_and_gate.max_real_flag_rate.unwrap_or(GATE_MAX_EVERYDAY_RATE);
        if ratio(test.everyday_political, test.everyday).is_some_and(|r| r > max_everyday) {
            failures.push(format!(
                "test everyday text with a political finding at standard {} > {}",
                pct(ratio(test.everyday_political, test.everyday)),
                pct(Some(max_everyday))
            ));
        }
        let min_politicians = args.min_politicians_found.unwrap_or(GATE_MIN_POLITICIANS_FOUND);
        if ratio(test.political_found, test.political_posts).is_some_and(|r| r < min_politicians) {
            failures.push(format!(
                "test politicians' political posts found {} < {}",
                pct(ratio(test.political_found, test.political_posts)),
                pct(Some(min_politicians))
            ));
        }
        let _ = writeln!(out, "\n== Quality gate (test split)\n");
        if failures.is_empty() {
            let _ = writeln!(out, "passed");
        }
        for f in &failures {
            let _ = writeln!(out, "FAILED: {f}");
        }
    }
    if listing.is_some() {
        let _ = writeln!(out, "\n== Flagged ({})\n", listed.len());
        for line in &listed {
            let _ = writeln!(out, "{line}");
        }
    }
    print!("{out}");
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn summary(t: &Tally) -> String {
    let mut parts = Vec::new();
    for (c, counts) in &t.categories {
        if counts.hits + counts.misses + counts.false_alarms > 0 {
            parts.push(format!("{} {}/{}", c.as_str(), pct(counts.precision()), pct(counts.recall())));
        }
    }
    if t.clean > 0 {
        parts.push(format!("clean {} of {}", pct(ratio(t.clean_flagged, t.clean)), t.clean));
    }
    if t.everyday > 0 {
        parts.push(format!("everyday {} / {}", pct(ratio(t.everyday_political, t.everyday)), pct(ratio(t.everyday_conduct, t.everyday))));
    }
    if t.political_posts > 0 {
        parts.push(format!("politicians {} of {}", pct(ratio(t.political_found, t.political_posts)), t.political_posts));
    }
    parts.join(" · ")
}
