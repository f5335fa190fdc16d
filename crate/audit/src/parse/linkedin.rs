//! LinkedIn data export (CSV, UTF-8, header row first): `Shares.csv` (`Date`,
//! `ShareLink`, `ShareCommentary`, …), `Comments.csv` (`Date`, `Link`, `Message`),
//! `Profile.csv` (`First Name`, `Last Name`, `Headline`, `Summary`, …). Dates are
//! `2023-01-15 10:20:30`, UTC. Column names are matched ignoring case and spaces; extra
//! columns are ignored.

use csv::{ByteRecord, ReaderBuilder};

use super::{web_link, FileError, Reader};
use crate::audit::Ctx;
use crate::model::{Platform, Post, PostKind};
use crate::time::Timestamp;

fn key(name: &str) -> String {
    name.trim_start_matches('\u{feff}').chars().filter(|c| !c.is_whitespace() && *c != '_').collect::<String>().to_lowercase()
}

struct Table<'r, 'a> {
    reader: csv::Reader<&'r mut Reader<'a>>,
    columns: Vec<String>,
}

impl<'r, 'a> Table<'r, 'a> {
    fn open(r: &'r mut Reader<'a>, backslash_escapes: bool, required: &[&str], file_kind: &str) -> Result<Table<'r, 'a>, FileError> {
        let mut builder = ReaderBuilder::new();
        builder.flexible(true).has_headers(true);
        if backslash_escapes {
            builder.escape(Some(b'\\'));
        }
        let mut reader = builder.from_reader(r);
        let headers = reader.byte_headers().map_err(|e| FileError::Message(format!("not CSV: {e}")))?.clone();
        let columns: Vec<String> = headers.iter().map(|h| key(&String::from_utf8_lossy(h))).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|r| !columns.contains(&key(r))).collect();
        if !missing.is_empty() {
            let found: Vec<String> = headers.iter().take(8).map(|h| String::from_utf8_lossy(h).into_owned()).collect();
            return Err(FileError::Message(format!(
                "expected LinkedIn's {file_kind} with the columns {}, found {}",
                required.join(", "),
                if found.iter().all(|f| f.is_empty()) { "no header row".to_string() } else { format!("the columns {}", found.join(", ")) }
            )));
        }
        Ok(Table { reader, columns })
    }

    fn col(&self, name: &str) -> Option<usize> {
        let k = key(name);
        self.columns.iter().position(|c| *c == k)
    }

    /// Calls `each(line, fields)` per row; rows that are not UTF-8 are failures.
    fn rows(
        &mut self,
        ctx: &mut Ctx,
        mut each: impl FnMut(&mut Ctx, u64, &dyn Fn(Option<usize>) -> Option<String>) -> Result<(), FileError>,
    ) -> Result<(), FileError> {
        let mut record = ByteRecord::new();
        let mut errors = 0u32;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => {
                    if let csv::ErrorKind::Io(io) = e.kind() {
                        return Err(FileError::Message(format!("cannot read it: {io}")));
                    }
                    errors += 1;
                    if errors > 10_000 {
                        return Err(FileError::Message(format!("too many unreadable rows, stopped at: {e}")));
                    }
                    let line = e.position().map_or(0, |p| p.line());
                    ctx.fail(format!("line {line}"), e.to_string());
                    continue;
                }
            }
            let line = record.position().map_or(0, |p| p.line());
            if std::str::from_utf8(record.as_slice()).is_err() {
                ctx.fail(format!("line {line}"), "not UTF-8 text");
                continue;
            }
            let get = |i: Option<usize>| i.and_then(|i| record.get(i)).map(|b| String::from_utf8_lossy(b).into_owned());
            each(ctx, line, &get)?;
        }
    }
}

fn posts(r: &mut Reader, ctx: &mut Ctx, kind: PostKind) -> Result<(), FileError> {
    let (text_col, link_col, file_kind, escapes) = match kind {
        PostKind::Comment => ("Message", "Link", "Comments.csv", true),
        _ => ("ShareCommentary", "ShareLink", "Shares.csv", false),
    };
    let mut table = Table::open(r, escapes, &["Date", text_col], file_kind)?;
    let (date, text, link) = (table.col("Date"), table.col(text_col), table.col(link_col));
    let file = ctx.file.clone();
    table.rows(ctx, |ctx, line, get| {
        let Some(body) = get(text).map(|t| t.replace("\r\n", "\n")).filter(|t| !t.trim().is_empty()) else {
            ctx.skip();
            return Ok(());
        };
        let url = web_link(get(link));
        let post = Post {
            platform: Platform::Linkedin,
            kind,
            id: url.clone().unwrap_or_else(|| format!("line {line}")),
            date: get(date).as_deref().and_then(Timestamp::parse_iso),
            url,
            file: file.clone(),
            text: body,
        };
        ctx.post(post).map_err(FileError::from)
    })
}

pub fn shares(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    posts(r, ctx, PostKind::Post)
}

pub fn comments(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    posts(r, ctx, PostKind::Comment)
}

pub fn profile(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let mut table = Table::open(r, false, &["Headline"], "Profile.csv")?;
    let cols = [table.col("First Name"), table.col("Last Name"), table.col("Headline"), table.col("Summary")];
    let mut first = true;
    table.rows(ctx, |ctx, _line, get| {
        if !std::mem::take(&mut first) {
            return Ok(());
        }
        let name = [get(cols[0]), get(cols[1])].into_iter().flatten().collect::<Vec<_>>().join(" ");
        ctx.account(Platform::Linkedin, name.trim().to_string());
        if let Some(h) = get(cols[2]) {
            ctx.bio(Platform::Linkedin, "headline", h);
        }
        if let Some(s) = get(cols[3]) {
            ctx.bio(Platform::Linkedin, "summary", s);
        }
        Ok(())
    })
}
