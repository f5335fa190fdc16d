//! The inputs of the engine benchmarks, shared with `examples/profile_check.rs` so a
//! profiler measures exactly what criterion times. Deterministic: every run the same.

use impartial_core::{Category, CustomTerm, Profile};

/// A deterministic generator, so every run measures the same inputs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const FIRST: [&str; 12] = ["Alice", "Bilal", "Chen", "Dana", "Eamon", "Fatima", "Gareth", "Hana", "Ivan", "Jo", "Kwame", "Lena"];
const LAST: [&str; 12] = ["Smith", "Okafor", "Wright", "Patel", "Jones", "Nowak", "Evans", "Khan", "Murphy", "Taylor", "Clarke", "Singh"];
const CODE: [&str; 12] = ["falcon", "heron", "kestrel", "osprey", "merlin", "harrier", "raven", "swift", "wren", "lark", "owl", "kite"];

/// `n` custom terms: colleagues' names and project code names, all distinct.
fn custom_terms(n: usize) -> Vec<CustomTerm> {
    let mut rng = Lcg(7);
    (0..n)
        .map(|i| {
            let pattern = if i % 2 == 0 { format!("{} {}{}", rng.pick(&FIRST), rng.pick(&LAST), i) } else { format!("project {}{}", rng.pick(&CODE), i) };
            CustomTerm::new(pattern, if i % 2 == 0 { Category::Conduct } else { Category::Confidential })
        })
        .collect()
}

pub fn profile(custom: usize) -> Profile {
    Profile { custom_terms: custom_terms(custom), role: Some("Grade 7".into()), ..Profile::example() }
}

pub const POST_280: &str = "Long day at the office 😅 Honestly the new guidance on claims is a mess, but the team \
pulled through. Can't wait for annual leave next week: green tea, a good book and no Teams calls. \
Big thanks to everyone who came to the leaving party on Friday! #WorkLife #Grateful see you soon x";

/// A 280-character post the trained scorer judges (parties, a minister, judgements, an ask):
/// the cost of a post that is not skipped before scoring.
pub const POST_280_POLITICAL: &str = "Honestly the Tories wrecked the NHS and now this government is making it worse. \
The Chancellor has no idea what she is doing, the two-child cap is cruel, and Reform are a bunch of grifters. \
Make a plan to vote early for our candidate and bring three friends. Useless, the lot of them";

const SENTENCES: [&str; 10] = [
    "We spent the weekend walking in the Peak District and the weather held up beautifully. ",
    "The new café on the high street does a brilliant flat white, highly recommended. ",
    "Labour pains are no joke, my sister says, but the baby is healthy and happy. ",
    "A conservative estimate puts the repairs at a few hundred pounds, which is fine. ",
    "Our book club is reading a novel about a lighthouse keeper and it is gorgeous. ",
    "I booked my annual leave for August and I am already counting the days. ",
    "The kids made a birthday party banner out of old newspapers and glitter. ",
    "Honestly the train was late again this morning, but I finished my crossword. ",
    "Charity fundraising for the hospice went well: thank you to everyone who came! ",
    "Trying to #resist the temptation to eat another donut at the team breakfast. ",
];

pub fn long_text(chars: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut text = String::new();
    while text.chars().count() < chars {
        text.push_str(rng.pick(&SENTENCES));
    }
    text.chars().take(chars).collect()
}

/// The throughput corpus: 2,000 posts of 200 characters.
pub fn corpus() -> Vec<String> {
    (0..2_000).map(|i| long_text(200, i)).collect()
}
