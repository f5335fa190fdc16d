//! Writes the inputs of the native engine benchmarks (benches/inputs) as JSON on stdout,
//! so the wasm benchmark (tests/bench/wasm.bench.mjs) times exactly the same posts and
//! profiles and can set its figures against criterion's from the same run.
//!
//! `cargo run --release -p impartial-core --example bench_inputs > target/bench-inputs.json`

#[path = "../benches/inputs/mod.rs"]
mod inputs;

fn main() {
    let json = serde_json::json!({
        "profile_1000": inputs::profile(1_000),
        "profile_10000": inputs::profile(10_000),
        // For the wasm benchmark's hostile sizes.
        "profile_100000": inputs::profile(100_000),
        "post_280": inputs::POST_280,
        "post_280_political": inputs::POST_280_POLITICAL,
        "long": inputs::long_text(63_206, 1),
        "corpus": inputs::corpus(),
    });
    println!("{json}");
}
