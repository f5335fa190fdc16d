use serde::{Deserialize, Serialize};

use crate::finding::{Category, Severity};

/// Which body of guidance applies to the author.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    #[default]
    UkCivilService,
    UsHatchAct,
    Journalist,
    Generic,
}

impl Policy {
    pub const ALL: [Policy; 4] = [Policy::UkCivilService, Policy::UsHatchAct, Policy::Journalist, Policy::Generic];

    /// The kebab-case name used in settings and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::UkCivilService => "uk-civil-service",
            Policy::UsHatchAct => "us-hatch-act",
            Policy::Journalist => "journalist",
            Policy::Generic => "generic",
        }
    }

    pub fn parse(name: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// Who is writing: what makes a post attributable to an employer, and the user's own
/// additions to and exceptions from the rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub policy: Policy,
    /// The employer's full name, e.g. "HM Revenue and Customs".
    pub employer: String,
    /// Other names for the employer, e.g. "HMRC".
    pub aliases: Vec<String>,
    /// Optional role or grade, e.g. "Grade 7": "as a Grade 7" then counts as disclosure.
    pub role: Option<String>,
    /// Project code names, colleagues' names, anything the user wants flagged.
    pub custom_terms: Vec<CustomTerm>,
    /// Phrases never to flag: a finding overlapping one is dropped ("Labour Day").
    pub allowed_phrases: Vec<String>,
    /// Rule ids to switch off, e.g. `common.conduct.profanity`.
    pub disabled_rules: Vec<String>,
}

/// A user's own term. Literal phrases go through the same normaliser as posts (so
/// "Project Falcon" matches "#ProjectFalcon" and "project falcon"); `regex` terms run on
/// the raw text (one pass per regex: keep them few).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomTerm {
    pub pattern: String,
    pub category: Category,
    /// Default `medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub regex: bool,
    /// Match the case as written (default: any case).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_case: bool,
    /// Shown as the finding's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CustomTerm {
    /// A literal term of `category` at medium severity.
    pub fn new(pattern: impl Into<String>, category: Category) -> CustomTerm {
        CustomTerm { pattern: pattern.into(), category, severity: None, regex: false, match_case: false, note: None }
    }
}

impl Profile {
    /// An HMRC civil servant: the examples' and the walking skeleton's default author.
    pub fn example() -> Profile {
        Profile { policy: Policy::UkCivilService, employer: "HM Revenue and Customs".into(), aliases: vec!["HMRC".into()], ..Profile::default() }
    }
}
