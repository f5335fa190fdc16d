//! The report as CSV: one row per finding (bios first, then posts riskiest first), for
//! spreadsheets. Fields are quoted as needed; a cell that a spreadsheet would run as a
//! formula (starting `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.

use std::io::{self, Write};

use impartial_core::Finding;

use crate::model::Report;

pub const COLUMNS: [&str; 17] = [
    "rank",
    "risk",
    "date",
    "platform",
    "kind",
    "post_id",
    "url",
    "attributable",
    "severity",
    "category",
    "rule",
    "matched_text",
    "message",
    "explanation",
    "source",
    "file",
    "post_text",
];

/// Neutralises spreadsheet formulas in untrusted text.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn source(f: &Finding) -> String {
    [&*f.source.title, &*f.source.section, &*f.source.url].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ")
}

pub fn csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    let err = |e: ::csv::Error| io::Error::other(e.to_string());
    w.write_record(COLUMNS).map_err(err)?;
    for b in &report.bios {
        for f in &b.findings {
            let row = [
                String::new(),
                String::new(),
                String::new(),
                b.platform.as_str().to_string(),
                "bio".to_string(),
                cell(&b.field),
                String::new(),
                String::new(),
                f.severity.as_str().to_string(),
                f.category.as_str().to_string(),
                f.rule.to_string(),
                cell(&f.text),
                cell(&f.message),
                cell(&f.explanation),
                cell(&source(f)),
                cell(&b.file),
                cell(&b.text),
            ];
            w.write_record(&row).map_err(err)?;
        }
    }
    for (rank, p) in report.flagged.iter().enumerate() {
        for f in &p.findings {
            let row = [
                (rank + 1).to_string(),
                p.risk.to_string(),
                p.post.date.map(|d| d.rfc3339()).unwrap_or_default(),
                p.post.platform.as_str().to_string(),
                p.post.kind.as_str().to_string(),
                cell(&p.post.id),
                cell(p.post.url.as_deref().unwrap_or("")),
                if p.attributable { "yes" } else { "no" }.to_string(),
                f.severity.as_str().to_string(),
                f.category.as_str().to_string(),
                f.rule.to_string(),
                cell(&f.text),
                cell(&f.message),
                cell(&f.explanation),
                cell(&source(f)),
                cell(&p.post.file),
                cell(&p.post.text),
            ];
            w.write_record(&row).map_err(err)?;
        }
    }
    w.flush()
}
