//! Bluesky repository export (`repo.car`, from Settings → Export my data): a CAR v1 file
//! of DAG-CBOR blocks. The header's root is the signed commit (`did`, `data`: the MST
//! root); MST nodes (`{"l", "e": [{"p", "k", "v", "t"}]}`) map record keys
//! (`app.bsky.feed.post/<rkey>`) to record CIDs; records are `app.bsky.feed.post`
//! (`text`, `createdAt`, `reply`) and `app.bsky.actor.profile` (`displayName`,
//! `description`).
//!
//! The file is read whole (repositories are a few MB; media blobs are not in it). Records
//! are found by CID through the MST nodes, so each post gets its link
//! `https://bsky.app/profile/<did>/post/<rkey>`.

use std::collections::HashMap;
use std::io::Read;

use super::{FileError, Reader};
use crate::audit::Ctx;
use crate::model::{Platform, Post, PostKind};
use crate::time::Timestamp;

/// A decoded DAG-CBOR value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(String, Cbor)>),
    /// A CID (tag 42), without the leading 0x00.
    Link(Vec<u8>),
    Bool(bool),
    Null,
    Float(f64),
}

impl Cbor {
    pub fn get(&self, key: &str) -> Option<&Cbor> {
        match self {
            Cbor::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn text(&self) -> Option<&str> {
        match self {
            Cbor::Text(t) => Some(t),
            _ => None,
        }
    }
}

const MAX_DEPTH: u32 = 64;

struct Decoder<'a> {
    data: &'a [u8],
    at: usize,
}

impl Decoder<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.data.get(self.at).ok_or("ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&[u8], String> {
        let n = usize::try_from(n).map_err(|_| "length too large")?;
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len()).ok_or("ends early")?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn argument(&mut self, info: u8) -> Result<u64, String> {
        Ok(match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.byte()?),
            25 => u64::from(u16::from_be_bytes(self.take(2)?.try_into().unwrap())),
            26 => u64::from(u32::from_be_bytes(self.take(4)?.try_into().unwrap())),
            27 => u64::from_be_bytes(self.take(8)?.try_into().unwrap()),
            _ => return Err(format!("unsupported length encoding {info}")),
        })
    }

    fn value(&mut self, depth: u32) -> Result<Cbor, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        if major == 7 {
            return Ok(match info {
                20 => Cbor::Bool(false),
                21 => Cbor::Bool(true),
                22 | 23 => Cbor::Null,
                25 => Cbor::Float(f64::from(half(u16::from_be_bytes(self.take(2)?.try_into().unwrap())))),
                26 => Cbor::Float(f64::from(f32::from_be_bytes(self.take(4)?.try_into().unwrap()))),
                27 => Cbor::Float(f64::from_be_bytes(self.take(8)?.try_into().unwrap())),
                _ => return Err(format!("unsupported simple value {info}")),
            });
        }
        let arg = self.argument(info)?;
        Ok(match major {
            0 => Cbor::Int(i128::from(arg)),
            1 => Cbor::Int(-1 - i128::from(arg)),
            2 => Cbor::Bytes(self.take(arg)?.to_vec()),
            3 => Cbor::Text(std::str::from_utf8(self.take(arg)?).map_err(|_| "text is not UTF-8")?.to_string()),
            4 => {
                // Each item takes at least a byte: a bound on hostile lengths.
                if arg > (self.data.len() - self.at) as u64 {
                    return Err("ends early".into());
                }
                let mut items = Vec::with_capacity(arg as usize);
                for _ in 0..arg {
                    items.push(self.value(depth + 1)?);
                }
                Cbor::Array(items)
            }
            5 => {
                if arg > (self.data.len() - self.at) as u64 {
                    return Err("ends early".into());
                }
                let mut entries = Vec::with_capacity(arg as usize);
                for _ in 0..arg {
                    let key = match self.value(depth + 1)? {
                        Cbor::Text(k) => k,
                        _ => return Err("a map key that is not text".into()),
                    };
                    entries.push((key, self.value(depth + 1)?));
                }
                Cbor::Map(entries)
            }
            6 => {
                let inner = self.value(depth + 1)?;
                match (arg, inner) {
                    (42, Cbor::Bytes(b)) if b.first() == Some(&0) => Cbor::Link(b[1..].to_vec()),
                    (42, _) => return Err("a malformed CID link".into()),
                    (_, v) => v,
                }
            }
            _ => unreachable!(),
        })
    }
}

