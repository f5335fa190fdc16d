//! `impartial-train`: trains the judgement model and writes `crate/core/model/`.
//!
//!     cargo run --release -p impartial-train        # or ./build.sh train
//!
//! Deterministic: the same corpus gives the same file, byte for byte (full-batch Adam from
//! zero weights, fixed iteration count, no randomness, sorted output), so a changed model is
//! a diff to review, never a silent change.
//!
//! 1. Every post of `tests/corpus/splits.toml` is turned into features by the engine itself
//!    ([`Engine::features`]), so training sees exactly what checking computes.
//! 2. Features seen in at least [`MIN_POSTS`] training posts form the vocabulary.
//! 3. Per judged category, L2-regularised logistic regression on the training split: a post
//!    is positive when the category is in `expect`, negative when in `absent` (everyday
//!    text: negative for all), unused otherwise; classes are weighted to balance.
//! 4. Weights under [`PRUNE`] are dropped and the rest rounded to three decimals.
//! 5. Thresholds per strictness are chosen on the dev split (see [`choose_thresholds`]) and
//!    written, with the precision and recall each gives, to `model/THRESHOLDS.md`.
//! 6. `model/recorded.tsv` records the probabilities of fixed example posts; a core test
//!    checks that the embedded model scores them so.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use impartial_core::{example_profile, Category, Engine, Policy, Strictness};
use impartial_corpus::{Example, Kind, Split};

/// A feature must occur in this many training posts to be learnt.
const MIN_POSTS: usize = 3;
/// L2 penalty on the weights (the bias is not penalised).
const L2: f64 = 2e-3;
const STEPS: usize = 400;
const LEARNING_RATE: f64 = 0.05;
/// Weights smaller than this are left out of the model file.
const PRUNE: f64 = 0.02;

/// The scorer flags nothing it judges less likely than not (in the class-balanced odds it
/// is trained in): Strict's threshold is at least this.
const MIN_STRICT: f64 = 0.5;
/// Standard's threshold: the lowest at or above Strict's with dev precision at least this…
const STANDARD_PRECISION: f64 = 0.95;
/// …Relaxed's: the lowest at which dev precision is at least this.
const RELAXED_PRECISION: f64 = 0.98;
/// Standard's threshold also keeps dev everyday text flagged at most this often.
const STANDARD_MAX_EVERYDAY: f64 = 0.0025;

/// Posts whose scores the model file records, checked by a core test.
const RECORDED: [&str; 12] = [
    "The Tories have wrecked the NHS",
    "Let's be clear: the Republicans are putting women's lives at risk with this extreme agenda",
    "The GOP has no plan, just chaos",
    "Make a plan to vote early and bring three friends",
    "What a clown the Chancellor is",
    "Labour are back and it feels amazing",
    "So proud to have knocked on doors for our candidate today",
    "Labour pains started at 3am",
    "a conservative estimate",
    "Delighted to start my new role as Policy Adviser at HMRC! Thanks to everyone who supported me.",
    "My line manager is a complete moron",
    "Lovely walk by the river this morning, the dog loved it",
];

struct Doc {
    /// Vocabulary indices, distinct.
    features: Vec<u32>,
    split: Split,
    kind: Kind,
    source: String,
    expect: Vec<Category>,
    absent: Vec<Category>,
    /// Per judged category: whether the post has one of its gate's cues (else it is
    /// never scored for it, so it neither trains nor tunes it).
    gated_in: Vec<bool>,
    /// The categories the rules alone find at strict: thresholds are chosen for the
    /// rules and the scorer together, as users meet them.
    rules_found: Vec<Category>,
}

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    match run(&root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("impartial-train: {e}");
            ExitCode::FAILURE
        }
    }
}

fn label(doc: &Doc, c: Category) -> Option<bool> {
    if doc.kind == Kind::Everyday {
        return Some(false);
    }
    if doc.expect.contains(&c) {
        Some(true)
    } else if doc.absent.contains(&c) {
        Some(false)
    } else {
        None
    }
}

