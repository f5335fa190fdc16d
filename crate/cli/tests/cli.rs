//! Runs the built `impartial` binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const MUST_SHOW: &str = "I work at HMRC and honestly the Tories are a disgrace, vote Labour! Views my own.";

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_impartial"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A file in the temp directory, unique to this test, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("impartial-cli-test-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const HMRC: [&str; 6] = ["--policy", "uk-civil-service", "--employer", "HM Revenue and Customs", "--alias", "HMRC"];

#[test]
fn must_show_in_human_form() {
    let mut args = vec!["check"];
    args.extend(HMRC);
    args.push(MUST_SHOW);
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for rule in [
        "common.disclosure.employer",
        "uk.combination.attributable-politics",
        "uk.partisan.party-attack",
        "uk.partisan.vote-for",
        "common.disclaimer.views-my-own",
    ] {
        assert!(text.contains(&format!("[{rule}]")), "{rule} missing from\n{text}");
    }
    assert!(text.contains("6 findings: 2 high, 4 medium (uk-civil-service, standard)."), "{text}");
    assert!(text.contains(" --> post:1:56"), "{text}");
    assert!(text.contains("^^^^^^^^^^^ partisan"), "{text}");
    assert!(!text.contains('\x1b'), "colour without a terminal");
}

#[test]
fn must_show_in_json_with_spans() {
    let mut args = vec!["check", "--format", "json"];
    args.extend(HMRC);
    args.push(MUST_SHOW);
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let spans: Vec<(&str, &str, u64, u64)> = findings
        .iter()
        .map(|f| (f["category"].as_str().unwrap(), f["severity"].as_str().unwrap(), f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        spans,
        [
            ("disclosure", "medium", 0, 14),
            ("partisan", "high", 0, 14),
            // The combination marks the politics too, so a Relaxed site underlines both halves.
            ("partisan", "high", 32, 53),
            ("partisan", "medium", 32, 53),
            ("partisan", "medium", 55, 66),
            ("disclaimer", "medium", 68, 80),
        ]
    );
}

#[test]
fn reads_stdin_and_exits_zero_when_clean() {
    let out = run(&["check"], Some(b"Lovely weather for the annual leave I booked"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("No findings"));
}

#[test]
fn colour_on_request() {
    let out = run(&["check", "--color", "always", "vote Labour"], None);
    assert!(stdout(&out).contains("\x1b["));
}

#[test]
fn settings_file_sets_profile_and_site_strictness() {
    let settings = TempFile::new(
        "settings.json",
        r#"{
        "version": 1,
        "profile": { "policy": "uk-civil-service", "employer": "Department for Work and Pensions", "aliases": ["DWP"] },
        "sites": { "linkedin": "strict", "facebook": "relaxed", "x": "standard" },
        "enabled_sites": ["linkedin", "facebook", "x"],
        "pause_until": null
    }"#,
    );
    let text = "I work at DWP. What the fuck";
    let strict = run(&["check", "--settings", settings.path(), "--site", "linkedin", "--format", "json", text], None);
    let found: Vec<serde_json::Value> = serde_json::from_slice(&strict.stdout).unwrap();
    let rules: Vec<&str> = found.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["common.disclosure.employer", "common.conduct.profanity"]);
    let relaxed = run(&["check", "--settings", settings.path(), "--site", "facebook", text], None);
    assert_eq!(relaxed.status.code(), Some(0), "{}", stdout(&relaxed));
    let off = run(&["check", "--settings", settings.path(), "--site", "reddit", text], None);
    assert_eq!(off.status.code(), Some(0), "reddit is not enabled");
}

#[test]
fn bad_settings_are_usage_errors_naming_the_problem() {
    let future = TempFile::new("future.json", r#"{"version": 7}"#);
    let out = run(&["check", "--settings", future.path(), "hello"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("settings version 7 is newer than this Impartial understands (1)"), "{}", stderr(&out));

    let empty = TempFile::new("empty.json", "");
    let out = run(&["check", "--settings", empty.path(), "hello"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("empty"));

    let bad = TempFile::new("bad.json", r#"{"version": 1, "profile": {"custom_terms": [{"pattern": "(oops", "category": "confidential", "regex": true}]}}"#);
    let out = run(&["check", "--settings", bad.path(), "hello"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("profile.custom_terms[0].pattern"), "{}", stderr(&out));

    let out = run(&["check", "--settings", "/nonexistent/settings.json", "hello"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn jsonl_reports_each_line_and_continues_after_errors() {
    let input = [
        r#"{"id": 1, "text": "vote Labour"}"#,
        r##"{"id": 2, "text": "#MAGA", "profile": {"policy": "us-hatch-act"}}"##,
        "not json",
        r#"{"id": "x", "txt": "typo"}"#,
        "",
        r#"{"id": 5, "text": "Lovely day", "strictness": "strict"}"#,
        r#"{"id": 6, "text": "What the fuck", "site": "linkedin"}"#,
    ]
    .join("\n");
    let file = TempFile::new("batch.jsonl", &input);
    let out = run(&["check", "--jsonl", file.path()], None);
    assert_eq!(out.status.code(), Some(2), "a malformed line makes the batch exit 2");
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["findings"][0]["rule"], "uk.partisan.vote-for");
    assert_eq!(lines[1]["findings"][0]["rule"], "us.partisan.campaign-slogan");
    assert!(lines[2]["error"].as_str().unwrap().starts_with("line 3: not JSON"));
    assert_eq!(lines[3]["id"], "x");
    assert!(lines[3]["error"].as_str().unwrap().contains("txt"));
    assert_eq!(lines[4]["findings"].as_array().unwrap().len(), 0);
    assert_eq!(lines[5]["findings"][0]["rule"], "common.conduct.profanity", "linkedin is strict by default");

    let clean = run(&["check", "--jsonl", "-"], Some(br#"{"id": 1, "text": "hello"}"#));
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean).trim(), r#"{"id":1,"findings":[]}"#);
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules", "--policy", "us-hatch-act"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("us.solicitation.donation-link") && text.contains("common.disclaimer.views-my-own"));
    assert!(!text.contains("uk.partisan.vote-for"));

    let all = run(&["rules", "--format", "json"], None);
    let docs: Vec<serde_json::Value> = serde_json::from_slice(&all.stdout).unwrap();
    assert!(docs.len() > 40);

    let out = run(&["explain", "common.disclaimer.views-my-own"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for section in ["## What it does", "## Why is this bad?", "## Example", "Flagged:", "## Source", "https://doi.org/10.1108/CCIJ-06-2022-0058"] {
        assert!(text.contains(section), "{section} missing from\n{text}");
    }
    let out = run(&["explain", "vote-for"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean uk.partisan.vote-for"));
}

#[test]
fn bad_usage_exits_two() {
    assert_eq!(run(&[], None).status.code(), Some(2));
    assert_eq!(run(&["check", "--strictness", "loud", "x"], None).status.code(), Some(2));
    assert_eq!(run(&["check", "--site", "not a site", "x"], None).status.code(), Some(2));
    assert_eq!(run(&["check", "--alias", "", "x"], None).status.code(), Some(2));
    let out = run(&["check"], Some(&[0xff, 0xfe, 0x00]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"));
}