/// IEEE half precision to single.
fn half(h: u16) -> f32 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let frac = f32::from(h & 0x3ff);
    sign * match exp {
        0 => frac * 2f32.powi(-24),
        31 => {
            if frac == 0.0 {
                f32::INFINITY
            } else {
                f32::NAN
            }
        }
        e => (1.0 + frac / 1024.0) * 2f32.powi(e - 15),
    }
}

/// Decodes one DAG-CBOR value that fills `data`.
pub fn decode(data: &[u8]) -> Result<Cbor, String> {
    let mut d = Decoder { data, at: 0 };
    let v = d.value(0)?;
    if d.at != data.len() {
        return Err("trailing bytes".into());
    }
    Ok(v)
}

fn varint(data: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*at).ok_or("ends early")?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a varint that is too long".into())
}

/// The length of the CID at the start of `data` (CIDv1: version, codec, multihash).
fn cid_len(data: &[u8]) -> Result<usize, String> {
    if data.len() >= 34 && data[0] == 0x12 && data[1] == 0x20 {
        return Ok(34); // CIDv0: a bare sha2-256 multihash.
    }
    let mut at = 0;
    if varint(data, &mut at)? != 1 {
        return Err("a CID that is not version 1".into());
    }
    varint(data, &mut at)?; // codec
    varint(data, &mut at)?; // hash function
    let len = varint(data, &mut at)?;
    let end = at.checked_add(usize::try_from(len).map_err(|_| "bad CID")?).ok_or("bad CID")?;
    if end > data.len() {
        return Err("ends early".into());
    }
    Ok(end)
}

/// A CAR v1 file: the root CIDs and the blocks by CID.
pub struct Car {
    pub roots: Vec<Vec<u8>>,
    pub blocks: Vec<(Vec<u8>, std::ops::Range<usize>)>,
}

pub fn read_car(data: &[u8]) -> Result<Car, String> {
    let mut at = 0;
    let header_len = varint(data, &mut at).map_err(|e| format!("not a CAR file (header: {e})"))? as usize;
    let header_end = at.checked_add(header_len).filter(|&e| e <= data.len()).ok_or("not a CAR file (the header is cut)")?;
    let header = decode(&data[at..header_end]).map_err(|e| format!("not a CAR file (header: {e})"))?;
    if header.get("version") != Some(&Cbor::Int(1)) {
        return Err("not a CAR v1 file (expected a header with \"version\": 1)".into());
    }
    let roots = match header.get("roots") {
        Some(Cbor::Array(r)) => r.iter().filter_map(|c| if let Cbor::Link(b) = c { Some(b.clone()) } else { None }).collect(),
        _ => return Err("not a CAR file (the header has no \"roots\")".into()),
    };
    at = header_end;
    let mut blocks = Vec::new();
    while at < data.len() {
        let len = varint(data, &mut at).map_err(|e| format!("block {}: {e}", blocks.len() + 1))? as usize;
        let end = at.checked_add(len).filter(|&e| e <= data.len()).ok_or_else(|| format!("the file ends inside block {} (truncated?)", blocks.len() + 1))?;
        let cid = cid_len(&data[at..end]).map_err(|e| format!("block {}: {e}", blocks.len() + 1))?;
        blocks.push((data[at..at + cid].to_vec(), at + cid..end));
        at = end;
    }
    Ok(Car { roots, blocks })
}

