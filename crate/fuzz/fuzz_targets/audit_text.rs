//! Single files: JSON Lines, plain text, and a file whose name says nothing (detected
//! from its first bytes, so any parser can be reached).
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 3] = ["posts.jsonl", "posts.txt", "export"];

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    let Some((&name, content)) = impartial_fuzz::choose(data, &FILES) else { return };
    impartial_fuzz::audit_file(name, &content);
});
