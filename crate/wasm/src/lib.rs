//! The thin wasm-bindgen boundary over `impartial-core`.
//!
//! Everything crossing it is plain data converted by serde-wasm-bindgen: profiles come in as
//! JS objects and are validated by the Rust types (unknown fields are errors); findings go
//! out as arrays of plain objects with UTF-16 offsets, ready to index JS strings.

use impartial_core::{Engine, Profile, Strictness};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

mod audit;
pub use audit::{audit_archive, AuditRun};

/// Reads a JS value (a plain object, or JSON text) into a Rust type, rejecting unknown fields.
///
/// serde-wasm-bindgen reads a struct by asking for its known fields only, so a typo such as
/// `employr` would pass silently. Parsing the JSON text sees every key, and the core types'
/// `deny_unknown_fields` then names the stray one.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    let text = json_text(value, what)?;
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("{what}: {}", without_position(&e))))
}

/// A serde_json error without its " at line 1 column 4017": the text was made from an
/// object, so the position says nothing to the person who wrote the object.
fn without_position(e: &serde_json::Error) -> String {
    let mut message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    if message.ends_with(&position) {
        message.truncate(message.len() - position.len());
    }
    message
}

/// An engine compiled for one profile. Compile once per settings change.
#[wasm_bindgen]
pub struct CompiledEngine {
    engine: Engine,
}

#[wasm_bindgen]
impl CompiledEngine {
    /// Compiles `profile` (a plain object or its JSON text, see `impartial_core::Profile`).
    /// Throws an `Error` naming the bad field, so the caller can keep its previous engine.
    #[wasm_bindgen(constructor)]
    pub fn new(profile: JsValue) -> Result<CompiledEngine, JsError> {
        let profile: Profile = if profile.is_undefined() || profile.is_null() { Profile::example() } else { from_js(profile, "profile")? };
        let engine = Engine::new(&profile).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(CompiledEngine { engine })
    }

    /// Checks `text` at `strictness` ("off" | "relaxed" | "standard" | "strict") and returns
    /// an array of findings.
    pub fn check(&self, text: &str, strictness: &str) -> Result<JsValue, JsError> {
        let strictness = Strictness::parse(strictness).ok_or_else(|| JsError::new(&format!("strictness: unknown value {strictness:?}")))?;
        let findings = self.engine.check(text, strictness);
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(&findings, &serializer).map_err(|e| JsError::new(&e.to_string()))
    }
}

// ---- Settings, organisation policy and the extension's backend ---------------------------
//
// The extension stores its settings as the same JSON object `impartial check --settings`
// reads (`impartial_core::Settings`); every value that reaches the engine goes through
// `Settings::from_json` here first. An IT department's policy (chrome.storage.managed)
// is read by `OrgPolicy` and applied on top: it can fix fields, add terms and set a minimum
// strictness per site.

use std::collections::BTreeMap;

use std::rc::Rc;

use impartial_core::{rule_docs, site_for_host as core_site_for_host, CustomTerm, Policy, Settings, SettingsError, SETTINGS_VERSION};
use serde::{Deserialize, Serialize};

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}

/// A JS value (object or JSON text) as JSON text; undefined and null as "".
///
/// Objects go through the JS engine's own `JSON.stringify`, one native pass. Reading them
/// through serde-wasm-bindgen into a `serde_json::Value` crossed the boundary for every key
/// and string, then converted again: with 10,000 custom terms, two fifths of compiling them.
fn json_text(value: JsValue, what: &str) -> Result<String, JsError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    let not_data = || JsError::new(&format!("{what}: not plain data (it holds a cycle, a BigInt or a function)"));
    js_sys::JSON::stringify(&value).map_err(|_| not_data())?.as_string().ok_or_else(not_data)
}

/// Reads settings (a JS object or JSON text) with the same checks and messages as
/// `Settings::from_json`, except that
/// it does not compile the profile (the caller compiles it once, for use). Compiling the
/// rule packs costs hundreds of milliseconds in wasm, so the background must not do it twice.
fn parse_settings_uncompiled(value: JsValue) -> Result<Settings, JsError> {
    parse_settings_text(&json_text(value, "settings")?).map_err(|e| JsError::new(&e.to_string()))
}

