use serde::{Deserialize, Serialize};

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

/// Who is writing: what makes a post attributable to an employer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    pub policy: Policy,
    /// The employer's full name, e.g. "HM Revenue and Customs".
    pub employer: String,
    /// Other names for the employer, e.g. "HMRC".
    pub aliases: Vec<String>,
    /// Optional role or grade, e.g. "Grade 7".
    pub role: Option<String>,
}

impl Profile {
    /// The walking skeleton's default author until settings exist.
    pub fn example() -> Profile {
        Profile {
            policy: Policy::UkCivilService,
            employer: "HM Revenue and Customs".into(),
            aliases: vec!["HMRC".into()],
            role: None,
        }
    }
}
