//! A fixed-work loop for profilers (`perf stat`, `valgrind --tool=callgrind`), where
//! criterion's adaptive timing gets in the way. It checks the benchmarks' own inputs with
//! the benchmarks' profile (uk-civil-service, 1,000 custom terms):
//!
//! - `cargo run --release --example profile_check -- post N`: the 280-character post N times;
//! - `cargo run --release --example profile_check -- political N`: the scored political post;
//! - `cargo run --release --example profile_check -- corpus N`: the 2,000 short posts of the
//!   throughput benchmark, N times over.

use impartial_core::{Engine, Strictness};

#[path = "../benches/inputs/mod.rs"]
mod inputs;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "post".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let posts = match mode.as_str() {
        "post" => vec![inputs::POST_280.to_string()],
        "political" => vec![inputs::POST_280_POLITICAL.to_string()],
        "corpus" => inputs::corpus(),
        other => {
            eprintln!("unknown mode {other:?}: post or corpus");
            std::process::exit(2);
        }
    };
    let engine = Engine::new(&inputs::profile(1_000)).expect("the benchmark profile compiles");
    let bytes: usize = posts.iter().map(String::len).sum::<usize>() * n;
    let started = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        for post in &posts {
            total += engine.check(std::hint::black_box(post), Strictness::Strict).len();
        }
    }
    let elapsed = started.elapsed();
    let checks = (n * posts.len()) as u32;
    let rate = bytes as f64 / elapsed.as_secs_f64() / 1e6;
    eprintln!("{checks} checks, {total} findings, {:?} per check, {rate:.1} MB/s", elapsed / checks);
}
