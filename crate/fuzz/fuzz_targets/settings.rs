//! Settings files: parsing and validation never panic; whatever validates compiles to an
//! engine (custom terms, regex patterns included), round-trips, and checks text.
#![no_main]
use impartial_core::{Engine, Settings, Strictness, KNOWN_SITES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: {
    // Parses the embedded rule packs once, before the first input is timed.
    Engine::new(&impartial_core::Profile::default()).expect("the default profile compiles");
}, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(settings) = Settings::from_json(&text) else { return };
    let engine = Engine::new(&settings.profile).expect("settings that validate compile to an engine");
    assert_eq!(Settings::from_json(&settings.to_json()).as_ref(), Ok(&settings), "settings do not round-trip");
    for site in KNOWN_SITES.iter().copied().chain(["forum.example.org", "www.twitter.com", ""]) {
        let _ = settings.strictness_for(site, Some(1_700_000_000_000));
    }
    // The settings' own text and their custom terms' patterns as posts.
    let mut posts = vec![text.to_string()];
    posts.extend(settings.profile.custom_terms.iter().map(|t| format!("about {} today", t.pattern)));
    for post in &posts {
        let found = engine.check(post, Strictness::Strict);
        impartial_fuzz::assert_findings(post, &found, Strictness::Strict);
    }
});
