//! Any text, every policy, every strictness: no panic, and well-formed findings.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::ENGINES); }, |data: &[u8]| {
    impartial_fuzz::check_everywhere(&String::from_utf8_lossy(data));
});