pub fn repo(r: &mut Reader, ctx: &mut Ctx) -> Result<(), FileError> {
    let mut data = Vec::new();
    r.read_to_end(&mut data)?;
    let car = read_car(&data).map_err(|e| FileError::Message(format!("expected a Bluesky repository export (CAR v1): {e}")))?;
    let index: HashMap<&[u8], std::ops::Range<usize>> = car.blocks.iter().map(|(c, r)| (c.as_slice(), r.clone())).collect();
    let block = |cid: &[u8]| index.get(cid).and_then(|r| decode(&data[r.clone()]).ok());

    let commit = car.roots.first().and_then(|c| block(c));
    let did = commit.as_ref().and_then(|c| c.get("did")).and_then(Cbor::text).map(str::to_string);
    if let Some(did) = &did {
        ctx.account(Platform::Bluesky, did.clone());
    }
    // Record keys from every MST node: keys are prefix-compressed within a node.
    let mut keys: HashMap<Vec<u8>, String> = HashMap::new();
    let mut records = Vec::new();
    for (cid, range) in &car.blocks {
        let Ok(value) = decode(&data[range.clone()]) else {
            continue; // Not DAG-CBOR (or not ours): skipped.
        };
        if let (Some(Cbor::Array(entries)), true) = (value.get("e"), value.get("l").is_some()) {
            let mut last: Vec<u8> = Vec::new();
            for e in entries {
                let (Some(Cbor::Int(p)), Some(Cbor::Bytes(k)), Some(Cbor::Link(v))) = (e.get("p"), e.get("k"), e.get("v")) else { continue };
                let p = (*p).clamp(0, last.len() as i128) as usize;
                last.truncate(p);
                last.extend_from_slice(k);
                keys.insert(v.clone(), String::from_utf8_lossy(&last).into_owned());
            }
        } else if let Some(kind) = value.get("$type").and_then(Cbor::text) {
            if kind == "app.bsky.feed.post" || kind == "app.bsky.actor.profile" {
                records.push((cid.clone(), value));
            }
        }
    }
    let file = ctx.file.clone();
    for (cid, record) in records {
        let key = keys.get(&cid);
        if record.get("$type").and_then(Cbor::text) == Some("app.bsky.actor.profile") {
            if let Some(name) = record.get("displayName").and_then(Cbor::text) {
                ctx.bio(Platform::Bluesky, "display name", name.to_string());
            }
            if let Some(bio) = record.get("description").and_then(Cbor::text) {
                ctx.bio(Platform::Bluesky, "bio", bio.to_string());
            }
            continue;
        }
        let rkey = key.and_then(|k| k.strip_prefix("app.bsky.feed.post/")).map(str::to_string);
        let id = rkey.clone().unwrap_or_else(|| format!("record {}", cid_hex(&cid)));
        let Some(text) = record.get("text").and_then(Cbor::text) else {
            ctx.fail(id, "a post without `text`");
            continue;
        };
        if text.trim().is_empty() {
            ctx.skip();
            continue;
        }
        let url = match (&did, &rkey) {
            (Some(did), Some(rkey))
                if rkey.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~:".contains(&b))
                    && did.starts_with("did:")
                    && did.bytes().all(|b| b.is_ascii_alphanumeric() || b":.-_%".contains(&b)) =>
            {
                Some(format!("https://bsky.app/profile/{did}/post/{rkey}"))
            }
            _ => None,
        };
        let kind = if record.get("reply").is_some() { PostKind::Reply } else { PostKind::Post };
        let date = record.get("createdAt").and_then(Cbor::text).and_then(Timestamp::parse_iso);
        ctx.post(Post { platform: Platform::Bluesky, kind, id, date, url, file: file.clone(), text: text.to_string() })?;
    }
    Ok(())
}

fn cid_hex(cid: &[u8]) -> String {
    cid.iter().rev().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_dag_cbor() {
        // {"a": [1, -2, "x", h'01', true, null], "b": 42(h'00 01 71')}
        let bytes = [0xa2, 0x61, b'a', 0x86, 0x01, 0x21, 0x61, b'x', 0x41, 0x01, 0xf5, 0xf6, 0x61, b'b', 0xd8, 0x2a, 0x43, 0x00, 0x01, 0x71];
        let v = decode(&bytes).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Cbor::Array(vec![Cbor::Int(1), Cbor::Int(-2), Cbor::Text("x".into()), Cbor::Bytes(vec![1]), Cbor::Bool(true), Cbor::Null]))
        );
        assert_eq!(v.get("b"), Some(&Cbor::Link(vec![0x01, 0x71])));
        assert!(decode(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err(), "hostile lengths");
        assert!(decode(&[0x81; 200]).is_err(), "deep nesting");
        assert_eq!(half(0x3c00), 1.0);
    }
}
