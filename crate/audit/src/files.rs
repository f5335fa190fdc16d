//! What an audit reads: a set of named files, from a zip, a single file, or (natively) a
//! folder. Files are opened one at a time as streams, so a 200 MB archive is never held
//! decompressed in memory.

use std::io::{self, Read, Seek, SeekFrom};

use crate::AuditError;

/// One file of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `/`-separated path inside the archive or folder (`data/tweets.js`).
    pub path: String,
    /// Uncompressed size in bytes, for progress.
    pub size: u64,
}

impl Entry {
    /// The last path component (`tweets.js`).
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The path without the last component (`data`), empty at the top.
    pub fn dir(&self) -> &str {
        self.path.rfind('/').map_or("", |n| &self.path[..n])
    }
}

/// A set of files an audit can list and open. Opening may be repeated (detection peeks at
/// a file's first bytes, then parsing opens it again).
pub trait FileSet {
    /// The input's own name for messages (`twitter-2024.zip`, a folder path).
    fn name(&self) -> &str;
    /// Whether the input is a single file rather than an archive or folder.
    fn is_single_file(&self) -> bool {
        false
    }
    fn entries(&self) -> &[Entry];
    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>>;
}

/// What to audit. Build it from bytes (the extension's web worker), a reader (a file), or
/// any [`FileSet`] (a folder, through [`crate::fs`] natively).
pub struct Input<'a> {
    pub(crate) files: Box<dyn FileSet + 'a>,
}

impl<'a> Input<'a> {
    /// A zip archive (recognised by its signature) or a single file, in memory.
    pub fn from_bytes<B: AsRef<[u8]> + 'a>(name: &str, bytes: B) -> Result<Input<'a>, AuditError> {
        Input::from_reader(name, io::Cursor::new(bytes))
    }

    /// A zip archive (recognised by its signature) or a single file, read on demand.
    pub fn from_reader<R: Read + Seek + 'a>(name: &str, mut reader: R) -> Result<Input<'a>, AuditError> {
        let io_error = |e: io::Error| AuditError::input(name, format!("cannot read: {e}"));
        let size = reader.seek(SeekFrom::End(0)).map_err(io_error)?;
        reader.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let mut magic = [0u8; 4];
        let got = read_up_to(&mut reader, &mut magic).map_err(io_error)?;
        reader.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let zip_magic = got == 4 && matches!(&magic, b"PK\x03\x04" | b"PK\x05\x06" | b"PK\x07\x08");
        if zip_magic || name.to_ascii_lowercase().ends_with(".zip") {
            return Ok(Input { files: Box::new(ZipFiles::new(name, reader)?) });
        }
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
        Ok(Input { files: Box::new(SingleFile { name: name.to_string(), entries: vec![Entry { path: base, size }], reader }) })
    }

    /// Any set of files.
    pub fn from_files(files: impl FileSet + 'a) -> Input<'a> {
        Input { files: Box::new(files) }
    }

    pub fn name(&self) -> &str {
        self.files.name()
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads the first `n` bytes of an entry (fewer if it is shorter).
pub(crate) fn peek(files: &mut dyn FileSet, index: usize, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; n];
    let mut reader = files.open(index)?;
    let got = read_up_to(&mut reader, &mut buf)?;
    buf.truncate(got);
    Ok(buf)
}

struct SingleFile<R> {
    name: String,
    entries: Vec<Entry>,
    reader: R,
}

impl<R: Read + Seek> FileSet for SingleFile<R> {
    fn name(&self) -> &str {
        &self.name
    }
    fn is_single_file(&self) -> bool {
        true
    }
    fn entries(&self) -> &[Entry] {
        &self.entries
    }
    fn open(&mut self, _index: usize) -> io::Result<Box<dyn Read + '_>> {
        self.reader.seek(SeekFrom::Start(0))?;
        Ok(Box::new(&mut self.reader))
    }
}

/// The files of a zip archive; each is inflated as it is read.
pub struct ZipFiles<R> {
    name: String,
    archive: zip::ZipArchive<R>,
    entries: Vec<Entry>,
    /// `entries[i]` is the archive's file `index[i]` (directories are left out).
    index: Vec<usize>,
}

impl<R: Read + Seek> ZipFiles<R> {
    pub fn new(name: &str, reader: R) -> Result<ZipFiles<R>, AuditError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| {
            AuditError::input(
                name,
                format!("not a readable zip archive ({e}); expected the .zip file the platform sent, complete (a partial download cannot be read)"),
            )
        })?;
        let (mut entries, mut index) = (Vec::new(), Vec::new());
        for i in 0..archive.len() {
            let file = archive.by_index_raw(i).map_err(|e| AuditError::input(name, format!("damaged zip archive: entry {i}: {e}")))?;
            if file.is_dir() {
                continue;
            }
            let entry_name = file.name().map_err(|e| AuditError::input(name, format!("damaged zip archive: entry {i}: {e}")))?;
            entries.push(Entry { path: entry_name.replace('\\', "/").trim_start_matches('/').to_string(), size: file.size() });
            index.push(i);
        }
        Ok(ZipFiles { name: name.to_string(), archive, entries, index })
    }
}

impl<R: Read + Seek> FileSet for ZipFiles<R> {
    fn name(&self) -> &str {
        &self.name
    }
    fn entries(&self) -> &[Entry] {
        &self.entries
    }
    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let file = self.archive.by_index(self.index[index]).map_err(io::Error::other)?;
        Ok(Box::new(file))
    }
}

/// Files held in memory, by path: for tests and for callers that already have the parts
/// of an extracted archive.
pub struct MemFiles {
    name: String,
    entries: Vec<Entry>,
    data: Vec<Vec<u8>>,
}

impl MemFiles {
    pub fn new(name: &str, files: Vec<(String, Vec<u8>)>) -> MemFiles {
        let entries = files.iter().map(|(p, d)| Entry { path: p.clone(), size: d.len() as u64 }).collect();
        MemFiles { name: name.to_string(), entries, data: files.into_iter().map(|(_, d)| d).collect() }
    }
}

impl FileSet for MemFiles {
    fn name(&self) -> &str {
        &self.name
    }
    fn entries(&self) -> &[Entry] {
        &self.entries
    }
    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(&self.data[index][..]))
    }
}

/// Counts the bytes read through it into a shared cell, for progress, and refuses to read
/// past `limit` bytes (`io::ErrorKind::FileTooLarge`).
pub(crate) struct Counting<R> {
    pub inner: R,
    pub count: std::rc::Rc<std::cell::Cell<u64>>,
    pub limit: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.limit.saturating_sub(self.count.get());
        if left == 0 && !buf.is_empty() {
            // Only an error if the file really goes on.
            if self.inner.read(&mut [0u8; 1])? == 0 {
                return Ok(0);
            }
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, too_large(self.limit)));
        }
        let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..take])?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Why a file was not read to its end.
pub(crate) fn too_large(limit: u64) -> String {
    format!("larger than {} uncompressed, more than any platform writes for one file; it was read only that far", human_bytes(limit))
}

/// `1 GiB`, `512 KiB`, `100 bytes`: a limit as people read it.
fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}
