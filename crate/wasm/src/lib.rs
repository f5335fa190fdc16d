//! The thin wasm-bindgen boundary over `impartial-core`.
//!
//! Everything crossing it is plain data converted by serde-wasm-bindgen: profiles come in as
//! JS objects and are validated by the Rust types (unknown fields are errors); findings go
//! out as arrays of plain objects with UTF-16 offsets, ready to index JS strings.

use impartial_core::{Engine, Profile, Strictness};
use wasm_bindgen::prelude::*;

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
            serde_wasm_bindgen::from_value(profile).map_err(|e| JsError::new(&format!("profile: {e}")))?
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
