//! `impartial audit`: runs the built binary on small archives made here.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const HMRC: [&str; 6] = ["--policy", "uk-civil-service", "--employer", "HM Revenue and Customs", "--alias", "HMRC"];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_impartial"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A directory in the temp directory, unique to this test, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("impartial-audit-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tweet(id: &str, text: &str) -> String {
    serde_json::json!({"tweet": {"id_str": id, "full_text": text, "created_at": "Wed Oct 10 20:19:24 +0000 2018"}}).to_string()
}

fn x_files(texts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let items: Vec<String> = texts.iter().enumerate().map(|(i, t)| tweet(&(1000 + i).to_string(), t)).collect();
    vec![
        ("data/tweets.js".into(), format!("window.YTD.tweets.part0 = [ {} ]", items.join(", ")).into_bytes()),
        ("data/account.js".into(), br#"window.YTD.account.part0 = [ { "account": { "username": "jo_civil" } } ]"#.to_vec()),
        ("data/profile.js".into(), br#"window.YTD.profile.part0 = [ { "profile": { "description": { "bio": "Policy adviser at HMRC" } } } ]"#.to_vec()),
    ]
}

fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const POSTS: [&str; 3] = ["Honestly the Tories are a disgrace, vote Labour!", "Lovely walk by the river today", "Donate to the Labour campaign today"];

#[test]
fn audits_an_x_zip_to_html_with_a_summary() {
    let dir = TempDir::new("x-zip");
    let archive = dir.file("twitter-2024.zip", &zip(&x_files(&POSTS)));
    let report = dir.path("report.html");
    let mut args = vec!["audit", archive.as_str(), "--out", report.as_str()];
    args.extend(HMRC);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "X (Twitter) @jo_civil (3 posts)",
        "Posts read: 3; skipped (no text of your own): 0; could not be read: 0",
        "Posts with findings: 2 (worst finding: ",
        "By category (posts): ",
        "Profile: your X (Twitter) bio names your employer, so partisan posts there are attributable to them",
        "Top risks:\n    1. high ",
        "https://x.com/jo_civil/status/1002",
        &format!("Report: {report}"),
    ] {
        assert!(text.contains(want), "{want:?} missing from\n{text}");
    }
    assert!(text.lines().count() <= 24, "one screen:\n{text}");
    assert_eq!(stderr(&out), "", "no progress bar without a terminal");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("href=\"https://x.com/jo_civil/status/1000\""));
}

#[test]
fn formats_from_the_extension_or_the_flag() {
    let dir = TempDir::new("formats");
    let archive = dir.file("posts.txt", b"vote Labour\nquiet day\n");
    let csv_path = dir.path("r.csv");
    let out = run(&["audit", &archive, "--out", &csv_path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("rank,risk,date,platform,kind,post_id,url,attributable,severity,category,rule,"), "{csv}");
    // The report to standard output: the summary moves to standard error.
    let out = run(&["audit", &archive, "--format", "json", "--out", "-"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["posts_read"], 2);
    assert!(stderr(&out).contains("Report: standard output"));
}

#[test]
fn an_extracted_folder_works() {
    let dir = TempDir::new("folder");
    for (name, data) in x_files(&POSTS) {
        dir.file(&format!("twitter-archive/{name}"), &data);
    }
    dir.file("twitter-archive/data/tweets_media/1.jpg", b"\xff\xd8");
    let report = dir.path("out.json");
    let mut args = vec!["audit", dir.0.to_str().unwrap(), "--out", report.as_str()];
    args.extend(HMRC);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["posts_flagged"], 2);
    assert_eq!(v["bios"][0]["names_employer"], true);
}

#[test]
fn clean_archives_exit_zero() {
    let dir = TempDir::new("clean");
    let archive = dir.file("a.zip", &zip(&x_files(&["Lovely walk by the river today", "Parkrun PB this morning"])[..1]));
    let report = dir.path("r.html");
    let out = run(&["audit", &archive, "--out", &report]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("Posts with findings: 0"));
}

#[test]
fn bad_input_exits_two_naming_the_file() {
    let dir = TempDir::new("bad");
    let report = dir.path("r.html");
    let missing = dir.path("nope.zip");
    let out = run(&["audit", &missing, "--out", &report]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(&format!("impartial: {missing}: cannot open")), "{}", stderr(&out));

    let corrupt = dir.file("corrupt.zip", b"PK\x03\x04 truncated download");
    let out = run(&["audit", &corrupt, "--out", &report]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("corrupt.zip: not a readable zip archive"), "{}", stderr(&out));

    let unknown = dir.file("photos.zip", &zip(&[("IMG_0001.jpg".into(), b"\xff\xd8".to_vec())]));
    let out = run(&["audit", &unknown, "--out", &report]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("photos.zip: no posts found: expected an X/Twitter archive"), "{}", stderr(&out));

    let wrong = dir.file("tweets.js", b"<html><body>Your archive</body></html>");
    let out = run(&["audit", &wrong, "--out", &report]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tweets.js: expected `window.YTD.tweets.part0 = [...]`"), "{}", stderr(&out));
    assert!(!Path::new(&report).exists(), "no report for unreadable input");

    assert_eq!(run(&["audit"]).status.code(), Some(2), "PATH is required");
    assert_eq!(run(&["audit", &corrupt, "--format", "pdf"]).status.code(), Some(2));
}

#[test]
fn partly_readable_input_still_reports_and_exits_two() {
    let dir = TempDir::new("partial");
    let full = format!("window.YTD.tweets.part0 = [ {}, {}, {} ]", tweet("1", POSTS[0]), r#"{"tweet": {"id_str": "2"}}"#, tweet("3", POSTS[1]));
    let cut = &full.as_bytes()[..full.len() - 20];
    let archive = dir.file("tweets.js", cut);
    let report = dir.path("r.html");
    let out = run(&["audit", &archive, "--out", &report]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Posts read: 1; skipped (no text of your own): 0; could not be read: 1"), "{text}");
    assert!(text.contains("Problem: tweets.js: the file ends early, after 2 posts"), "{text}");
    assert!(text.contains("Could not read 1 post: first tweets.js 2: no `full_text`"), "{text}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("What could not be read"));
}
