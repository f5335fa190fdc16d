//! Runs every inline `flag`/`allow` example of every pack, under every policy that runs
//! the rule, with the rule's pack's example profile, at the strict setting. A failure names
//! the pack file and the rule.

use std::collections::HashMap;

use impartial_core::{example_profile, example_span, rule_docs, Engine, Policy, Strictness};

#[test]
fn every_pack_example_passes() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut engines: HashMap<(String, Policy), Engine> = HashMap::new();
    for policy in Policy::ALL {
        let docs = rule_docs(Some(policy)).unwrap_or_else(|e| panic!("{e}"));
        for doc in docs {
            let engine = engines
                .entry((doc.pack.clone(), policy))
                .or_insert_with(|| Engine::new(&example_profile(&doc.pack, policy)).unwrap_or_else(|e| panic!("{}: {e}", doc.file)));
            if doc.kind == "judgement" {
                // The scorer's examples: judged at or above Strict's threshold (a rule
                // finding on the same words may still win the underline), or below it.
                let category = doc.category.expect("judgements have a category");
                let strict = Engine::score_thresholds().into_iter().find(|(c, _)| *c == category).map_or(f32::INFINITY, |(_, t)| t[0]);
                let score = |text: &str| engine.scores(text).into_iter().find(|(c, _)| *c == category).and_then(|(_, p)| p).unwrap_or(0.0);
                for example in &doc.flag {
                    checked += 1;
                    let (text, span) = example_span(example);
                    let text = &text;
                    // A marked example must also be underlined so, by a rule or the scorer.
                    if let Some(span) = span {
                        let found = engine.check(text, Strictness::Strict);
                        if !found.iter().any(|f| f.category == category && f.text == span) {
                            let got: Vec<(&str, &str)> = found.iter().map(|f| (&*f.rule, f.text.as_str())).collect();
                            failures.push(format!(
                                "{}: {} ({}): flag example {example:?} did not underline {span:?} (got {got:?})",
                                doc.file,
                                doc.id,
                                policy.as_str()
                            ));
                        }
                    }
                    if score(text) < strict {
                        failures.push(format!("{}: {} ({}): flag example {text:?} scored {:.3} < {strict}", doc.file, doc.id, policy.as_str(), score(text)));
                    }
                }
                for text in &doc.allow {
                    checked += 1;
                    if score(text) >= strict {
                        failures.push(format!("{}: {} ({}): allow example {text:?} scored {:.3} ≥ {strict}", doc.file, doc.id, policy.as_str(), score(text)));
                    }
                }
                continue;
            }
            for example in &doc.flag {
                checked += 1;
                // `[...]` marks what the rule must underline: "I work at [HMRC] and it is hard".
                let (text, span) = example_span(example);
                let text = text.as_str();
                let found = engine.check(text, Strictness::Strict);
                if let Some(span) = &span {
                    if !found.iter().any(|f| *f.rule == *doc.id && f.text == *span) {
                        let got: Vec<(&str, &str)> = found.iter().map(|f| (&*f.rule, f.text.as_str())).collect();
                        failures.push(format!(
                            "{}: rule {} ({}): flag example {example:?} did not underline {span:?} (got {got:?})",
                            doc.file,
                            doc.id,
                            policy.as_str()
                        ));
                    }
                    continue;
                }
                if !found.iter().any(|f| *f.rule == *doc.id) {
                    let got: Vec<&str> = found.iter().map(|f| &*f.rule).collect();
                    failures.push(format!("{}: rule {} ({}): flag example {text:?} was not flagged (got {got:?})", doc.file, doc.id, policy.as_str()));
                }
            }
            for text in &doc.allow {
                checked += 1;
                let found = engine.check(text, Strictness::Strict);
                if let Some(f) = found.iter().find(|f| *f.rule == *doc.id) {
                    failures.push(format!("{}: rule {} ({}): allow example {text:?} was flagged at {:?}", doc.file, doc.id, policy.as_str(), f.text));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} examples ran");
    assert!(failures.is_empty(), "{} of {checked} pack examples failed:\n{}", failures.len(), failures.join("\n"));
}
