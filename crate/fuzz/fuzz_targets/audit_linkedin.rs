//! The LinkedIn export parsers (CSV: shares, comments, profile).
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 3] = ["Shares.csv", "Comments.csv", "Profile.csv"];

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    let Some((&name, content)) = impartial_fuzz::choose(data, &FILES) else { return };
    let mut files = vec![(name.to_string(), content)];
    if name == "Profile.csv" {
        files.push(("Shares.csv".into(), b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n".to_vec()));
    }
    impartial_fuzz::audit_files(files);
});