fn parse_settings_text(text: &str) -> Result<Settings, SettingsError> {
    let err = |e: SettingsError| e;
    let invalid = |field: String, reason: String| SettingsError::Invalid { field, reason };
    if text.trim().is_empty() {
        return Err(err(SettingsError::Empty));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| err(SettingsError::Corrupt(e.to_string())))?;
    let object = value.as_object().ok_or_else(|| err(SettingsError::Corrupt("expected a JSON object".into())))?;
    let version = match object.get("version") {
        None => return Err(invalid("version".into(), "is missing".into())),
        Some(v) => v.as_u64().ok_or_else(|| invalid("version".into(), format!("expected a whole number, got {v}")))?,
    };
    if version > SETTINGS_VERSION {
        return Err(err(SettingsError::FutureVersion { found: version }));
    }
    if version == 0 {
        return Err(invalid("version".into(), "0 is not a settings version".into()));
    }
    for key in object.keys() {
        if !["version", "profile", "sites", "enabled_sites", "pause_until"].contains(&key.as_str()) {
            return Err(invalid(key.clone(), "unknown field".into()));
        }
    }
    let profile: Profile = match object.get("profile") {
        None | Some(serde_json::Value::Null) => Profile::default(),
        Some(p) => serde_json::from_value(p.clone()).map_err(|e| invalid("profile".into(), e.to_string()))?,
    };
    let mut sites = BTreeMap::new();
    if let Some(v) = object.get("sites").filter(|v| !v.is_null()) {
        let map = v.as_object().ok_or_else(|| invalid("sites".into(), "expected an object of site id → strictness".into()))?;
        for (site, value) in map {
            let field = format!("sites.{site}");
            if !impartial_core::is_valid_site_id(site) {
                return Err(invalid(field, "not a known site or a host name".into()));
            }
            let strictness = value
                .as_str()
                .and_then(Strictness::parse)
                .ok_or_else(|| invalid(field.clone(), format!("expected \"off\", \"relaxed\", \"standard\" or \"strict\", got {value}")))?;
            sites.insert(site.clone(), strictness);
        }
    }
    let mut enabled_sites = Vec::new();
    if let Some(v) = object.get("enabled_sites").filter(|v| !v.is_null()) {
        let list = v.as_array().ok_or_else(|| invalid("enabled_sites".into(), "expected a list of site ids".into()))?;
        for (i, site) in list.iter().enumerate() {
            let id = site
                .as_str()
                .filter(|s| impartial_core::is_valid_site_id(s))
                .ok_or_else(|| invalid(format!("enabled_sites[{i}]"), format!("not a known site or a host name: {site}")))?;
            enabled_sites.push(id.to_string());
        }
    }
    let pause_until = match object.get("pause_until") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| invalid("pause_until".into(), format!("expected null or milliseconds since 1970, got {v}")))?),
    };
    Ok(Settings { version: SETTINGS_VERSION, profile, sites, enabled_sites, pause_until })
}

fn compile_profile(profile: &Profile) -> Result<Engine, JsError> {
    Engine::new(profile).map_err(|e| JsError::new(&format!("profile.{}: {}", e.field, e.reason)))
}

/// The settings a new installation starts with, as a plain object.
#[wasm_bindgen]
pub fn default_settings() -> Result<JsValue, JsError> {
    to_js(&Settings::default())
}

/// The settings used before the user has finished onboarding: the defaults with the walking
/// skeleton's example author (an HMRC civil servant), as `new CompiledEngine(undefined)`.
#[wasm_bindgen]
pub fn example_settings() -> Result<JsValue, JsError> {
    to_js(&Settings { profile: Profile::example(), ..Settings::default() })
}

/// Validates settings (a plain object or JSON text) and returns them normalised as a plain
/// object. Throws an `Error` whose message starts with the bad field, e.g.
/// `sites.x: expected "off", "relaxed", "standard" or "strict", got "loud"`.
#[wasm_bindgen]
pub fn validate_settings(settings: JsValue) -> Result<JsValue, JsError> {
    let settings = parse_settings_uncompiled(settings)?;
    compile_profile(&settings.profile)?;
    to_js(&settings)
}

