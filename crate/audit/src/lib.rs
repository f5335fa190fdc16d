//! Impartial's footprint audit: reads the archive a platform gives its users (X/Twitter,
//! Facebook, LinkedIn, Mastodon, Bluesky) or a file of posts (plain text, JSON Lines), checks every
//! post and the profile's bio with [`impartial_core::Engine`], and reports what could
//! breach the author's impartiality duties, riskiest first, as HTML, CSV or JSON.
//!
//! Everything runs locally and nothing is sent anywhere. The library has no threads, no
//! clock and no file system access (the [`fs`] module, native only, opens paths), so the
//! same code runs in the extension's web worker as WebAssembly.
//!
//! ```no_run
//! # use impartial_audit::*;
//! # use impartial_core::{Engine, Profile};
//! let engine = Engine::new(&Profile::example()).unwrap();
//! let bytes = std::fs::read("twitter-archive.zip").unwrap();
//! let input = Input::from_bytes("twitter-archive.zip", bytes).unwrap();
//! let report = audit(input, &engine, &AuditOptions::default(), &mut |_p| std::ops::ControlFlow::Continue(())).unwrap();
//! let mut html = Vec::new();
//! render::html(&report, &mut html).unwrap();
//! ```
//!
//! Memory: files are streamed one item at a time; the report keeps only posts with
//! findings (and the first [`model::MAX_FAILURES_LISTED`] failures).

mod audit;
mod detect;
mod files;
#[cfg(not(target_arch = "wasm32"))]
pub mod fs;
mod json;
pub mod model;
mod parse;
pub mod render;
mod text;
mod time;

use std::fmt;

pub use audit::{audit, AuditOptions, Progress, MAX_FILE_BYTES, MAX_FLAGGED_LISTED};
pub use files::{Entry, FileSet, Input, MemFiles, ZipFiles};
pub use model::{AuditedPost, Bio, Count, Failure, MonthCount, Platform, Post, PostKind, Report, SourceSummary, WorstCounts};
pub use text::{decode_entities, html_to_text, repair_mojibake};
pub use time::Timestamp;

/// Why an audit could not produce a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditError {
    /// The input (or a file in it) cannot be read as any archive Impartial knows; `file`
    /// names it and `message` says what was expected and what was found.
    Input { file: String, message: String },
    /// The progress callback asked to stop.
    Cancelled,
}

impl AuditError {
    pub(crate) fn input(file: impl Into<String>, message: impl Into<String>) -> AuditError {
        AuditError::Input { file: file.into(), message: message.into() }
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::Input { file, message } => write!(f, "{file}: {message}"),
            AuditError::Cancelled => write!(f, "the audit was cancelled"),
        }
    }
}

impl std::error::Error for AuditError {}
