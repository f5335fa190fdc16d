//! The parsers, one per archive format. Each streams its file and hands posts, bios and
//! failures to the audit context.

mod bluesky;
mod facebook;
mod linkedin;
mod mastodon;
mod plain;
mod x;

use std::io::{BufReader, Read};

use crate::audit::{Ctx, Stop};
use crate::detect::{Job, Kind};
use crate::files::Counting;
use crate::json::StreamError;

/// Why a file could not be read (in full).
pub enum FileError {
    Stopped,
    /// What was expected and what was found; the audit prefixes the file name.
    Message(String),
}

impl From<Stop> for FileError {
    fn from(_: Stop) -> FileError {
        FileError::Stopped
    }
}

impl From<std::io::Error> for FileError {
    fn from(e: std::io::Error) -> FileError {
        FileError::Message(io_message(&e))
    }
}

fn io_message(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::FileTooLarge {
        e.to_string()
    } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "the file ends early (a truncated or incomplete download?)".to_string()
    } else {
        format!("cannot read it: {e} (a damaged archive?)")
    }
}

/// A streamed JSON file's error, as a message. `what` names the items ("posts").
pub(crate) fn stream_error(e: StreamError, what: &str) -> FileError {
    match e {
        StreamError::Stopped => FileError::Stopped,
        StreamError::Truncated { items, detail } => FileError::Message(format!(
            "the file ends early, after {items} {what} (a truncated or incomplete download?); the {what} before the cut were audited ({detail})"
        )),
        StreamError::TooLarge { items, detail } => FileError::Message(format!("{detail}; the {items} {what} before that point were audited")),
        StreamError::Io { items, detail } => {
            FileError::Message(format!("cannot read it after {items} {what}: {detail} (a damaged archive?); the {what} before it were audited"))
        }
        StreamError::Invalid { items, detail } => {
            if items == 0 {
                FileError::Message(format!("not the JSON expected: {detail}"))
            } else {
                FileError::Message(format!("broken JSON after {items} {what}; the {what} before it were audited ({detail})"))
            }
        }
    }
}

pub type Reader<'r> = BufReader<Counting<Box<dyn Read + 'r>>>;

pub fn run(job: &Job, reader: Box<dyn Read + '_>, ctx: &mut Ctx) -> Result<(), FileError> {
    let counting = Counting { inner: reader, count: ctx.bytes.clone(), limit: ctx.max_file_bytes() };
    let mut r: Reader = BufReader::with_capacity(64 * 1024, counting);
    match job.kind {
        Kind::XAccount => x::account(&mut r, ctx),
        Kind::XProfile => x::profile(&mut r, ctx),
        Kind::XTweets => x::tweets(&mut r, ctx),
        Kind::FacebookPosts => facebook::posts(&mut r, ctx),
        Kind::FacebookComments => facebook::comments(&mut r, ctx),
        Kind::LinkedinProfile => linkedin::profile(&mut r, ctx),
        Kind::LinkedinShares => linkedin::shares(&mut r, ctx),
        Kind::LinkedinComments => linkedin::comments(&mut r, ctx),
        Kind::MastodonActor => mastodon::actor(&mut r, ctx),
        Kind::MastodonOutbox => mastodon::outbox(&mut r, ctx),
        Kind::BlueskyRepo => bluesky::repo(&mut r, ctx),
        Kind::JsonLines => plain::json_lines(&mut r, ctx),
        Kind::PlainText => plain::text(&mut r, ctx),
    }
}

/// The file's base name, for post ids made from positions.
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Keeps a link only if it is http(s): archive content is untrusted.
pub(crate) fn web_link(url: Option<String>) -> Option<String> {
    url.map(|u| u.trim().to_string()).filter(|u| {
        let l = u.to_ascii_lowercase();
        (l.starts_with("https://") || l.starts_with("http://")) && !u.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}