/// Settings as the pretty JSON file that export writes and import (and the CLI) reads.
#[wasm_bindgen]
pub fn settings_to_json(settings: JsValue) -> Result<String, JsError> {
    Ok(parse_settings_uncompiled(settings)?.to_json())
}

/// The site id for a host name (`twitter.com` → `x`, `forum.example.org` stays itself).
#[wasm_bindgen]
pub fn site_for_host(host: &str) -> String {
    core_site_for_host(host)
}

/// Whether `id` is a known site id or shaped like a host name.
#[wasm_bindgen]
pub fn is_valid_site_id(id: &str) -> bool {
    impartial_core::is_valid_site_id(id)
}

/// Every rule `policy` runs (all rules when undefined), with explanation and source.
#[wasm_bindgen]
pub fn list_rules(policy: Option<String>) -> Result<JsValue, JsError> {
    let policy = match policy.as_deref() {
        None | Some("") => None,
        Some(name) => Some(Policy::parse(name).ok_or_else(|| JsError::new(&format!("policy: unknown value {name:?}")))?),
    };
    to_js(&rule_docs(policy).map_err(|e| JsError::new(&e.to_string()))?)
}

/// Validates custom terms one by one: returns one entry per term, `null` when it is fine or
/// the reason it is not, so the options page can mark a bad entry and keep the others.
#[wasm_bindgen]
pub fn check_custom_terms(terms: JsValue) -> Result<JsValue, JsError> {
    let list: Vec<serde_json::Value> = serde_wasm_bindgen::from_value(terms).map_err(|e| JsError::new(&format!("custom_terms: {e}")))?;
    let verdicts: Vec<Option<String>> = list
        .into_iter()
        .map(|term| {
            let term: CustomTerm = match serde_json::from_value(term) {
                Ok(t) => t,
                Err(e) => return Some(e.to_string()),
            };
            let profile = impartial_core::Profile { custom_terms: vec![term], ..Default::default() };
            match impartial_core::Engine::new(&profile) {
                Ok(_) => None,
                Err(e) => Some(e.reason),
            }
        })
        .collect();
    to_js(&verdicts)
}

/// Fields an organisation can lock.
const LOCKABLE: [&str; 7] = ["policy", "employer", "aliases", "role", "allowed_phrases", "disabled_rules", "pause"];

/// An organisation's policy, as pushed through `storage.managed` (see `managed_schema.json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrgPolicy {
    pub policy: Option<Policy>,
    pub employer: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub role: Option<String>,
    /// Terms always flagged, on top of the user's own.
    pub extra_terms: Vec<CustomTerm>,
    /// The lowest strictness the user may choose per site id.
    pub minimum_strictness: BTreeMap<String, Strictness>,
    /// Fields the user cannot change (see `LOCKABLE`).
    pub locked: Vec<String>,
}

impl OrgPolicy {
    fn is_locked(&self, field: &str) -> bool {
        self.locked.iter().any(|f| f == field)
    }

    fn minimum(&self, site: &str) -> Strictness {
        self.minimum_strictness.get(site).copied().unwrap_or(Strictness::Off)
    }
}

fn parse_policy(value: JsValue) -> Result<OrgPolicy, JsError> {
    parse_policy_text(&json_text(value, "organisation policy")?).map_err(|e| JsError::new(&e))
}

