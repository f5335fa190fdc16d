// The engine through the wasm package in Node (what the extension's background runs), on
// the inputs of the native criterion benchmarks (crate/core/benches/check.rs), so
// `./build.sh bench` prints both and their ratio can be read off one run.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { CompiledEngine } = require('../../target/wasm-node/impartial_wasm.js');

const FIRST = ['Alice', 'Bilal', 'Chen', 'Dana', 'Eamon', 'Fatima', 'Gareth', 'Hana', 'Ivan', 'Jo', 'Kwame', 'Lena'];
const LAST = ['Smith', 'Okafor', 'Wright', 'Patel', 'Jones', 'Nowak', 'Evans', 'Khan', 'Murphy', 'Taylor', 'Clarke', 'Singh'];
const CODE = ['falcon', 'heron', 'kestrel', 'osprey', 'merlin', 'harrier', 'raven', 'swift', 'wren', 'lark', 'owl', 'kite'];
const customTerms = (n) => Array.from({ length: n }, (_, i) => (i % 2 === 0
  ? { pattern: `${FIRST[i % 12]} ${LAST[(i * 7) % 12]}${i}`, category: 'conduct' }
  : { pattern: `project ${CODE[(i * 5) % 12]}${i}`, category: 'confidential' }));

const POST_280 = "Long day at the office 😅 Honestly the new guidance on claims is a mess, but the team "
  + "pulled through. Can't wait for annual leave next week: green tea, a good book and no Teams calls. "
  + 'Big thanks to everyone who came to the leaving party on Friday! #WorkLife #Grateful see you soon x';
const SENTENCE = 'We spent the weekend walking in the Peak District and the weather held up beautifully. ';
const LONG = SENTENCE.repeat(Math.ceil(63206 / SENTENCE.length)).slice(0, 63206);

function median(run, { iterations, rounds = 15 }) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    times.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const profile = { policy: 'uk-civil-service', employer: 'HM Revenue and Customs', aliases: ['HMRC'], role: 'Grade 7' };
const withTerms = new CompiledEngine({ ...profile, custom_terms: customTerms(1000) });
const plain = new CompiledEngine(profile);
const rows = [
  ['check/280-char post, uk-civil-service + 1,000 custom terms', median(() => withTerms.check(POST_280, 'strict'), { iterations: 2000 }), 'µs'],
  ['check/63,206-char post', median(() => plain.check(LONG, 'strict'), { iterations: 5 }) / 1000, 'ms'],
  ['compile/settings with 10,000 custom terms', median(() => new CompiledEngine({ ...profile, custom_terms: customTerms(10000) }).free(), { iterations: 1, rounds: 5 }) / 1000, 'ms'],
];
console.log('\nEngine through wasm in Node (medians):');
for (const [name, value, unit] of rows) console.log(`  ${name.padEnd(60)} ${value.toFixed(2)} ${unit}`);

// Hostile sizes (issue #8): each must stay bounded. One post of 1 MB (the background's cap,
// MAX_CHECK_CHARS) with findings all through it; 10,000 emoji (ZWJ families and flags) around
// a finding; and 100,000 custom terms, compiled and then used.
const MIXED = 'Quiet Sunday. I work at HMRC and the Tories are a disgrace 😅 views my own. #VoteLabour ';
const MEGA = MIXED.repeat(Math.ceil(1_000_000 / MIXED.length)).slice(0, 1_000_000);
const EMOJI = '👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿🇬🇧😀'.repeat(2500) + ' I work at HMRC ' + '🎉'.repeat(2500);
const count = (engine, text) => engine.check(text, 'strict').length;
const hostile = [];
let findings = 0;
hostile.push(['check/1,000,000-char post, findings throughout', median(() => { findings = count(plain, MEGA); }, { iterations: 1, rounds: 5 }) / 1000, 'ms', `${findings} findings`]);
hostile.push(['check/10,000 emoji around one finding', median(() => { findings = count(plain, EMOJI); }, { iterations: 20 }) / 1000, 'ms', `${findings} findings`]);
let huge;
hostile.push(['compile/settings with 100,000 custom terms', median(() => { huge?.free(); huge = new CompiledEngine({ ...profile, custom_terms: customTerms(100000) }); }, { iterations: 1, rounds: 3 }) / 1000, 'ms', '']);
hostile.push(['check/280-char post with 100,000 custom terms', median(() => { findings = count(huge, POST_280); }, { iterations: 500 }), 'µs', `${findings} findings`]);
console.log('\nHostile sizes through wasm in Node (medians; bounded, no targets):');
for (const [name, value, unit, note] of hostile) console.log(`  ${name.padEnd(60)} ${value.toFixed(2)} ${unit}  ${note}`);
