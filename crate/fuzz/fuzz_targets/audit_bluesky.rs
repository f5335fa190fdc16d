//! The Bluesky repository parser (CAR v1 of DAG-CBOR blocks).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    impartial_fuzz::audit_file("repo.car", data);
});
