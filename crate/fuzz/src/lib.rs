//! What the fuzz targets share: the engines they check with, and the invariants every
//! finding and every audit report must keep whatever the input.

use std::ops::ControlFlow;
use std::sync::LazyLock;

use impartial_audit::{audit, AuditOptions, Input, MemFiles, Report};
use impartial_core::{Category, CustomTerm, Engine, Finding, Policy, Profile, Severity, Strictness};

/// The number of custom terms in [`profile`], an upper bound on those of one category.
pub const CUSTOM_TERMS: usize = 5;

/// A profile with everything that adds phrases or passes: aliases (one non-ASCII, one
/// with punctuation), a role, literal and regex custom terms (case-sensitive and not),
/// an allowed phrase.
pub fn profile(policy: Policy) -> Profile {
    let term = |pattern: &str, category, regex, match_case| CustomTerm {
        regex,
        match_case,
        severity: Some(Severity::High),
        note: Some("fuzz".into()),
        ..CustomTerm::new(pattern, category)
    };
    Profile {
        policy,
        employer: "HM Revenue and Customs".into(),
        aliases: vec!["HMRC".into(), "Revenue & Customs".into(), "Département Ünïcode".into()],
        role: Some("Grade 7".into()),
        custom_terms: vec![
            term("Project Falcon", Category::Confidential, false, false),
            term("ÉTÉ straße", Category::Confidential, false, true),
            term(r"\bOP-[0-9]{3,6}\b", Category::Confidential, true, true),
            term(r"(?i)bonus\s+\w+ ?pay", Category::Conduct, true, false),
            term("👩‍💻 code", Category::Disclosure, false, false),
        ],
        allowed_phrases: vec!["Labour Day".into()],
        disabled_rules: Vec::new(),
    }
}

/// One engine per policy, compiled once per process: force it in the target's `init`, so
/// that compiling is not counted against the first input's time limit.
pub static ENGINES: LazyLock<Vec<Engine>> =
    LazyLock::new(|| Policy::ALL.iter().map(|&p| Engine::new(&profile(p)).expect("the fuzz profile compiles")).collect());

/// The audit targets' engine (UK civil service).
pub static AUDIT_ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new(&profile(Policy::UkCivilService)).expect("the fuzz profile compiles"));

/// Panics unless the findings are well formed for `text`: spans inside the text, on char
/// boundaries, UTF-16 offsets that match the byte offsets, `text` the spanned text; ordered
/// by position; shown at `strictness`; at most 200 per rule (per custom term for `custom.*`).
pub fn assert_findings(text: &str, findings: &[Finding], strictness: Strictness) {
    assert_findings_with(text, &utf16_offsets(text), findings, strictness);
}

/// The UTF-16 offset of every byte offset that is a char boundary (others: `usize::MAX`).
pub fn utf16_offsets(text: &str) -> Vec<usize> {
    let mut at = vec![usize::MAX; text.len() + 1];
    let mut units = 0;
    for (i, c) in text.char_indices() {
        at[i] = units;
        units += c.len_utf16();
    }
    at[text.len()] = units;
    at
}

/// [`assert_findings`] with the text's [`utf16_offsets`] computed once.
pub fn assert_findings_with(text: &str, utf16_at: &[usize], findings: &[Finding], strictness: Strictness) {
    let mut per_rule = std::collections::HashMap::<&str, usize>::new();
    for (i, f) in findings.iter().enumerate() {
        assert!(f.byte_start <= f.byte_end, "finding {i} ({}): byte_start {} > byte_end {}", f.rule, f.byte_start, f.byte_end);
        assert!(f.byte_end <= text.len(), "finding {i} ({}): byte_end {} past the text ({} bytes)", f.rule, f.byte_end, text.len());
        assert!(
            text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end),
            "finding {i} ({}): {}..{} is not on char boundaries",
            f.rule,
            f.byte_start,
            f.byte_end
        );
        assert_eq!(f.text, text[f.byte_start..f.byte_end], "finding {i} ({}): text is not the spanned text", f.rule);
        assert_eq!((f.start, f.end), (utf16_at[f.byte_start], utf16_at[f.byte_end]), "finding {i} ({}): UTF-16 span does not match bytes {}..{}", f.rule, f.byte_start, f.byte_end);
        assert!(strictness.shows(f.severity), "finding {i} ({}): {:?} is not shown at {:?}", f.rule, f.severity, strictness);
        if i > 0 {
            assert!(findings[i - 1].byte_start <= f.byte_start, "findings {} and {i} are out of order", i - 1);
        }
        // The engine caps each pack rule at 200 findings, and each custom term at 200; all
        // custom terms of a category share one rule id (`custom.confidential`), so those get
        // 200 per term (the profile has at most CUSTOM_TERMS of a category).
        let n = per_rule.entry(&f.rule).or_default();
        *n += 1;
        let cap = if f.rule.starts_with("custom.") { 200 * CUSTOM_TERMS } else { 200 };
        assert!(*n <= cap, "rule {} has more than {cap} findings", f.rule);
    }
}