fn parse_policy_text(text: &str) -> Result<OrgPolicy, String> {
    if text.trim().is_empty() {
        return Ok(OrgPolicy::default());
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("organisation policy: {e}"))?;
    if let Some(map) = value.get("minimum_strictness").and_then(|m| m.as_object()) {
        for (site, level) in map {
            if level.as_str().and_then(Strictness::parse).is_none() {
                return Err(format!("organisation policy: minimum_strictness.{site}: expected \"off\", \"relaxed\", \"standard\" or \"strict\", got {level}"));
            }
        }
    }
    let policy: OrgPolicy = serde_json::from_value(value).map_err(|e| format!("organisation policy: {e}"))?;
    for (i, field) in policy.locked.iter().enumerate() {
        if !LOCKABLE.contains(&field.as_str()) {
            return Err(format!("organisation policy: locked[{i}]: {field:?} cannot be locked (one of {LOCKABLE:?})"));
        }
    }
    for site in policy.minimum_strictness.keys() {
        if !impartial_core::is_valid_site_id(site) {
            return Err(format!("organisation policy: minimum_strictness.{site}: not a known site or a host name"));
        }
    }
    Ok(policy)
}

/// Validates an organisation policy (plain object, JSON text or undefined for none) and
/// returns it normalised.
#[wasm_bindgen]
pub fn validate_policy(policy: JsValue) -> Result<JsValue, JsError> {
    to_js(&parse_policy(policy)?)
}

/// The settings in force: the user's settings with the organisation's locked fields,
/// defaults for empty fields, and extra terms applied. Still valid `Settings`.
fn effective(settings: &Settings, org: &OrgPolicy) -> Settings {
    let mut s = settings.clone();
    let p = &mut s.profile;
    if let Some(policy) = org.policy {
        if org.is_locked("policy") {
            p.policy = policy;
        }
    }
    if let Some(employer) = &org.employer {
        if org.is_locked("employer") || p.employer.trim().is_empty() {
            p.employer = employer.clone();
        }
    }
    if let Some(aliases) = &org.aliases {
        if org.is_locked("aliases") {
            p.aliases = aliases.clone();
        } else {
            for alias in aliases {
                if !p.aliases.contains(alias) {
                    p.aliases.push(alias.clone());
                }
            }
        }
    }
    if let Some(role) = &org.role {
        if org.is_locked("role") || p.role.is_none() {
            p.role = Some(role.clone());
        }
    }
    if org.is_locked("allowed_phrases") {
        p.allowed_phrases.clear();
    }
    if org.is_locked("disabled_rules") {
        p.disabled_rules.clear();
    }
    if org.is_locked("pause") {
        s.pause_until = None;
    }
    p.custom_terms.extend(org.extra_terms.iter().cloned());
    for (site, min) in &org.minimum_strictness {
        if *min > Strictness::Off {
            if !s.enabled_sites.contains(site) {
                s.enabled_sites.push(site.clone());
            }
            let current = s.sites.get(site).copied().unwrap_or_else(|| impartial_core::default_strictness(site));
            s.sites.insert(site.clone(), current.max(*min));
        }
    }
    s
}

/// The settings in force for `settings` under the organisation `policy` (see `effective`).
#[wasm_bindgen]
pub fn effective_settings(settings: JsValue, policy: JsValue) -> Result<JsValue, JsError> {
    let settings = parse_settings_uncompiled(settings)?;
    let org = parse_policy(policy)?;
    to_js(&effective(&settings, &org))
}

/// The strictness one step below `strictness`, never below the organisation's minimum for
/// `site`; `undefined` when it cannot go lower.
#[wasm_bindgen]
pub fn relaxed_strictness(site: &str, strictness: &str, policy: JsValue) -> Result<Option<String>, JsError> {
    let org = parse_policy(policy)?;
    let current = Strictness::parse(strictness).ok_or_else(|| JsError::new(&format!("strictness: unknown value {strictness:?}")))?;
    let lower = match current {
        Strictness::Strict => Strictness::Standard,
        Strictness::Standard => Strictness::Relaxed,
        Strictness::Relaxed | Strictness::Off => Strictness::Off,
    };
    let site = core_site_for_host(site);
    if lower >= current || lower < org.minimum(&site) {
        return Ok(None);
    }
    Ok(Some(strictness_name(lower).to_string()))
}

fn strictness_name(s: Strictness) -> &'static str {
    match s {
        Strictness::Off => "off",
        Strictness::Relaxed => "relaxed",
        Strictness::Standard => "standard",
        Strictness::Strict => "strict",
    }
}

