//! Impartial's policy engine.
//!
//! Given a post, the author's [`Profile`] and a site's [`Strictness`], [`Engine::check`]
//! returns the [`Finding`]s that could breach the author's impartiality duties. The crate is
//! pure Rust with no web dependencies: the same engine runs natively (the `impartial` CLI) and
//! in WebAssembly (the extension's background).
//!
//! Offsets: every finding carries UTF-16 code-unit offsets (`start`, `end`), which is what a
//! JavaScript string indexes by, and UTF-8 byte offsets (`byte_start`, `byte_end`) for Rust.

mod engine;
mod finding;
mod offsets;
mod profile;

pub use engine::{ConfigError, Engine};
pub use finding::{Category, Finding, Severity, Source, Strictness, Suggestion};
pub use offsets::Utf16Index;
pub use profile::{Policy, Profile};
