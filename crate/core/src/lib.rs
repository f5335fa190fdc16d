//! Impartial's policy engine.
//!
//! Given a post, the author's [`Profile`] and a site's [`Strictness`], [`Engine::check`]
//! returns the [`Finding`]s that could breach the author's impartiality duties. The crate is
//! pure Rust with no web dependencies, no threads, no file system and no clock: the same
//! engine runs natively (the `impartial` CLI) and in WebAssembly (the extension).
//!
//! Offsets: every finding carries UTF-16 code-unit offsets (`start`, `end`), which is what a
//! JavaScript string indexes by, and UTF-8 byte offsets (`byte_start`, `byte_end`) for Rust.
//!
//! How it works: rule packs (TOML under `packs/`, embedded, see [`rule_docs`]) are compiled
//! with the profile into one Aho-Corasick automaton over normalised tokens; a post is
//! normalised once, scanned once, and each rule whose pattern hit is evaluated against its
//! context windows. Module by module:
//!
//! - `normalize`: text → tokens (case folding, hashtags, obfuscation, URLs, mentions);
//! - `pack`: the pack format, parsing and validation;
//! - `matcher`: the phrase automaton and per-token case rules;
//! - `compile`: packs + profile → rules over phrase sets;
//! - `evaluate`: hits → findings, then combinations;
//! - `settings`: the extension's exported settings file.

mod compile;
mod date;
mod engine;
mod evaluate;
mod finding;
mod judge;
mod matcher;
mod normalize;
mod offsets;
mod pack;
mod profile;
mod settings;
mod word_table;

pub use date::Date;
pub use engine::{ConfigError, Engine, ScoredFeature};
pub use finding::{Category, Finding, Severity, Source, Strictness, Suggestion};
pub use offsets::Utf16Index;
pub use pack::{example_profile, example_span, rule_doc, rule_docs, PackError, RuleDoc};
pub use profile::{CustomTerm, Policy, Profile};
pub use settings::{default_strictness, is_valid_site_id, site_for_host, Settings, SettingsError, KNOWN_SITES, SETTINGS_VERSION};
