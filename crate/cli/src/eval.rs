//! `impartial eval PATH...`: scores the rules against a labelled corpus (`tests/corpus/`,
//! format in its README).
//!
//! Every post is checked with an engine for its own profile (one engine per distinct
//! profile, with the packs' own review date for dated lists, so results do not depend on
//! today's date), twice:
//!
//! - at `strict` for precision and recall. For a category C, a post is a true positive if C
//!   is in `expect` and reported, a miss if C is in `expect` and not reported, a false alarm
//!   if C is in `absent` and reported; a category in neither list never counts. Findings are
//!   counted by their `category` as the engine gives it, once per post and category;
//! - at `standard` for the clean-post flag rate: a post with an empty `expect` is flagged if
//!   anything shows at standard.
//!
//! Posts whose id hashes (FNV-1a 32-bit over its UTF-8 bytes) to 0 mod 5 are the hold-out
//! set and are scored separately from the tuning posts. Their misses and false alarms are
//! counted but not listed unless `--show-holdout` is given, because nobody tuning rules
//! should read them.
//!
//! `--real PATH` adds unlabelled real text (JSON Lines of `{"id", "text", "source"}`, e.g.
//! `tests/corpus/real/`): nobody in the project wrote it and nothing in it is meant to be
//! flagged, so every text is checked at `standard` under each of the four policies, with that
//! policy pack's `example_profile` as the author, and the report gives the flag rate per
//! policy and lists every flagged text with the rules that fired and the text they matched.
//!
//! `--gate` is the quality gate: it applies the project's targets to every threshold not
//! given on the command line (precision 0.90 and recall 0.85 per category at strict, at most
//! 2% of clean posts and at most 2% of real texts, per policy, flagged at standard), all on
//! the whole corpus (tuning and hold-out together).
//!
//! Exit status: 2 if any line was bad (each is named, FILE:LINE: reason, and the rest is
//! still scored), else 1 if a `--min-*`/`--max-*` threshold was not met, else 0.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use impartial_core::{example_profile, is_valid_site_id, Category, Engine, Finding, Policy, Profile, Severity, Strictness};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::options::{EvalArgs, Format};
use crate::UsageError;

/// Misses' text is cut to about this many characters in the human report.
const SHORT_TEXT: usize = 100;

/// How many of the most common false-alarm rules the human report lists.
const TOP_RULES: usize = 10;

/// The project's targets, which `--gate` applies to any threshold not given.
pub const GATE_MIN_PRECISION: f64 = 0.90;
pub const GATE_MIN_RECALL: f64 = 0.85;
pub const GATE_MAX_CLEAN_FLAG_RATE: f64 = 0.02;
pub const GATE_MAX_REAL_FLAG_RATE: f64 = 0.02;

/// `impartial eval`'s real-text and gate options (flattened into `EvalArgs`).
#[derive(Args)]
pub struct RealAndGateArgs {
    /// Unlabelled real text that should not be flagged: JSON Lines of {"id", "text",
    /// "source"}, or directories of them (repeatable). Each text is checked at standard
    /// under every policy, with the policy pack's example profile.
    #[arg(long, value_name = "PATH")]
    pub real: Vec<PathBuf>,
    /// Exit 1 if, under any one policy, more than RATE of the real texts show anything at
    /// standard.
    #[arg(long, visible_alias = "max-real-rate", value_name = "RATE", value_parser = parse_rate)]
    pub max_real_flag_rate: Option<f64>,
    /// The quality gate: every threshold not given defaults to the project's target
    /// (--min-precision 0.90 --min-recall 0.85 --max-clean-flag-rate 0.02
    /// --max-real-flag-rate 0.02), on all posts (tuning and hold-out).
    #[arg(long)]
    pub gate: bool,
}

/// The thresholds in force: those given, and with `--gate` the project's targets for the rest.
#[derive(Clone, Copy, Default, Serialize)]
struct Limits {
    gate: bool,
    min_precision: Option<f64>,
    min_recall: Option<f64>,
    max_clean_flag_rate: Option<f64>,
    max_real_flag_rate: Option<f64>,
}

impl Limits {
    fn from_args(args: &EvalArgs) -> Limits {
        let gate = args.real_and_gate.gate;
        let or_target = |given: Option<f64>, target: f64| if gate { given.or(Some(target)) } else { given };
        Limits {
            gate,
            min_precision: or_target(args.min_precision, GATE_MIN_PRECISION),
            min_recall: or_target(args.min_recall, GATE_MIN_RECALL),
            max_clean_flag_rate: or_target(args.max_clean_flag_rate, GATE_MAX_CLEAN_FLAG_RATE),
            max_real_flag_rate: or_target(args.real_and_gate.max_real_flag_rate, GATE_MAX_REAL_FLAG_RATE),
        }
    }

