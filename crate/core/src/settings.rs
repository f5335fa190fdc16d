//! The extension's exported settings file, as JSON:
//!
//! ```json
//! { "version": 1,
//!   "profile": { "policy": "uk-civil-service", "employer": "HM Revenue and Customs", ... },
//!   "sites": { "linkedin": "strict", "x": "standard", "forum.example.org": "off" },
//!   "enabled_sites": ["x", "linkedin"],
//!   "pause_until": null }
//! ```
//!
//! [`Settings::from_json`] validates everything, including compiling the profile, so a
//! file it accepts always gives a working engine; errors name the field.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::finding::Strictness;
use crate::profile::Profile;

/// The settings format this build reads and writes.
pub const SETTINGS_VERSION: u64 = 1;

/// The sites the extension knows by name. Any host name (`forum.example.org`) is also a
/// valid site id.
pub const KNOWN_SITES: [&str; 7] = ["x", "facebook", "linkedin", "mastodon", "bluesky", "threads", "reddit"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub version: u64,
    #[serde(default)]
    pub profile: Profile,
    /// Strictness per site id.
    #[serde(default)]
    pub sites: BTreeMap<String, Strictness>,
    /// Sites where the extension runs at all.
    #[serde(default)]
    pub enabled_sites: Vec<String>,
    /// Checking is paused until this time (milliseconds since the Unix epoch).
    #[serde(default)]
    pub pause_until: Option<u64>,
}

/// Why a settings file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    Empty,
    /// Not JSON, or not an object.
    Corrupt(String),
    FutureVersion {
        found: u64,
    },
    /// A field has a bad value; `field` is a path such as `profile.custom_terms[3].pattern`.
    Invalid {
        field: String,
        reason: String,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Empty => write!(f, "the settings file is empty"),
            SettingsError::Corrupt(why) => write!(f, "the settings file is not valid settings JSON: {why}"),
            SettingsError::FutureVersion { found } => write!(f, "settings version {found} is newer than this Impartial understands ({SETTINGS_VERSION})"),
            SettingsError::Invalid { field, reason } => write!(f, "{field}: {reason}"),
        }
    }
}

impl std::error::Error for SettingsError {}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError::Invalid { field: field.into(), reason: reason.into() }
}

impl Default for Settings {
    /// The default profile; LinkedIn strict, Facebook relaxed, the rest standard; all the
    /// known sites enabled; not paused.
    fn default() -> Settings {
        let sites = KNOWN_SITES.iter().map(|&s| (s.to_string(), default_strictness(s))).collect();
        Settings {
            version: SETTINGS_VERSION,
            profile: Profile::default(),
            sites,
            enabled_sites: KNOWN_SITES.iter().map(|s| s.to_string()).collect(),
            pause_until: None,
        }
    }
}

/// The strictness a site starts with: LinkedIn (professional identity on show) strict,
/// Facebook (mostly friends) relaxed, everything else standard.
pub fn default_strictness(site: &str) -> Strictness {
    match site {
        "linkedin" => Strictness::Strict,
        "facebook" => Strictness::Relaxed,
        _ => Strictness::Standard,
    }
}

/// The site id for a host name: `twitter.com` and `x.com` → `x`, `bsky.app` → `bluesky`,
/// …; any other host is its own id (lower case, without `www.`).
pub fn site_for_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let known = [
        ("x.com", "x"),
        ("twitter.com", "x"),
        ("facebook.com", "facebook"),
        ("linkedin.com", "linkedin"),
        ("bsky.app", "bluesky"),
        ("threads.net", "threads"),
        ("threads.com", "threads"),
        ("reddit.com", "reddit"),
        ("mastodon.social", "mastodon"),
    ];
    for (domain, id) in known {
        if host == domain || host.ends_with(&format!(".{domain}")) {
            return id.to_string();
        }
    }
    host.to_string()
}

