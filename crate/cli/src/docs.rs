//! `impartial rules` and `impartial explain`: rule documentation from the pack data, in
//! the Ruff style (what it does / why is this bad / example).

use std::fmt::Write;
use std::process::ExitCode;

use impartial_core::{example_profile, rule_doc, rule_docs, Engine, Policy, RuleDoc};

use crate::options::Format;
use crate::UsageError;

pub fn list(policy: Option<Policy>, format: Format) -> Result<ExitCode, UsageError> {
    let docs = rule_docs(policy).map_err(|e| UsageError(e.to_string()))?;
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&docs).expect("docs serialise"));
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = docs.iter().map(|d| d.id.len()).max().unwrap_or(0);
    for doc in &docs {
        let category = doc.category.map_or("(any)", |c| c.as_str());
        println!("{:id_width$}  {:12}  {:6}  {}", doc.id, category, doc.severity.as_str(), doc.message);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn explain(id: &str, post: Option<&str>) -> Result<ExitCode, UsageError> {
    match rule_doc(id) {
        Some(doc) => {
            match post {
                None => print!("{}", render(&doc)),
                Some(_) if doc.kind != "judgement" => {
                    return Err(UsageError(format!("--post explains a judgement (the trained scorer); {id} is a {}", doc.kind)))
                }
                Some(text) => print!("{}", render_judged(&doc, text)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let all = rule_docs(None).map_err(|e| UsageError(e.to_string()))?;
            let last = id.rsplit('.').next().unwrap_or(id);
            let near: Vec<&str> = all.iter().map(|d| d.id.as_str()).filter(|d| d.contains(last)).take(5).collect();
            let hint = if near.is_empty() { "see `impartial rules`".to_string() } else { format!("did you mean {}?", near.join(", ")) };
            Err(UsageError(format!("no rule is called {id:?}: {hint}")))
        }
    }
}

fn render(doc: &RuleDoc) -> String {
    let mut out = String::new();
    let category = doc.category.map_or("the risky finding's category".to_string(), |c| c.as_str().to_string());
    let _ = writeln!(out, "# {}\n", doc.id);
    let _ = writeln!(out, "Category: {category}. Severity: {}. Pack: {} ({}).\n", doc.severity.as_str(), doc.pack, doc.file);
    let _ = writeln!(out, "## What it does\n\n{}\n", doc.message);
    let _ = writeln!(out, "## Why is this bad?\n\n{}\n", reflow(&doc.explanation));
    let _ = writeln!(out, "## Example\n");
    if !doc.flag.is_empty() {
        let _ = writeln!(out, "Flagged:\n");
        doc.flag.iter().for_each(|t| {
            let _ = writeln!(out, "    {t}");
        });
        out.push('\n');
    }
    if !doc.allow.is_empty() {
        let _ = writeln!(out, "Not flagged:\n");
        doc.allow.iter().for_each(|t| {
            let _ = writeln!(out, "    {t}");
        });
        out.push('\n');
    }
    let _ = writeln!(out, "## Source\n\n{}, {}\n{}", doc.source.title, doc.source.section, doc.source.url);
    out
}

/// How the scorer judges one post for a judgement's category: the probability, the
/// thresholds it is compared with, and every feature the model weighs, strongest first.
fn render_judged(doc: &RuleDoc, text: &str) -> Result<String, UsageError> {
    let category = doc.category.ok_or_else(|| UsageError(format!("{} has no category", doc.id)))?;
    let policy = Policy::ALL.into_iter().find(|p| rule_docs(Some(*p)).is_ok_and(|d| d.iter().any(|d| d.id == doc.id))).unwrap_or(Policy::Generic);
    let engine = Engine::new(&example_profile(&doc.pack, policy)).map_err(|e| UsageError(e.to_string()))?;
    let column = Engine::judged_categories().iter().position(|&c| c == category).unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} on {text:?}
",
        doc.id
    );
    let thresholds = Engine::score_thresholds()[column].1;
    match engine.scores(text)[column].1 {
        None => {
            let _ = writeln!(out, "Not judged: the post names none of the cues {} needs.", category.as_str());
        }
        Some(p) => {
            let shown = ["strict", "standard", "relaxed"].iter().zip(thresholds).filter(|(_, t)| p >= *t).map(|(s, _)| *s).collect::<Vec<_>>();
            let _ = writeln!(
                out,
                "Score {p:.3}; thresholds: strict {:.3}, standard {:.3}, relaxed {:.3}; shown on: {}.",
                thresholds[0],
                thresholds[1],
                thresholds[2],
                if shown.is_empty() { "none".to_string() } else { shown.join(", ") }
            );
        }
    }
    let mut features: Vec<(String, String, f32)> = Vec::new();
    for f in engine.features(text) {
        if let Some(&(_, w)) = f.weights.get(column) {
            if !features.iter().any(|(name, _, _)| *name == f.feature) {
                features.push((f.feature, f.words, w));
            }
        }
    }
    features.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    let _ = writeln!(
        out,
        "
Features the model weighs for {} (a feature counts once a post):
",
        category.as_str()
    );
    for (name, words, w) in features.iter().filter(|f| f.2 != 0.0) {
        let _ = writeln!(out, "  {w:+.3}  {name:<32} {words}");
    }
    Ok(out)
}

/// Joins the hard-wrapped lines of pack text into one paragraph and wraps it at 88.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 88 {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}