#[derive(Serialize)]
struct SiteCheck<'a> {
    findings: &'a [impartial_core::Finding],
    strictness: &'static str,
    site: String,
}

/// The engine for one set of settings: the settings, the organisation policy and the
/// compiled rules together, so the strictness for a site is decided in Rust.
#[wasm_bindgen]
pub struct SettingsEngine {
    engine: Rc<Engine>,
    /// The user's own settings, validated.
    user: Settings,
    /// The settings in force (after the organisation policy).
    settings: Settings,
    org: OrgPolicy,
}

#[wasm_bindgen]
impl SettingsEngine {
    /// Validates and compiles `settings` (object or JSON text; undefined = defaults) under
    /// the organisation `policy` (undefined = none). Throws naming the bad field, so the
    /// caller keeps its previous engine.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, policy: JsValue) -> Result<SettingsEngine, JsError> {
        let user = if settings.is_undefined() || settings.is_null() { Settings::default() } else { parse_settings_uncompiled(settings)? };
        let org = parse_policy(policy)?;
        let settings = effective(&user, &org);
        let engine = Rc::new(compile_profile(&settings.profile)?);
        Ok(SettingsEngine { engine, user, settings, org })
    }

    /// Like the constructor, but reuses this engine's compiled rules when the profile in
    /// force is unchanged (a strictness, site or pause change compiles nothing).
    #[wasm_bindgen(js_name = withSettings)]
    pub fn with_settings(&self, settings: JsValue, policy: JsValue) -> Result<SettingsEngine, JsError> {
        let user = parse_settings_uncompiled(settings)?;
        let org = parse_policy(policy)?;
        let settings = effective(&user, &org);
        let engine = if settings.profile == self.settings.profile { Rc::clone(&self.engine) } else { Rc::new(compile_profile(&settings.profile)?) };
        Ok(SettingsEngine { engine, user, settings, org })
    }

    /// The user's own settings (validated, normalised), as a plain object.
    #[wasm_bindgen(getter)]
    pub fn user(&self) -> Result<JsValue, JsError> {
        to_js(&self.user)
    }

    /// The site id and strictness for `host` at `now_ms`: the user's choice, off when the
    /// site is not enabled or checking is paused, never below the organisation's minimum.
    #[wasm_bindgen(js_name = strictnessFor)]
    pub fn strictness_for(&self, host: &str, now_ms: f64) -> String {
        strictness_name(self.strictness(host, now_ms)).to_string()
    }

    fn strictness(&self, host: &str, now_ms: f64) -> Strictness {
        let site = core_site_for_host(host);
        let now = if now_ms.is_finite() && now_ms >= 0.0 { Some(now_ms as u64) } else { None };
        self.settings.strictness_for(&site, now).max(self.org.minimum(&site))
    }

    /// Checks `text` as typed on `host` at `now_ms`: `{ findings, strictness, site }`.
    #[wasm_bindgen(js_name = checkFor)]
    pub fn check_for(&self, text: &str, host: &str, now_ms: f64) -> Result<JsValue, JsError> {
        fault_switch(text);
        let strictness = self.strictness(host, now_ms);
        let findings = self.engine.check(text, strictness);
        to_js(&SiteCheck { findings: &findings, strictness: strictness_name(strictness), site: core_site_for_host(host) })
    }

    /// Checks `text` at an explicit strictness (the options page's "try it" box).
    pub fn check(&self, text: &str, strictness: &str) -> Result<JsValue, JsError> {
        let strictness = Strictness::parse(strictness).ok_or_else(|| JsError::new(&format!("strictness: unknown value {strictness:?}")))?;
        to_js(&self.engine.check(text, strictness))
    }

    /// The settings in force (after the organisation policy), as a plain object.
    #[wasm_bindgen(getter)]
    pub fn effective(&self) -> Result<JsValue, JsError> {
        to_js(&self.settings)
    }
}

/// What the end-to-end tests type to make the engine panic, in builds with the
/// `fault-switch` feature only (`./build.sh test` builds `dist/chrome-test` with it).
#[cfg(feature = "fault-switch")]
pub const FAULT_PANIC: &str = "impartial:test:panic-engine";