/// A known site id, or something shaped like a host name.
pub fn is_valid_site_id(id: &str) -> bool {
    if KNOWN_SITES.contains(&id) {
        return true;
    }
    let labels: Vec<&str> = id.split('.').collect();
    id.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

impl Settings {
    /// Reads and validates a settings file. Checks the version before anything else, so a
    /// newer file is refused for its version rather than for fields this build lacks.
    pub fn from_json(text: &str) -> Result<Settings, SettingsError> {
        if text.trim().is_empty() {
            return Err(SettingsError::Empty);
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| SettingsError::Corrupt(e.to_string()))?;
        let object = value.as_object().ok_or_else(|| SettingsError::Corrupt("expected a JSON object".into()))?;
        let version = match object.get("version") {
            None => return Err(invalid("version", "is missing")),
            Some(v) => v.as_u64().ok_or_else(|| invalid("version", format!("expected a whole number, got {v}")))?,
        };
        if version > SETTINGS_VERSION {
            return Err(SettingsError::FutureVersion { found: version });
        }
        if version == 0 {
            return Err(invalid("version", "0 is not a settings version"));
        }
        for key in object.keys() {
            if !["version", "profile", "sites", "enabled_sites", "pause_until"].contains(&key.as_str()) {
                return Err(invalid(key.clone(), "unknown field"));
            }
        }
        let profile: Profile = match object.get("profile") {
            None | Some(serde_json::Value::Null) => Profile::default(),
            Some(p) => serde_json::from_value(p.clone()).map_err(|e| invalid("profile", e.to_string()))?,
        };
        let mut sites = BTreeMap::new();
        if let Some(v) = object.get("sites").filter(|v| !v.is_null()) {
            let map = v.as_object().ok_or_else(|| invalid("sites", "expected an object of site id → strictness"))?;
            for (site, value) in map {
                let field = format!("sites.{site}");
                if !is_valid_site_id(site) {
                    return Err(invalid(field, "not a known site or a host name"));
                }
                let strictness = value
                    .as_str()
                    .and_then(Strictness::parse)
                    .ok_or_else(|| invalid(&field, format!("expected \"off\", \"relaxed\", \"standard\" or \"strict\", got {value}")))?;
                sites.insert(site.clone(), strictness);
            }
        }
        let mut enabled_sites = Vec::new();
        if let Some(v) = object.get("enabled_sites").filter(|v| !v.is_null()) {
            let list = v.as_array().ok_or_else(|| invalid("enabled_sites", "expected a list of site ids"))?;
            for (i, site) in list.iter().enumerate() {
                let site = site
                    .as_str()
                    .filter(|s| is_valid_site_id(s))
                    .ok_or_else(|| invalid(format!("enabled_sites[{i}]"), format!("not a known site or a host name: {site}")))?;
                enabled_sites.push(site.to_string());
            }
        }
        let pause_until = match object.get("pause_until") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| invalid("pause_until", format!("expected null or milliseconds since 1970, got {v}")))?),
        };
        Engine::new(&profile).map_err(|e| invalid(format!("profile.{}", e.field), e.reason))?;
        Ok(Settings { version: SETTINGS_VERSION, profile, sites, enabled_sites, pause_until })
    }

    /// Pretty JSON that [`Settings::from_json`] reads back unchanged.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("settings always serialise")
    }

    /// The strictness for a site: `off` if the site is not enabled or checking is paused
    /// at `now_ms`, else its configured value, else its default.
    pub fn strictness_for(&self, site: &str, now_ms: Option<u64>) -> Strictness {
        let site = if KNOWN_SITES.contains(&site) { site.to_string() } else { site_for_host(site) };
        let paused = matches!((self.pause_until, now_ms), (Some(until), Some(now)) if now < until);
        if paused || !self.enabled_sites.contains(&site) {
            return Strictness::Off;
        }
        self.sites.get(&site).copied().unwrap_or_else(|| default_strictness(&site))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Category;
    use crate::profile::CustomTerm;

    #[test]
    fn defaults_round_trip() {
        let settings = Settings::default();
        assert_eq!(settings.sites["linkedin"], Strictness::Strict);
        assert_eq!(settings.sites["facebook"], Strictness::Relaxed);
        assert_eq!(settings.sites["reddit"], Strictness::Standard);
        assert_eq!(Settings::from_json(&settings.to_json()).unwrap(), settings);
    }

    #[test]
    fn refuses_future_empty_and_corrupt_files() {
        let future = Settings::from_json(r#"{"version": 7, "whatever": true}"#).unwrap_err();
        assert_eq!(future.to_string(), "settings version 7 is newer than this Impartial understands (1)");
        assert_eq!(Settings::from_json("  \n").unwrap_err(), SettingsError::Empty);
        assert!(matches!(Settings::from_json("{\"version\": 1,").unwrap_err(), SettingsError::Corrupt(_)));
        assert!(matches!(Settings::from_json("[1]").unwrap_err(), SettingsError::Corrupt(_)));
    }

    #[test]
    fn names_the_bad_field() {
        let mut s = Settings::default();
        s.profile.custom_terms = vec![CustomTerm::new("ok", Category::Confidential); 3];
        s.profile.custom_terms.push(CustomTerm { regex: true, ..CustomTerm::new("(unclosed", Category::Confidential) });
        let err = Settings::from_json(&s.to_json()).unwrap_err().to_string();
        assert!(err.starts_with("profile.custom_terms[3].pattern: not a valid regex"), "{err}");
        let err = Settings::from_json(r#"{"version":1,"sites":{"x":"loud"}}"#).unwrap_err().to_string();
        assert!(err.starts_with("sites.x: expected"), "{err}");
        let err = Settings::from_json(r#"{"version":1,"sites":{"Not A Host!":"off"}}"#).unwrap_err().to_string();
        assert!(err.starts_with("sites.Not A Host!:"), "{err}");
        let err = Settings::from_json(r#"{"version":1,"profile":{"employr":"x"}}"#).unwrap_err().to_string();
        assert!(err.starts_with("profile: unknown field `employr`"), "{err}");
        let err = Settings::from_json(r#"{"version":1,"pause_until":"soon"}"#).unwrap_err().to_string();
        assert!(err.starts_with("pause_until:"), "{err}");
    }

    #[test]
    fn strictness_per_site_with_hosts_and_pause() {
        let mut s = Settings::default();
        s.sites.insert("forum.example.org".into(), Strictness::Strict);
        s.enabled_sites.push("forum.example.org".into());
        assert_eq!(s.strictness_for("linkedin", None), Strictness::Strict);
        assert_eq!(s.strictness_for("twitter.com", None), Strictness::Standard);
        assert_eq!(s.strictness_for("www.forum.example.org", None), Strictness::Strict);
        assert_eq!(s.strictness_for("unknown.example", None), Strictness::Off);
        s.pause_until = Some(1_000);
        assert_eq!(s.strictness_for("x", Some(999)), Strictness::Off);
        assert_eq!(s.strictness_for("x", Some(1_000)), Strictness::Standard);
    }
}
