//! `impartial audit PATH`: check every post of a platform archive (a .zip, its extracted
//! folder, or a file of posts) and write a report (HTML, CSV or JSON). A one-screen
//! summary goes to standard output; a progress bar to standard error when it is a
//! terminal.
//!
//! Exit status: 2 when the input cannot be read at all, or when some file or post in it
//! could not be read (the report is still written, listing them); else 1 if any post or
//! bio has findings; else 0.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use impartial_audit::{audit, render, AuditOptions, Platform, Report};
use impartial_core::{default_strictness, Category, Severity};
use indicatif::{ProgressBar, ProgressStyle};

use crate::options::{CheckArgs, ColorChoice, Format, PolicyArg, Setup, StrictnessArg};
use crate::UsageError;

#[derive(Args)]
pub struct AuditArgs {
    /// The archive the platform sent (.zip), its extracted folder, or a file of posts
    /// (.txt: posts separated by blank lines, or one a line; .jsonl: {"id", "text", "date"?, "url"?}).
    pub path: PathBuf,
    /// Where to write the report; - for standard output. Default: impartial-audit.html
    /// (or .csv, .json with --format) in the current folder.
    #[arg(long, short, value_name = "FILE|-")]
    pub out: Option<PathBuf>,
    /// The report's format. Default: from --out's extension, else html.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The guidance that applies to the author.
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,
    /// The employer's name, e.g. "HM Revenue and Customs".
    #[arg(long)]
    pub employer: Option<String>,
    /// Another name for the employer, e.g. HMRC (repeatable).
    #[arg(long = "alias", value_name = "ALIAS")]
    pub aliases: Vec<String>,
    /// The author's role or grade, e.g. "Grade 7".
    #[arg(long)]
    pub role: Option<String>,
    /// Which severities to show, on every platform. Default: each platform's strictness
    /// from --settings, else standard.
    #[arg(long, value_enum)]
    pub strictness: Option<StrictnessArg>,
    /// The extension's exported settings file (JSON).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Print the time taken and the peak memory (VmHWM) to standard error (benchmarks).
    #[arg(long, hide = true)]
    pub stats: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Csv,
    Json,
}

impl ReportFormat {
    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
        }
    }
}

const PLATFORMS: [Platform; 5] = [Platform::X, Platform::Facebook, Platform::Linkedin, Platform::Mastodon, Platform::Bluesky];

