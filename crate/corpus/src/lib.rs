//! The labelled corpus as training and evaluation see it: every source named in
//! `tests/corpus/splits.toml`, read and assigned to train, dev or test **by source**, so
//! that test figures measure how the engine does on authors it never learnt from.
//!
//! Three kinds of source:
//! - `labelled`: posts in the corpus format (`tests/corpus/README.md`), with `expect` and
//!   `absent` categories;
//! - `everyday`: unlabelled real text (`{"id", "text", "source"}`) that nothing should
//!   flag; for training, a negative for every judged category;
//! - `politicians`: real posts by politicians (`{"id", "author", "text", "labels", "unsure"}`),
//!   labelled by reading; not in the repository (see `tests/corpus/recipes/README.md`), so
//!   such a source is `optional` and skipped when its file is absent.
//!
//! A source can send part of itself elsewhere: `holdout` moves the corpus README's hold-out
//! posts (FNV-1a of the id ≡ 0 mod 5) into a source of their own (`NAME-holdout`) in another
//! split; `dev_every = N` sends every N-th group of posts (by FNV-1a of the id without its
//! last `-` part, a conversation) to dev; a politicians file's own `split` field wins.

use std::path::Path;

use impartial_core::{Category, Profile};
use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Dev,
    Test,
}

impl Split {
    pub const ALL: [Split; 3] = [Split::Train, Split::Dev, Split::Test];

    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Labelled,
    Everyday,
    Politicians,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitsFile {
    source: Vec<SourceDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    pub name: String,
    pub kind: Kind,
    /// Paths relative to the repository root.
    pub files: Vec<String>,
    pub split: Split,
    /// Where the corpus README's hold-out posts go, as the source `NAME-holdout`.
    pub holdout: Option<Split>,
    /// Every N-th group of posts goes to dev, as the source `NAME-dev`.
    pub dev_every: Option<u32>,
    /// Skipped, with a note, when a file is missing (data that is not in the repository).
    #[serde(default)]
    pub optional: bool,
    /// Who wrote it, its licence, how it was labelled: for people reading the file.
    #[serde(default)]
    pub about: String,
}

/// One post of any source, as training and evaluation need it.
#[derive(Clone, Debug)]
pub struct Example {
    pub source: String,
    pub split: Split,
    pub kind: Kind,
    pub id: String,
    pub profile: Profile,
    pub text: String,
    /// Categories a reviewer would flag.
    pub expect: Vec<Category>,
    /// Categories that must not be flagged. Everyday text has neither list.
    pub absent: Vec<Category>,
    /// When it was posted, where known (`YYYY-MM-DD`): dated lists (who holds which office)
    /// are taken as of then. Labelled and everyday posts are undated: as of the data's date.
    pub date: Option<String>,
}

#[derive(Deserialize)]
struct LabelledLine {
    id: String,
    site: String,
    profile: Profile,
    text: String,
    expect: Vec<Category>,
    absent: Vec<Category>,
    #[serde(default)]
    #[allow(dead_code)]
    notes: String,
}

#[derive(Deserialize)]
struct EverydayLine {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct PoliticianLine {
    id: String,
    text: String,
    #[serde(default)]
    labels: Vec<Category>,
    #[serde(default)]
    unsure: bool,
    split: Option<Split>,
    /// ISO 8601 time, e.g. `2016-04-12T11:30:08Z`.
    date: Option<String>,
}

impl Example {
    /// The key of the engine this post is checked with: its profile and [`Example::as_of`].
    pub fn engine_key(&self) -> String {
        format!("{}@{:?}", serde_json::to_string(&self.profile).expect("profiles serialise"), self.as_of())
    }

    /// A new engine for this post (see [`Example::engine_key`]).
    pub fn engine(&self) -> Result<impartial_core::Engine, impartial_core::ConfigError> {
        match self.as_of() {
            Some(today) => impartial_core::Engine::new_as_of(&self.profile, today),
            None => impartial_core::Engine::new(&self.profile),
        }
    }

