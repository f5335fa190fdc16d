//! Human output: each finding annotated on the post like a compiler diagnostic.
//!
//! ```text
//! medium[uk.partisan.vote-for]: This asks people to vote for or against a party.
//!   --> post:1:56
//!    |
//!  1 | …the Tories are a disgrace, vote Labour! Views my own.
//!    |                             ^^^^^^^^^^^ partisan
//!    = why: Telling people how to vote is party-political activity. …
//!    = source: Social media guidance for civil servants, Political activity
//!              https://www.gov.uk/…
//!    = help: Remove the call to vote
//! ```
//!
//! Columns count characters, so wide characters and emoji can shift carets slightly; long
//! lines are cut to a window around the span.

use std::fmt::Write;

use impartial_core::{Finding, Severity};

/// Characters of context either side of a span on long lines.
const CONTEXT_CHARS: usize = 40;
/// Width explanations wrap at.
const WRAP: usize = 88;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

pub fn report(text: &str, findings: &[Finding], context: &str, color: bool) -> String {
    let style = Style { on: color };
    let mut out = String::new();
    for f in findings {
        diagnostic(&mut out, text, f, &style);
        out.push('\n');
    }
    let summary = if findings.is_empty() {
        format!("No findings ({context}).")
    } else {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let parts: Vec<String> =
            [Severity::High, Severity::Medium, Severity::Low].into_iter().filter(|&s| count(s) > 0).map(|s| format!("{} {}", count(s), s.as_str())).collect();
        let noun = if findings.len() == 1 { "finding" } else { "findings" };
        format!("{} {noun}: {} ({context}).", findings.len(), parts.join(", "))
    };
    let _ = writeln!(out, "{}", style.paint("1", &summary));
    out
}

fn diagnostic(out: &mut String, text: &str, f: &Finding, style: &Style) {
    let (line_no, line_start) = line_of(text, f.byte_start);
    let line_end = text[line_start..].find('\n').map_or(text.len(), |n| line_start + n);
    let line = &text[line_start..line_end];
    let col = text[line_start..f.byte_start].chars().count();
    let span_end = f.byte_end.min(line_end).max(f.byte_start);
    let width = text[f.byte_start..span_end].chars().count().max(1);
    let (shown, caret_col) = window(line, col, width);
    let gutter = line_no.to_string().len();
    let pad = " ".repeat(gutter);
    let bar = style.paint("1;34", "|");

    let _ = writeln!(out, "{}{}: {}", style.severity(f.severity), style.paint("1", &format!("[{}]", f.rule)), style.paint("1", &f.message));
    let _ = writeln!(out, "{pad}{} post:{line_no}:{}", style.paint("1;34", "-->"), col + 1);
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &line_no.to_string()));
    let carets = style.paint("1;31", &"^".repeat(width));
    let _ = writeln!(out, "{pad} {bar} {}{carets} {}", " ".repeat(caret_col), f.category.as_str());
    let note_indent = format!("{pad} = ");
    note(out, &note_indent, "why", &f.explanation);
    let source = if f.source.url.is_empty() {
        format!("{}, {}", f.source.title, f.source.section)
    } else {
        format!("{}, {}\n{}", f.source.title, f.source.section, f.source.url)
    };
    note(out, &note_indent, "source", &source);
    let shown_text = f.text.replace(['\n', '\r'], " ");
    for s in f.suggestions.iter() {
        let action = if s.replacement.is_empty() {
            format!("{} (remove “{shown_text}”)", s.label)
        } else {
            format!("{}: “{shown_text}” → “{}”", s.label, s.replacement)
        };
        note(out, &note_indent, "help", &action);
    }
}

/// (1-based line number, byte offset where that line starts) of byte `at`.
fn line_of(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_no = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |n| n + 1);
    (line_no, start)
}

/// The part of `line` to show and the caret column within it, cutting long lines to a
/// window around characters `col..col + width`. Tabs become spaces so carets line up.
fn window(line: &str, col: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    if chars.len() <= 2 * CONTEXT_CHARS + width + 20 {
        return (chars.into_iter().collect(), col);
    }
    let from = col.saturating_sub(CONTEXT_CHARS);
    let to = (col + width + CONTEXT_CHARS).min(chars.len());
    let mut shown: String = chars[from..to].iter().collect();
    let mut caret = col - from;
    if from > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// `= label: text`, paragraphs joined and wrapped, continuation lines aligned.
fn note(out: &mut String, indent: &str, label: &str, text: &str) {
    let head = format!("{indent}{label}: ");
    let hang = " ".repeat(head.chars().count());
    let mut first = true;
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && hang.len() + line.chars().count() + 1 + word.chars().count() > WRAP {
                let _ = writeln!(out, "{}{line}", if first { &head } else { &hang });
                first = false;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            let _ = writeln!(out, "{}{line}", if first { &head } else { &hang });
            first = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = "x".repeat(300);
        let (shown, caret) = window(&line, 100, 5);
        assert_eq!(shown.chars().count(), 40 + 5 + 40 + 2);
        assert_eq!(caret, 41);
        assert_eq!(window("short line", 6, 4), ("short line".to_string(), 6));
    }

    #[test]
    fn notes_wrap_and_align() {
        let mut out = String::new();
        note(&mut out, "  = ", "why", &"word ".repeat(40));
        assert!(out.lines().count() > 1);
        assert!(out.lines().all(|l| l.chars().count() <= WRAP));
        assert!(out.lines().nth(1).unwrap().starts_with("         word"));
    }
}