    fn any(&self) -> bool {
        self.min_precision.is_some() || self.min_recall.is_some() || self.max_clean_flag_rate.is_some() || self.max_real_flag_rate.is_some()
    }
}

// The corpus README's hold-out rule lives with the corpus reader, which splits by it too.
use impartial_corpus::is_holdout;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    id: String,
    site: String,
    profile: Profile,
    text: String,
    expect: Vec<Category>,
    absent: Vec<Category>,
    #[serde(default)]
    #[allow(dead_code)] // documented in the corpus; nothing to score
    notes: String,
}

/// A post after checking: what it was labelled and what the engine said.
struct Scored {
    id: String,
    holdout: bool,
    policy: Policy,
    text: String,
    expect: Vec<Category>,
    absent: Vec<Category>,
    /// Findings at strict.
    strict: Vec<Finding>,
    /// Anything shows at standard.
    flagged_at_standard: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    Tuning,
    Holdout,
    All,
}

impl Split {
    const ALL: [Split; 3] = [Split::Tuning, Split::Holdout, Split::All];

    fn key(self) -> &'static str {
        match self {
            Split::Tuning => "tuning",
            Split::Holdout => "holdout",
            Split::All => "all",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Split::Tuning => "tuning",
            Split::Holdout => "hold-out",
            Split::All => "all",
        }
    }

    fn contains(self, post: &Scored) -> bool {
        match self {
            Split::Tuning => !post.holdout,
            Split::Holdout => post.holdout,
            Split::All => true,
        }
    }
}

/// Counts at the category level, and the rates they give (`None` where undefined).
#[derive(Clone, Copy, Default, Serialize)]
struct Score {
    true_positives: usize,
    misses: usize,
    false_alarms: usize,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
}

impl Score {
    fn add(&mut self, other: &Score) {
        self.true_positives += other.true_positives;
        self.misses += other.misses;
        self.false_alarms += other.false_alarms;
    }

