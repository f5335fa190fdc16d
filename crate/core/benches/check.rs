//! The performance targets (medians, native):
//! - a 280-character post, uk-civil-service pack + 1,000 custom terms: ≤ 5 µs;
//! - a 63,206-character post (Facebook's maximum): ≤ 1 ms;
//! - a corpus of short posts: ≥ 100 MB/s;
//! - compiling settings with 10,000 custom terms: ≤ 50 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use impartial_core::{Engine, Strictness};

mod inputs;
use inputs::{corpus, long_text, profile, POST_280, POST_280_POLITICAL};

fn benches(c: &mut Criterion) {
    let uk = Engine::new(&profile(1_000)).unwrap();
    assert!(POST_280.chars().count() >= 270 && POST_280.chars().count() <= 290, "{}", POST_280.chars().count());
    // Groups throughout, so each benchmark's name is also its directory under
    // target/criterion, where the wasm benchmark reads the medians.
    let mut group = c.benchmark_group("check");
    group.bench_function("280-char post, uk-civil-service + 1,000 custom terms", |b| b.iter(|| uk.check(black_box(POST_280), Strictness::Strict)));
    group.bench_function("280-char political post, scored", |b| b.iter(|| uk.check(black_box(POST_280_POLITICAL), Strictness::Strict)));
    let long = long_text(63_206, 1);
    group.bench_function("63,206-char post", |b| b.iter(|| uk.check(black_box(&long), Strictness::Strict)));
    group.finish();

    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("2,000 short posts", |b| b.iter(|| corpus.iter().map(|p| uk.check(black_box(p), Strictness::Strict).len()).sum::<usize>()));
    group.finish();

    let big = profile(10_000);
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    group.bench_function("settings with 10,000 custom terms", |b| b.iter(|| Engine::new(black_box(&big)).unwrap()));
    group.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
