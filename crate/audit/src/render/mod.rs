//! The report as HTML, CSV or JSON.

mod csv;
mod html;

pub use self::csv::csv;
pub use self::html::html;

/// The report as JSON (pretty-printed).
pub fn json(report: &crate::Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}
