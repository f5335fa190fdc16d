//! Mastodon archive: `outbox.json`, an ActivityPub `OrderedCollection` whose
//! `orderedItems` are `Create` activities with a `Note` as `object` (`content` HTML,
//! `summary` the content warning, `published`, `url`, `inReplyTo`); `Announce` (boosts)
//! are skipped. `actor.json`: `preferredUsername`, `summary` (the bio, HTML), `url`, and
//! the profile fields `attachment[]` (`name`, `value`).

use serde::Deserialize;

use super::{stream_error, web_link, FileError, Reader};
use crate::audit::Ctx;
use crate::json::{stream, List, Obj, Str};
use crate::model::{Platform, Post, PostKind};
use crate::text::html_to_text;
use crate::time::Timestamp;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Activity {
    #[serde(rename = "type")]
    kind: Str,
    id: Str,
    published: Str,
    object: Obj<Note>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Note {
    id: Str,
    content: Str,
    summary: Str,
    published: Str,
    url: Str,
    in_reply_to: Str,
}

pub fn outbox(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let mut each = |item: Result<Activity, String>, n: u64| {
        let place = format!("item {}", n + 1);
        let mut a = match item {
            Ok(a) => a,
            Err(why) => {
                ctx.fail(place, why);
                return Ok(());
            }
        };
        match a.kind.get() {
            Some("Create") => {}
            Some(_) => {
                ctx.skip();
                return Ok(());
            }
            None => {
                ctx.fail(a.id.take().unwrap_or(place), "no `type`");
                return Ok(());
            }
        }
        let Some(mut note) = a.object.0.take() else {
            ctx.fail(a.id.take().unwrap_or(place), "a `Create` without an `object`");
            return Ok(());
        };
        let id = note.id.take().or_else(|| a.id.take()).unwrap_or(place);
        let Some(content) = note.content.take() else {
            ctx.fail(id, "no `content`");
            return Ok(());
        };
        let mut text = html_to_text(&content);
        if let Some(cw) = note.summary.take().map(|s| html_to_text(&s)).filter(|s| !s.is_empty()) {
            text = format!("{cw}\n\n{text}");
        }
        if text.trim().is_empty() {
            ctx.skip();
            return Ok(());
        }
        let date = note.published.get().or(a.published.get()).and_then(Timestamp::parse_iso);
        let url = web_link(note.url.take()).or_else(|| web_link(Some(id.clone())));
        let kind = if note.in_reply_to.get().is_some() { PostKind::Reply } else { PostKind::Post };
        let file = ctx.file.clone();
        ctx.post(Post { platform: Platform::Mastodon, kind, id, date, url, file, text }).map_err(|_| ())
    };
    match stream(&mut *r, &["orderedItems"], &mut each).map_err(|e| stream_error(e, "posts"))? {
        Some(_) => Ok(()),
        None => Err(FileError::Message("expected an ActivityPub collection with \"orderedItems\", found an object without it".into())),
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Actor {
    preferred_username: Str,
    name: Str,
    summary: Str,
    url: Str,
    attachment: List<Obj<Field>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Field {
    name: Str,
    value: Str,
}

pub fn actor(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let mut de = serde_json::Deserializer::from_reader(&mut *r);
    let actor: Obj<Actor> = Deserialize::deserialize(&mut de).map_err(|e| FileError::Message(format!("expected the actor JSON object: {e}")))?;
    let Some(mut actor) = actor.0 else {
        return Err(FileError::Message("expected the actor JSON object, found another JSON value".into()));
    };
    if let Some(user) = actor.preferred_username.take() {
        let host = actor.url.get().and_then(|u| u.split("://").nth(1)).and_then(|r| r.split('/').next()).map(str::to_string);
        ctx.account(
            Platform::Mastodon,
            match host {
                Some(h) => format!("@{user}@{h}"),
                None => format!("@{user}"),
            },
        );
    }
    if let Some(name) = actor.name.take() {
        ctx.bio(Platform::Mastodon, "display name", name);
    }
    if let Some(summary) = actor.summary.take() {
        ctx.bio(Platform::Mastodon, "bio", html_to_text(&summary));
    }
    for f in actor.attachment.0.iter_mut().filter_map(|f| f.0.as_mut()) {
        let name = f.name.take().unwrap_or_default();
        if let Some(value) = f.value.take() {
            ctx.bio(Platform::Mastodon, &format!("profile field \"{name}\""), format!("{name}: {}", html_to_text(&value)));
        }
    }
    Ok(())
}
