//! A self-contained HTML report: inline CSS and an inline SVG chart, no scripts, no
//! external resources (a Content-Security-Policy of `default-src 'none'` says so to the
//! browser), every piece of archive text HTML-escaped. Links to the posts are the only
//! links to the outside, with the guidance each finding cites.

use std::fmt::Write as _;
use std::io::{self, Write};

use impartial_core::{Category, Finding, Severity};

use crate::model::{AuditedPost, Bio, Report};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link only for http(s) URLs (anything else is shown as text).
fn link(url: &str, label: &str) -> String {
    let l = url.trim().to_ascii_lowercase();
    if (l.starts_with("https://") || l.starts_with("http://")) && !url.chars().any(char::is_whitespace) {
        format!("<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>", escape(url.trim()), escape(label))
    } else {
        escape(label)
    }
}

const STYLE: &str = r#"
:root { --high: #b3261e; --medium: #b25e00; --low: #1d6fa5; --ink: #1c1c1c; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 62rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.muted, .meta { color: var(--muted); } .meta { font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { text-align: left; padding: .2rem .9rem .2rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .9rem; min-width: 9rem; } .card b { display: block; font-size: 1.4rem; }
.warn { border-left: 4px solid var(--high); background: #fdecea; padding: .6rem .9rem; margin: .75rem 0; border-radius: 4px; }
article { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; margin: .9rem 0; }
article.high { border-left: 5px solid var(--high); } article.medium { border-left: 5px solid var(--medium); } article.low { border-left: 5px solid var(--low); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f8f9fa; padding: .5rem .7rem; border-radius: 6px; margin: .5rem 0; }
mark { border-radius: 3px; padding: 0 1px; } mark.high { background: #f9d0cc; } mark.medium { background: #fde3bf; } mark.low { background: #d2e7f7; }
sup { color: var(--muted); font-size: .7em; }
.sev { display: inline-block; font-size: .75rem; font-weight: 600; color: #fff; border-radius: 3px; padding: 0 .4rem; text-transform: uppercase; }
.sev.high { background: var(--high); } .sev.medium { background: var(--medium); } .sev.low { background: var(--low); }
.tag { display: inline-block; font-size: .75rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .35rem; margin-left: .25rem; }
.tag.attr { border-color: var(--high); color: var(--high); }
ol.findings { margin: .25rem 0 0; padding-left: 1.4rem; } ol.findings li { margin: .35rem 0; }
.why { margin: .15rem 0; } code { font-size: .85em; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
details { margin: .5rem 0; } summary { cursor: pointer; }
@media print { article { break-inside: avoid; } }
"#;

pub fn html(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    s.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>Impartial footprint audit</title>\n<style>");
    s.push_str(STYLE);
    s.push_str("</style>\n</head>\n<body>\n");
    header(&mut s, report);
    bios(&mut s, report);
    summary(&mut s, report);
    chart(&mut s, report);
    problems(&mut s, report);
    out.write_all(s.as_bytes())?;
    s.clear();
    let _ = writeln!(s, "<h2 id=\"posts\">Posts with findings, riskiest first ({})</h2>", report.flagged.len());
    if report.flagged.is_empty() {
        s.push_str("<p>Nothing in these posts was flagged.</p>\n");
    }
    if report.flagged_not_listed > 0 {
        let _ = writeln!(
            s,
            "<p class=\"warn\">The {} riskiest are listed. {} more posts with findings, less risky ones, \
             are counted in the summary above but not listed: deal with these first, then audit again.</p>",
            report.flagged.len(),
            report.flagged_not_listed
        );
    }
    for (rank, p) in report.flagged.iter().enumerate() {
        post(&mut s, rank + 1, p);
        if s.len() > 256 * 1024 {
            out.write_all(s.as_bytes())?;
            s.clear();
        }
    }
    let _ = writeln!(
        s,
        "<p class=\"meta\">Made by {} on this computer: nothing from the archive was sent anywhere. Findings are prompts to review a post, not verdicts.</p>\n</body>\n</html>",
        escape(&report.tool)
    );
    out.write_all(s.as_bytes())
}

fn header(s: &mut String, r: &Report) {
    s.push_str("<h1>Footprint audit</h1>\n");
    if !r.context.is_empty() {
        let _ = writeln!(s, "<p class=\"muted\">Checked against: {}</p>", escape(&r.context));
    }
    let crate::model::WorstCounts { high, medium, low } = r.flagged_by_worst;
    s.push_str("<div class=\"cards\">");
    for (n, label) in [
        (r.posts_read, "posts read"),
        (r.posts_flagged, "with findings"),
        (high, "worst finding high"),
        (medium, "worst finding medium"),
        (low, "worst finding low"),
        (r.posts_failed, "could not be read"),
    ] {
        let _ = write!(s, "<div class=\"card\"><b>{n}</b>{label}</div>");
    }
    s.push_str("</div>\n");
    s.push_str("<table><tr><th>Platform</th><th>Account</th><th class=\"n\">Posts</th><th>Files</th></tr>\n");
    for src in &r.sources {
        let files = src.files.iter().map(|f| escape(f)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"meta\">{files}</td></tr>",
            src.platform.display_name(),
            escape(src.account.as_deref().unwrap_or("")),
            src.posts
        );
    }
    s.push_str("</table>\n");
    if r.posts_skipped > 0 {
        let _ =
            writeln!(s, "<p class=\"meta\">{} items without text of your own (photos, boosts, shares without a comment) were skipped.</p>", r.posts_skipped);
    }
}

fn bios(s: &mut String, r: &Report) {
    if r.bios.is_empty() {
        return;
    }
    s.push_str("<h2 id=\"profile\">Profile</h2>\n");
    for b in r.attributing_bios() {
        let partisan = r.flagged.iter().filter(|p| p.post.platform == b.platform && p.attributable).count();
        let _ = writeln!(
            s,
            "<p class=\"warn\"><b>Your {} {} names your employer.</b> Anything partisan you post there can be attributed to them: {} partisan post{} below {} marked <i>attributable</i>.</p>",
            b.platform.display_name(),
            escape(&b.field),
            partisan,
            if partisan == 1 { "" } else { "s" },
            if partisan == 1 { "is" } else { "are" },
        );
    }
    for b in &r.bios {
        bio(s, b);
    }
}

fn bio(s: &mut String, b: &Bio) {
    let worst = b.findings.iter().map(|f| f.severity).max();
    let _ = writeln!(
        s,
        "<article class=\"{}\"><div class=\"meta\">{} · {}{}</div>",
        worst.map_or("", Severity::as_str),
        b.platform.display_name(),
        escape(&b.field),
        if b.names_employer { " <span class=\"tag attr\">names your employer</span>" } else { "" }
    );
    marked(s, &b.text, &b.findings);
    findings(s, &b.findings);
    s.push_str("</article>\n");
}

fn summary(s: &mut String, r: &Report) {
    s.push_str("<h2 id=\"summary\">Summary</h2>\n");
    if r.by_category.is_empty() {
        s.push_str("<p>No findings.</p>\n");
        return;
    }
    s.push_str("<table><tr><th>Category</th><th class=\"n\">Posts</th><th class=\"n\">Findings</th></tr>\n");
    for c in Category::ALL {
        if let Some(n) = r.by_category.get(&c) {
            let _ = writeln!(s, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>", c.as_str(), n.posts, n.findings);
        }
    }
    s.push_str("</table>\n<table><tr><th>Severity</th><th class=\"n\">Posts</th><th class=\"n\">Findings</th></tr>\n");
    for sev in [Severity::High, Severity::Medium, Severity::Low] {
        if let Some(n) = r.by_severity.get(&sev) {
            let _ = writeln!(
                s,
                "<tr><td><span class=\"sev {0}\">{0}</span></td><td class=\"n\">{1}</td><td class=\"n\">{2}</td></tr>",
                sev.as_str(),
                n.posts,
                n.findings
            );
        }
    }
    s.push_str("</table>\n");
}

/// Posts per month (grey) and posts with findings (red), as an inline SVG.
fn chart(s: &mut String, r: &Report) {
    if r.by_month.is_empty() {
        return;
    }
    s.push_str("<h2 id=\"months\">By month</h2>\n");
    let (w, h, left, bottom, top) = (960.0_f64, 220.0_f64, 40.0_f64, 24.0_f64, 10.0_f64);
    let n = r.by_month.len() as f64;
    let max = r.by_month.iter().map(|m| m.posts).max().unwrap_or(0).max(1) as f64;
    let bar = (w - left) / n;
    let plot = h - bottom - top;
    let _ = writeln!(s, "<svg role=\"img\" aria-label=\"Posts per month, and posts with findings\" viewBox=\"0 0 {w} {h}\" width=\"100%\">");
    let _ = writeln!(s, "<line x1=\"{left}\" y1=\"{}\" x2=\"{w}\" y2=\"{}\" stroke=\"#dadce0\"/>", h - bottom, h - bottom);
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        left - 4.0,
        top + 8.0,
        max as u64,
        left - 4.0,
        h - bottom
    );
    let year_step = ((n / 12.0 / 16.0).ceil() as i64).max(1);
    for (i, m) in r.by_month.iter().enumerate() {
        let x = left + i as f64 * bar;
        let bw = (bar * 0.85).max(0.5);
        let ph = m.posts as f64 / max * plot;
        let fh = m.flagged as f64 / max * plot;
        let _ = write!(
            s,
            "<g><title>{}: {} posts, {} with findings</title><rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bw:.2}\" height=\"{ph:.2}\" fill=\"#c6cacf\"/>",
            escape(&m.month),
            m.posts,
            m.flagged,
            h - bottom - ph
        );
        if m.flagged > 0 {
            let _ = write!(s, "<rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bw:.2}\" height=\"{:.2}\" fill=\"#b3261e\"/>", h - bottom - fh, fh.max(1.0));
        }
        s.push_str("</g>\n");
        let label = if n <= 24.0 {
            (i % (n as usize).div_ceil(12) == 0).then(|| m.month.clone())
        } else {
            let year: i64 = m.month[..4].parse().unwrap_or(0);
            (m.month.ends_with("-01") && year % year_step == 0).then(|| m.month[..4].to_string())
        };
        if let Some(label) = label {
            let _ = writeln!(s, "<text x=\"{x:.2}\" y=\"{}\">{}</text>", h - 8.0, escape(&label));
        }
    }
    s.push_str("</svg>\n<p class=\"meta\">Grey: posts that month; red: posts with findings. Months in UTC.</p>\n");
}

fn problems(s: &mut String, r: &Report) {
    if r.problems.is_empty() && r.posts_failed == 0 {
        return;
    }
    s.push_str("<h2 id=\"problems\">What could not be read</h2>\n");
    for p in &r.problems {
        let _ = writeln!(s, "<p class=\"warn\">{}</p>", escape(p));
    }
    if r.posts_failed > 0 {
        let _ = writeln!(
            s,
            "<details><summary>{} post{} could not be read (the rest were audited)</summary>",
            r.posts_failed,
            if r.posts_failed == 1 { "" } else { "s" }
        );
        s.push_str("<table><tr><th>File</th><th>Post</th><th>Why</th></tr>\n");
        for f in &r.failures {
            let _ = writeln!(s, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(&f.file), escape(&f.location), escape(&f.reason));
        }
        s.push_str("</table>");
        if (r.failures.len() as u64) < r.posts_failed {
            let _ = write!(s, "<p class=\"meta\">Only the first {} are listed.</p>", r.failures.len());
        }
        s.push_str("</details>\n");
    }
}

fn post(s: &mut String, rank: usize, p: &AuditedPost) {
    let sev = p.max_severity.as_str();
    let _ = write!(
        s,
        "<article class=\"{sev}\"><div class=\"meta\">#{rank} <span class=\"sev {sev}\">{sev}</span> risk {} · {}",
        p.risk,
        p.post.platform.display_name()
    );
    if p.post.kind != crate::model::PostKind::Post {
        let _ = write!(s, " {}", p.post.kind.as_str());
    }
    let _ = write!(s, " · {}", p.post.date.map_or_else(|| "undated".to_string(), |d| format!("{} UTC", d.display())));
    match &p.post.url {
        Some(url) => {
            let _ = write!(s, " · {}", link(url, "open the post"));
        }
        None => {
            let _ = write!(s, " · {}", escape(&p.post.id));
        }
    }
    if p.attributable {
        s.push_str(" <span class=\"tag attr\">attributable: your profile names your employer</span>");
    }
    s.push_str("</div>\n");
    marked(s, &p.post.text, &p.findings);
    findings(s, &p.findings);
    s.push_str("</article>\n");
}

/// The text with each finding's span in a `<mark>`, numbered at its end.
fn marked(s: &mut String, text: &str, findings: &[Finding]) {
    let valid =
        |f: &&Finding| f.byte_start < f.byte_end && f.byte_end <= text.len() && text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end);
    let spans: Vec<(usize, &Finding)> = findings.iter().enumerate().filter(|(_, f)| valid(f)).map(|(i, f)| (i + 1, f)).collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (_, f) in &spans {
        cuts.push(f.byte_start);
        cuts.push(f.byte_end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    s.push_str("<div class=\"text\">");
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let covering: Vec<&(usize, &Finding)> = spans.iter().filter(|(_, f)| f.byte_start <= a && f.byte_end >= b).collect();
        let piece = escape(&text[a..b]);
        match covering.iter().map(|(_, f)| f.severity).max() {
            Some(sev) => {
                let title = covering.iter().map(|(n, f)| format!("[{n}] {}", f.rule)).collect::<Vec<_>>().join(", ");
                let _ = write!(s, "<mark class=\"{}\" title=\"{}\">{piece}</mark>", sev.as_str(), escape(&title));
            }
            None => s.push_str(&piece),
        }
        let ending: Vec<String> = spans.iter().filter(|(_, f)| f.byte_end == b).map(|(n, _)| n.to_string()).collect();
        if !ending.is_empty() {
            let _ = write!(s, "<sup>[{}]</sup>", ending.join(","));
        }
    }
    s.push_str("</div>\n");
}

fn findings(s: &mut String, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    s.push_str("<ol class=\"findings\">\n");
    for f in findings {
        let sev = f.severity.as_str();
        let _ = write!(
            s,
            "<li><span class=\"sev {sev}\">{sev}</span> <b>{}</b> <span class=\"tag\">{}</span> <code>{}</code> on “{}”<div class=\"why\">{}</div>",
            escape(&f.message),
            f.category.as_str(),
            escape(&f.rule),
            escape(&f.text),
            escape(&f.explanation)
        );
        if !f.source.title.is_empty() {
            let label = if f.source.section.is_empty() { f.source.title.to_string() } else { format!("{}, {}", f.source.title, f.source.section) };
            let _ = write!(s, "<div class=\"meta\">Guidance: {}</div>", link(&f.source.url, &label));
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(escape(r#"<script>alert("x" & 'y')</script>"#), "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    }

    #[test]
    fn only_web_links_are_links() {
        assert!(link("https://x.com/a/status/1", "open").starts_with("<a href=\"https://x.com/a/status/1\""));
        assert_eq!(link("javascript:alert(1)", "open"), "open");
        assert_eq!(link("https://x.com/\" onmouseover=\"x", "open"), "open");
    }
}
