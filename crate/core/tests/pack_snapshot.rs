//! A snapshot of what every pack example underlines: rule, category, severity and the exact
//! text of every finding at strict, under every policy that runs the example's rule, in
//! `tests/snapshots/pack_examples.txt`. A change to spans, overlaps or severities shows up
//! in review as a diff of that file. After an intended change:
//!
//!     IMPARTIAL_UPDATE_SNAPSHOTS=1 cargo test -p impartial-core --test pack_snapshot
//!
//! and review `git diff crate/core/tests/snapshots/`.

use std::collections::HashMap;
use std::fmt::Write as _;

use impartial_core::{example_profile, example_span, rule_docs, Engine, Policy, Strictness};

const SNAPSHOT: &str = "tests/snapshots/pack_examples.txt";

fn render() -> String {
    let mut out = String::from("# What every pack example underlines at strict (crate/core/tests/pack_snapshot.rs).\n");
    let mut engines: HashMap<(String, Policy), Engine> = HashMap::new();
    for policy in Policy::ALL {
        for doc in rule_docs(Some(policy)).unwrap() {
            let engine = engines.entry((doc.pack.clone(), policy)).or_insert_with(|| Engine::new(&example_profile(&doc.pack, policy)).unwrap());
            for (kind, text) in doc.flag.iter().map(|t| ("flag", t)).chain(doc.allow.iter().map(|t| ("allow", t))) {
                let _ = writeln!(out, "\n{} {} {kind}: {text}", policy.as_str(), doc.id);
                for f in engine.check(&example_span(text).0, Strictness::Strict) {
                    let _ = writeln!(out, "  {} {} {} [{}]", f.category.as_str(), f.severity.as_str(), f.rule, f.text);
                }
            }
        }
    }
    out
}

#[test]
fn pack_examples_underline_what_the_snapshot_records() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    let now = render();
    if std::env::var_os("IMPARTIAL_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    if recorded != now {
        let (line, (want, got)) = recorded
            .lines()
            .zip(now.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((recorded.lines().count().min(now.lines().count()), ("(end)", "(end)")));
        panic!(
            "{SNAPSHOT} differs from what the packs underline now, first at line {}:\n  recorded: {want}\n  now:      {got}\n\
             If the change is intended: IMPARTIAL_UPDATE_SNAPSHOTS=1 cargo test -p impartial-core --test pack_snapshot",
            line + 1
        );
    }
}