    fn finish(mut self) -> Score {
        let ratio = |a: usize, b: usize| if b == 0 { None } else { Some(a as f64 / b as f64) };
        self.precision = ratio(self.true_positives, self.true_positives + self.false_alarms);
        self.recall = ratio(self.true_positives, self.true_positives + self.misses);
        self.f1 = match (self.precision, self.recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        self
    }
}

/// A JSON object whose keys keep the given order.
struct Ordered<T>(Vec<(&'static str, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct CleanRate {
    posts: usize,
    flagged: usize,
    rate: Option<f64>,
}

#[derive(Serialize)]
struct SplitReport {
    posts: usize,
    categories: Ordered<Score>,
    /// All categories together (micro-averaged).
    overall: Score,
    policies: Ordered<Score>,
    clean_at_standard: CleanRate,
}

#[derive(Serialize)]
struct Miss {
    id: String,
    split: &'static str,
    policy: &'static str,
    category: Category,
    text: String,
}

#[derive(Serialize)]
struct Fired {
    rule: String,
    severity: Severity,
    text: String,
}

#[derive(Serialize)]
struct FalseAlarm {
    id: String,
    split: &'static str,
    policy: &'static str,
    category: Category,
    /// Every finding of the category at strict: the rules that fired.
    findings: Vec<Fired>,
}

#[derive(Serialize)]
struct RuleCount {
    rule: String,
    /// Posts on which the rule gave a false alarm.
    false_alarms: usize,
    tuning: usize,
    holdout: usize,
}

#[derive(Serialize)]
struct BadLine {
    file: String,
    line: usize,
    reason: String,
}

#[derive(Serialize)]
struct Failure {
    /// `precision`, `recall`, `clean_flag_rate` or `real_flag_rate`.
    measure: &'static str,
    /// The category, or null for the flag rates.
    category: Option<Category>,
    /// The policy, for `real_flag_rate`; else null.
    policy: Option<&'static str>,
    value: f64,
    limit: f64,
}

/// A line of real text: nobody labelled it, and nothing in it should be flagged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RealLine {
    id: String,
    text: String,
    source: String,
}

#[derive(Serialize)]
struct RealFired {
    rule: String,
    category: Category,
    severity: Severity,
    /// The matched text.
    text: String,
}

#[derive(Serialize)]
struct RealPolicyFindings {
    policy: &'static str,
    findings: Vec<RealFired>,
}

/// A real text that showed something at standard under at least one policy.
#[derive(Serialize)]
struct RealFlagged {
    id: String,
    source: String,
    text: String,
    /// The policies it was flagged under, each with what showed.
    policies: Vec<RealPolicyFindings>,
}

#[derive(Serialize)]
struct RealPolicyRate {
    /// The author the texts were checked for: the policy pack's example profile.
    profile: Profile,
    texts: usize,
    flagged: usize,
    rate: Option<f64>,
}

#[derive(Serialize)]
struct RealRate {
    /// Checks made: texts, or texts × policies.
    checks: usize,
    flagged: usize,
    rate: Option<f64>,
}

#[derive(Serialize)]
struct RealRuleCount {
    rule: String,
    /// Real texts on which the rule showed, under any policy.
    texts: usize,
}

#[derive(Serialize)]
struct RealReport {
    files: Vec<String>,
    texts: usize,
    checked_at: Strictness,
    policies: Ordered<RealPolicyRate>,
    /// Text and policy pairs: texts × 4 checks.
    all_policies: RealRate,
    /// Texts flagged under at least one policy.
    any_policy: RealRate,
    /// Every rule that showed on real text, most often first.
    rules: Vec<RealRuleCount>,
    flagged: Vec<RealFlagged>,
}

#[derive(Serialize)]
struct Report {
    files: Vec<String>,
    posts: usize,
    engines: usize,
    scored_at: Strictness,
    clean_flag_rate_at: Strictness,
    holdout_rule: &'static str,
    bad_line_count: usize,
    bad_lines: Vec<BadLine>,
    splits: Ordered<SplitReport>,
    miss_count: Ordered<usize>,
    false_alarm_count: Ordered<usize>,
    /// False if hold-out posts were left out of `misses` and `false_alarms`.
    holdout_listed: bool,
    misses: Vec<Miss>,
    false_alarms: Vec<FalseAlarm>,
    /// Every rule that gave a false alarm, most often first.
    false_alarm_rules: Vec<RuleCount>,
    /// The unlabelled real text (`--real`), or null.
    real: Option<RealReport>,
    /// The thresholds in force (null where none), and whether `--gate` set them.
    thresholds: Limits,
    threshold_failures: Vec<Failure>,
}

pub fn run(args: &EvalArgs) -> Result<ExitCode, UsageError> {
    let limits = Limits::from_args(args);
    let files = if args.paths.is_empty() { Vec::new() } else { corpus_files(&args.paths)? };
    let real_files = if args.real_and_gate.real.is_empty() { Vec::new() } else { corpus_files(&args.real_and_gate.real)? };
    let mut bad = Vec::new();
    let mut posts = Vec::new();
    let mut engines: HashMap<String, Engine> = HashMap::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for file in &files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).map_err(|e| UsageError(format!("cannot read {name}: {e}")))?;
        for (number, line) in lines(&bytes).enumerate() {
            let number = number + 1;
            match score_line(line, &mut engines, &mut seen, &format!("{name}:{number}")) {
                Ok(post) => posts.push(post),
                Err(reason) => {
                    eprintln!("impartial: {name}:{number}: {reason}");
                    bad.push(BadLine { file: name.clone(), line: number, reason });
                }
            }
        }
    }
    let real = if real_files.is_empty() { None } else { Some(real_report(&real_files, &mut bad)?) };
    if posts.is_empty() && real.as_ref().is_none_or(|r| r.texts == 0) && bad.is_empty() {
        return Err(UsageError("no posts to evaluate".into()));
    }
    let mut report = build_report(&files, &posts, engines.len(), bad, args.show_holdout);
    report.real = real;
    report.thresholds = limits;
    report.threshold_failures = thresholds(&report, &limits);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report).expect("the report serialises")),
        Format::Human => print!("{}", human(&report)),
    }
    if !report.bad_lines.is_empty() {
        eprintln!("impartial: {} bad line(s) were not scored", report.bad_lines.len());
        return Ok(ExitCode::from(2));
    }
    if !report.threshold_failures.is_empty() {
        eprintln!("impartial: {} threshold(s) not met", report.threshold_failures.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The files named, and the `.jsonl` files (sorted, not recursive) in the directories named.
fn corpus_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, UsageError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
            let mut found: Vec<PathBuf> =
                entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "jsonl") && p.is_file()).collect();
            if found.is_empty() {
                return Err(UsageError(format!("{} has no .jsonl files", path.display())));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Lines without their `\n` (or `\r\n`); no empty piece after a final newline.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let pieces: Vec<&[u8]> = if body.is_empty() && bytes.is_empty() { Vec::new() } else { body.split(|&b| b == b'\n').collect() };
    pieces.into_iter().map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

fn score_line(bytes: &[u8], engines: &mut HashMap<String, Engine>, seen: &mut HashMap<String, String>, here: &str) -> Result<Scored, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("blank line (the corpus has one post a line and no blank lines)".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let post: Post = serde_json::from_str(text).map_err(|e| format!("not a corpus post: {e}"))?;
    if post.id.trim().is_empty() {
        return Err("empty \"id\"".into());
    }
    if !is_valid_site_id(&post.site) {
        return Err(format!("\"site\" {:?} is not a site id", post.site));
    }
    if let Some(c) = post.expect.iter().find(|c| post.absent.contains(c)) {
        return Err(format!("{:?} is in both \"expect\" and \"absent\"", c.as_str()));
    }
    if let Some(first) = seen.get(&post.id) {
        return Err(format!("duplicate id {:?} (first at {first})", post.id));
    }
    let key = serde_json::to_string(&post.profile).expect("profiles serialise");
    if !engines.contains_key(&key) {
        let engine = Engine::new(&post.profile).map_err(|e| format!("profile: {e}"))?;
        engines.insert(key.clone(), engine);
    }
    seen.insert(post.id.clone(), here.to_string());
    let engine = &engines[&key];
    let strict = engine.check(&post.text, Strictness::Strict);
    let flagged_at_standard = !engine.check(&post.text, Strictness::Standard).is_empty();
    Ok(Scored {
        holdout: is_holdout(&post.id),
        policy: post.profile.policy,
        id: post.id,
        text: post.text,
        expect: post.expect,
        absent: post.absent,
        strict,
        flagged_at_standard,
    })
}

impl Scored {
    fn reported(&self, c: Category) -> bool {
        self.strict.iter().any(|f| f.category == c)
    }

    fn score(&self, c: Category) -> Score {
        let reported = self.reported(c);
        let mut s = Score::default();
        if self.expect.contains(&c) {
            if reported {
                s.true_positives = 1;
            } else {
                s.misses = 1;
            }
        } else if self.absent.contains(&c) && reported {
            s.false_alarms = 1;
        }
        s
    }

    fn split(&self) -> &'static str {
        if self.holdout {
            Split::Holdout.key()
        } else {
            Split::Tuning.key()
        }
    }
}

