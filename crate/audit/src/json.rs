//! Streaming JSON: the items of a big array are handed over one at a time as they are
//! parsed, so memory holds one post, not the file. Item types are built from lenient
//! fields ([`Str`], [`Obj`], [`List`]) that accept a value of any type, so one odd item
//! is that item's failure, not the file's.

use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A string or number field (numbers as their decimal text); `None` for anything else.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Str(pub Option<String>);

impl Str {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
    pub fn take(&mut self) -> Option<String> {
        self.0.take()
    }
}

/// An object field parsed as `T`; `None` when the value is not an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Obj<T>(pub Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

/// A list field; empty when the value is not a list.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T>(pub Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

struct StrVisitor;

macro_rules! ignore_compound {
    () => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

macro_rules! nothing_for_scalars {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Str, E> {
        Ok(Str(Some(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Str, E> {
        Ok(Str(Some(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Str, E> {
        Ok(Str(Some(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Str, E> {
        Ok(Str(Some(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Str, E> {
        Ok(Str(Some(v.to_string())))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Str, E> {
        Ok(Str(None))
    }
    fn visit_unit<E>(self) -> Result<Str, E> {
        Ok(Str(None))
    }
    fn visit_none<E>(self) -> Result<Str, E> {
        Ok(Str(None))
    }
    ignore_compound!();
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
        d.deserialize_any(StrVisitor)
    }
}

struct ObjVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Obj(None))
    }
    nothing_for_scalars!();
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        d.deserialize_any(ObjVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = List<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(List(Vec::new()))
    }
    nothing_for_scalars!();
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

/// How a streamed file ended.
#[derive(Debug)]
pub enum StreamError {
    /// The item callback asked to stop (the audit was cancelled).
    Stopped,
    /// The file could not be read (damaged compressed data, checksum mismatch).
    Io { items: u64, detail: String },
    /// The file is longer than the audit reads of one file.
    TooLarge { items: u64, detail: String },
    /// The JSON ended early: a truncated file.
    Truncated { items: u64, detail: String },
    /// Not JSON, or not the expected shape.
    Invalid { items: u64, detail: String },
}

/// What the callback is given for each item: the item, or why it could not be read (not
/// an object, broken JSON inside it), and its 0-based position. `Err(())` stops.
pub type Each<'f, T> = dyn FnMut(Result<T, String>, u64) -> Result<(), ()> + 'f;

/// Bytes that matter outside strings: quotes, brackets, commas.
static STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b',' as usize] = true;
    t
};

/// Bytes that matter inside strings.
static IN_STRING: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Splits a JSON document read from a buffered reader into values, tracking only
/// strings and nesting: one item's bytes are held at a time, and each is then parsed
/// from memory (serde_json parses in-memory text several times faster than readers).
struct Splitter<'r, R: BufRead> {
    r: &'r mut R,
    item: Vec<u8>,
    items: u64,
}

impl<R: BufRead> Splitter<'_, R> {
    fn truncated(&self, what: &str) -> StreamError {
        StreamError::Truncated { items: self.items, detail: format!("the file ends inside {what}") }
    }

    fn invalid(&self, detail: String) -> StreamError {
        StreamError::Invalid { items: self.items, detail }
    }

    fn io(&self, e: std::io::Error) -> StreamError {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            return StreamError::TooLarge { items: self.items, detail: e.to_string() };
        }
        StreamError::Io { items: self.items, detail: e.to_string() }
    }

    /// The next byte that is not JSON whitespace, consumed; `None` at the end.
    fn next_token(&mut self) -> Result<Option<u8>, StreamError> {
        loop {
            let buf = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io(e)),
            };
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                Some(i) => {
                    let b = buf[i];
                    self.r.consume(i + 1);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.r.consume(n);
                }
            }
        }
    }

    /// Reads one value into `self.item` (if `keep`) up to the next `,`, `]` or `}` at
    /// its own level, which is consumed and returned.
    fn value(&mut self, keep: bool, what: &str) -> Result<u8, StreamError> {
        self.item.clear();
        let (mut depth, mut in_string, mut escape) = (0u32, false, false);
        loop {
            let buf = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io(e)),
            };
            if buf.is_empty() {
                return Err(self.truncated(what));
            }
            let mut end = None;
            let mut i = 0;
            let n = buf.len();
            while i < n {
                if in_string {
                    if escape {
                        escape = false;
                        i += 1;
                    }
                    while i < n && !IN_STRING[buf[i] as usize] {
                        i += 1;
                    }
                    if i == n {
                        break;
                    }
                    if buf[i] == b'\\' {
                        escape = true;
                    } else {
                        in_string = false;
                    }
                    i += 1;
                    continue;
                }
                while i < n && !STRUCTURAL[buf[i] as usize] {
                    i += 1;
                }
                if i == n {
                    break;
                }
                let at = i;
                i += 1;
                match buf[at] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => {
                        end = Some(at);
                        break;
                    }
                    b'}' | b']' => depth -= 1,
                    _ if depth == 0 => {
                        end = Some(at);
                        break;
                    }
                    _ => {}
                }
            }
            match end {
                Some(i) => {
                    let terminator = buf[i];
                    if keep {
                        self.item.extend_from_slice(&buf[..i]);
                    }
                    self.r.consume(i + 1);
                    return Ok(terminator);
                }
                None => {
                    let n = buf.len();
                    if keep {
                        self.item.extend_from_slice(buf);
                    }
                    self.r.consume(n);
                }
            }
        }
    }

    /// After a `[`: each item to `each`.
    fn array<T: for<'de> Deserialize<'de>>(&mut self, each: &mut Each<'_, T>) -> Result<(), StreamError> {
        loop {
            let terminator = self.value(true, "a list item")?;
            let bytes = self.item.trim_ascii();
            if bytes.is_empty() {
                if terminator == b']' && self.items == 0 {
                    return Ok(());
                }
                return Err(self.invalid(format!("an empty list item after item {}", self.items)));
            }
            // One UTF-8 check for the whole item is cheaper than serde_json's per string.
            let item = match std::str::from_utf8(bytes).map(serde_json::from_str::<Obj<T>>) {
                Ok(Ok(Obj(Some(t)))) => Ok(t),
                Ok(Ok(Obj(None))) => Err("not a JSON object".to_string()),
                Ok(Err(e)) => Err(format!("broken JSON: {e}")),
                Err(_) => Err("not UTF-8 text".to_string()),
            };
            let n = self.items;
            self.items += 1;
            if each(item, n).is_err() {
                return Err(StreamError::Stopped);
            }
            match terminator {
                b',' => {}
                b']' => return Ok(()),
                _ => return Err(self.invalid(format!("`}}` closes the list after item {}", self.items))),
            }
        }
    }
}

/// Streams the items of the JSON array that `reader` holds (or of the array under one of
/// `keys` of a top-level object) to `each`. Content after the value is not read, so a
/// JavaScript wrapper's trailing `;` is fine. Returns the number of items; `Ok(None)`
/// if the value was an object without any of `keys`.
///
/// Only nesting and strings are checked between items; each item is parsed in full, and
/// a broken item is that item's failure.
pub fn stream<T, R>(reader: &mut R, keys: &[&str], each: &mut Each<'_, T>) -> Result<Option<u64>, StreamError>
where
    T: for<'de> Deserialize<'de>,
    R: BufRead,
{
    let mut sp = Splitter { r: reader, item: Vec::with_capacity(4096), items: 0 };
    // A byte-order mark.
    let bom = match sp.r.fill_buf() {
        Ok(buf) => buf.starts_with(b"\xef\xbb\xbf"),
        Err(e) => return Err(StreamError::Io { items: 0, detail: e.to_string() }),
    };
    if bom {
        sp.r.consume(3);
    }
    match sp.next_token()? {
        Some(b'[') => {
            sp.array(each)?;
            Ok(Some(sp.items))
        }
        Some(b'{') => {
            let mut found = false;
            loop {
                match sp.next_token()? {
                    Some(b'"') => {}
                    Some(b'}') => break,
                    Some(b) => return Err(sp.invalid(format!("expected a key, found `{}`", b as char))),
                    None => return Err(sp.truncated("an object")),
                }
                // The key: read to the closing quote (keys here have no escapes that matter).
                let mut key = Vec::new();
                let mut escape = false;
                loop {
                    let mut byte = [0u8];
                    match sp.r.read(&mut byte) {
                        Ok(0) => return Err(sp.truncated("a key")),
                        Ok(_) => {}
                        Err(e) => return Err(sp.io(e)),
                    }
                    match byte[0] {
                        b'"' if !escape => break,
                        b'\\' if !escape => escape = true,
                        b => {
                            escape = false;
                            key.push(b);
                        }
                    }
                }
                if sp.next_token()? != Some(b':') {
                    return Err(sp.invalid("expected `:` after a key".into()));
                }
                let wanted = !found && keys.iter().any(|k| k.as_bytes() == key.as_slice());
                let terminator = if wanted {
                    match sp.next_token()? {
                        Some(b'[') => {}
                        Some(_) => return Err(sp.invalid(format!("expected a list under \"{}\"", String::from_utf8_lossy(&key)))),
                        None => return Err(sp.truncated("an object")),
                    }
                    found = true;
                    sp.array(each)?;
                    match sp.next_token()? {
                        Some(b) => b,
                        None => return Err(sp.truncated("an object")),
                    }
                } else {
                    sp.value(false, "an object")?
                };
                match terminator {
                    b',' => {}
                    b'}' => break,
                    b => return Err(sp.invalid(format!("expected `,` or `}}` in an object, found `{}`", b as char))),
                }
            }
            Ok(found.then_some(sp.items))
        }
        Some(b) => {
            let mut start = vec![b];
            let _ = sp.r.fill_buf().map(|buf| start.extend(buf.iter().take(30)));
            Err(sp.invalid(format!("expected a list `[...]`, found `{}`", String::from_utf8_lossy(&start).trim())))
        }
        None => Err(sp.truncated("an empty file")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Item {
        text: Str,
        inner: Obj<Inner>,
        tags: List<Str>,
    }

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Inner {
        n: Str,
    }

    fn run(json: &str, keys: &[&str]) -> (Result<Option<u64>, StreamError>, Vec<Option<Item>>) {
        let mut got = Vec::new();
        let mut each = |item: Result<Item, String>, _n: u64| {
            got.push(item.ok());
            Ok(())
        };
        let r = stream(&mut std::io::BufReader::with_capacity(7, json.as_bytes()), keys, &mut each);
        (r, got)
    }

    #[test]
    fn lenient_items() {
        let (r, got) = run(r#"[{"text": "a", "inner": {"n": 3}, "tags": ["x", 1, null]}, 7, {"text": {"no": 1}, "inner": "no", "extra": [1,2]}]"#, &[]);
        assert_eq!(r.unwrap(), Some(3));
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.text.get(), Some("a"));
        assert_eq!(first.inner.0.as_ref().unwrap().n.get(), Some("3"));
        assert_eq!(first.tags.0.len(), 3);
        assert!(got[1].is_none());
        assert_eq!(got[2].as_ref().unwrap().text.get(), None);
    }

    #[test]
    fn array_under_key_and_errors() {
        let (r, got) = run(r#"{"meta": {"a": [1]}, "orderedItems": [{"text": "b"}], "after": 1}"#, &["orderedItems"]);
        assert_eq!(r.unwrap(), Some(1));
        assert_eq!(got.len(), 1);
        assert_eq!(run(r#"{"other": []}"#, &["orderedItems"]).0.unwrap(), None);
        assert!(matches!(run(r#"[{"text": "a"}, {"text": "b"#, &[]).0, Err(StreamError::Truncated { items: 1, .. })));
        // A broken item is that item's failure; the rest are read.
        let (r, got) = run(r#"[{"text": "a" "b"}, {"text": "c, [still a string]"}]"#, &[]);
        assert_eq!(r.unwrap(), Some(2));
        assert!(got[0].is_none());
        assert_eq!(got[1].as_ref().unwrap().text.get(), Some("c, [still a string]"));
        assert!(matches!(run(r#"42"#, &[]).0, Err(StreamError::Invalid { .. })));
        assert!(matches!(run(r#"{"a": "\"}", "orderedItems": [{"text": "x\"],"}]}"#, &["orderedItems"]).0, Ok(Some(1))));
        assert!(matches!(run("", &[]).0, Err(StreamError::Truncated { .. })));
        assert_eq!(run("[]", &[]).0.unwrap(), Some(0));
        assert_eq!(run(" [ ] ;", &[]).0.unwrap(), Some(0));
    }
}