fn run(root: &Path) -> Result<(), String> {
    let corpus = impartial_corpus::load(root, &root.join("tests/corpus/splits.toml"))?;
    for note in &corpus.notes {
        eprintln!("note: {note}");
    }
    let mut engines: HashMap<String, Engine> = HashMap::new();
    let mut names: Vec<Vec<String>> = Vec::with_capacity(corpus.examples.len());
    let mut gated: Vec<Vec<bool>> = Vec::with_capacity(corpus.examples.len());
    let mut rules_found: Vec<Vec<Category>> = Vec::with_capacity(corpus.examples.len());
    for e in &corpus.examples {
        // One engine per profile and date: dated lists count as of the post's month.
        let key = e.engine_key();
        if !engines.contains_key(&key) {
            engines.insert(key.clone(), e.engine().map_err(|err| format!("{}: profile: {err}", e.id))?);
        }
        let mut seen = HashSet::new();
        let engine = &engines[&key];
        let features: Vec<String> = engine.features(&e.text).into_iter().map(|f| f.feature).filter(|f| seen.insert(f.clone())).collect();
        // Whether each category is judged at all: the gates need only the cues, not weights.
        gated.push(engine.scores(&e.text).iter().map(|(_, p)| p.is_some()).collect());
        names.push(features);
        let by_rules = engine.check(&e.text, Strictness::Strict).into_iter().filter(|f| !f.rule.contains(".judgement.") && !f.rule.contains(".combination."));
        rules_found.push(by_rules.map(|f| f.category).collect());
    }
    // Vocabulary: from training posts only, sorted by name.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (e, f) in corpus.examples.iter().zip(&names) {
        if e.split == Split::Train {
            for name in f {
                *counts.entry(name.as_str()).or_default() += 1;
            }
        }
    }
    // IMPARTIAL_TRAIN_L2 / IMPARTIAL_TRAIN_MIN_POSTS: for comparing settings on dev only;
    // the committed model is trained with the constants.
    let min_posts = std::env::var("IMPARTIAL_TRAIN_MIN_POSTS").ok().and_then(|v| v.parse().ok()).unwrap_or(MIN_POSTS);
    let l2 = std::env::var("IMPARTIAL_TRAIN_L2").ok().and_then(|v| v.parse().ok()).unwrap_or(L2);
    let vocab: Vec<&str> = counts.iter().filter(|(_, &n)| n >= min_posts).map(|(&name, _)| name).collect();
    let index: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, &n)| (n, i as u32)).collect();
    let docs: Vec<Doc> = corpus
        .examples
        .iter()
        .zip(names.iter().zip(gated).zip(rules_found))
        .map(|(e, ((f, gated_in), rules_found)): (&Example, ((&Vec<String>, Vec<bool>), Vec<Category>))| Doc {
            features: f.iter().filter_map(|n| index.get(n.as_str()).copied()).collect(),
            split: e.split,
            kind: e.kind,
            source: e.source.clone(),
            expect: e.expect.clone(),
            absent: e.absent.clone(),
            gated_in,
            rules_found,
        })
        .collect();

    let judged = Engine::judged_categories();
    if let Ok(category) = std::env::var("IMPARTIAL_TRAIN_SHOW_UNGATED") {
        // For reviewing the cue lists: positives a gate keeps out of the model.
        for (e, d) in corpus.examples.iter().zip(&docs) {
            for (c, &cat) in judged.iter().enumerate() {
                if cat.as_str() == category && d.expect.contains(&cat) && !d.gated_in[c] {
                    eprintln!("ungated {} {}: {}", cat.as_str(), e.id, e.text.replace('\n', " "));
                }
            }
        }
    }
    let mut weights: Vec<Vec<f64>> = Vec::new();
    let mut biases = Vec::new();
    for &c in judged {
        let (w, b) = train(&docs, vocab.len(), c, weights.len(), l2);
        weights.push(w);
        biases.push(b);
    }
    // Prune and round: the file's numbers are the model.
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    for w in &mut weights {
        for x in w.iter_mut() {
            *x = if x.abs() < PRUNE { 0.0 } else { round(*x) };
        }
    }
    let biases: Vec<f64> = biases.into_iter().map(round).collect();
    let probability = |doc: &Doc, c: usize| {
        let logit = biases[c] + doc.features.iter().map(|&f| weights[c][f as usize]).sum::<f64>();
        1.0 / (1.0 + (-logit).exp())
    };

    let mut thresholds_md = String::new();
    let _ = writeln!(
        thresholds_md,
        "# Judgement model: thresholds\n\nWritten by `./build.sh train` (crate/train); do not edit. Chosen on the dev split \
         (sources: {}); precision and recall of the rules and the scorer together (a post counts as flagged if a rule \
         finds the category or the score reaches the threshold), on dev's labelled posts; \"everyday\" \
         is the share of dev everyday text so flagged.\n",
        source_names(&docs, Split::Dev)
    );
    let _ = writeln!(thresholds_md, "| category | strictness | threshold | precision | recall | everyday flagged |\n|---|---|---|---|---|---|");
    let mut thresholds = Vec::new();
    for (c, &category) in judged.iter().enumerate() {
        // A post the gate keeps out scores 0: never flagged by the scorer.
        let dev: Vec<DevPost> = docs
            .iter()
            .filter(|d| d.split == Split::Dev)
            .map(|d| DevPost {
                probability: if d.gated_in[c] { probability(d, c) } else { 0.0 },
                label: label(d, category),
                everyday: d.kind == Kind::Everyday,
                by_rules: d.rules_found.contains(&category),
            })
            .collect();
        let t = choose_thresholds(&dev);
        for (name, &t) in ["strict", "standard", "relaxed"].iter().zip(&t) {
            let (p, r, e) = rates(&dev, t);
            let _ = writeln!(thresholds_md, "| {} | {name} | {t:.3} | {} | {} | {} |", category.as_str(), pct(p), pct(r), pct(e));
        }
        thresholds.push(t);
    }

    let mut model = String::new();
    let _ = writeln!(model, "# Impartial's judgement model: logistic regression per category, written by `./build.sh train`");
    let _ = writeln!(model, "# (crate/train) from tests/corpus/splits.toml; do not edit by hand. Features are explained in");
    let _ = writeln!(model, "# crate/core/src/judge/features.rs; thresholds and their dev figures in THRESHOLDS.md.");
    let _ = writeln!(
        model,
        "# Training posts: {}; vocabulary: {} features in at least {min_posts} training posts; L2 {L2}, {STEPS} steps.",
        docs.iter().filter(|d| d.split == Split::Train).count(),
        vocab.len()
    );
    let header: Vec<&str> = judged.iter().map(|c| c.as_str()).collect();
    let _ = writeln!(model, "feature\t{}", header.join("\t"));
    let row = |values: Vec<f64>| values.iter().map(|v| format_weight(*v)).collect::<Vec<_>>().join("\t");
    let _ = writeln!(model, "(bias)\t{}", row(biases.clone()));
    for (level, name) in ["(strict)", "(standard)", "(relaxed)"].iter().enumerate() {
        let _ = writeln!(model, "{name}\t{}", row(thresholds.iter().map(|t| t[level]).collect()));
    }
    let mut kept = 0;
    for (f, name) in vocab.iter().enumerate() {
        let values: Vec<f64> = weights.iter().map(|w| w[f]).collect();
        if values.iter().any(|v| *v != 0.0) {
            kept += 1;
            let _ = writeln!(model, "{name}\t{}", row(values));
        }
    }

    // Recorded examples, scored by this program's arithmetic (f64) from the rounded weights.
    let example = Engine::new(&example_profile("uk-civil-service", Policy::UkCivilService)).map_err(|e| e.to_string())?;
    let mut recorded = String::from("# Probabilities the committed model gives these posts (uk-civil-service example profile),\n# written by ./build.sh train; crate/core/tests/model_recorded.rs checks the engine agrees.\n# \"-\": the post names none of the category's gate cues, so it is not judged.\n");
    let _ = writeln!(recorded, "text\t{}", header.join("\t"));
    for text in RECORDED {
        let mut seen = HashSet::new();
        let features: Vec<u32> =
            example.features(text).into_iter().filter(|f| seen.insert(f.feature.clone())).filter_map(|f| index.get(f.feature.as_str()).copied()).collect();
        let doc = Doc {
            features,
            split: Split::Test,
            kind: Kind::Labelled,
            source: String::new(),
            expect: Vec::new(),
            absent: Vec::new(),
            gated_in: Vec::new(),
            rules_found: Vec::new(),
        };
        let judged_in = example.scores(text);
        let ps: Vec<String> = (0..judged.len()).map(|c| if judged_in[c].1.is_some() { format!("{:.4}", probability(&doc, c)) } else { "-".into() }).collect();
        let _ = writeln!(recorded, "{text}\t{}", ps.join("\t"));
    }

    let out = root.join("crate/core/model");
    std::fs::write(out.join("model.tsv"), &model).map_err(|e| e.to_string())?;
    std::fs::write(out.join("THRESHOLDS.md"), &thresholds_md).map_err(|e| e.to_string())?;
    std::fs::write(out.join("recorded.tsv"), &recorded).map_err(|e| e.to_string())?;
    eprintln!(
        "impartial-train: {} posts ({} train), {} features, {kept} with weights; wrote crate/core/model/",
        docs.len(),
        docs.iter().filter(|d| d.split == Split::Train).count(),
        vocab.len()
    );
    print!("{thresholds_md}");
    Ok(())
}