fn split_report(posts: &[Scored], split: Split) -> SplitReport {
    let mine: Vec<&Scored> = posts.iter().filter(|p| split.contains(p)).collect();
    let mut overall = Score::default();
    let categories = Category::ALL
        .iter()
        .map(|&c| {
            let mut s = Score::default();
            for p in &mine {
                s.add(&p.score(c));
            }
            overall.add(&s);
            (c.as_str(), s.finish())
        })
        .collect();
    let policies = Policy::ALL
        .iter()
        .map(|&policy| {
            let mut s = Score::default();
            for p in mine.iter().filter(|p| p.policy == policy) {
                for c in Category::ALL {
                    s.add(&p.score(c));
                }
            }
            (policy.as_str(), s.finish())
        })
        .collect();
    let clean: Vec<&&Scored> = mine.iter().filter(|p| p.expect.is_empty()).collect();
    let flagged = clean.iter().filter(|p| p.flagged_at_standard).count();
    let rate = if clean.is_empty() { None } else { Some(flagged as f64 / clean.len() as f64) };
    SplitReport {
        posts: mine.len(),
        categories: Ordered(categories),
        overall: overall.finish(),
        policies: Ordered(policies),
        clean_at_standard: CleanRate { posts: clean.len(), flagged, rate },
    }
}

