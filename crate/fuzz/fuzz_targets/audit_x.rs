//! The X/Twitter archive parsers: the first byte picks the file, the rest is its content.
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 4] = ["data/tweets.js", "data/account.js", "data/profile.js", "data/tweets-part1.js"];

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    let Some((&name, content)) = impartial_fuzz::choose(data, &FILES) else { return };
    // account.js and profile.js are read only alongside posts.
    let mut files = vec![(name.to_string(), content)];
    if name != "data/tweets.js" {
        files.push(("data/tweets.js".into(), b"window.YTD.tweets.part0 = []".to_vec()));
    }
    impartial_fuzz::audit_files(files);
});
