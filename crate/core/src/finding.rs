use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What kind of risk a finding is. The set is fixed: the UI, the corpus labels and the
/// settings all name these exact strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Disclosure,
    Disclaimer,
    Partisan,
    Solicitation,
    Government,
    Confidential,
    Conduct,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Disclosure,
        Category::Disclaimer,
        Category::Partisan,
        Category::Solicitation,
        Category::Government,
        Category::Confidential,
        Category::Conduct,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Disclosure => "disclosure",
            Category::Disclaimer => "disclaimer",
            Category::Partisan => "partisan",
            Category::Solicitation => "solicitation",
            Category::Government => "government",
            Category::Confidential => "confidential",
            Category::Conduct => "conduct",
        }
    }
}

/// How serious a finding is. Ordered: `Low < Medium < High`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// A site's strictness: which severities the user sees there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strictness {
    Off,
    Relaxed,
    #[default]
    Standard,
    Strict,
}

impl Strictness {
    /// Relaxed shows `high`, Standard `medium` and up, Strict everything, Off nothing.
    pub fn shows(self, severity: Severity) -> bool {
        match self {
            Strictness::Off => false,
            Strictness::Relaxed => severity >= Severity::High,
            Strictness::Standard => severity >= Severity::Medium,
            Strictness::Strict => true,
        }
    }

    pub fn parse(name: &str) -> Option<Strictness> {
        match name {
            "off" => Some(Strictness::Off),
            "relaxed" => Some(Strictness::Relaxed),
            "standard" => Some(Strictness::Standard),
            "strict" => Some(Strictness::Strict),
            _ => None,
        }
    }
}

/// The guidance a rule rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: Arc<str>,
    pub section: Arc<str>,
    pub url: Arc<str>,
}

/// A rewrite the user can apply. An empty `replacement` removes the matched text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub replacement: Arc<str>,
    /// What the action button says, e.g. "Remove the disclaimer".
    pub label: Arc<str>,
}

/// One thing in a post that could get its author into trouble.
///
/// `score` is set on the trained scorer's findings: the probability (0 to 1) that a reader
/// would see the post as being of the finding's category, for ordering and display.
///
/// The rule's texts (id, message, explanation, source, suggestions) are shared with the
/// compiled rule (`Arc`), so a finding costs one allocation for its `text`, not one per
/// field, and a report of many findings holds each explanation once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `uk.partisan.vote-for`.
    pub rule: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    /// Start offset in UTF-16 code units.
    pub start: usize,
    /// End offset (exclusive) in UTF-16 code units.
    pub end: usize,
    /// Start offset in UTF-8 bytes.
    pub byte_start: usize,
    /// End offset (exclusive) in UTF-8 bytes.
    pub byte_end: usize,
    /// The matched text, exactly as in the post.
    pub text: String,
    pub message: Arc<str>,
    pub explanation: Arc<str>,
    pub source: Source,
    pub suggestions: Arc<[Suggestion]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}