pub fn run(args: &AuditArgs) -> Result<ExitCode, UsageError> {
    let started = Instant::now();
    let check = CheckArgs {
        text: None,
        policy: args.policy,
        employer: args.employer.clone(),
        aliases: args.aliases.clone(),
        role: args.role.clone(),
        site: None,
        strictness: args.strictness,
        settings: args.settings.clone(),
        format: Format::Human,
        jsonl: None,
        color: ColorChoice::Never,
    };
    let setup = Setup::from_args(&check)?;
    let engine = setup.engine(&setup.profile)?;
    let per_platform = match (args.strictness, &args.settings) {
        (None, Some(_)) => PLATFORMS
            .iter()
            .filter_map(|&p| {
                let site = p.site_id()?;
                Some((p, setup.settings.sites.get(site).copied().unwrap_or_else(|| default_strictness(site))))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut employer_names = vec![setup.profile.employer.clone()];
    employer_names.extend(setup.profile.aliases.iter().cloned());
    employer_names.retain(|n| !n.trim().is_empty());
    let strictness_note =
        if per_platform.is_empty() { format!("{:?}", setup.strictness).to_lowercase() } else { "strictness per site from the settings".to_string() };
    let employer = if setup.profile.employer.is_empty() { String::new() } else { format!(", employer {}", setup.profile.employer) };
    let options = AuditOptions {
        strictness: setup.strictness,
        per_platform,
        employer_names,
        context: format!("{}{employer}, {strictness_note}", setup.profile.policy.as_str()),
        ..AuditOptions::default()
    };

    let format = args.format.unwrap_or_else(|| match args.out.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => ReportFormat::Csv,
        Some(e) if e.eq_ignore_ascii_case("json") => ReportFormat::Json,
        _ => ReportFormat::Html,
    });
    let out_path = args.out.clone().unwrap_or_else(|| PathBuf::from(format!("impartial-audit.{}", format.extension())));
    let to_stdout = out_path.as_os_str() == "-";

    let input = impartial_audit::fs::open(&args.path).map_err(|e| UsageError(e.to_string()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(ProgressStyle::with_template("{spinner} [{bar:30}] {bytes}/{total_bytes} {msg}").expect("a valid template").progress_chars("=> "));
        bar
    });
    let mut on_progress = |p: &impartial_audit::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(format!("{} posts, {} flagged · {}", p.posts_read, p.posts_flagged, p.file));
        }
        ControlFlow::Continue(())
    };
    let result = audit(input, &engine, &options, &mut on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = result.map_err(|e| UsageError(e.to_string()))?;

    let written = write_report(&report, format, &out_path, to_stdout)?;
    let summary = summary(&report, &args.path, written.as_deref());
    if to_stdout {
        eprint!("{summary}");
    } else {
        print!("{summary}");
    }
    if args.stats {
        eprintln!(
            "stats: {} posts, {} flagged, {:.0} ms in all (CPU {}), peak RSS {}",
            report.posts_read,
            report.posts_flagged,
            started.elapsed().as_secs_f64() * 1e3,
            cpu_time().unwrap_or_else(|| "unknown".into()),
            peak_rss().unwrap_or_else(|| "unknown".into())
        );
    }
    let any_findings = report.posts_flagged > 0 || report.bios.iter().any(|b| !b.findings.is_empty());
    Ok(if report.posts_failed > 0 || !report.problems.is_empty() {
        ExitCode::from(2)
    } else if any_findings {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_report(report: &Report, format: ReportFormat, path: &Path, to_stdout: bool) -> Result<Option<String>, UsageError> {
    let render = |out: &mut dyn Write| match format {
        ReportFormat::Html => render::html(report, out),
        ReportFormat::Csv => render::csv(report, out),
        ReportFormat::Json => render::json(report, out),
    };
    if to_stdout {
        let mut out = BufWriter::new(std::io::stdout().lock());
        render(&mut out).and_then(|()| out.flush()).map_err(|e| UsageError(format!("writing the report: {e}")))?;
        return Ok(None);
    }
    let shown = path.display().to_string();
    let file = File::create(path).map_err(|e| UsageError(format!("cannot write the report to {shown}: {e}")))?;
    let mut out = BufWriter::new(file);
    render(&mut out).and_then(|()| out.flush()).map_err(|e| UsageError(format!("writing the report to {shown}: {e}")))?;
    Ok(Some(shown))
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn snippet(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat: String = flat.chars().filter(|c| !c.is_control()).collect();
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max - 1).collect::<String>())
    }
}

/// The one-screen summary.
fn summary(r: &Report, path: &Path, written: Option<&str>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let sources: Vec<String> = r
        .sources
        .iter()
        .map(|src| match &src.account {
            Some(a) => format!("{} {} ({})", src.platform.display_name(), a, plural(src.posts, "post", "posts")),
            None => format!("{} ({})", src.platform.display_name(), plural(src.posts, "post", "posts")),
        })
        .collect();
    let _ = writeln!(s, "Audited {}: {}", path.display(), sources.join(", "));
    let _ = writeln!(s, "  Checked against: {}", r.context);
    let _ = writeln!(s, "  Posts read: {}; skipped (no text of your own): {}; could not be read: {}", r.posts_read, r.posts_skipped, r.posts_failed);
    let impartial_audit::WorstCounts { high, medium, low } = r.flagged_by_worst;
    let _ = writeln!(s, "  Posts with findings: {} (worst finding: {high} high, {medium} medium, {low} low)", r.posts_flagged);
    if r.flagged_not_listed > 0 {
        let _ = writeln!(s, "  Listed: the {} riskiest; {} less risky ones are counted but not listed", r.flagged.len(), r.flagged_not_listed);
    }
    let cats: Vec<String> = Category::ALL.iter().filter_map(|c| r.by_category.get(c).map(|n| format!("{} {}", c.as_str(), n.posts))).collect();
    if !cats.is_empty() {
        let _ = writeln!(s, "  By category (posts): {}", cats.join(", "));
    }
    let sevs: Vec<String> = [Severity::High, Severity::Medium, Severity::Low]
        .iter()
        .filter_map(|v| r.by_severity.get(v).map(|n| format!("{} {}", v.as_str(), n.findings)))
        .collect();
    if !sevs.is_empty() {
        let _ = writeln!(s, "  Findings by severity: {}", sevs.join(", "));
    }
    for b in r.attributing_bios() {
        let n = r.flagged.iter().filter(|p| p.post.platform == b.platform && p.attributable).count();
        let _ = writeln!(
            s,
            "  Profile: your {} {} names your employer, so partisan posts there are attributable to them ({n} marked).",
            b.platform.display_name(),
            b.field
        );
    }
    for b in r.bios.iter().filter(|b| !b.findings.is_empty()) {
        let rules: Vec<&str> = b.findings.iter().map(|f| &*f.rule).collect();
        let _ = writeln!(s, "  Profile {} {}: {}", b.platform.display_name(), b.field, rules.join(", "));
    }
    if !r.flagged.is_empty() {
        let _ = writeln!(s, "  Top risks:");
        for (i, p) in r.flagged.iter().take(5).enumerate() {
            let date = p.post.date.map_or_else(|| "undated   ".to_string(), |d| d.display()[..10].to_string());
            let categories: Vec<&str> = Category::ALL.iter().filter(|c| p.findings.iter().any(|f| f.category == **c)).map(|c| c.as_str()).collect();
            let _ = writeln!(
                s,
                "    {}. {:<6} {date} {:<8} {} “{}” {}",
                i + 1,
                p.max_severity.as_str(),
                p.post.platform.as_str(),
                categories.join("+"),
                snippet(&p.post.text, 50),
                p.post.url.as_deref().unwrap_or(&p.post.id)
            );
        }
    }
    for problem in r.problems.iter().take(5) {
        let _ = writeln!(s, "  Problem: {problem}");
    }
    if let Some(f) = r.failures.first() {
        let _ = writeln!(s, "  Could not read {}: first {} {}: {}", plural(r.posts_failed, "post", "posts"), f.file, f.location, f.reason);
    }
    match written {
        Some(path) => {
            let _ = writeln!(s, "Report: {path}");
        }
        None => {
            let _ = writeln!(s, "Report: standard output");
        }
    }
    s
}

/// VmHWM from /proc/self/status (Linux), e.g. "41 MiB".
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MiB", kib / 1024))
}

/// User + system CPU time from /proc/self/stat (Linux; clock ticks taken as 1/100 s), e.g.
/// "560 ms": on a busy machine, the part of the wall time that was this process's.
fn cpu_time() -> Option<String> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(format!("{} ms", ticks * 10))
}