    /// The engine's "today" for this post: its month (the 15th), so that posts of one month
    /// share an engine; `None` for undated posts (the data's own date).
    pub fn as_of(&self) -> Option<impartial_core::Date> {
        let date = self.date.as_deref()?;
        impartial_core::Date::parse(&format!("{}-15", date.get(..7)?))
    }
}

/// FNV-1a, 32-bit (the corpus README's hold-out hash).
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The corpus README's hold-out: FNV-1a 32-bit of the id is 0 mod 5.
#[allow(clippy::manual_is_multiple_of)] // u32::is_multiple_of needs Rust 1.87; the MSRV is 1.85
pub fn is_holdout(id: &str) -> bool {
    fnv1a32(id.as_bytes()) % 5 == 0
}

/// The corpus, read. `notes` says what was skipped and why.
pub struct Corpus {
    pub examples: Vec<Example>,
    pub notes: Vec<String>,
}

/// The categories the politicians' labels may use: the scorer's.
const POLITICAL: [Category; 4] = [Category::Partisan, Category::Government, Category::Solicitation, Category::Conduct];

/// Reads every source of `splits` (a `splits.toml`), with paths relative to `root`.
/// Errors name the file and line.
pub fn load(root: &Path, splits: &Path) -> Result<Corpus, String> {
    let text = std::fs::read_to_string(splits).map_err(|e| format!("{}: {e}", splits.display()))?;
    let file: SplitsFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", splits.display()))?;
    let mut examples = Vec::new();
    let mut notes = Vec::new();
    let default_profile = impartial_core::example_profile("uk-civil-service", impartial_core::Policy::UkCivilService);
    for def in &file.source {
        for name in &def.files {
            let path = root.join(name);
            if def.optional && !path.exists() {
                notes.push(format!("source {}: {name} is not here, skipped (optional)", def.name));
                continue;
            }
            let body = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            for (n, line) in body.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let at = |e: serde_json::Error| format!("{name}:{}: {e}", n + 1);
                let mut example = match def.kind {
                    Kind::Labelled => {
                        let l: LabelledLine = serde_json::from_str(line).map_err(at)?;
                        let _ = l.site;
                        Example {
                            source: def.name.clone(),
                            split: def.split,
                            kind: def.kind,
                            id: l.id,
                            profile: l.profile,
                            text: l.text,
                            expect: l.expect,
                            absent: l.absent,
                            date: None,
                        }
                    }
                    Kind::Everyday => {
                        let l: EverydayLine = serde_json::from_str(line).map_err(at)?;
                        Example {
                            source: def.name.clone(),
                            split: def.split,
                            kind: def.kind,
                            id: l.id,
                            profile: default_profile.clone(),
                            text: l.text,
                            expect: Vec::new(),
                            absent: Vec::new(),
                            date: None,
                        }
                    }
                    Kind::Politicians => {
                        let l: PoliticianLine = serde_json::from_str(line).map_err(at)?;
                        let expect: Vec<Category> = l.labels.into_iter().filter(|c| POLITICAL.contains(c)).collect();
                        let absent = if l.unsure { Vec::new() } else { POLITICAL.iter().copied().filter(|c| !expect.contains(c)).collect() };
                        let split = l.split.unwrap_or(def.split);
                        Example {
                            source: def.name.clone(),
                            split,
                            kind: def.kind,
                            id: l.id,
                            profile: default_profile.clone(),
                            text: l.text,
                            expect,
                            absent,
                            date: l.date.map(|d| d.chars().take(10).collect()),
                        }
                    }
                };
                if def.holdout.is_some() && is_holdout(&example.id) {
                    example.split = def.holdout.unwrap_or(def.split);
                    example.source = format!("{}-holdout", def.name);
                } else if let Some(every) = def.dev_every.filter(|&n| n > 0) {
                    let group = example.id.rsplit_once('-').map_or(example.id.as_str(), |(g, _)| g);
                    if fnv1a32(group.as_bytes()) % every == 0 {
                        example.split = Split::Dev;
                        example.source = format!("{}-dev", def.name);
                    }
                }
                if def.kind == Kind::Politicians && example.split != def.split {
                    example.source = format!("{}-{}", def.name, example.split.as_str());
                }
                examples.push(example);
            }
        }
    }
    Ok(Corpus { examples, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_check_value() {
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
    }

    #[test]
    fn the_committed_splits_load_and_keep_sources_apart() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let corpus = load(&root, &root.join("tests/corpus/splits.toml")).unwrap();
        let mut by_source: std::collections::HashMap<&str, Split> = std::collections::HashMap::new();
        for e in &corpus.examples {
            let split = *by_source.entry(e.source.as_str()).or_insert(e.split);
            assert_eq!(split, e.split, "source {} is in two splits", e.source);
        }
        for split in Split::ALL {
            assert!(corpus.examples.iter().any(|e| e.split == split && e.kind == Kind::Labelled), "no labelled posts in {split:?}");
        }
    }
}
