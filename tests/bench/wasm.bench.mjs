// The engine through the wasm package in Node (what the extension's background runs), on
// the inputs of the native criterion benchmarks, read from the JSON that
// crate/core/examples/bench_inputs writes (the same posts and profiles, not a copy of
// their generator). When criterion has run first in the same `./build.sh bench`, each row
// also shows criterion's median and the ratio wasm/native (issue #3: at most 3x).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { CompiledEngine } = require(join(root, 'target/wasm-node/impartial_wasm.js'));

const inputsPath = join(root, 'target/bench-inputs.json');
if (!existsSync(inputsPath)) {
  console.error(`${inputsPath} is missing: run ./build.sh bench (it writes it with cargo run --example bench_inputs)`);
  process.exit(2);
}
const inputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
const POST_280 = inputs.post_280;
const POST_280_POLITICAL = inputs.post_280_political;

/** Median time of one call of `run` in µs, over `rounds` rounds of `iterations` calls. */
function median(run, { iterations, rounds = 15 }) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    times.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Criterion's median for benchmark `name` (its directory) in µs, or undefined when it has not run. */
function nativeMedian(name) {
  const file = join(root, 'target/criterion', name, 'new/estimates.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')).median.point_estimate / 1000;
}

const withTerms = new CompiledEngine(inputs.profile_1000);
const corpusBytes = inputs.corpus.reduce((sum, post) => sum + Buffer.byteLength(post), 0);
const checkCorpus = () => {
  let findings = 0;
  for (const post of inputs.corpus) findings += withTerms.check(post, 'strict').length;
  return findings;
};
const rows = [
  ['check/280-char post, uk-civil-service + 1,000 custom terms', median(() => withTerms.check(POST_280, 'strict'), { iterations: 2000 })],
  ['check/280-char political post, scored', median(() => withTerms.check(POST_280_POLITICAL, 'strict'), { iterations: 1000 })],
  ['check/63,206-char post', median(() => withTerms.check(inputs.long, 'strict'), { iterations: 5 })],
  ['throughput/2,000 short posts', median(checkCorpus, { iterations: 2 })],
  ['compile/settings with 10,000 custom terms', median(() => new CompiledEngine(inputs.profile_10000).free(), { iterations: 1, rounds: 5 })],
];
const show = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);
console.log('\nEngine through wasm in Node against native (criterion) on the same inputs, medians:');
for (const [name, wasm] of rows) {
  const native = nativeMedian(name);
  const rate = name.startsWith('throughput') ? `  (${(corpusBytes / wasm).toFixed(1)} MB/s)` : '';
  const against = native === undefined ? 'native: run cargo bench first' : `native ${show(native).padStart(9)}  ratio ${(wasm / native).toFixed(2)}x`;
  console.log(`  ${name.padEnd(60)} wasm ${show(wasm).padStart(9)}  ${against}${rate}`);
}

// Hostile sizes (issue #8): each must stay bounded. One post of 1 MB (the background's cap,
// MAX_CHECK_CHARS) with findings all through it; 10,000 emoji (ZWJ families and flags) around
// a finding; and 100,000 custom terms, compiled and then used.
const plain = new CompiledEngine({ ...inputs.profile_1000, custom_terms: [] });
const MIXED = 'Quiet Sunday. I work at HMRC and the Tories are a disgrace 😅 views my own. #VoteLabour ';
const MEGA = MIXED.repeat(Math.ceil(1_000_000 / MIXED.length)).slice(0, 1_000_000);
const EMOJI = '👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿🇬🇧😀'.repeat(2500) + ' I work at HMRC ' + '🎉'.repeat(2500);
const count = (engine, text) => engine.check(text, 'strict').length;
const hostile = [];
let findings = 0;
hostile.push(['check/1,000,000-char post, findings throughout', median(() => { findings = count(plain, MEGA); }, { iterations: 1, rounds: 5 }) / 1000, 'ms', `${findings} findings`]);
hostile.push(['check/10,000 emoji around one finding', median(() => { findings = count(plain, EMOJI); }, { iterations: 20 }) / 1000, 'ms', `${findings} findings`]);
let huge;
hostile.push(['compile/settings with 100,000 custom terms', median(() => { huge?.free(); huge = new CompiledEngine(inputs.profile_100000); }, { iterations: 1, rounds: 3 }) / 1000, 'ms', '']);
hostile.push(['check/280-char post with 100,000 custom terms', median(() => { findings = count(huge, POST_280); }, { iterations: 500 }), 'µs', `${findings} findings`]);
console.log('\nHostile sizes through wasm in Node (medians; bounded, no targets):');
for (const [name, value, unit, note] of hostile) console.log(`  ${name.padEnd(60)} ${value.toFixed(2)} ${unit}  ${note}`);