fn build_report(files: &[PathBuf], posts: &[Scored], engines: usize, bad_lines: Vec<BadLine>, show_holdout: bool) -> Report {
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let mut miss_count = [0usize; 2];
    let mut alarm_count = [0usize; 2];
    // rule → (tuning posts, hold-out posts)
    let mut rules: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for p in posts {
        let listed = show_holdout || !p.holdout;
        for c in Category::ALL {
            let s = p.score(c);
            if s.misses > 0 {
                miss_count[usize::from(p.holdout)] += 1;
                if listed {
                    misses.push(Miss { id: p.id.clone(), split: p.split(), policy: p.policy.as_str(), category: c, text: p.text.clone() });
                }
            }
            if s.false_alarms > 0 {
                alarm_count[usize::from(p.holdout)] += 1;
                let fired: Vec<&Finding> = p.strict.iter().filter(|f| f.category == c).collect();
                let distinct: HashSet<&str> = fired.iter().map(|f| &*f.rule).collect();
                for rule in distinct {
                    let entry = rules.entry(rule.to_string()).or_default();
                    if p.holdout {
                        entry.1 += 1;
                    } else {
                        entry.0 += 1;
                    }
                }
                if listed {
                    false_alarms.push(FalseAlarm {
                        id: p.id.clone(),
                        split: p.split(),
                        policy: p.policy.as_str(),
                        category: c,
                        findings: fired.iter().map(|f| Fired { rule: f.rule.to_string(), severity: f.severity, text: f.text.clone() }).collect(),
                    });
                }
            }
        }
    }
    let mut false_alarm_rules: Vec<RuleCount> =
        rules.into_iter().map(|(rule, (tuning, holdout))| RuleCount { rule, false_alarms: tuning + holdout, tuning, holdout }).collect();
    false_alarm_rules.sort_by(|a, b| b.false_alarms.cmp(&a.false_alarms).then_with(|| a.rule.cmp(&b.rule)));
    let counts = |c: [usize; 2]| Ordered(vec![("tuning", c[0]), ("holdout", c[1]), ("all", c[0] + c[1])]);
    Report {
        files: files.iter().map(|f| f.display().to_string()).collect(),
        posts: posts.len(),
        engines,
        scored_at: Strictness::Strict,
        clean_flag_rate_at: Strictness::Standard,
        holdout_rule: "FNV-1a 32-bit of the id's UTF-8 bytes is 0 mod 5",
        bad_line_count: bad_lines.len(),
        bad_lines,
        splits: Ordered(Split::ALL.iter().map(|&s| (s.key(), split_report(posts, s))).collect()),
        miss_count: counts(miss_count),
        false_alarm_count: counts(alarm_count),
        holdout_listed: show_holdout,
        misses,
        false_alarms,
        false_alarm_rules,
        real: None,
        thresholds: Limits::default(),
        threshold_failures: Vec::new(),
    }
}

/// Checks every real text at standard under each policy, with the policy pack's example
/// profile. Bad lines go to `bad` (and standard error) like the labelled corpus's.
fn real_report(files: &[PathBuf], bad: &mut Vec<BadLine>) -> Result<RealReport, UsageError> {
    let mut engines = Vec::new();
    for policy in Policy::ALL {
        let profile = example_profile(policy.as_str(), policy);
        let engine = Engine::new(&profile).map_err(|e| UsageError(format!("the {} example profile: {e}", policy.as_str())))?;
        engines.push((policy, profile, engine));
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut texts = 0;
    let mut per_policy = vec![0usize; engines.len()];
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut flagged = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).map_err(|e| UsageError(format!("cannot read {name}: {e}")))?;
        for (number, line) in lines(&bytes).enumerate() {
            let number = number + 1;
            let here = format!("{name}:{number}");
            let parsed = parse_real(line).and_then(|real| match seen.get(&real.id) {
                Some(first) => Err(format!("duplicate id {:?} (first at {first})", real.id)),
                None => Ok(real),
            });
            let real = match parsed {
                Ok(real) => real,
                Err(reason) => {
                    eprintln!("impartial: {here}: {reason}");
                    bad.push(BadLine { file: name.clone(), line: number, reason });
                    continue;
                }
            };
            seen.insert(real.id.clone(), here);
            texts += 1;
            let mut policies = Vec::new();
            let mut fired: HashSet<String> = HashSet::new();
            for (i, (policy, _, engine)) in engines.iter().enumerate() {
                let findings = engine.check(&real.text, Strictness::Standard);
                if findings.is_empty() {
                    continue;
                }
                per_policy[i] += 1;
                fired.extend(findings.iter().map(|f| f.rule.to_string()));
                policies.push(RealPolicyFindings {
                    policy: policy.as_str(),
                    findings: findings
                        .into_iter()
                        .map(|f| RealFired { rule: f.rule.to_string(), category: f.category, severity: f.severity, text: f.text })
                        .collect(),
                });
            }
            for rule in fired {
                *rules.entry(rule).or_default() += 1;
            }
            if !policies.is_empty() {
                flagged.push(RealFlagged { id: real.id, source: real.source, text: real.text, policies });
            }
        }
    }
    let rate = |n: usize, of: usize| RealRate { checks: of, flagged: n, rate: if of == 0 { None } else { Some(n as f64 / of as f64) } };
    let pairs: usize = per_policy.iter().sum();
    let mut rules: Vec<RealRuleCount> = rules.into_iter().map(|(rule, texts)| RealRuleCount { rule, texts }).collect();
    rules.sort_by(|a, b| b.texts.cmp(&a.texts).then_with(|| a.rule.cmp(&b.rule)));
    Ok(RealReport {
        files: files.iter().map(|f| f.display().to_string()).collect(),
        texts,
        checked_at: Strictness::Standard,
        policies: Ordered(
            engines
                .into_iter()
                .zip(&per_policy)
                .map(|((policy, profile, _), &n)| {
                    let r = rate(n, texts);
                    (policy.as_str(), RealPolicyRate { profile, texts, flagged: n, rate: r.rate })
                })
                .collect(),
        ),
        all_policies: rate(pairs, texts * Policy::ALL.len()),
        any_policy: rate(flagged.len(), texts),
        rules,
        flagged,
    })
}

