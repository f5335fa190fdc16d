//! Zip archives: reading the directory, inflating entries, finding the platform's files.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    impartial_fuzz::audit_file("archive.zip", data);
});
