//! The thin wasm-bindgen boundary over `impartial-core`.
//!
//! Everything crossing it is plain data converted by serde-wasm-bindgen: profiles come in as
//! JS objects and are validated by the Rust types (unknown fields are errors); findings go
//! out as arrays of plain objects with UTF-16 offsets, ready to index JS strings.

use impartial_core::{Engine, Profile, Strictness};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// Reads a JS value into a Rust type, rejecting unknown fields.
///
/// serde-wasm-bindgen reads a struct by asking for its known fields only, so a typo such as
/// `employr` would pass silently. Going through `serde_json::Value` sees every key, and the
/// core types' `deny_unknown_fields` then names the stray one.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    let tree: serde_json::Value =
        serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what}: {e}")))?;
    serde_json::from_value(tree).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// An engine compiled for one profile. Compile once per settings change.
#[wasm_bindgen]
pub struct CompiledEngine {
    engine: Engine,
}

#[wasm_bindgen]
impl CompiledEngine {
    /// Compiles `profile` (a plain object, see `impartial_core::Profile`). Throws an `Error`
    /// naming the bad field, so the caller can keep its previous engine.
    #[wasm_bindgen(constructor)]
    pub fn new(profile: JsValue) -> Result<CompiledEngine, JsError> {
        let profile: Profile = if profile.is_undefined() || profile.is_null() {
            Profile::example()
        } else {
            from_js(profile, "profile")?
        };
        let engine = Engine::new(&profile).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(CompiledEngine { engine })
    }

    /// Checks `text` at `strictness` ("off" | "relaxed" | "standard" | "strict") and returns
    /// an array of findings.
    pub fn check(&self, text: &str, strictness: &str) -> Result<JsValue, JsError> {
        let strictness = Strictness::parse(strictness)
            .ok_or_else(|| JsError::new(&format!("strictness: unknown value {strictness:?}")))?;
        let findings = self.engine.check(text, strictness);
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(&findings, &serializer).map_err(|e| JsError::new(&e.to_string()))
    }
}
