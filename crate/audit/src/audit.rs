//! The audit run: detect what the input holds, stream each file's posts through the
//! engine, keep the flagged ones, and summarise.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::rc::Rc;

use impartial_core::{Category, Engine, Finding, Severity, Strictness};

use crate::detect::{self, Job};
use crate::files::Input;
use crate::model::*;
use crate::parse;
use crate::AuditError;

/// How posts are checked and what the report says about the setup.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// The strictness for platforms without an entry in `per_platform`.
    pub strictness: Strictness,
    /// Strictness per platform (e.g. from the settings' sites).
    pub per_platform: Vec<(Platform, Strictness)>,
    /// The employer's name and aliases: a bio naming one makes partisan posts on that
    /// platform attributable (as does a bio the engine flags as disclosure).
    pub employer_names: Vec<String>,
    /// Shown in the report: what the posts were checked against.
    pub context: String,
    /// At most this many flagged posts are listed, the riskiest; the rest are counted
    /// ([`Report::flagged_not_listed`]). Bounds memory and the report's size whatever the
    /// archive holds (a 550 KB zip can hold 90,000 flagged posts).
    pub max_flagged_listed: usize,
    /// At most this many uncompressed bytes are read of one file; a larger file is audited
    /// up to there and reported as a problem. Bounds time on a zip bomb.
    pub max_file_bytes: u64,
}

/// [`AuditOptions::max_flagged_listed`]'s default: an account with 200,000 posts of which
/// 5% are flagged lists all of them; the report stays under about 50 MB of HTML.
pub const MAX_FLAGGED_LISTED: usize = 10_000;

/// [`AuditOptions::max_file_bytes`]'s default, 1 GiB: X's `tweets.js` for 100,000 posts is
/// about 150 MB; reading 1 GiB takes some seconds.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

impl Default for AuditOptions {
    fn default() -> AuditOptions {
        AuditOptions {
            strictness: Strictness::Standard,
            per_platform: Vec::new(),
            employer_names: Vec::new(),
            context: String::new(),
            max_flagged_listed: MAX_FLAGGED_LISTED,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

impl AuditOptions {
    pub fn strictness_for(&self, platform: Platform) -> Strictness {
        self.per_platform.iter().find(|(p, _)| *p == platform).map_or(self.strictness, |(_, s)| *s)
    }
}

/// Where the audit is, for a progress bar. Reported every few hundred posts and at each
/// file; return `ControlFlow::Break(())` from the callback to cancel.
#[derive(Clone, Debug)]
pub struct Progress<'a> {
    /// The file being read (inside the archive).
    pub file: &'a str,
    pub files_done: usize,
    pub files_total: usize,
    /// Uncompressed bytes read so far, of `bytes_total`.
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub posts_read: u64,
    pub posts_flagged: u64,
}

/// Posts between progress reports.
const PROGRESS_EVERY: u64 = 512;

pub(crate) struct Ctx<'a> {
    engine: &'a Engine,
    options: &'a AuditOptions,
    on_progress: &'a mut dyn FnMut(&Progress) -> ControlFlow<()>,
    pub file: String,
    /// Bytes read of the current file, updated by the reader.
    pub bytes: Rc<Cell<u64>>,
    bytes_before: u64,
    bytes_total: u64,
    files_done: usize,
    files_total: usize,
    since_progress: u64,
    report: Report,
    months: BTreeMap<(i64, u32), (u64, u64)>,
    source: Option<usize>,
}

/// The callback stopped the audit.
pub(crate) struct Stop;

impl<'a> Ctx<'a> {
    fn progress(&mut self) -> Result<(), Stop> {
        self.since_progress = 0;
        let p = Progress {
            file: &self.file,
            files_done: self.files_done,
            files_total: self.files_total,
            bytes_done: self.bytes_before + self.bytes.get(),
            bytes_total: self.bytes_total,
            posts_read: self.report.posts_read,
            posts_flagged: self.report.posts_flagged,
        };
        match (self.on_progress)(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Stop),
        }
    }

    fn source_mut(&mut self, platform: Platform) -> &mut SourceSummary {
        let i = match self.report.sources.iter().position(|s| s.platform == platform) {
            Some(i) => i,
            None => {
                self.report.sources.push(SourceSummary { platform, account: None, files: Vec::new(), posts: 0 });
                self.report.sources.len() - 1
            }
        };
        self.source = Some(i);
        &mut self.report.sources[i]
    }

