//! `impartial eval --gate` and `--real`: runs the built binary on small corpora written here,
//! and once on the real text committed in tests/corpus/real/.

use std::path::Path;

use serde_json::Value;

mod common;
use common::*;

fn real(id: &str, text: &str) -> String {
    format!(r#"{{"id": "{id}", "text": "{text}", "source": "written for this test"}}"#)
}

/// Shows at standard for the uk-civil-service example profile (HMRC).
const DISCLOSES: &str = "I work at HMRC and love it";
const HARMLESS: &str = "Lovely weather for a walk";

/// (measure, category or policy) of each threshold failure.
fn failures(r: &Value) -> Vec<(String, String)> {
    r["threshold_failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let what = f["category"].as_str().or(f["policy"].as_str()).unwrap_or("-");
            (f["measure"].as_str().unwrap().to_string(), what.to_string())
        })
        .collect()
}

#[test]
fn a_gate_that_passes_exits_zero() {
    let dir = TempDir::new("pass");
    let corpus = dir.write("c.jsonl", &[post("tp-2", DISCLOSES, r#"["disclosure"]"#, r#"["partisan"]"#), post("clean-3", HARMLESS, "[]", ALL)]);
    let texts = dir.write("real.jsonl", &[real("r-1", HARMLESS), real("r-2", "See you at the match on Saturday")]);
    let out = eval(&["--gate", "--real", &texts, &corpus]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("== Quality gate (all posts: tuning and hold-out) =="), "{text}");
    assert!(text.contains("precision >= 90.0% per category (strict); recall >= 85.0% per category (strict)"), "{text}");
    assert!(text.contains("clean posts flagged <= 2.0% (standard); real texts flagged <= 2.0% per policy (standard)"), "{text}");
    assert!(text.contains("all thresholds met"), "{text}");
    assert!(text.contains("== Flagged real texts: 0 =="), "{text}");

    let r = json(&eval(&["--gate", "--format", "json", "--real", &texts, &corpus]));
    assert_eq!(r["thresholds"]["gate"], true);
    assert_eq!(r["thresholds"]["min_precision"], 0.9);
    assert_eq!(r["thresholds"]["min_recall"], 0.85);
    assert_eq!(r["thresholds"]["max_clean_flag_rate"], 0.02);
    assert_eq!(r["thresholds"]["max_real_flag_rate"], 0.02);
    assert_eq!(r["threshold_failures"].as_array().unwrap().len(), 0);
}

#[test]
fn a_gate_that_fails_names_each_threshold_and_exits_one() {
    let dir = TempDir::new("fail");
    let corpus = dir.write(
        "c.jsonl",
        &[
            post("tp-2", DISCLOSES, r#"["disclosure"]"#, "[]"),
            // conduct recall 0 of 1.
            post("miss-1", HARMLESS, r#"["conduct"]"#, "[]"),
            // A clean post that shows at standard: disclosure precision 1 of 2, clean rate 1 of 2.
            post("clean-1", DISCLOSES, "[]", ALL),
            post("clean-3", HARMLESS, "[]", ALL),
        ],
    );
    // Under uk-civil-service (HMRC) 1 of 2 real texts shows.
    let texts = dir.write("real.jsonl", &[real("r-1", DISCLOSES), real("r-2", HARMLESS)]);
    let out = eval(&["--gate", "--format", "json", "--real", &texts, &corpus]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("4 threshold(s) not met"), "{}", stderr(&out));
    let want = [("precision", "disclosure"), ("recall", "conduct"), ("clean_flag_rate", "-"), ("real_flag_rate", "uk-civil-service")];
    let r = json(&out);
    assert_eq!(failures(&r), want.map(|(a, b)| (a.to_string(), b.to_string())));
    let real_failure = &r["threshold_failures"][3];
    assert_eq!(real_failure["value"], 0.5);
    assert_eq!(real_failure["limit"], 0.02);

    let out = eval(&["--gate", "--real", &texts, &corpus]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("4 threshold(s) not met:"), "{text}");
    assert!(text.contains("disclosure precision: 50.0% is below 90.0%"), "{text}");
    assert!(text.contains("conduct recall: 0.0% is below 85.0%"), "{text}");
    assert!(text.contains("clean-post flag rate at standard: 50.0% is above 2.0%"), "{text}");
    assert!(text.contains("real texts flagged at standard (uk-civil-service): 50.00% is above 2.0%"), "{text}");

    // Thresholds given on the command line beat the gate's targets (the ratchet build.sh uses).
    let out = eval(&["--gate", "--min-precision", "0.5", "--min-recall", "0", "--max-clean-rate", "0.5", "--max-real-rate", "50%", "--real", &texts, &corpus]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Without --gate, only the thresholds given apply.
    assert_eq!(eval(&["--real", &texts, &corpus]).status.code(), Some(0));
    let r = json(&eval(&["--format", "json", "--max-real-flag-rate", "0.1", "--real", &texts, &corpus]));
    assert_eq!(failures(&r), [("real_flag_rate".to_string(), "uk-civil-service".to_string())]);
}

#[test]
fn real_text_lists_every_flagged_text_with_rule_and_match() {
    let dir = TempDir::new("real");
    let texts =
        dir.write("a.jsonl", &[real("r-1", DISCLOSES), real("r-2", HARMLESS), "{\"id\": \"r-3\", \"text\": \"no source\"}".to_string(), real("r-1", HARMLESS)]);
    dir.write("notes.txt", &["not read".to_string()]);
    // --real alone: no labelled corpus needed. Bad lines are named and exit 2.
    let out = eval(&["--format", "json", "--real", dir.path()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let a = Path::new(&texts);
    assert!(err.contains(&format!("{}:3: not a real-text line", a.display())), "{err}");
    assert!(err.contains(&format!("{}:4: duplicate id \"r-1\" (first at {}:1)", a.display(), a.display())), "{err}");
    let r = json(&out);
    assert_eq!(r["bad_line_count"], 2);
    assert_eq!(r["posts"], 0);
    let real = &r["real"];
    assert_eq!(real["texts"], 2);
    assert_eq!(real["checked_at"], "standard");
    let mut policies: Vec<&str> = real["policies"].as_object().unwrap().keys().map(String::as_str).collect();
    policies.sort_unstable();
    assert_eq!(policies, ["generic", "journalist", "uk-civil-service", "us-hatch-act"]);
    let uk = &real["policies"]["uk-civil-service"];
    assert_eq!(uk["profile"]["employer"], "HM Revenue and Customs");
    assert_eq!((uk["texts"].as_u64(), uk["flagged"].as_u64(), uk["rate"].as_f64()), (Some(2), Some(1), Some(0.5)));
    assert_eq!(real["policies"]["generic"]["profile"]["employer"], "Acme Housing Trust");
    assert_eq!(real["all_policies"]["checks"], 8);
    assert_eq!(real["any_policy"]["checks"], 2);
    assert_eq!(real["any_policy"]["flagged"], 1);
    let flagged = real["flagged"].as_array().unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0]["id"], "r-1");
    assert_eq!(flagged[0]["source"], "written for this test");
    let uk_findings = flagged[0]["policies"].as_array().unwrap().iter().find(|p| p["policy"] == "uk-civil-service").expect("uk");
    assert_eq!(uk_findings["findings"][0]["rule"], "common.disclosure.employer");
    assert_eq!(uk_findings["findings"][0]["category"], "disclosure");
    assert_eq!(uk_findings["findings"][0]["text"], "I work at HMRC");
    assert_eq!(real["rules"][0]["rule"], "common.disclosure.employer");

    let text = stdout(&eval(&["--real", &texts]));
    assert!(text.contains("== Real text: 2 unlabelled text(s) from 1 file(s), checked at standard under each policy =="), "{text}");
    assert!(text.contains("uk-civil-service         1   50.00%  HM Revenue and Customs (HMRC), Grade 7"), "{text}");
    assert!(text.contains("== Flagged real texts: 1 =="), "{text}");
    assert!(text.contains(&format!("  r-1  \"{DISCLOSES}\"")), "{text}");
    assert!(text.contains("disclosure common.disclosure.employer (medium)  \"I work at HMRC\"  [uk-civil-service"), "{text}");
    assert!(!text.contains("Impartial evaluation:"), "no labelled corpus was given: {text}");
}

#[test]
fn no_paths_and_no_real_is_bad_usage() {
    assert_eq!(eval(&["--gate"]).status.code(), Some(2));
    let dir = TempDir::new("empty-real");
    assert_eq!(eval(&["--real", dir.path()]).status.code(), Some(2));
    assert_eq!(eval(&["--max-real-rate", "3", "--real", "x.jsonl"]).status.code(), Some(2));
}

#[test]
fn the_committed_real_text_parses() {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/real");
    let out = eval(&["--format", "json", "--real", real.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["bad_line_count"], 0);
    assert!(r["real"]["texts"].as_u64().unwrap() >= 16_000);
    assert!(r["real"]["files"].as_array().unwrap().len() >= 2);
}
