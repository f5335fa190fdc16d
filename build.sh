#!/usr/bin/env bash
# Impartial's one entry point.
#
#   ./build.sh          build everything: wasm engine, extension (dist/chrome, dist/firefox, zips), CLI
#   ./build.sh test     build, then run every test (Rust, wasm in Node, TypeScript, end-to-end)
#   ./build.sh bench    build, then run the benchmarks and print a summary
#   ./build.sh eval     build the CLI, then score the rules against tests/corpus/, and the engine
#                       (rules and trained scorer) per source and split of tests/corpus/splits.toml
#   ./build.sh train    retrain the judgement model (crate/train) into crate/core/model/
#   ./build.sh fuzz [SECONDS]
#                       fuzz every cargo-fuzz target in crate/fuzz for SECONDS each (default 600)
#   ./build.sh setup    only install what is missing (toolchains, browsers, node packages)
#
# On a fresh machine it installs what is missing by itself; the second run finds everything in
# place and skips straight to building. Tools it builds are cached in $IMPARTIAL_TOOLS
# (default ~/.cache/impartial/tools), so fresh clones on the same machine reuse them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
TOOLS=${IMPARTIAL_TOOLS:-$HOME/.cache/impartial/tools}
STATE=$TOOLS/state
WASM_TARGET_DIR=$ROOT/target/wasm-build
PKG=$ROOT/crate/wasm/pkg
NODE_PKG=$ROOT/target/wasm-node
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Set-up: each step checks before it installs, so a warm run costs a few checks.