fn source_names(docs: &[Doc], split: Split) -> String {
    let names: std::collections::BTreeSet<&str> = docs.iter().filter(|d| d.split == split).map(|d| d.source.as_str()).collect();
    names.into_iter().collect::<Vec<_>>().join(", ")
}

fn format_weight(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |x| format!("{:.1}%", x * 100.0))
}

/// Logistic regression for one category: full-batch Adam on the class-balanced mean log
/// loss plus `L2/2 · |w|²`.
fn train(docs: &[Doc], features: usize, c: Category, column: usize, l2: f64) -> (Vec<f64>, f64) {
    let examples: Vec<(&Doc, f64)> =
        docs.iter().filter(|d| d.split == Split::Train && d.gated_in[column]).filter_map(|d| label(d, c).map(|y| (d, if y { 1.0 } else { 0.0 }))).collect();
    let positives = examples.iter().filter(|e| e.1 == 1.0).count().max(1) as f64;
    let negatives = examples.iter().filter(|e| e.1 == 0.0).count().max(1) as f64;
    let (wp, wn) = (0.5 / positives, 0.5 / negatives);
    let mut w = vec![0.0; features + 1]; // last: bias
    let (mut m, mut v) = (vec![0.0; features + 1], vec![0.0; features + 1]);
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
    let bias = features;
    let mut grad = vec![0.0; features + 1];
    for step in 1..=STEPS {
        grad.iter_mut().for_each(|g| *g = 0.0);
        for &(doc, y) in &examples {
            let logit = w[bias] + doc.features.iter().map(|&f| w[f as usize]).sum::<f64>();
            let p = 1.0 / (1.0 + (-logit).exp());
            let g = (p - y) * if y == 1.0 { wp } else { wn };
            for &f in &doc.features {
                grad[f as usize] += g;
            }
            grad[bias] += g;
        }
        for (i, g) in grad.iter_mut().enumerate() {
            if i != bias {
                *g += l2 * w[i];
            }
        }
        let (c1, c2) = (1.0 - b1.powi(step as i32), 1.0 - b2.powi(step as i32));
        for i in 0..=features {
            m[i] = b1 * m[i] + (1.0 - b1) * grad[i];
            v[i] = b2 * v[i] + (1.0 - b2) * grad[i] * grad[i];
            w[i] -= LEARNING_RATE * (m[i] / c1) / ((v[i] / c2).sqrt() + eps);
        }
    }
    let b = w.pop().unwrap_or(0.0);
    (w, b)
}

