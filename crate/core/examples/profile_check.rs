//! A fixed-work loop for profilers (`perf stat`, `perf record`), where criterion's
//! adaptive timing gets in the way: `cargo run --release --example profile_check -- N`
//! checks a 280-character post N times with the uk-civil-service pack.

use impartial_core::{Engine, Profile, Strictness};

const POST: &str = "Long day at the office 😅 Honestly the new guidance on claims is a mess, but the team \
pulled through. Can't wait for annual leave next week: green tea, a good book and no Teams calls. \
Big thanks to everyone who came to the leaving party on Friday! #WorkLife #Grateful see you soon x";

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let engine = Engine::new(&Profile::example()).expect("the example profile compiles");
    let started = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += engine.check(std::hint::black_box(POST), Strictness::Strict).len();
    }
    let per = started.elapsed() / n as u32;
    eprintln!("{n} checks, {total} findings, {per:?} per check");
}