    /// The account name recorded for a platform.
    pub fn account_name(&self, platform: Platform) -> Option<String> {
        self.report.sources.iter().find(|s| s.platform == platform).and_then(|s| s.account.clone())
    }

    /// Records the account name shown in the report.
    pub fn account(&mut self, platform: Platform, name: String) {
        if !name.trim().is_empty() {
            self.source_mut(platform).account = Some(name);
        }
    }

    pub fn max_file_bytes(&self) -> u64 {
        self.options.max_file_bytes
    }

    /// Checks one post.
    pub fn post(&mut self, post: Post) -> Result<(), Stop> {
        let strictness = self.options.strictness_for(post.platform);
        let findings = self.engine.check(&post.text, strictness);
        self.report.posts_read += 1;
        self.source_mut(post.platform).posts += 1;
        let flagged = !findings.is_empty();
        if let Some(date) = post.date {
            let m = self.months.entry(date.year_month()).or_default();
            m.0 += 1;
            m.1 += u64::from(flagged);
        }
        if flagged {
            self.report.posts_flagged += 1;
            count(&mut self.report, &findings);
            let max_severity = findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Low);
            self.report.flagged_by_worst.add(max_severity);
            let risk = risk_score(&findings, false);
            self.report.flagged.push(AuditedPost { post, risk, max_severity, attributable: false, findings });
            if self.report.flagged.len() >= 2 * self.options.max_flagged_listed.max(1) {
                keep_riskiest(&mut self.report, self.options.max_flagged_listed, true);
            }
        }
        self.since_progress += 1;
        if self.since_progress >= PROGRESS_EVERY {
            self.progress()?;
        }
        Ok(())
    }

    /// An item skipped on purpose (no text of the author's own).
    pub fn skip(&mut self) {
        self.report.posts_skipped += 1;
    }

    /// A post that could not be read, in the current file.
    pub fn fail(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.report.posts_failed += 1;
        if self.report.failures.len() < MAX_FAILURES_LISTED {
            self.report.failures.push(Failure { file: self.file.clone(), location: location.into(), reason: reason.into() });
        }
    }

    /// A profile text to check like a post.
    pub fn bio(&mut self, platform: Platform, field: &str, text: String) {
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let findings = self.engine.check(&text, self.options.strictness_for(platform).max(Strictness::Standard));
        let names_employer = findings.iter().any(|f| f.category == Category::Disclosure) || self.options.employer_names.iter().any(|n| mentions(&text, n));
        self.source_mut(platform);
        self.report.bios.push(Bio { platform, field: field.to_string(), file: self.file.clone(), text, findings, names_employer });
    }
}

/// The listing order: worst severity, then risk, newest, id.
fn riskiest_first(p: &AuditedPost, partisan_attributable: bool) -> impl Ord {
    let risk = if partisan_attributable && !p.attributable && p.findings.iter().any(|f| f.category == Category::Partisan) {
        risk_score(&p.findings, true)
    } else {
        p.risk
    };
    (Reverse(p.max_severity), Reverse(risk), Reverse(p.post.date), p.post.id.clone())
}

/// Sorts the listed posts riskiest first and keeps `max` of them, counting the rest.
/// While reading (`provisional`), a partisan post ranks as if the profile made it
/// attributable, because a bio read later may: no post is dropped that could outrank a
/// kept one once the bios are known.
fn keep_riskiest(report: &mut Report, max: usize, provisional: bool) {
    // Keys computed once a post, not once a comparison (a key scans the post's findings).
    report.flagged.sort_by_cached_key(|p| riskiest_first(p, provisional));
    if report.flagged.len() > max {
        report.flagged_not_listed += (report.flagged.len() - max) as u64;
        report.flagged.truncate(max);
    }
}

fn count(report: &mut Report, findings: &[Finding]) {
    let mut seen_cat = Vec::new();
    let mut seen_sev = Vec::new();
    for f in findings {
        let c = report.by_category.entry(f.category).or_default();
        c.findings += 1;
        if !seen_cat.contains(&f.category) {
            seen_cat.push(f.category);
            c.posts += 1;
        }
        let s = report.by_severity.entry(f.severity).or_default();
        s.findings += 1;
        if !seen_sev.contains(&f.severity) {
            seen_sev.push(f.severity);
            s.posts += 1;
        }
    }
}