fn parse_real(bytes: &[u8]) -> Result<RealLine, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("blank line (real text has one text a line and no blank lines)".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let real: RealLine = serde_json::from_str(text).map_err(|e| format!("not a real-text line ({{\"id\", \"text\", \"source\"}}): {e}"))?;
    if real.id.trim().is_empty() {
        return Err("empty \"id\"".into());
    }
    Ok(real)
}

/// The thresholds apply to all posts (tuning and hold-out together).
fn thresholds(report: &Report, limits: &Limits) -> Vec<Failure> {
    let all = &report.splits.0.iter().find(|(k, _)| *k == "all").expect("the all split").1;
    let mut failures = Vec::new();
    for (&c, (_, score)) in Category::ALL.iter().zip(&all.categories.0) {
        let checks = [("precision", score.precision, limits.min_precision), ("recall", score.recall, limits.min_recall)];
        for (measure, value, limit) in checks {
            if let (Some(value), Some(limit)) = (value, limit) {
                if value < limit {
                    failures.push(Failure { measure, category: Some(c), policy: None, value, limit });
                }
            }
        }
    }
    if let (Some(rate), Some(limit)) = (all.clean_at_standard.rate, limits.max_clean_flag_rate) {
        if rate > limit {
            failures.push(Failure { measure: "clean_flag_rate", category: None, policy: None, value: rate, limit });
        }
    }
    if let (Some(real), Some(limit)) = (&report.real, limits.max_real_flag_rate) {
        for (policy, r) in &real.policies.0 {
            if let Some(rate) = r.rate.filter(|&rate| rate > limit) {
                failures.push(Failure { measure: "real_flag_rate", category: None, policy: Some(policy), value: rate, limit });
            }
        }
    }
    failures
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{:.1}%", 100.0 * x))
}

/// One line, no control or bidi characters, at most `max` characters (then "…").
fn shorten(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut last_space = true;
    let mut count = 0;
    for ch in text.chars() {
        let ch = if ch.is_whitespace() || ch.is_control() || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') { ' ' } else { ch };
        if ch == ' ' && last_space {
            continue;
        }
        last_space = ch == ' ';
        if count == max {
            out.truncate(out.trim_end().len());
            out.push('…');
            return out;
        }
        out.push(ch);
        count += 1;
    }
    out.trim_end().to_string()
}

fn table(out: &mut String, name: &str, rows: &[(&str, &Score)]) {
    let width = rows.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0).max(name.len());
    let _ = writeln!(out, "  {name:<width$}  {:>5} {:>6} {:>6}  {:>9} {:>7} {:>7}", "TP", "misses", "FA", "precision", "recall", "F1");
    for (n, s) in rows {
        let _ = writeln!(
            out,
            "  {n:<width$}  {:>5} {:>6} {:>6}  {:>9} {:>7} {:>7}",
            s.true_positives,
            s.misses,
            s.false_alarms,
            pct(s.precision),
            pct(s.recall),
            pct(s.f1)
        );
    }
}

fn human(r: &Report) -> String {
    let mut out = String::new();
    if !r.files.is_empty() {
        labelled(&mut out, r);
    } else if r.bad_line_count > 0 {
        let _ = writeln!(out, "{} bad line(s) were not scored (listed on standard error).", r.bad_line_count);
    }
    if let Some(real) = &r.real {
        real_text(&mut out, real);
    }
    if r.thresholds.any() {
        thresholds_human(&mut out, r);
    }
    out
}

/// A rate with two decimals: real-text rates are small.
fn pct2(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{:.2}%", 100.0 * x))
}

fn describe_profile(p: &Profile) -> String {
    let mut s = p.employer.clone();
    if !p.aliases.is_empty() {
        let _ = write!(s, " ({})", p.aliases.join(", "));
    }
    if let Some(role) = &p.role {
        let _ = write!(s, ", {role}");
    }
    s
}

