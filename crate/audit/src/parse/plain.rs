//! Files of posts: JSON Lines (`{"id": …, "text": "…", "date"?: "…", "url"?: "…"}` per
//! line) and plain text (posts separated by blank lines; a file without any blank line is
//! one post per line).

use std::io::{BufRead, Read};

use serde::Deserialize;

use super::{web_link, FileError, Reader};
use crate::audit::Ctx;
use crate::json::Str;
use crate::model::{Platform, Post, PostKind};
use crate::time::Timestamp;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Line {
    id: Str,
    text: Str,
    date: Str,
    url: Str,
}

fn date(s: &str) -> Option<Timestamp> {
    Timestamp::parse_iso(s).or_else(|| {
        // Seconds (or milliseconds) since 1970.
        let n: i64 = s.trim().parse().ok()?;
        Some(Timestamp(if n > 100_000_000_000 { n / 1000 } else { n }))
    })
}

pub fn json_lines(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let file = ctx.file.clone();
    let mut buf = Vec::new();
    let mut number = 0u64;
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        number += 1;
        let place = format!("line {number}");
        let Ok(line) = std::str::from_utf8(&buf) else {
            ctx.fail(place, "not UTF-8 text");
            continue;
        };
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let parsed: Line = match serde_json::from_str::<crate::json::Obj<Line>>(line) {
            Ok(crate::json::Obj(Some(l))) => l,
            Ok(_) => {
                ctx.fail(place, "expected a JSON object {\"id\", \"text\"}");
                continue;
            }
            Err(e) => {
                ctx.fail(place, format!("not JSON: {e}"));
                continue;
            }
        };
        let mut parsed = parsed;
        let Some(text) = parsed.text.take() else {
            ctx.fail(parsed.id.take().unwrap_or(place), "no \"text\"");
            continue;
        };
        let post = Post {
            platform: Platform::Text,
            kind: PostKind::Post,
            id: parsed.id.take().unwrap_or(place),
            date: parsed.date.get().and_then(date),
            url: web_link(parsed.url.take()),
            file: file.clone(),
            text,
        };
        ctx.post(post)?;
    }
}

pub fn text(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes)?;
    let Ok(all) = String::from_utf8(bytes) else {
        return Err(FileError::Message("expected UTF-8 text, found other bytes (save the file as UTF-8)".into()));
    };
    let all = all.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let lines: Vec<&str> = all.trim_end().split('\n').collect();
    let paragraphs = lines.iter().any(|l| l.trim().is_empty()) && lines.iter().filter(|l| !l.trim().is_empty()).count() > 0;
    let file = ctx.file.clone();
    let mut start: Option<usize> = None;
    let emit = |ctx: &mut Ctx, from: usize, to: usize| -> Result<(), FileError> {
        let text = lines[from..to].join("\n").trim().to_string();
        if text.is_empty() {
            return Ok(());
        }
        let post = Post { platform: Platform::Text, kind: PostKind::Post, id: format!("line {}", from + 1), date: None, url: None, file: file.clone(), text };
        ctx.post(post).map_err(FileError::from)
    };
    for (i, line) in lines.iter().enumerate() {
        if !paragraphs {
            emit(ctx, i, i + 1)?;
            continue;
        }
        match (line.trim().is_empty(), start) {
            (true, Some(s)) => {
                emit(ctx, s, i)?;
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        emit(ctx, s, lines.len())?;
    }
    Ok(())
}
