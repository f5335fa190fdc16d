//! The Facebook download parsers (posts, comments).
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 2] = ["your_activity_across_facebook/posts/your_posts_1.json", "your_activity_across_facebook/comments_and_reactions/comments.json"];

fuzz_target!(init: { std::sync::LazyLock::force(&impartial_fuzz::AUDIT_ENGINE); }, |data: &[u8]| {
    let Some((&name, content)) = impartial_fuzz::choose(data, &FILES) else { return };
    impartial_fuzz::audit_files(vec![(name.to_string(), content)]);
});
