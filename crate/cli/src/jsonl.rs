//! `impartial check --jsonl FILE|-`: one post a line in, one result a line out.
//!
//! In: `{"id": …, "text": "…", "site"?: "…", "strictness"?: "…",
//!       "profile"?: {"employer"?, "aliases"?, "policy"?, "role"?}}`
//! Out: `{"id": …, "findings": [...]}`, or `{"id": …, "error": "…"}` for a line that
//! cannot be checked; processing continues either way. Exit 2 if any line was an error,
//! else 1 if any post had findings, else 0.
//!
//! A line's `profile` overrides fields of the command line's profile. Engines are cached by
//! profile, so a batch with a handful of profiles compiles each once.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use impartial_core::{Engine, Policy, Profile, Strictness};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::options::Setup;
use crate::UsageError;

/// At most this many compiled profiles are kept; the cache is emptied when full.
const ENGINE_CACHE: usize = 64;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    #[allow(dead_code)] // read separately so that errors can still name the id
    id: Value,
    text: String,
    site: Option<String>,
    strictness: Option<Strictness>,
    profile: Option<LineProfile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LineProfile {
    employer: Option<String>,
    aliases: Option<Vec<String>>,
    policy: Option<Policy>,
    role: Option<String>,
}

/// One output line; a struct (not a `json!` map) so that `id` comes first.
#[derive(Serialize)]
#[serde(untagged)]
enum Record {
    Findings { id: Value, findings: Vec<impartial_core::Finding> },
    Error { id: Value, error: String },
}

pub fn run(source: &str, setup: &Setup) -> Result<ExitCode, UsageError> {
    let reader: Box<dyn BufRead> = if source == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = File::open(source).map_err(|e| UsageError(format!("cannot read {source}: {e}")))?;
        Box::new(BufReader::new(file))
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut engines: HashMap<String, Engine> = HashMap::new();
    let (mut any_error, mut any_finding) = (false, false);
    for (number, line) in split_lines(reader).enumerate() {
        let number = number + 1;
        let result = match line {
            Err(e) => return Err(UsageError(format!("reading {source}: {e}"))),
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => continue,
            Ok(bytes) => check_line(&bytes, setup, &mut engines),
        };
        let record = match result {
            Ok((id, findings)) => {
                any_finding |= !findings.is_empty();
                Record::Findings { id, findings }
            }
            Err((id, reason)) => {
                any_error = true;
                Record::Error { id, error: format!("line {number}: {reason}") }
            }
        };
        serde_json::to_writer(&mut out, &record).expect("records serialise");
        writeln!(out).map_err(|e| UsageError(format!("writing output: {e}")))?;
    }
    out.flush().map_err(|e| UsageError(format!("writing output: {e}")))?;
    Ok(if any_error {
        ExitCode::from(2)
    } else if any_finding {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Lines as raw bytes, so one line of bad UTF-8 is that line's error, not the batch's.
fn split_lines(mut reader: Box<dyn BufRead>) -> impl Iterator<Item = std::io::Result<Vec<u8>>> {
    std::iter::from_fn(move || {
        let mut buf = Vec::new();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => None,
            Ok(_) => Some(Ok(buf)),
            Err(e) => Some(Err(e)),
        }
    })
}

type LineResult = Result<(Value, Vec<impartial_core::Finding>), (Value, String)>;

fn check_line(bytes: &[u8], setup: &Setup, engines: &mut HashMap<String, Engine>) -> LineResult {
    let text = std::str::from_utf8(bytes).map_err(|_| (Value::Null, "not UTF-8 text".to_string()))?;
    let value: Value = serde_json::from_str(text).map_err(|e| (Value::Null, format!("not JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    if id.is_null() {
        return Err((id, "missing \"id\"".into()));
    }
    let line: Line = serde_json::from_value(value).map_err(|e| (id.clone(), e.to_string()))?;
    let profile = merged_profile(&setup.profile, line.profile.unwrap_or_default());
    let strictness = match (line.strictness, &line.site) {
        (Some(s), _) => s,
        (None, Some(site)) => setup.settings.strictness_for(site, Some(setup.now_ms)),
        (None, None) => setup.strictness,
    };
    let key = serde_json::to_string(&profile).expect("profiles serialise");
    if !engines.contains_key(&key) {
        let engine = setup.engine(&profile).map_err(|UsageError(e)| (id.clone(), e))?;
        if engines.len() >= ENGINE_CACHE {
            engines.clear();
        }
        engines.insert(key.clone(), engine);
    }
    Ok((id, engines[&key].check(&line.text, strictness)))
}

fn merged_profile(base: &Profile, line: LineProfile) -> Profile {
    let mut profile = base.clone();
    if let Some(employer) = line.employer {
        profile.employer = employer;
        profile.aliases.clear();
    }
    if let Some(aliases) = line.aliases {
        profile.aliases = aliases;
    }
    if let Some(policy) = line.policy {
        profile.policy = policy;
    }
    if let Some(role) = line.role {
        profile.role = Some(role);
    }
    profile
}