fn real_text(out: &mut String, real: &RealReport) {
    let _ = writeln!(
        out,
        "{}== Real text: {} unlabelled text(s) from {} file(s), checked at standard under each policy ==",
        if out.is_empty() { "" } else { "\n" },
        real.texts,
        real.files.len()
    );
    let _ = writeln!(out, "  The author is the policy pack's example profile. None of these texts is meant to be flagged.");
    let width = Policy::ALL.iter().map(|p| p.as_str().len()).max().unwrap_or(0).max("(any policy)".len());
    let _ = writeln!(out, "  {:<width$}  {:>8} {:>8}  profile", "policy", "flagged", "rate");
    for (policy, pr) in &real.policies.0 {
        let _ = writeln!(out, "  {policy:<width$}  {:>8} {:>8}  {}", pr.flagged, pct2(pr.rate), describe_profile(&pr.profile));
    }
    let all = &real.all_policies;
    let _ = writeln!(out, "  {:<width$}  {:>8} {:>8}  of {} text and policy pairs", "(all policies)", all.flagged, pct2(all.rate), all.checks);
    let any = &real.any_policy;
    let _ = writeln!(out, "  {:<width$}  {:>8} {:>8}  of {} texts", "(any policy)", any.flagged, pct2(any.rate), any.checks);
    if !real.rules.is_empty() {
        let _ = writeln!(out, "\n  Rules that showed (texts, any policy):");
        for rc in &real.rules {
            let _ = writeln!(out, "  {:>6}  {}", rc.texts, rc.rule);
        }
    }
    let _ = writeln!(out, "\n== Flagged real texts: {} ==", real.flagged.len());
    for f in &real.flagged {
        let _ = writeln!(out, "  {}  \"{}\"", f.id, shorten(&f.text, 2 * SHORT_TEXT));
        // Each distinct finding once, with the policies it showed under.
        let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
        for pf in &f.policies {
            for fired in &pf.findings {
                let line = format!("{} {} ({})  \"{}\"", fired.category.as_str(), fired.rule, fired.severity.as_str(), shorten(&fired.text, SHORT_TEXT));
                match lines.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, policies)) => {
                        if !policies.contains(&pf.policy) {
                            policies.push(pf.policy);
                        }
                    }
                    None => lines.push((line, vec![pf.policy])),
                }
            }
        }
        for (line, policies) in lines {
            let _ = writeln!(out, "      {line}  [{}]", policies.join(", "));
        }
    }
}

fn thresholds_human(out: &mut String, r: &Report) {
    let t = &r.thresholds;
    let mut set = Vec::new();
    if let Some(x) = t.min_precision {
        set.push(format!("precision >= {} per category (strict)", pct(Some(x))));
    }
    if let Some(x) = t.min_recall {
        set.push(format!("recall >= {} per category (strict)", pct(Some(x))));
    }
    if let Some(x) = t.max_clean_flag_rate {
        set.push(format!("clean posts flagged <= {} (standard)", pct(Some(x))));
    }
    if let Some(x) = t.max_real_flag_rate {
        set.push(format!("real texts flagged <= {} per policy (standard)", pct(Some(x))));
    }
    let _ = writeln!(out, "\n== {} (all posts: tuning and hold-out) ==", if t.gate { "Quality gate" } else { "Thresholds" });
    let _ = writeln!(out, "  {}", set.join("; "));
    if t.max_real_flag_rate.is_some() && r.real.is_none() {
        let _ = writeln!(out, "  real-text flag rate: not measured (no --real text given)");
    }
    if r.threshold_failures.is_empty() {
        let _ = writeln!(out, "  all thresholds met");
        return;
    }
    let _ = writeln!(out, "  {} threshold(s) not met:", r.threshold_failures.len());
    for f in &r.threshold_failures {
        match (f.category, f.policy) {
            (Some(c), _) => {
                let _ = writeln!(out, "  {} {}: {} is below {}", c.as_str(), f.measure, pct(Some(f.value)), pct(Some(f.limit)));
            }
            (None, Some(policy)) => {
                let _ = writeln!(out, "  real texts flagged at standard ({policy}): {} is above {}", pct2(Some(f.value)), pct(Some(f.limit)));
            }
            (None, None) => {
                let _ = writeln!(out, "  clean-post flag rate at standard: {} is above {}", pct(Some(f.value)), pct(Some(f.limit)));
            }
        }
    }
}