APT_UPDATED=0
apt_install() {
  # Installs Debian packages, or explains what to install when that is not possible here.
  if ! command -v apt-get >/dev/null 2>&1; then
    die "missing: $*. This system has no apt-get; install the equivalents of these Debian packages by hand."
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; else
      die "missing Debian packages: $*. Run: sudo apt-get install -y $*  (then ./build.sh again)"
    fi
  else SUDO=; fi
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

need_command() { # need_command COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# Decides how wasm32 is built: rustup's target where it can be added, otherwise Debian's
# rustc-web toolchain with build-std. Sets WASM_CARGO and WASM_ENV.
setup_wasm_toolchain() {
  mkdir -p "$STATE"
  if command -v rustup >/dev/null 2>&1 && [ ! -e "$STATE/rustup-wasm-unavailable" ]; then
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      WASM_CARGO=cargo; WASM_ENV=(); WASM_FLAGS=(); return
    fi
    say "trying: rustup target add wasm32-unknown-unknown"
    if timeout 90 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
      WASM_CARGO=cargo; WASM_ENV=(); WASM_FLAGS=(); return
    fi
    # Remembered so later runs do not wait for the download again.
    echo "rustup could not add the wasm32 target on $(date -u +%F)" >"$STATE/rustup-wasm-unavailable"
    say "rustup has no wasm32 target here; using Debian's rustc-web toolchain"
  fi
  if [ ! -x /usr/bin/cargo ] || [ ! -x /usr/lib/llvm-22/bin/wasm-ld ] || [ ! -d /usr/lib/rustlib/src/rust/library ] \
     || ! /usr/bin/rustc --version 2>/dev/null | grep -q '^rustc 1\.9[6-9]'; then
    apt_install rustc-web cargo-web rust-web-src lld-22
  fi
  WASM_CARGO=/usr/bin/cargo
  WASM_ENV=(RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
            CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld)
  WASM_FLAGS=(-Zbuild-std=std,panic_abort)
}

# wasm-bindgen's CLI must be exactly the version of the crate in Cargo.lock.
setup_wasm_bindgen() {
  local want have=""
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  if command -v wasm-bindgen >/dev/null 2>&1; then have=$(wasm-bindgen --version | awk '{print $2}'); fi
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: one of its locked dependencies is no longer in the registry.
    cargo install -q wasm-bindgen-cli --version "$want" --root "$TOOLS"
  fi
}

setup_node_packages() {
  need_command node nodejs
  need_command npm npm
  # npm ci only when package-lock.json changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

setup() {
  command -v cargo >/dev/null 2>&1 || die "no cargo on PATH: install Rust (https://rustup.rs) first"
  setup_wasm_toolchain
  setup_wasm_bindgen
  need_command python3 python3
  # binaryen (wasm-opt) comes from npm, pinned in package-lock.json: Debian's binaryen 108
  # rewrites wasm-bindgen 0.2.130's externref table so the module no longer instantiates.
  setup_node_packages
}

# cargo-deny checks the dependency graph's licences, duplicate versions and sources.
CARGO_DENY_VERSION=0.19.0
setup_cargo_deny() {
  if [ "$("$TOOLS/bin/cargo-deny" --version 2>/dev/null | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
    say "building cargo-deny $CARGO_DENY_VERSION (a few minutes, once)"
    cargo install -q cargo-deny --version "$CARGO_DENY_VERSION" --locked --root "$TOOLS"
  fi
}

# cargo-fuzz drives libFuzzer, whose C++ sources libfuzzer-sys compiles.
CARGO_FUZZ_VERSION=0.13.2
setup_fuzz() {
  need_command c++ g++
  need_command python3 python3
  if [ "$("$TOOLS/bin/cargo-fuzz" --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    say "building cargo-fuzz $CARGO_FUZZ_VERSION (a few minutes, once)"
    cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$TOOLS"
  fi
}

GECKODRIVER_VERSION=0.37.1
setup_browsers() {
  [ -x /usr/lib/chromium/chromium ] || apt_install chromium
  [ -x /usr/lib/firefox-esr/firefox-esr ] || apt_install firefox-esr
  need_command openssl openssl
  # geckodriver is built from crates.io (Debian has none); once, into the tools cache, at a
  # pinned version (an unpinned install moved from 0.36 to 0.37 between two sessions).
  local have_geckodriver
  have_geckodriver=$("$TOOLS/bin/geckodriver" --version 2>/dev/null || true)
  if [[ $have_geckodriver != "geckodriver $GECKODRIVER_VERSION"[$' \n']* ]]; then
    say "building geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    cargo install -q --force geckodriver --version "$GECKODRIVER_VERSION" --root "$TOOLS"
  fi
}

# ---------------------------------------------------------------------------------------------
# Build

build_wasm() {
  say "wasm engine"
  env "${WASM_ENV[@]}" "$WASM_CARGO" build -q -p impartial-wasm --profile wasm \
    --target wasm32-unknown-unknown --target-dir "$WASM_TARGET_DIR" "${WASM_FLAGS[@]}"
  local wasm=$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm/impartial_wasm.wasm
  # The reset-state function lets the background start a fresh instance after a panic
  # (a trap under panic=abort leaves the old one unusable).
  wasm-bindgen --target web --experimental-reset-state-function --out-dir "$PKG" "$wasm"
  wasm-bindgen --target nodejs --experimental-reset-state-function --out-dir "$NODE_PKG" "$wasm"
  for out in "$PKG" "$NODE_PKG"; do
    node_modules/.bin/wasm-opt -Os "$out/impartial_wasm_bg.wasm" -o "$out/impartial_wasm_bg.wasm"
  done
}

build_extension() {
  say "extension"
  node extension/build.mjs
  for browser in chrome firefox; do
    rm -f "dist/impartial-$browser.zip"
    (cd "dist/$browser" && python3 -m zipfile -c "../impartial-$browser.zip" ./*)
  done
}

# dist/chrome-test: the extension with its fault switches (a panicking engine, a throwing
# content script) compiled in, for the end-to-end tests only; never packaged.
build_test_extension() {
  say "extension test build (fault switches)"
  env "${WASM_ENV[@]}" "$WASM_CARGO" build -q -p impartial-wasm --features fault-switch --profile wasm \
    --target wasm32-unknown-unknown --target-dir "$WASM_TARGET_DIR" "${WASM_FLAGS[@]}"
  local wasm=$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm/impartial_wasm.wasm test_pkg=$ROOT/target/wasm-test-pkg
  wasm-bindgen --target web --experimental-reset-state-function --out-dir "$test_pkg" "$wasm"
  node extension/build.mjs --test "$test_pkg"
}

build_cli() {
  say "CLI"
  cargo build -q --release -p impartial-cli
}

build_all() {
  setup
  build_wasm
  build_extension
  build_cli
  local raw gz
  raw=$(stat -c %s "$PKG/impartial_wasm_bg.wasm")
  gz=$(gzip -9c "$PKG/impartial_wasm_bg.wasm" | wc -c)
  cat <<EOF

Built:
  dist/chrome/                 unpacked extension for Chrome/Chromium (chrome://extensions > Developer mode > Load unpacked)
  dist/firefox/                unpacked extension for Firefox (about:debugging > This Firefox > Load Temporary Add-on > manifest.json)
  dist/impartial-chrome.zip    for the Chrome Web Store
  dist/impartial-firefox.zip   for addons.mozilla.org
  target/release/impartial     the command line tool (try: target/release/impartial check "I work at HMRC")
  wasm engine: $raw bytes raw, $gz bytes gzipped
EOF
}

# ---------------------------------------------------------------------------------------------
# Test and bench

run_tests() {
  # The quality gate (impartial eval --gate) on the whole corpus. The project's targets are
  # precision 0.90 and recall 0.85 per category at strict, and at most 2% of clean posts and of
  # real texts (per policy) flagged at standard. These are ratchets: a figure below its target
  # is set to the measured value rounded down to the next 0.05 so that regressions fail, and
  # raised as the rules improve, up to the target. Measured on 2026-12-01: lowest precision
  # 100%, lowest recall 90.0% (conduct), clean posts 0.0%, real texts 0.05%; all meet the
  # targets, so the targets are used.
  local GATE_MIN_PRECISION=0.90
  local GATE_MIN_RECALL=0.85
  local GATE_MAX_CLEAN_RATE=0.02
  local GATE_MAX_REAL_RATE=0.02
  build_all
  build_test_extension
  setup_browsers
  setup_cargo_deny
  say "Rust tests"
  cargo test -q --workspace
  # Advisories are left out: their database cannot be downloaded in CI; they are reviewed by
  # hand when dependencies change (README.md, Dependencies).
  say "cargo deny: licences, duplicate versions, sources (crate/deny.toml)"
  cargo deny --all-features --locked --workspace check --config crate/deny.toml licenses bans sources
  say "quality gate: tests/corpus/ and tests/corpus/real/"
  local report=target/eval-gate.txt status=0
  target/release/impartial eval --gate --min-precision "$GATE_MIN_PRECISION" --min-recall "$GATE_MIN_RECALL" \
    --max-clean-rate "$GATE_MAX_CLEAN_RATE" --max-real-rate "$GATE_MAX_REAL_RATE" \
    --real tests/corpus/real/ tests/corpus/ >"$report" || status=$?
  sed -n '/^== Real text/,/^$/p; /^== Quality gate/,$p' "$report"
  [ "$status" = 0 ] || die "quality gate failed (impartial eval exit $status); the full report is in $report"
  # The judgement targets on the test split (by source: authors the model never learnt
  # from), rules and trained scorer together. The targets (crate/cli/src/eval_splits.rs) are
  # precision and recall 0.90 per category at strict, clean posts flagged at most 1% and
  # everyday text at most 0.5% at standard, politicians' political posts found 90%. These
  # are ratchets short of the targets, at the measured value rounded to the next 0.05 (rates
  # flagged: up to the next 0.005) so that regressions fail:
  # measured on 2026-12-08, lowest precision 89.6% (conduct), lowest recall 67.8%
  # (government), clean posts 1.6%, everyday text 0.1%, politicians' posts (a local source,
  # absent in CI) 20.7%. Raise them as the judgement improves.
  say "quality gate: the test split of tests/corpus/splits.toml"
  report=target/eval-splits-gate.txt status=0
  target/release/impartial eval --splits tests/corpus/splits.toml --gate --min-precision 0.85 --min-recall 0.65 \
    --max-clean-flag-rate 0.02 --max-real-flag-rate 0.005 --min-politicians-found 0.20 >"$report" || status=$?
  sed -n '/^== By split/,$p' "$report"
  [ "$status" = 0 ] || die "judgement quality gate failed (impartial eval --splits exit $status); the full report is in $report"
  say "TypeScript type check"
  npx tsc -p extension/tsconfig.json
  say "wasm engine in Node"
  node --test tests/wasm/
  say "end-to-end (headless Chromium)"
  node --test --test-concurrency=1 tests/e2e/
}

run_bench() {
  build_all
  setup_browsers
  say "engine benchmarks (criterion, native)"
  cargo bench -q -p impartial-core
  # The same inputs for the wasm benchmark, which sets its figures against criterion's.
  cargo run -q --release -p impartial-core --example bench_inputs >target/bench-inputs.json
  say "footprint audit: 50,000 X posts in a zip, through the CLI (budget 1 s)"
  cargo build -q --release -p impartial-audit --example bench_archive
  local archive=target/bench-audit-archive.zip
  target/release/examples/bench_archive "$archive" 50000
  local run
  for run in 1 2 3; do
    # Exit 1 means findings, which this archive has by design.
    target/release/impartial audit "$archive" --out target/bench-audit-report.html \
      --employer "HM Revenue and Customs" --alias HMRC --stats >/dev/null 2>target/bench-audit.stats || [ $? -eq 1 ]
    printf 'run %s: %s\n' "$run" "$(grep '^stats:' target/bench-audit.stats)"
  done
  for bench in tests/bench/*.bench.mjs; do
    say "benchmark: $bench"
    node "$bench"
  done
}

run_eval() {
  say "CLI"
  cargo build -q --release -p impartial-cli
  say "evaluation: tests/corpus/, and real text from tests/corpus/real/"
  target/release/impartial eval --real tests/corpus/real/ tests/corpus/
  say "evaluation by source and split: tests/corpus/splits.toml"
  target/release/impartial eval --splits tests/corpus/splits.toml
}

# Retrains the judgement model from tests/corpus/splits.toml. Deterministic: the same corpus
# gives the same crate/core/model/ files byte for byte, so `git diff crate/core/model/` is
# the review. Optional sources that are not in the repository (real politicians' posts,
# tests/corpus/recipes/README.md) are used when present and named when absent.
run_train() {
  say "training the judgement model (crate/train)"
  cargo run -q --release -p impartial-train -- "$ROOT"
  git --no-pager diff --stat -- crate/core/model/ 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Fuzzing: cargo-fuzz (libFuzzer) over crate/fuzz's targets, one after another.
#
# The machine's one toolchain is stable, so cargo-fuzz's -Z flags are allowed by
# RUSTC_BOOTSTRAP=1 (no nightly needed). Builds go to target/fuzz-build, corpora grow in
# target/fuzz-corpus/<target> (kept between runs, seeded by crate/fuzz/seeds.py, each
# reading its crate/fuzz/dicts/<target>.dict if there is one), and crash, timeout and out-of-memory
# inputs land in target/fuzz-artifacts/<target>/. An input that takes over its time limit
# (2 s for check and settings, 5 s for archives), or a process over 2 GB, counts as a crash
# ("no unbounded time").

FUZZ_TARGETS=(check settings audit_x audit_facebook audit_linkedin audit_mastodon audit_bluesky audit_text audit_zip)

run_fuzz() {
  local seconds=${1:-600}
  [[ $seconds =~ ^[1-9][0-9]*$ ]] || die "fuzz: SECONDS must be a positive whole number, got '$seconds'"
  setup_fuzz
  # No sanitizer by default: the project's crates have no unsafe code, so AddressSanitizer
  # (which works here) only watches dependencies, and it cut executions per second about
  # 3.5 times; IMPARTIAL_FUZZ_SANITIZER=address turns it on.
  local sanitizer=${IMPARTIAL_FUZZ_SANITIZER:-none}
  local fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz)
  local opts=(--fuzz-dir crate/fuzz --target-dir "$ROOT/target/fuzz-build" --debug-assertions --sanitizer "$sanitizer")
  say "fuzz targets (cargo fuzz build: sanitizer $sanitizer, debug assertions and overflow checks on)"
  "${fuzz[@]}" build "${opts[@]}"
  rm -rf target/fuzz-seeds
  python3 crate/fuzz/seeds.py target/fuzz-seeds
  mkdir -p target/fuzz-logs
  local target max_len timeout dict corpus artifacts log stamp status start took execs units size crashes failed=() rows=()
  local targets
  read -ra targets <<<"${IMPARTIAL_FUZZ_TARGETS:-${FUZZ_TARGETS[*]}}" # e.g. "check settings"
  for target in "${targets[@]}"; do
    [[ " ${FUZZ_TARGETS[*]} " == *" $target "* ]] || die "fuzz: no target '$target' (targets: ${FUZZ_TARGETS[*]})"
    # The instrumented build is about 15 times slower than a release build: a 1 MB file of
    # flagged posts takes over a second to audit, so archives get 5 s (quadratic behaviour
    # on 1 MB would take minutes).
    case $target in
      check|settings) max_len=65536 timeout=2 ;;
      *) max_len=1048576 timeout=5 ;;
    esac
    dict=()
    [ ! -f "crate/fuzz/dicts/$target.dict" ] || dict=(-dict="crate/fuzz/dicts/$target.dict")
    corpus=target/fuzz-corpus/$target artifacts=target/fuzz-artifacts/$target log=target/fuzz-logs/$target.log
    mkdir -p "$corpus" "$artifacts"
    stamp=$(mktemp)
    say "fuzzing $target for ${seconds}s (inputs up to $max_len bytes and ${timeout}s; log: $log)"
    start=$(date +%s) status=0
    "${fuzz[@]}" run "${opts[@]}" "$target" "$corpus" "target/fuzz-seeds/$target" -- \
      -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" >"$log" 2>&1 || status=$?
    took=$(( $(date +%s) - start ))
    # The final stats, or (after a crash, which skips them) the last status line's count.
    execs=$(awk '/^stat::number_of_executed_units:/ {print $NF}' "$log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    units=$(find "$corpus" -type f | wc -l)
    size=$(find "$corpus" -type f -printf '%s\n' | awk '{n += $1} END {printf "%d", (n + 1023) / 1024}')
    crashes=$(find "$artifacts" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    rm -f "$stamp"
    if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then
      failed+=("$target")
      grep -E '^(==[0-9]+==ERROR|thread .* panicked|panicked at|SUMMARY|ALARM|artifact_prefix|Test unit written)' "$log" | head -20 >&2 || true
    fi
    rows+=("$(printf '%-16s %12s %8s %8s %10s %8s%s' "$target" "${execs:-?}" "$took" "$units" "$size" "$crashes" \
      "$([ "$status" = 0 ] || echo "  (exit $status)")")")
  done
  printf '\n%-16s %12s %8s %8s %10s %8s\n' target executions seconds corpus "corpus KB" crashes
  printf '%s\n' "${rows[@]}"
  if [ "${#failed[@]}" != 0 ]; then
    die "fuzzing found problems in: ${failed[*]} (inputs in target/fuzz-artifacts/<target>/, logs in target/fuzz-logs/;
reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run ${opts[*]} TARGET INPUT)"
  fi
}

case "${1:-build}" in
  build) build_all ;;
  setup) setup; setup_browsers; setup_cargo_deny; setup_fuzz ;;
  test) run_tests ;;
  bench) run_bench ;;
  eval) run_eval ;;
  train) run_train ;;
  fuzz) run_fuzz "${2:-600}" ;;
  *) die "unknown command '$1' (use: build, test, bench, eval, train, fuzz, setup)" ;;
esac
