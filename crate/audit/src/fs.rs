//! Opening a path natively: a zip file, a single file, or a folder (an extracted archive).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::files::{Entry, FileSet, Input};
use crate::AuditError;

/// Opens `path` for [`crate::audit`]: a folder is walked (hidden entries skipped), a file
/// is read as a zip (by its signature) or a single file.
pub fn open(path: &Path) -> Result<Input<'static>, AuditError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| AuditError::input(&shown, format!("cannot open: {e}")))?;
    if meta.is_dir() {
        return Ok(Input::from_files(Folder::new(path)?));
    }
    let file = File::open(path).map_err(|e| AuditError::input(&shown, format!("cannot open: {e}")))?;
    Input::from_reader(&shown, BufReader::with_capacity(64 * 1024, file))
}

/// The files under a folder, by relative `/`-separated path.
pub struct Folder {
    name: String,
    root: PathBuf,
    entries: Vec<Entry>,
}

impl Folder {
    pub fn new(root: &Path) -> Result<Folder, AuditError> {
        let name = root.display().to_string();
        let mut entries = Vec::new();
        let mut stack = vec![PathBuf::new()];
        while let Some(rel) = stack.pop() {
            let dir = root.join(&rel);
            let listing = std::fs::read_dir(&dir).map_err(|e| AuditError::input(dir.display().to_string(), format!("cannot list: {e}")))?;
            for item in listing {
                let item = item.map_err(|e| AuditError::input(dir.display().to_string(), format!("cannot list: {e}")))?;
                let file_name = item.file_name().to_string_lossy().into_owned();
                if file_name.starts_with('.') {
                    continue;
                }
                let child = rel.join(&file_name);
                let Ok(kind) = item.file_type() else { continue };
                if kind.is_dir() {
                    stack.push(child);
                } else if kind.is_file() {
                    let size = item.metadata().map(|m| m.len()).unwrap_or(0);
                    let path = child.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    entries.push(Entry { path, size });
                }
            }
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Folder { name, root: root.to_path_buf(), entries })
    }
}

impl FileSet for Folder {
    fn name(&self) -> &str {
        &self.name
    }
    fn entries(&self) -> &[Entry] {
        &self.entries
    }
    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let path = self.root.join(&self.entries[index].path);
        Ok(Box::new(File::open(path)?))
    }
}
