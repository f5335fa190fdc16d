//! Facebook "Download your information" (JSON): `your_posts_1.json` (also `your_posts.json`
//! and `your_posts__check_ins__photos_and_videos_1.json`), a list of
//! `{"timestamp": 1600000000, "data": [{"post": "…"}], "title": "…"}`; and
//! `comments_and_reactions/comments.json`, `{"comments_v2": [{"timestamp", "data":
//! [{"comment": {"comment": "…"}}]}]}`. Strings are mis-encoded UTF-8 and are repaired.

use serde::Deserialize;

use super::{base_name, stream_error, FileError, Reader};
use crate::audit::Ctx;
use crate::json::{stream, List, Obj, Str};
use crate::model::{Platform, Post, PostKind};
use crate::text::repair_mojibake;
use crate::time::Timestamp;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Item {
    timestamp: Str,
    data: List<Obj<Data>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Data {
    post: Str,
    comment: Obj<Comment>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Comment {
    comment: Str,
    timestamp: Str,
}

fn read(r: &mut Reader, ctx: &mut Ctx, keys: &[&str], kind: PostKind) -> Result<(), FileError> {
    let file = ctx.file.clone();
    let what = if kind == PostKind::Comment { "comments" } else { "posts" };
    let mut each = |item: Result<Item, String>, n: u64| {
        let id = format!("{} #{}", base_name(&file), n + 1);
        let mut item = match item {
            Ok(item) => item,
            Err(why) => {
                ctx.fail(id, why);
                return Ok(());
            }
        };
        let mut parts = Vec::new();
        let mut stamp = item.timestamp.take();
        for d in item.data.0.iter_mut().filter_map(|d| d.0.as_mut()) {
            if let Some(p) = d.post.take() {
                parts.push(p);
            }
            if let Some(c) = d.comment.0.as_mut() {
                if let Some(t) = c.comment.take() {
                    parts.push(t);
                }
                if stamp.is_none() {
                    stamp = c.timestamp.take();
                }
            }
        }
        let text = repair_mojibake(parts.join("\n\n"));
        if text.trim().is_empty() {
            // A photo, check-in or share without words of the author's own.
            ctx.skip();
            return Ok(());
        }
        let date = stamp.and_then(|s| s.parse::<f64>().ok()).filter(|s| s.is_finite() && *s > 0.0).map(|s| Timestamp(s as i64));
        let post = Post { platform: Platform::Facebook, kind, id, date, url: None, file: file.clone(), text };
        ctx.post(post).map_err(|_| ())
    };
    match stream(&mut *r, keys, &mut each).map_err(|e| stream_error(e, what))? {
        Some(_) => Ok(()),
        None => Err(FileError::Message(format!(
            "expected a list of {what} (or an object with {}), found an object without it",
            keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(" or ")
        ))),
    }
}

pub fn posts(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    read(r, ctx, &["status_updates_v2", "status_updates", "posts_v2", "posts"], PostKind::Post)
}

pub fn comments(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    read(r, ctx, &["comments_v2", "comments"], PostKind::Comment)
}