fn labelled(out: &mut String, r: &Report) {
    let split = |key: &str| &r.splits.0.iter().find(|(k, _)| *k == key).expect("split").1;
    let (tuning, holdout, all) = (split("tuning"), split("holdout"), split("all"));
    let _ = writeln!(
        out,
        "Impartial evaluation: {} posts from {} file(s): {} tuning, {} hold-out; {} profile(s).",
        r.posts,
        r.files.len(),
        tuning.posts,
        holdout.posts,
        r.engines
    );
    let _ = writeln!(out, "Precision and recall at strict; clean-post flag rate at standard. FA = false alarms.");
    if r.bad_line_count > 0 {
        let _ = writeln!(out, "{} bad line(s) were not scored (listed on standard error).", r.bad_line_count);
    }
    for s in Split::ALL {
        let sr = split(s.key());
        let _ = writeln!(out, "\n== {} posts ({}) ==", s.title(), sr.posts);
        let mut rows: Vec<(&str, &Score)> = sr.categories.0.iter().map(|(n, s)| (*n, s)).collect();
        rows.push(("(all categories)", &sr.overall));
        table(out, "category", &rows);
        let _ = writeln!(out);
        let rows: Vec<(&str, &Score)> = sr.policies.0.iter().map(|(n, s)| (*n, s)).collect();
        table(out, "policy", &rows);
        let c = &sr.clean_at_standard;
        let _ = writeln!(out, "\n  clean posts flagged at standard: {} of {} ({})", c.flagged, c.posts, pct(c.rate));
    }

    let _ = writeln!(out, "\n== F1, tuning vs hold-out (a large gap suggests overfitting) ==");
    let _ = writeln!(out, "  {:<16}  {:>7} {:>8} {:>7}", "category", "tuning", "hold-out", "all");
    let f1_rows =
        (0..Category::ALL.len()).map(|i| (tuning.categories.0[i].0, tuning.categories.0[i].1.f1, holdout.categories.0[i].1.f1, all.categories.0[i].1.f1));
    let overall = std::iter::once(("(all categories)", tuning.overall.f1, holdout.overall.f1, all.overall.f1));
    for (name, t, h, a) in f1_rows.chain(overall) {
        let _ = writeln!(out, "  {name:<16}  {:>7} {:>8} {:>7}", pct(t), pct(h), pct(a));
    }

    let count = |c: &Ordered<usize>| (c.0[0].1, c.0[1].1, c.0[2].1);
    let (mt, mh, ma) = count(&r.miss_count);
    let (ft, fh, fa) = count(&r.false_alarm_count);
    let _ = writeln!(out, "\n== Most common false-alarm rules (posts; tuning + hold-out) ==");
    for rc in r.false_alarm_rules.iter().take(TOP_RULES) {
        let _ = writeln!(out, "  {:>4}  {} ({} + {})", rc.false_alarms, rc.rule, rc.tuning, rc.holdout);
    }
    if r.false_alarm_rules.len() > TOP_RULES {
        let _ = writeln!(out, "  … and {} more rule(s); --format json lists them all", r.false_alarm_rules.len() - TOP_RULES);
    }

    let hidden = |n: usize| {
        if r.holdout_listed || n == 0 {
            String::new()
        } else {
            format!("; the {n} hold-out one(s) are not listed (--show-holdout lists them)")
        }
    };
    let _ = writeln!(out, "\n== Misses: {ma} ({mt} tuning, {mh} hold-out{}) ==", hidden(mh));
    for m in &r.misses {
        let mark = if m.split == "holdout" { " [hold-out]" } else { "" };
        let _ = writeln!(out, "  {}  {}{}  {}", m.id, m.category.as_str(), mark, shorten(&m.text, SHORT_TEXT));
    }
    let _ = writeln!(out, "\n== False alarms: {fa} ({ft} tuning, {fh} hold-out{}) ==", hidden(fh));
    for f in &r.false_alarms {
        let mark = if f.split == "holdout" { " [hold-out]" } else { "" };
        for (i, fired) in f.findings.iter().enumerate() {
            let head =
                if i == 0 { format!("{}  {}{}", f.id, f.category.as_str(), mark) } else { " ".repeat(f.id.len() + 2 + f.category.as_str().len() + mark.len()) };
            let _ = writeln!(out, "  {head}  {} ({})  \"{}\"", fired.rule, fired.severity.as_str(), shorten(&fired.text, SHORT_TEXT));
        }
    }
}

/// A rate on the command line: `0.9`, or `90%`.
pub fn parse_rate(s: &str) -> Result<f64, String> {
    let (number, scale) = match s.trim().strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (s.trim(), 1.0),
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("{s:?} is not a number (use e.g. 0.9 or 90%)"))?;
    let value = value / scale;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{s:?} is not between 0 and 1 (or 0% and 100%)"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(parse_rate("0.9"), Ok(0.9));
        assert_eq!(parse_rate("90%"), Ok(0.9));
        assert!(parse_rate("1.5").is_err());
        assert!(parse_rate("x").is_err());
    }

    #[test]
    fn shortens_to_one_line() {
        assert_eq!(shorten("a\n\nb  c", 100), "a b c");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn undefined_rates() {
        let s = Score::default().finish();
        assert_eq!((s.precision, s.recall, s.f1), (None, None, None));
        let s = Score { true_positives: 0, misses: 2, false_alarms: 1, ..Score::default() }.finish();
        assert_eq!((s.precision, s.recall, s.f1), (Some(0.0), Some(0.0), Some(0.0)));
    }
}
