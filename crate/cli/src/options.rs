//! Command-line options and how they combine with a settings file into a profile and a
//! strictness.
//!
//! Precedence: flags beat the settings file, which beats the defaults. `--strictness`
//! beats `--site`, which looks the site up in the settings (or the default settings).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, ValueEnum};
use impartial_core::{is_valid_site_id, site_for_host, Date, Engine, Policy, Profile, Settings, Strictness};

use crate::UsageError;

#[derive(Args)]
pub struct CheckArgs {
    /// The post to check; read from standard input when absent.
    pub text: Option<String>,
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
    /// Where the post will go: x, facebook, linkedin, mastodon, bluesky, threads, reddit
    /// or a host name. Sets the strictness from the settings.
    #[arg(long)]
    pub site: Option<String>,
    /// Which severities to show (overrides --site).
    #[arg(long, value_enum)]
    pub strictness: Option<StrictnessArg>,
    /// The extension's exported settings file (JSON).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Annotated text (human) or a JSON array of findings (json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check one JSON object per line from FILE (or - for standard input).
    #[arg(long, value_name = "FILE|-", conflicts_with = "text")]
    pub jsonl: Option<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PolicyArg {
    UkCivilService,
    UsHatchAct,
    Journalist,
    Generic,
}

impl From<PolicyArg> for Policy {
    fn from(p: PolicyArg) -> Policy {
        match p {
            PolicyArg::UkCivilService => Policy::UkCivilService,
            PolicyArg::UsHatchAct => Policy::UsHatchAct,
            PolicyArg::Journalist => Policy::Journalist,
            PolicyArg::Generic => Policy::Generic,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StrictnessArg {
    Off,
    Relaxed,
    Standard,
    Strict,
}

impl From<StrictnessArg> for Strictness {
    fn from(s: StrictnessArg) -> Strictness {
        match s {
            StrictnessArg::Off => Strictness::Off,
            StrictnessArg::Relaxed => Strictness::Relaxed,
            StrictnessArg::Standard => Strictness::Standard,
            StrictnessArg::Strict => Strictness::Strict,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What a check runs with, resolved from flags and settings.
pub struct Setup {
    pub settings: Settings,
    pub profile: Profile,
    pub strictness: Strictness,
    pub today: Date,
    pub now_ms: u64,
    /// The site the strictness came from, if any.
    pub site: Option<String>,
}

impl Setup {
    pub fn from_args(args: &CheckArgs) -> Result<Setup, UsageError> {
        let settings = match &args.settings {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| UsageError(format!("cannot read settings {}: {e}", path.display())))?;
                Settings::from_json(&text).map_err(|e| UsageError(format!("settings {}: {e}", path.display())))?
            }
            None => Settings::default(),
        };
        let mut profile = settings.profile.clone();
        if let Some(policy) = args.policy {
            profile.policy = policy.into();
        }
        if let Some(employer) = &args.employer {
            profile.employer = employer.clone();
            profile.aliases.clear();
        }
        if !args.aliases.is_empty() {
            profile.aliases = args.aliases.clone();
        }
        if let Some(role) = &args.role {
            profile.role = Some(role.clone());
        }
        let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let now_ms = elapsed.as_millis() as u64;
        let today = Date::from_unix_days((elapsed.as_secs() / 86_400) as i64);
        if let Some(site) = &args.site {
            if !is_valid_site_id(&site_for_host(site)) {
                return Err(UsageError(format!("unknown site {site:?}: use x, facebook, linkedin, mastodon, bluesky, threads, reddit or a host name")));
            }
        }
        let strictness = match (args.strictness, &args.site) {
            (Some(s), _) => s.into(),
            (None, Some(site)) => settings.strictness_for(site, Some(now_ms)),
            (None, None) => Strictness::Standard,
        };
        Ok(Setup { settings, profile, strictness, today, now_ms, site: args.site.clone() })
    }

    /// Compiles a profile with today's date; a bad profile is a usage error naming the field.
    pub fn engine(&self, profile: &Profile) -> Result<Engine, UsageError> {
        Engine::new_as_of(profile, self.today).map_err(|e| UsageError(format!("profile: {e}")))
    }

    /// "uk-civil-service, standard (site linkedin)" for the report's summary line.
    pub fn describe(&self) -> String {
        let strictness = format!("{:?}", self.strictness).to_lowercase();
        match &self.site {
            Some(site) => format!("{}, {strictness} on {site}", self.profile.policy.as_str()),
            None => format!("{}, {strictness}", self.profile.policy.as_str()),
        }
    }
}

/// `impartial eval`'s arguments.
#[derive(Args)]
pub struct EvalArgs {
    /// Corpus files (JSON Lines), or directories: their .jsonl files are read.
    #[arg(required_unless_present_any = ["real", "splits"], value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Evaluate every source of a splits file (tests/corpus/splits.toml) instead: per
    /// source and per split (train, dev, test), rules and trained scorer together. With
    /// --gate, the test split must meet the judgement targets.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["paths", "real"])]
    pub splits: Option<PathBuf>,
    /// With --splits: list this source's errors in this category (SOURCE:CATEGORY, e.g.
    /// regions:government): misses and false alarms at strict for labelled posts, texts
    /// flagged at standard for everyday text (tatoeba:conduct), for checking by hand.
    #[arg(long, value_name = "SOURCE:CATEGORY", requires = "splits")]
    pub list_flagged: Option<String>,
    /// With --splits --gate: exit 1 if fewer than RATE of the test split's politicians'
    /// political posts get a partisan, government or solicitation finding at strict.
    #[arg(long, value_name = "RATE", value_parser = crate::eval::parse_rate, requires = "splits")]
    pub min_politicians_found: Option<f64>,
    /// A plain-text report (human) or one JSON object (json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 if a category's precision (all posts, strict) is below RATE (0.9 or 90%).
    #[arg(long, value_name = "RATE", value_parser = crate::eval::parse_rate)]
    pub min_precision: Option<f64>,
    /// Exit 1 if a category's recall (all posts, strict) is below RATE.
    #[arg(long, value_name = "RATE", value_parser = crate::eval::parse_rate)]
    pub min_recall: Option<f64>,
    /// Exit 1 if more than RATE of the clean posts show anything at standard.
    #[arg(long, visible_alias = "max-clean-rate", value_name = "RATE", value_parser = crate::eval::parse_rate)]
    pub max_clean_flag_rate: Option<f64>,
    /// Also list the hold-out posts' misses and false alarms (not for rule tuning).
    #[arg(long)]
    pub show_holdout: bool,
    #[command(flatten)]
    pub real_and_gate: crate::eval::RealAndGateArgs,
}