/// Panics on [`FAULT_PANIC`], so the tests can prove that a panic in the engine (a trap,
/// under `panic = "abort"`) stops checking on one editor only and the background recovers.
/// Compiled to nothing without the feature.
#[inline]
fn fault_switch(_text: &str) {
    #[cfg(feature = "fault-switch")]
    if _text.contains(FAULT_PANIC) {
        panic!("fault switch: a test asked the engine to panic");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader that skips compiling must refuse exactly what `Settings::from_json` refuses
    /// (profile compile errors aside), with the same messages.
    #[test]
    fn uncompiled_reader_agrees_with_the_core() {
        let cases = [
            "",
            "[1]",
            r#"{"version": 7}"#,
            r#"{"version": 0}"#,
            r#"{"profile": {}}"#,
            r#"{"version": 1, "whatever": 1}"#,
            r#"{"version": 1, "sites": {"x": "loud"}}"#,
            r#"{"version": 1, "sites": {"Not A Host!": "off"}}"#,
            r#"{"version": 1, "enabled_sites": ["x", 3]}"#,
            r#"{"version": 1, "pause_until": "soon"}"#,
            r#"{"version": 1, "profile": {"employr": "x"}}"#,
            r#"{"version": 1, "sites": {"forum.example.org": "strict"}, "enabled_sites": ["forum.example.org"], "pause_until": 5}"#,
        ];
        for text in cases {
            let ours = parse_settings_text(text).map_err(|e| e.to_string());
            let core = Settings::from_json(text).map_err(|e| e.to_string());
            assert_eq!(ours, core, "{text}");
        }
        let default = Settings::default().to_json();
        assert_eq!(parse_settings_text(&default).unwrap(), Settings::default());
    }

    fn policy(text: &str) -> OrgPolicy {
        parse_policy_text(text).unwrap()
    }

    #[test]
    fn policy_locks_fills_and_sets_minimums() {
        let mut user = Settings::default();
        user.profile.employer = "Mine".into();
        user.profile.aliases = vec!["M".into()];
        user.profile.allowed_phrases = vec!["Labour Day".into()];
        user.sites.insert("linkedin".into(), Strictness::Relaxed);
        user.enabled_sites.retain(|s| s != "x");
        user.pause_until = Some(99);
        let org = policy(
            r#"{"employer": "Cabinet Office", "aliases": ["CO"], "locked": ["employer", "allowed_phrases", "pause"],
            "minimum_strictness": {"linkedin": "strict", "x": "standard"},
            "extra_terms": [{"pattern": "Operation Nightjar", "category": "confidential"}]}"#,
        );
        let e = effective(&user, &org);
        assert_eq!(e.profile.employer, "Cabinet Office");
        assert_eq!(e.profile.aliases, vec!["M".to_string(), "CO".to_string()], "unlocked aliases are merged");
        assert!(e.profile.allowed_phrases.is_empty());
        assert_eq!(e.pause_until, None);
        assert_eq!(e.sites["linkedin"], Strictness::Strict);
        assert!(e.enabled_sites.contains(&"x".to_string()), "a site with a minimum is checked");
        assert_eq!(e.profile.custom_terms.len(), 1);
        // Unlocked fields only fill in what the user left empty.
        let org = policy(r#"{"employer": "Cabinet Office", "role": "Grade 7"}"#);
        let e = effective(&user, &org);
        assert_eq!(e.profile.employer, "Mine");
        assert_eq!(e.profile.role.as_deref(), Some("Grade 7"));
    }

    #[test]
    fn policy_errors_name_the_field() {
        assert!(parse_policy_text(r#"{"locked": ["sites"]}"#).unwrap_err().contains("locked[0]"));
        assert!(parse_policy_text(r#"{"minimum_strictness": {"x": "loud"}}"#).unwrap_err().contains("minimum_strictness"));
        assert!(parse_policy_text(r#"{"employr": "x"}"#).unwrap_err().contains("employr"));
        assert_eq!(parse_policy_text("").unwrap(), OrgPolicy::default());
    }
}
