//! `impartial eval`: runs the built binary on small corpora written here, and once on the
//! real corpus in tests/corpus/.

use std::path::Path;

use serde_json::Value;

mod common;
use common::*;

const DISCLOSES: &str = "I work at HMRC and love it";
const HARMLESS: &str = "Lovely weather for a walk";

/// `tp-1` is a hold-out id (FNV-1a 32-bit ≡ 0 mod 5); the others are tuning ids.
fn small_corpus(dir: &TempDir) {
    dir.write(
        "a.jsonl",
        &[
            post("tp-1", DISCLOSES, r#"["disclosure"]"#, r#"["partisan"]"#),
            post("tp-2", DISCLOSES, r#"["disclosure"]"#, "[]"),
            post("miss-1", HARMLESS, r#"["conduct"]"#, r#"["disclosure"]"#),
            post("clean-1", DISCLOSES, "[]", ALL),
            post("clean-3", HARMLESS, "[]", ALL),
            "{not json".to_string(),
        ],
    );
    dir.write(
        "b.jsonl",
        &[
            post("tp-2", DISCLOSES, r#"["disclosure"]"#, "[]"),
            post("overlap-1", HARMLESS, r#"["conduct"]"#, r#"["conduct"]"#),
            // disclosure is reported but is "don't care" here: it counts neither way.
            post("dc-2", DISCLOSES, r#"["conduct"]"#, "[]"),
        ],
    );
    dir.write("notes.txt", &["not a corpus file".to_string()]);
}

fn counts(score: &Value) -> (u64, u64, u64) {
    (score["true_positives"].as_u64().unwrap(), score["misses"].as_u64().unwrap(), score["false_alarms"].as_u64().unwrap())
}

#[test]
fn counts_hits_misses_and_false_alarms_and_names_bad_lines() {
    let dir = TempDir::new("small");
    small_corpus(&dir);
    let out = eval(&["--format", "json", dir.path()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["posts"], 6);
    assert_eq!(r["bad_line_count"], 3);
    let err = stderr(&out);
    let a = Path::new(dir.path()).join("a.jsonl");
    let b = Path::new(dir.path()).join("b.jsonl");
    assert!(err.contains(&format!("{}:6: not a corpus post", a.display())), "{err}");
    assert!(err.contains(&format!("{}:1: duplicate id \"tp-2\" (first at {}:2)", b.display(), a.display())), "{err}");
    assert!(err.contains(&format!("{}:2: \"conduct\" is in both", b.display())), "{err}");
    let lines: Vec<u64> = r["bad_lines"].as_array().unwrap().iter().map(|b| b["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [6, 1, 2]);

    let all = &r["splits"]["all"];
    assert_eq!(all["posts"], 6);
    assert_eq!(counts(&all["categories"]["disclosure"]), (2, 0, 1));
    assert_eq!(counts(&all["categories"]["conduct"]), (0, 2, 0));
    assert_eq!(counts(&all["categories"]["partisan"]), (0, 0, 0));
    assert_eq!(counts(&all["overall"]), (2, 2, 1));
    assert_eq!(counts(&all["policies"]["uk-civil-service"]), (2, 2, 1));
    assert_eq!(counts(&all["policies"]["generic"]), (0, 0, 0));
    let d = &all["categories"]["disclosure"];
    assert!((d["precision"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(d["recall"], 1.0);
    assert!((d["f1"].as_f64().unwrap() - 0.8).abs() < 1e-9);
    assert_eq!(all["categories"]["conduct"]["precision"], Value::Null);
    assert_eq!(all["categories"]["conduct"]["recall"], 0.0);
    assert_eq!(all["clean_at_standard"]["posts"], 2);
    assert_eq!(all["clean_at_standard"]["flagged"], 1);
    assert_eq!(all["clean_at_standard"]["rate"], 0.5);

    assert_eq!(r["splits"]["holdout"]["posts"], 1);
    assert_eq!(counts(&r["splits"]["holdout"]["categories"]["disclosure"]), (1, 0, 0));
    assert_eq!(r["splits"]["tuning"]["posts"], 5);
    assert_eq!(counts(&r["splits"]["tuning"]["categories"]["disclosure"]), (1, 0, 1));

    let misses: Vec<(&str, &str)> = r["misses"].as_array().unwrap().iter().map(|m| (m["id"].as_str().unwrap(), m["category"].as_str().unwrap())).collect();
    assert_eq!(misses, [("miss-1", "conduct"), ("dc-2", "conduct")]);
    let alarms = r["false_alarms"].as_array().unwrap();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0]["id"], "clean-1");
    assert_eq!(alarms[0]["category"], "disclosure");
    assert_eq!(alarms[0]["findings"][0]["rule"], "common.disclosure.employer");
    assert_eq!(alarms[0]["findings"][0]["text"], "I work at HMRC");
    assert_eq!(r["false_alarm_rules"][0]["rule"], "common.disclosure.employer");
    assert_eq!(r["false_alarm_rules"][0]["false_alarms"], 1);
}

#[test]
fn human_report_and_clean_exit() {
    let dir = TempDir::new("human");
    let file = dir.write(
        "c.jsonl",
        &[post("tp-2", DISCLOSES, r#"["disclosure"]"#, "[]"), post("miss-1", HARMLESS, r#"["conduct"]"#, "[]"), post("clean-1", DISCLOSES, "[]", ALL)],
    );
    let out = eval(&[&file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("3 posts from 1 file(s): 3 tuning, 0 hold-out"), "{text}");
    assert!(text.contains("clean posts flagged at standard: 1 of 1 (100.0%)"), "{text}");
    assert!(text.contains(&format!("miss-1  conduct  {HARMLESS}")), "{text}");
    assert!(text.contains("clean-1  disclosure  common.disclosure.employer (medium)  \"I work at HMRC\""), "{text}");
    assert!(text.contains("== Misses: 1 (1 tuning, 0 hold-out) =="), "{text}");
}

#[test]
fn holdout_posts_are_listed_only_on_request() {
    let dir = TempDir::new("holdout");
    // tp-1 and miss-4 are hold-out ids.
    let file = dir.write("h.jsonl", &[post("miss-4", HARMLESS, r#"["conduct"]"#, "[]"), post("miss-1", HARMLESS, r#"["conduct"]"#, "[]")]);
    let r = json(&eval(&["--format", "json", &file]));
    assert_eq!(r["miss_count"]["holdout"], 1);
    assert_eq!(r["miss_count"]["all"], 2);
    assert_eq!(r["misses"].as_array().unwrap().len(), 1);
    assert_eq!(r["misses"][0]["id"], "miss-1");
    let r = json(&eval(&["--format", "json", "--show-holdout", &file]));
    assert_eq!(r["misses"].as_array().unwrap().len(), 2);
    assert_eq!(r["misses"][0]["split"], "holdout");
}

#[test]
fn thresholds_exit_one_and_say_which() {
    let dir = TempDir::new("thresholds");
    let file = dir.write(
        "t.jsonl",
        &[post("tp-2", DISCLOSES, r#"["disclosure"]"#, "[]"), post("miss-1", HARMLESS, r#"["conduct"]"#, "[]"), post("clean-1", DISCLOSES, "[]", ALL)],
    );
    assert_eq!(eval(&["--min-precision", "0.5", "--min-recall", "0", &file]).status.code(), Some(0));
    let out = eval(&["--format", "json", "--min-precision", "60%", "--min-recall", "0.5", "--max-clean-flag-rate", "0.25", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let failures: Vec<(String, String)> = json(&out)["threshold_failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["measure"].as_str().unwrap().to_string(), f["category"].as_str().unwrap_or("-").to_string()))
        .collect();
    let want = [("precision", "disclosure"), ("recall", "conduct"), ("clean_flag_rate", "-")];
    assert_eq!(failures, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let out = eval(&["--min-recall", "0.5", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("conduct recall: 0.0% is below 50.0%"));
    assert_eq!(eval(&["--min-recall", "2", &file]).status.code(), Some(2));
}

#[test]
fn bad_usage_exits_two() {
    assert_eq!(eval(&[]).status.code(), Some(2));
    assert_eq!(eval(&["/nonexistent/impartial-corpus"]).status.code(), Some(2));
    let dir = TempDir::new("empty");
    let out = eval(&[dir.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no .jsonl files"), "{}", stderr(&out));
}

#[test]
fn the_corpus_report_covers_every_category_and_policy() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let out = eval(&["--format", "json", corpus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["bad_line_count"], 0);
    assert!(r["posts"].as_u64().unwrap() >= 780);
    for split in ["tuning", "holdout", "all"] {
        let s = &r["splits"][split];
        // Sorted: serde_json's Value does not keep the report's key order.
        let mut categories: Vec<&str> = s["categories"].as_object().unwrap().keys().map(String::as_str).collect();
        categories.sort_unstable();
        assert_eq!(categories, ["conduct", "confidential", "disclaimer", "disclosure", "government", "partisan", "solicitation"]);
        let mut policies: Vec<&str> = s["policies"].as_object().unwrap().keys().map(String::as_str).collect();
        policies.sort_unstable();
        assert_eq!(policies, ["generic", "journalist", "uk-civil-service", "us-hatch-act"]);
        for c in categories {
            let score = &s["categories"][c];
            assert!(score["true_positives"].as_u64().unwrap() + score["misses"].as_u64().unwrap() > 0, "{split} {c}");
        }
    }
    let (t, h, a) = (&r["splits"]["tuning"], &r["splits"]["holdout"], &r["splits"]["all"]);
    assert_eq!(t["posts"].as_u64().unwrap() + h["posts"].as_u64().unwrap(), a["posts"].as_u64().unwrap());
    // The README's count at the time of writing: 144 held out, 63 of them clean.
    assert!(h["posts"].as_u64().unwrap() >= 144);
    assert!(h["clean_at_standard"]["posts"].as_u64().unwrap() >= 63);
}
