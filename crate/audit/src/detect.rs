//! What the input holds: which files to read, as what, in which order.
//!
//! Archives and folders are recognised by file names (any folder depth, so an archive
//! extracted into a folder of its own works); a single file by its name, then by its
//! first bytes.

use crate::files::{peek, FileSet};
use crate::model::Platform;
use crate::AuditError;

/// What a file is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    XAccount,
    XProfile,
    XTweets,
    FacebookPosts,
    FacebookComments,
    LinkedinProfile,
    LinkedinShares,
    LinkedinComments,
    MastodonActor,
    MastodonOutbox,
    BlueskyRepo,
    JsonLines,
    PlainText,
}

impl Kind {
    pub fn platform(self) -> Platform {
        match self {
            Kind::XAccount | Kind::XProfile | Kind::XTweets => Platform::X,
            Kind::FacebookPosts | Kind::FacebookComments => Platform::Facebook,
            Kind::LinkedinProfile | Kind::LinkedinShares | Kind::LinkedinComments => Platform::Linkedin,
            Kind::MastodonActor | Kind::MastodonOutbox => Platform::Mastodon,
            Kind::BlueskyRepo => Platform::Bluesky,
            Kind::JsonLines | Kind::PlainText => Platform::Text,
        }
    }

    /// Profiles before posts (the account name makes the posts' links).
    fn order(self) -> u8 {
        match self {
            Kind::XAccount => 0,
            Kind::XProfile | Kind::LinkedinProfile | Kind::MastodonActor => 1,
            _ => 2,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub entry: usize,
    pub kind: Kind,
    pub platform: Platform,
}

/// `tweets.js`, `tweet.js`, `tweets-part2.js`, `tweet-part1.js`.
fn is_tweets_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".js") else { return false };
    let stem = stem.strip_prefix("tweets").or_else(|| stem.strip_prefix("tweet")).unwrap_or("x");
    stem.is_empty() || stem.strip_prefix("-part").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `your_posts_1.json`, `your_posts.json`, `your_posts__check_ins__photos_and_videos_1.json`.
fn is_facebook_posts(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else { return false };
    let stem = stem.strip_prefix("your_posts__check_ins__photos_and_videos").or_else(|| stem.strip_prefix("your_posts")).unwrap_or("x");
    stem.is_empty() || stem.strip_prefix('_').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The kind a file is by its name alone, in an archive. `dir` is its folder.
fn kind_by_name(name: &str, dir: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let in_data = dir == "data" || dir.ends_with("/data") || dir.is_empty();
    Some(match lower.as_str() {
        _ if is_tweets_file(name) => Kind::XTweets,
        "account.js" if in_data => Kind::XAccount,
        "profile.js" if in_data => Kind::XProfile,
        _ if is_facebook_posts(name) => Kind::FacebookPosts,
        "comments.json" if dir.ends_with("comments_and_reactions") || dir.ends_with("comments") => Kind::FacebookComments,
        "shares.csv" => Kind::LinkedinShares,
        "comments.csv" => Kind::LinkedinComments,
        "profile.csv" => Kind::LinkedinProfile,
        "outbox.json" => Kind::MastodonOutbox,
        "actor.json" => Kind::MastodonActor,
        _ if lower.ends_with(".car") => Kind::BlueskyRepo,
        _ => return None,
    })
}

const EXPECTED: &str = "expected an X/Twitter archive (data/tweets.js), a Facebook download (your_posts_1.json), \
a LinkedIn export (Shares.csv), a Mastodon archive (outbox.json), a Bluesky repository (.car), or a text or JSON Lines file of posts";

/// The files to read, profiles first.
pub fn plan(files: &mut dyn FileSet) -> Result<Vec<Job>, AuditError> {
    if files.is_single_file() {
        let entry = &files.entries()[0];
        let kind = match kind_by_name(entry.file_name(), "") {
            Some(k) => k,
            None => sniff(files)?,
        };
        return Ok(vec![Job { entry: 0, kind, platform: kind.platform() }]);
    }
    let mut jobs: Vec<Job> = Vec::new();
    for (i, e) in files.entries().iter().enumerate() {
        if let Some(kind) = kind_by_name(e.file_name(), e.dir()) {
            jobs.push(Job { entry: i, kind, platform: kind.platform() });
        }
    }
    // Profiles only count alongside their platform's posts (a stray account.js or
    // Profile.csv is no archive).
    let has_posts = |p: Platform, jobs: &[Job]| jobs.iter().any(|j| j.platform == p && j.kind.order() == 2);
    let snapshot = jobs.clone();
    jobs.retain(|j| has_posts(j.platform, &snapshot));
    if jobs.is_empty() {
        let entries = files.entries();
        let sample: Vec<&str> = entries.iter().take(5).map(|e| e.path.as_str()).collect();
        let found = if entries.is_empty() {
            "found no files".to_string()
        } else {
            format!(
                "found {} file{} ({}{})",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" },
                sample.join(", "),
                if entries.len() > 5 { ", …" } else { "" }
            )
        };
        let zips: Vec<&str> = entries.iter().filter(|e| e.path.to_ascii_lowercase().ends_with(".zip")).take(3).map(|e| e.path.as_str()).collect();
        let hint = if zips.is_empty() { String::new() } else { format!(" (to audit a zip inside, pass it itself: {})", zips.join(", ")) };
        return Err(AuditError::input(files.name(), format!("no posts found: {EXPECTED}; {found}{hint}")));
    }
    jobs.sort_by_key(|j| (j.platform, j.kind.order(), files.entries()[j.entry].path.clone()));
    Ok(jobs)
}

/// A single file whose name says nothing: look at its first bytes.
fn sniff(files: &mut dyn FileSet) -> Result<Kind, AuditError> {
    let name = files.name().to_string();
    let head = peek(files, 0, 4096).map_err(|e| AuditError::input(&name, format!("cannot read: {e}")))?;
    let lower = name.to_ascii_lowercase();
    if head.is_empty() {
        return Err(AuditError::input(&name, format!("the file is empty; {EXPECTED}")));
    }
    // Text, allowing a multi-byte character cut at the 4 KiB mark.
    let text = match std::str::from_utf8(&head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
        Err(_) => "",
    };
    if text.is_empty() || text.contains('\0') {
        return Err(AuditError::input(
            &name,
            format!("not a text file or an archive Impartial knows (found binary data: {}); {EXPECTED}", describe_bytes(&head)),
        ));
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("window.YTD.") {
        return Ok(Kind::XTweets);
    }
    if trimmed.starts_with('{') && (text.contains("\"orderedItems\"") || text.contains("OrderedCollection")) {
        return Ok(Kind::MastodonOutbox);
    }
    if trimmed.starts_with('{') && text.contains("\"comments_v2\"") {
        return Ok(Kind::FacebookComments);
    }
    if trimmed.starts_with('[') && text.contains("\"timestamp\"") {
        return Ok(Kind::FacebookPosts);
    }
    if lower.ends_with(".csv") || trimmed.lines().next().is_some_and(|l| l.contains("ShareCommentary")) {
        let header = trimmed.lines().next().unwrap_or("");
        if header.contains("ShareCommentary") {
            return Ok(Kind::LinkedinShares);
        }
        if header.contains("Message") && header.contains("Link") {
            return Ok(Kind::LinkedinComments);
        }
        return Err(AuditError::input(&name, format!("a CSV file Impartial does not know: expected LinkedIn's Shares.csv (Date, ShareLink, ShareCommentary, …) or Comments.csv (Date, Link, Message), found the columns {:?}", header.chars().take(120).collect::<String>())));
    }
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || trimmed.starts_with('{') {
        return Ok(Kind::JsonLines);
    }
    if trimmed.starts_with('[') || lower.ends_with(".json") || lower.ends_with(".js") {
        return Err(AuditError::input(&name, format!("JSON that is not a known archive file: {EXPECTED}; found {}", describe_text(trimmed))));
    }
    Ok(Kind::PlainText)
}

/// The first bytes of a file for an error message, printable.
pub fn describe_bytes(head: &[u8]) -> String {
    let shown: String =
        head.iter().take(16).map(|&b| if b.is_ascii_graphic() || b == b' ' { (b as char).to_string() } else { format!("\\x{b:02x}") }).collect();
    format!("`{shown}`")
}

/// The start of some text for an error message.
pub fn describe_text(text: &str) -> String {
    let t = text.trim_start();
    if t.is_empty() {
        return "nothing".to_string();
    }
    let cut: String = t.chars().take(40).map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("`{}{}`", cut.trim_end(), if t.chars().count() > 40 { "…" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in ["tweets.js", "tweet.js", "tweets-part1.js", "tweet-part12.js"] {
            assert!(is_tweets_file(yes), "{yes}");
        }
        for no in ["deleted-tweets.js", "tweets-part.js", "tweetdeck.js", "tweets.json", "tweets-partx.js"] {
            assert!(!is_tweets_file(no), "{no}");
        }
        assert!(is_facebook_posts("your_posts_1.json"));
        assert!(is_facebook_posts("your_posts__check_ins__photos_and_videos_2.json"));
        assert!(!is_facebook_posts("your_posts_x.json"));
    }
}