/// `name` appears in `text` as whole words, ignoring case.
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    let mut from = 0;
    while let Some(at) = text[from..].find(&name) {
        let start = from + at;
        let end = start + name.len();
        let before = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Audits every post the input holds.
///
/// Errors: [`AuditError::Input`] when the input is not an archive or file Impartial knows
/// (the message names the file and what was expected), or when nothing at all could be
/// read; [`AuditError::Cancelled`] when `on_progress` breaks. A damaged file among good
/// ones, or posts that fail to parse, do not stop the audit: they are in the report's
/// `problems` and `failures`.
pub fn audit(input: Input, engine: &Engine, options: &AuditOptions, on_progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>) -> Result<Report, AuditError> {
    let mut files = input.files;
    let jobs = detect::plan(files.as_mut())?;
    let bytes_total = jobs.iter().map(|j| files.entries()[j.entry].size).sum();
    let mut ctx = Ctx {
        engine,
        options,
        on_progress,
        file: String::new(),
        bytes: Rc::new(Cell::new(0)),
        bytes_before: 0,
        bytes_total,
        files_done: 0,
        files_total: jobs.len(),
        since_progress: 0,
        report: Report {
            tool: format!("impartial-audit {}", env!("CARGO_PKG_VERSION")),
            context: options.context.clone(),
            sources: Vec::new(),
            bios: Vec::new(),
            posts_read: 0,
            posts_skipped: 0,
            posts_failed: 0,
            failures: Vec::new(),
            problems: Vec::new(),
            posts_flagged: 0,
            by_category: BTreeMap::new(),
            by_severity: BTreeMap::new(),
            by_month: Vec::new(),
            flagged: Vec::new(),
            flagged_by_worst: WorstCounts::default(),
            flagged_not_listed: 0,
        },
        months: BTreeMap::new(),
        source: None,
    };
    let mut first_error = None;
    for job in &jobs {
        let Job { entry, platform, .. } = *job;
        ctx.file = files.entries()[entry].path.clone();
        ctx.bytes.set(0);
        let file = ctx.file.clone();
        ctx.source_mut(platform).files.push(file);
        ctx.progress().map_err(|Stop| AuditError::Cancelled)?;
        let result = match files.open(entry) {
            Ok(reader) => parse::run(job, reader, &mut ctx),
            Err(e) => Err(parse::FileError::Message(format!("cannot read: {e}"))),
        };
        match result {
            Ok(()) => {}
            Err(parse::FileError::Stopped) => return Err(AuditError::Cancelled),
            Err(parse::FileError::Message(message)) => {
                let problem = format!("{}: {message}", ctx.file);
                if first_error.is_none() {
                    first_error = Some(AuditError::input(ctx.file.clone(), message));
                }
                ctx.report.problems.push(problem);
            }
        }
        ctx.bytes_before += files.entries()[entry].size;
        ctx.files_done += 1;
    }
    ctx.bytes.set(0);
    ctx.progress().map_err(|Stop| AuditError::Cancelled)?;
    let reported = ctx.report.posts_read + ctx.report.posts_failed + ctx.report.posts_skipped + ctx.report.bios.len() as u64;
    if reported == 0 {
        if let Some(e) = first_error {
            return Err(e);
        }
    }
    Ok(finish(ctx.report, ctx.months, options.max_flagged_listed))
}

fn finish(mut report: Report, months: BTreeMap<(i64, u32), (u64, u64)>, max_listed: usize) -> Report {
    let attributing: Vec<Platform> = report.attributing_bios().map(|b| b.platform).collect();
    for p in &mut report.flagged {
        if attributing.contains(&p.post.platform) && p.findings.iter().any(|f| f.category == Category::Partisan) {
            p.attributable = true;
            p.risk = risk_score(&p.findings, true);
        }
    }
    keep_riskiest(&mut report, max_listed, false);
    if let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) {
        let span = (last.0 - first.0) * 12 + i64::from(last.1) - i64::from(first.1);
        if span > 1200 {
            // Some date is nonsense: list only the months that have posts.
            for (&(y, m), &(posts, flagged)) in &months {
                report.by_month.push(MonthCount { month: format!("{y:04}-{m:02}"), posts, flagged });
            }
            return report;
        }
        let (mut y, mut m) = first;
        while (y, m) <= last {
            let (posts, flagged) = months.get(&(y, m)).copied().unwrap_or_default();
            report.by_month.push(MonthCount { month: format!("{y:04}-{m:02}"), posts, flagged });
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_whole_words() {
        assert!(mentions("Policy adviser at HMRC.", "hmrc"));
        assert!(mentions("hm revenue and customs", "HM Revenue and Customs"));
        assert!(!mentions("HMRCx fan", "HMRC"));
        assert!(!mentions("anything", " "));
    }
}
