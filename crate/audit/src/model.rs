//! The report model: what an audit read and what it found.

use std::collections::BTreeMap;

use impartial_core::{Category, Finding, Severity};
use serde::Serialize;

use crate::time::Timestamp;

/// Where a post was published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Facebook,
    Linkedin,
    Mastodon,
    Bluesky,
    /// Plain text or JSON Lines: no platform known.
    Text,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Facebook => "facebook",
            Platform::Linkedin => "linkedin",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Text => "text",
        }
    }

    /// The name people know it by.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::X => "X (Twitter)",
            Platform::Facebook => "Facebook",
            Platform::Linkedin => "LinkedIn",
            Platform::Mastodon => "Mastodon",
            Platform::Bluesky => "Bluesky",
            Platform::Text => "Text",
        }
    }

    /// The site id the settings use (`impartial_core::KNOWN_SITES`), if any.
    pub fn site_id(self) -> Option<&'static str> {
        match self {
            Platform::Text => None,
            p => Some(p.as_str()),
        }
    }
}

/// What sort of thing the author wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    Post,
    Reply,
    /// A repost of someone else's post (an X retweet): still read as an endorsement.
    Repost,
    Comment,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Reply => "reply",
            PostKind::Repost => "repost",
            PostKind::Comment => "comment",
        }
    }
}

/// One post as read from an archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Post {
    pub platform: Platform,
    pub kind: PostKind,
    /// The platform's id, or where the post is in its file (`your_posts_1.json #12`,
    /// `line 40`) when the platform gives none.
    pub id: String,
    /// When it was posted (UTC), where the archive says.
    pub date: Option<Timestamp>,
    /// A link to the post, where the archive allows one (always `http(s)://`).
    pub url: Option<String>,
    /// The file (inside the archive) the post came from.
    pub file: String,
    pub text: String,
}

/// A post with findings.
#[derive(Clone, Debug, Serialize)]
pub struct AuditedPost {
    #[serde(flatten)]
    pub post: Post,
    /// Higher is riskier; see [`risk_score`].
    pub risk: u32,
    pub max_severity: Severity,
    /// The post is partisan and the profile on the same platform names the employer.
    pub attributable: bool,
    pub findings: Vec<Finding>,
}

/// Severity weights: one high finding outweighs any number of low ones in practice.
pub fn severity_weight(s: Severity) -> u32 {
    match s {
        Severity::High => 20,
        Severity::Medium => 5,
        Severity::Low => 1,
    }
}

/// The sum of the findings' weights, plus 10 when the post is attributable.
pub fn risk_score(findings: &[Finding], attributable: bool) -> u32 {
    findings.iter().map(|f| severity_weight(f.severity)).sum::<u32>() + if attributable { 10 } else { 0 }
}

/// A profile text (bio, headline, summary) checked like a post.
#[derive(Clone, Debug, Serialize)]
pub struct Bio {
    pub platform: Platform,
    /// Which field: `bio`, `headline`, `summary`, `profile field "Work"`, …
    pub field: String,
    pub file: String,
    pub text: String,
    pub findings: Vec<Finding>,
    /// The text names the employer (a disclosure finding, or the employer's name or an
    /// alias appears): every partisan post on this platform is then attributable.
    pub names_employer: bool,
}

/// A post that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub file: String,
    /// The post's id, or its place (`item 12`, `line 40`).
    pub location: String,
    pub reason: String,
}

/// One archive (or file) the audit read.
#[derive(Clone, Debug, Serialize)]
pub struct SourceSummary {
    pub platform: Platform,
    /// The account name (`@user`, LinkedIn name), where the archive says.
    pub account: Option<String>,
    pub files: Vec<String>,
    pub posts: u64,
}

/// Findings counted by category or severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Posts with at least one such finding.
    pub posts: u64,
    pub findings: u64,
}

/// Posts per calendar month (UTC).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub posts: u64,
    pub flagged: u64,
}

/// The whole audit.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub tool: String,
    /// What the posts were checked against ("uk-civil-service, standard"), from the caller.
    pub context: String,
    pub sources: Vec<SourceSummary>,
    pub bios: Vec<Bio>,
    /// Posts read and checked.
    pub posts_read: u64,
    /// Items skipped on purpose (no text: photo-only posts, boosts, likes).
    pub posts_skipped: u64,
    /// Posts that could not be read; the first [`MAX_FAILURES_LISTED`] are in `failures`.
    pub posts_failed: u64,
    pub failures: Vec<Failure>,
    /// Whole-file problems that still let the rest be audited (a truncated file).
    pub problems: Vec<String>,
    pub posts_flagged: u64,
    pub by_category: BTreeMap<Category, Count>,
    pub by_severity: BTreeMap<Severity, Count>,
    /// Every month from the first dated post to the last, oldest first.
    pub by_month: Vec<MonthCount>,
    /// Posts with findings, riskiest first; at most the options' `max_flagged_listed`.
    pub flagged: Vec<AuditedPost>,
    /// Every flagged post (listed or not), by its worst finding.
    pub flagged_by_worst: WorstCounts,
    /// Flagged posts counted in the totals but not listed in `flagged` (the least risky,
    /// beyond the options' `max_flagged_listed`).
    pub flagged_not_listed: u64,
}

/// Posts counted once each, by their worst finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorstCounts {
    pub high: u64,
    pub medium: u64,
    pub low: u64,
}

impl WorstCounts {
    pub(crate) fn add(&mut self, worst: Severity) {
        match worst {
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
        }
    }
}

/// Failures listed individually; the rest are only counted.
pub const MAX_FAILURES_LISTED: usize = 1000;

impl Report {
    /// The bios that name the employer.
    pub fn attributing_bios(&self) -> impl Iterator<Item = &Bio> {
        self.bios.iter().filter(|b| b.names_employer)
    }
}
