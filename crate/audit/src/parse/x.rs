//! X/Twitter archive: `data/tweets.js` (and `tweets-part1.js`, …; `tweet.js` in older
//! archives), `data/account.js`, `data/profile.js`. Each is a JavaScript assignment
//! `window.YTD.tweets.part0 = [ … ]` around JSON.

use std::io::BufRead;

use serde::Deserialize;

use super::{base_name, stream_error, FileError, Reader};
use crate::audit::Ctx;
use crate::detect::{describe_bytes, describe_text};
use crate::json::{stream, Obj, Str};
use crate::model::{Platform, Post, PostKind};
use crate::text::decode_entities;
use crate::time::Timestamp;

/// Reads up to the `=` of `window.YTD.<name>.partN = `, checking the shape.
fn wrapper(r: &mut Reader, name: &str) -> Result<(), FileError> {
    const LIMIT: usize = 200;
    let mut prefix = Vec::new();
    let mut found = false;
    while prefix.len() < LIMIT {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let room = LIMIT - prefix.len();
        match buf.iter().take(room).position(|&b| b == b'=') {
            Some(at) => {
                prefix.extend_from_slice(&buf[..at]);
                r.consume(at + 1);
                found = true;
                break;
            }
            None => {
                let n = buf.len().min(room);
                prefix.extend_from_slice(&buf[..n]);
                r.consume(n);
            }
        }
    }
    let expected = format!("expected `window.YTD.{name}.part0 = [...]` (the file from the archive's data folder, unchanged)");
    let text = std::str::from_utf8(&prefix).ok();
    let ok = found
        && text.is_some_and(|t| {
            let t = t.trim_start_matches('\u{feff}').trim();
            t.strip_prefix("window.YTD.").and_then(|rest| rest.split_once(".part")).is_some_and(|(var, n)| {
                !var.is_empty() && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
            })
        });
    if ok {
        return Ok(());
    }
    let found = match text {
        _ if prefix.is_empty() => "an empty file".to_string(),
        Some(t) if !t.contains('\0') => describe_text(t),
        _ => format!("binary data {}", describe_bytes(&prefix)),
    };
    Err(FileError::Message(format!("{expected}, found {found}")))
}

fn not_a_list(items: Option<u64>) -> Result<u64, FileError> {
    items.ok_or_else(|| FileError::Message("expected a list `[...]` after `=`, found an object".into()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AccountItem {
    account: Obj<Account>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Account {
    username: Str,
}

pub fn account(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    wrapper(r, "account")?;
    let mut username = None;
    let mut each = |item: Result<AccountItem, String>, _n: u64| {
        if let Some(u) = item.ok().and_then(|mut i| i.account.0.take()).and_then(|mut a| a.username.take()) {
            username.get_or_insert(u);
        }
        Ok(())
    };
    not_a_list(stream(&mut *r, &[], &mut each).map_err(|e| stream_error(e, "items"))?)?;
    if let Some(u) = username {
        ctx.account(Platform::X, format!("@{}", u.trim_start_matches('@')));
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileItem {
    profile: Obj<Profile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Profile {
    description: Obj<Description>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Description {
    bio: Str,
    location: Str,
}

pub fn profile(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    wrapper(r, "profile")?;
    let mut bios = Vec::new();
    let mut each = |item: Result<ProfileItem, String>, _n: u64| {
        if let Some(mut d) = item.ok().and_then(|mut i| i.profile.0.take()).and_then(|mut p| p.description.0.take()) {
            bios.push((d.bio.take(), d.location.take()));
        }
        Ok(())
    };
    not_a_list(stream(&mut *r, &[], &mut each).map_err(|e| stream_error(e, "items"))?)?;
    for (bio, location) in bios {
        if let Some(bio) = bio {
            ctx.bio(Platform::X, "bio", decode_entities(&bio));
        }
        if let Some(location) = location {
            ctx.bio(Platform::X, "location", decode_entities(&location));
        }
    }
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tweet {
    /// Current archives wrap each tweet: `{"tweet": {…}}`; old ones do not.
    tweet: Obj<Box<Tweet>>,
    id_str: Str,
    id: Str,
    full_text: Str,
    text: Str,
    created_at: Str,
    in_reply_to_status_id_str: Str,
}

pub fn tweets(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    wrapper(r, "tweets")?;
    let user = ctx.account_name(Platform::X).map(|a| a.trim_start_matches('@').to_string());
    let file = ctx.file.clone();
    let mut each = |item: Result<Tweet, String>, n: u64| {
        let place = || format!("item {}", n + 1);
        let mut t = match item {
            Ok(t) => t,
            Err(why) => {
                ctx.fail(place(), why);
                return Ok(());
            }
        };
        if let Some(inner) = t.tweet.0.take() {
            t = *inner;
        }
        let id = t.id_str.take().or_else(|| t.id.take()).filter(|s| !s.is_empty());
        let Some(text) = t.full_text.take().or_else(|| t.text.take()) else {
            ctx.fail(id.unwrap_or_else(place), "no `full_text`");
            return Ok(());
        };
        let date = t.created_at.get().and_then(Timestamp::parse_twitter);
        let url = id.as_ref().filter(|id| id.bytes().all(|b| b.is_ascii_digit())).map(|id| match &user {
            Some(u) if u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => format!("https://x.com/{u}/status/{id}"),
            _ => format!("https://x.com/i/web/status/{id}"),
        });
        let kind = if text.starts_with("RT @") {
            PostKind::Repost
        } else if t.in_reply_to_status_id_str.get().is_some_and(|s| !s.is_empty()) {
            PostKind::Reply
        } else {
            PostKind::Post
        };
        let post = Post {
            platform: Platform::X,
            kind,
            id: id.unwrap_or_else(|| format!("{} #{}", base_name(&file), n + 1)),
            date,
            url,
            file: file.clone(),
            // The archive escapes &, < and > as HTML does.
            text: if text.contains('&') { decode_entities(&text) } else { text },
        };
        ctx.post(post).map_err(|_| ())
    };
    not_a_list(stream(&mut *r, &[], &mut each).map_err(|e| stream_error(e, "posts"))?)?;
    Ok(())
}
