//! The footprint audit for the extension's audit worker: an archive's bytes in, the report
//! out as a plain object (for the options page to render and filter), and the same report
//! as HTML or CSV text on request (`impartial-audit`'s renderers).
//!
//! Settings are used as `impartial audit --settings` uses them: the profile in force under
//! the organisation policy, and each platform's strictness from the sites in force (never
//! below the organisation's minimum; `enabled_sites` and pauses are ignored: an audit looks
//! at everything). Nothing here stores anything: the report lives in the returned
//! [`AuditRun`] until the worker frees it or ends.

use std::ops::ControlFlow;

use impartial_audit::{audit, render, AuditError, AuditOptions, Input, Platform, Progress, Report};
use impartial_core::{default_strictness, Strictness};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{compile_profile, effective, parse_policy, parse_settings_uncompiled, to_js};

const PLATFORMS: [Platform; 5] = [Platform::X, Platform::Facebook, Platform::Linkedin, Platform::Mastodon, Platform::Bluesky];

/// Progress reports to JS: at most one per this many milliseconds, unless the audit moved
/// on by at least 1% (or to another file).
const PROGRESS_MS: f64 = 200.0;

#[derive(Serialize)]
struct ProgressView<'a> {
    file: &'a str,
    files_done: usize,
    files_total: usize,
    bytes_done: u64,
    bytes_total: u64,
    posts_read: u64,
    posts_flagged: u64,
}

/// One finished audit: the report, kept for rendering it as a file.
#[wasm_bindgen]
pub struct AuditRun {
    report: Report,
}

#[wasm_bindgen]
impl AuditRun {
    /// The report as a plain object: `impartial-audit`'s `Report` (posts riskiest first, with
    /// findings at UTF-16 offsets into each post's `text`; summaries by category, severity
    /// and month; bios; problems and failures).
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js(&self.report)
    }

    /// The same report as JSON text (for `JSON.parse`: several times faster than building
    /// the objects across the boundary one by one, for a report of thousands of posts).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.report).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The self-contained HTML report (no scripts, no external resources).
    pub fn html(&self) -> Result<String, JsError> {
        self.render(render::html)
    }

    /// The CSV report: one row per finding.
    pub fn csv(&self) -> Result<String, JsError> {
        self.render(render::csv)
    }

    fn render(&self, renderer: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>) -> Result<String, JsError> {
        let mut out = Vec::new();
        renderer(&self.report, &mut out).map_err(|e| JsError::new(&format!("writing the report: {e}")))?;
        String::from_utf8(out).map_err(|e| JsError::new(&format!("writing the report: {e}")))
    }
}

/// The audit options for settings in force, as the CLI builds them from `--settings`.
fn options_for(settings: &impartial_core::Settings, org: &crate::OrgPolicy) -> AuditOptions {
    let per_platform = PLATFORMS
        .iter()
        .filter_map(|&p| {
            let site = p.site_id()?;
            let chosen = settings.sites.get(site).copied().unwrap_or_else(|| default_strictness(site));
            Some((p, chosen.max(org.minimum(site))))
        })
        .collect();
    let profile = &settings.profile;
    let mut employer_names = vec![profile.employer.clone()];
    employer_names.extend(profile.aliases.iter().cloned());
    employer_names.retain(|n| !n.trim().is_empty());
    let employer = if profile.employer.is_empty() { String::new() } else { format!(", employer {}", profile.employer) };
    AuditOptions {
        strictness: Strictness::Standard,
        per_platform,
        employer_names,
        context: format!("{}{employer}, strictness per site from the settings", profile.policy.as_str()),
        ..AuditOptions::default()
    }
}

/// Audits the archive or file `bytes` (named `name`, the file the user picked) with the
/// user's `settings` under the organisation `policy` (undefined = none).
///
/// `on_progress` is called with `{ file, files_done, files_total, bytes_done, bytes_total,
/// posts_read, posts_flagged }` (uncompressed bytes) at most every 200 ms or 1%; returning
/// `false` cancels. Throws an `Error` whose message names the file and what was expected
/// when nothing can be read (a corrupt or truncated zip, an unknown layout, a wrong file).
#[wasm_bindgen]
pub fn audit_archive(name: &str, bytes: &[u8], settings: JsValue, policy: JsValue, on_progress: &js_sys::Function) -> Result<AuditRun, JsError> {
    let user = if settings.is_undefined() || settings.is_null() { impartial_core::Settings::default() } else { parse_settings_uncompiled(settings)? };
    let org = parse_policy(policy)?;
    let settings = effective(&user, &org);
    let engine = compile_profile(&settings.profile)?;
    let options = options_for(&settings, &org);
    let input = Input::from_bytes(name, bytes).map_err(|e| JsError::new(&e.to_string()))?;

    let mut last_ms = f64::NEG_INFINITY;
    let mut last_bytes = 0u64;
    let mut last_file = usize::MAX;
    let mut callback_error: Option<JsValue> = None;
    let mut progress = |p: &Progress| {
        let now = js_sys::Date::now();
        let step = (p.bytes_total / 100).max(1);
        let done = p.files_done == p.files_total;
        if !done && p.files_done == last_file && now - last_ms < PROGRESS_MS && p.bytes_done < last_bytes + step {
            return ControlFlow::Continue(());
        }
        (last_ms, last_bytes, last_file) = (now, p.bytes_done, p.files_done);
        let view = ProgressView {
            file: p.file,
            files_done: p.files_done,
            files_total: p.files_total,
            bytes_done: p.bytes_done,
            bytes_total: p.bytes_total,
            posts_read: p.posts_read,
            posts_flagged: p.posts_flagged,
        };
        let Ok(value) = to_js(&view) else { return ControlFlow::Continue(()) };
        match on_progress.call1(&JsValue::NULL, &value) {
            Ok(answer) if answer == JsValue::FALSE => ControlFlow::Break(()),
            Ok(_) => ControlFlow::Continue(()),
            Err(e) => {
                callback_error = Some(e);
                ControlFlow::Break(())
            }
        }
    };
    match audit(input, &engine, &options, &mut progress) {
        Ok(report) => Ok(AuditRun { report }),
        Err(AuditError::Cancelled) => match callback_error {
            Some(e) => Err(JsError::new(&format!("the progress callback failed: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))),
            None => Err(JsError::new("the audit was cancelled")),
        },
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_policy_text;

    #[test]
    fn options_follow_the_sites_in_force_and_the_organisation_minimum() {
        let mut user = impartial_core::Settings::default();
        user.profile.employer = "HM Revenue and Customs".into();
        user.profile.aliases = vec!["HMRC".into(), " ".into()];
        user.sites.insert("x".into(), Strictness::Relaxed);
        user.sites.insert("linkedin".into(), Strictness::Relaxed);
        let org = parse_policy_text(r#"{"minimum_strictness": {"linkedin": "strict"}}"#).unwrap();
        let settings = effective(&user, &org);
        let options = options_for(&settings, &org);
        assert_eq!(options.strictness_for(Platform::X), Strictness::Relaxed);
        assert_eq!(options.strictness_for(Platform::Linkedin), Strictness::Strict);
        assert_eq!(options.strictness_for(Platform::Mastodon), default_strictness("mastodon"));
        assert_eq!(options.strictness_for(Platform::Text), Strictness::Standard);
        assert_eq!(options.employer_names, vec!["HM Revenue and Customs".to_string(), "HMRC".to_string()]);
        assert!(options.context.contains("employer HM Revenue and Customs"));
    }
}