/// Checks `text` with every engine at strict, and with the first (UK civil service) at every
/// strictness too, with the invariants above and that each strictness shows exactly
/// strict's findings it allows. (Every strictness for every policy would double the time
/// a 64 KB input takes, against the 2 s limit, for no code that the first does not reach:
/// strictness only filters.)
pub fn check_everywhere(text: &str) {
    let utf16_at = utf16_offsets(text);
    for (i, engine) in ENGINES.iter().enumerate() {
        let strict = engine.check(text, Strictness::Strict);
        assert_findings_with(text, &utf16_at, &strict, Strictness::Strict);
        if i > 0 {
            continue;
        }
        for strictness in [Strictness::Off, Strictness::Relaxed, Strictness::Standard] {
            let found = engine.check(text, strictness);
            assert_findings_with(text, &utf16_at, &found, strictness);
            let expected: Vec<&Finding> = strict.iter().filter(|f| strictness.shows(f.severity)).collect();
            assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{strictness:?} is not strict's findings filtered");
        }
    }
}

fn options() -> AuditOptions {
    AuditOptions {
        strictness: Strictness::Strict,
        employer_names: vec!["HM Revenue and Customs".into(), "HMRC".into()],
        context: "fuzz".into(),
        ..AuditOptions::default()
    }
}

/// Reports are rendered up to this many flagged posts and bios: rendering is linear in
/// them (a 1 MB file of flagged posts makes a 78 MB JSON report, 9 s of rendering in the
/// instrumented build), and more posts add no new rendering code.
const RENDER_AT_MOST: usize = 100;

/// Audits `input` (errors are fine: hostile input is refused, not crashed on), then
/// checks the report's invariants and renders it in every format.
pub fn audit_input(input: Input) {
    let engine = &*AUDIT_ENGINE;
    let Ok(report) = audit(input, engine, &options(), &mut |_| ControlFlow::Continue(())) else { return };
    assert_report(&report);
    if report.flagged.len() + report.bios.len() > RENDER_AT_MOST {
        return;
    }
    let mut out = Vec::new();
    impartial_audit::render::html(&report, &mut out).expect("html renders to memory");
    out.clear();
    impartial_audit::render::csv(&report, &mut out).expect("csv renders to memory");
    out.clear();
    impartial_audit::render::json(&report, &mut out).expect("json renders to memory");
    serde_json::from_slice::<serde_json::Value>(&out).expect("the JSON report is JSON");
}

/// Audits one file of `name` holding `data`, as the CLI and the extension do.
pub fn audit_file(name: &str, data: &[u8]) {
    match Input::from_bytes(name, data) {
        Ok(input) => audit_input(input),
        Err(_) => {}
    }
}

/// Audits a set of files at archive paths (as if extracted from a zip).
pub fn audit_files(files: Vec<(String, Vec<u8>)>) {
    audit_input(Input::from_files(MemFiles::new("fuzz-archive", files)));
}

/// Splits fuzz input into a choice (its first byte) and the rest.
pub fn choose<'a, T>(data: &[u8], options: &'a [T]) -> Option<(&'a T, Vec<u8>)> {
    let (&first, rest) = data.split_first()?;
    Some((&options[first as usize % options.len()], rest.to_vec()))
}

pub fn assert_report(report: &Report) {
    assert!(report.failures.len() <= impartial_audit::model::MAX_FAILURES_LISTED, "{} failures listed", report.failures.len());
    for p in &report.flagged {
        assert!(!p.findings.is_empty(), "flagged post {} has no findings", p.post.id);
        assert_findings(&p.post.text, &p.findings, Strictness::Strict);
        if let Some(url) = &p.post.url {
            // Schemes are case-insensitive: `HTTPS://` is as safe as `https://`.
            let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
            assert!(matches!(scheme.as_deref(), Some("https" | "http")), "post {}: unsafe link {url:?}", p.post.id);
        }
    }
    for b in &report.bios {
        assert_findings(&b.text, &b.findings, Strictness::Strict);
    }
}
