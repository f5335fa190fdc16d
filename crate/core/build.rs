//! Converts the rule packs (packs/**/*.toml) to JSON in OUT_DIR for the wasm build.
//!
//! A cold Chrome service worker spent most of its start-up compiling and running the TOML
//! parser's code (V8 compiles wasm functions on first use); serde_json is in the wasm
//! anyway. The conversion is value for value, so the packs mean exactly the same; a pack
//! that is not valid TOML fails the build here, naming the file.

use std::path::Path;
use std::{env, fs};

fn convert(dir: &Path, out: &Path) {
    for entry in fs::read_dir(dir).expect("packs/ is readable") {
        let path = entry.expect("a packs/ entry").path();
        if path.is_dir() {
            convert(&path, &out.join(path.file_name().expect("a name")));
        } else if path.extension().is_some_and(|e| e == "toml") {
            let text = fs::read_to_string(&path).expect("a pack is UTF-8");
            let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            fs::create_dir_all(out).expect("OUT_DIR is writable");
            let json = serde_json::to_string(&value).expect("TOML values are JSON values");
            fs::write(out.join(path.with_extension("json").file_name().expect("a name")), json).expect("OUT_DIR is writable");
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=packs");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("packs");
    convert(Path::new("packs"), &out);
}
