//! The Mastodon archive parsers (outbox.json, actor.json).
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 2] = ["outbox.json", "actor.json"];

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    let Some((&name, content)) = impartial_fuzz::choose(data, &FILES) else { return };
    let mut files = vec![(name.to_string(), content)];
    if name == "actor.json" {
        files.push(("outbox.json".into(), br#"{"type":"OrderedCollection","orderedItems":[]}"#.to_vec()));
    }
    impartial_fuzz::audit_files(files);
});