/// A dev post as threshold choice sees it, for one category.
struct DevPost {
    probability: f64,
    label: Option<bool>,
    everyday: bool,
    /// A rule finds the category anyway.
    by_rules: bool,
}

/// (precision, recall, everyday rate) at threshold `t` on dev, for the rules and the scorer
/// together: a post is flagged if a rule finds the category or the scorer reaches `t`.
fn rates(dev: &[DevPost], t: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    let (mut everyday, mut everyday_flagged) = (0usize, 0usize);
    for d in dev {
        let flagged = d.by_rules || d.probability >= t;
        if d.everyday {
            everyday += 1;
            everyday_flagged += usize::from(flagged);
            continue;
        }
        match (d.label, flagged) {
            (Some(true), true) => tp += 1.0,
            (Some(true), false) => fn_ += 1.0,
            (Some(false), true) => fp += 1.0,
            _ => {}
        }
    }
    let precision = (tp + fp > 0.0).then(|| tp / (tp + fp));
    let recall = (tp + fn_ > 0.0).then(|| tp / (tp + fn_));
    let rate = (everyday > 0).then(|| everyday_flagged as f64 / everyday as f64);
    (precision, recall, rate)
}

/// Strict: the threshold at which the lower of dev precision and recall is highest (the
/// targets ask for both), and at least [`MIN_STRICT`]. Standard: the lowest at or above Strict's with dev precision at
/// least [`STANDARD_PRECISION`] and dev everyday text flagged at most
/// [`STANDARD_MAX_EVERYDAY`]. Relaxed: the lowest at or above Standard's with precision at
/// least [`RELAXED_PRECISION`] (else Standard's midpoint to 1).
fn choose_thresholds(dev: &[DevPost]) -> [f64; 3] {
    let mut candidates: Vec<f64> = dev.iter().map(|d| d.probability).filter(|p| *p > 0.02).collect();
    candidates.push(0.5);
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let balance = |t: f64| match rates(dev, t) {
        (Some(p), Some(r), _) => p.min(r),
        _ => 0.0,
    };
    // The highest threshold among the best: fewer flags for the same balance.
    let strict = candidates.iter().copied().fold((0.5, -1.0), |best, t| if balance(t) >= best.1 { (t, balance(t)) } else { best }).0.max(MIN_STRICT);
    let standard = candidates
        .iter()
        .copied()
        .filter(|&t| t >= strict)
        .find(|&t| matches!(rates(dev, t), (p, _, e) if p.is_some_and(|p| p >= STANDARD_PRECISION) && e.is_none_or(|e| e <= STANDARD_MAX_EVERYDAY)))
        .unwrap_or((strict + 1.0) / 2.0);
    let relaxed = candidates
        .iter()
        .copied()
        .filter(|&t| t >= standard)
        .find(|&t| rates(dev, t).0.is_some_and(|p| p >= RELAXED_PRECISION))
        .unwrap_or((standard + 1.0) / 2.0);
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    [r3(strict), r3(standard), r3(relaxed)]
}
