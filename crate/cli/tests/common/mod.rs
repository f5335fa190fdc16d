//! Helpers shared by the `impartial eval` test files (tests/eval.rs, tests/gate.rs).
// Each test file uses its own subset of these.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

pub fn eval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_impartial")).arg("eval").args(args).output().expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

/// A directory in the temp directory, unique to this test, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("impartial-eval-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn write(&self, file: &str, lines: &[String]) -> String {
        let path = self.0.join(file);
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const ALL: &str = r#"["disclosure","disclaimer","partisan","solicitation","government","confidential","conduct"]"#;

pub fn post(id: &str, text: &str, expect: &str, absent: &str) -> String {
    format!(
        r#"{{"id": "{id}", "site": "x", "profile": {{"employer": "HM Revenue and Customs", "aliases": ["HMRC"], "policy": "uk-civil-service"}}, "text": "{text}", "expect": {expect}, "absent": {absent}, "notes": ""}}"#
    )
}
