// The wasm engine as the extension uses it, run in Node from the nodejs-target package that
// ./build.sh writes to target/wasm-node. Checks what crosses the boundary: plain objects,
// UTF-16 offsets, errors as exceptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { CompiledEngine } = require('../../target/wasm-node/impartial_wasm.js');

const profile = { policy: 'uk-civil-service', employer: 'HM Revenue and Customs', aliases: ['HMRC'] };

test('a finding crosses the boundary as a plain object with UTF-16 offsets', () => {
  const engine = new CompiledEngine(profile);
  const text = '👩‍💻 I work at HMRC and love it';
  const findings = engine.check(text, 'standard');
  const employer = findings.find((f) => f.category === 'disclosure');
  assert.ok(employer, `no disclosure in ${JSON.stringify(findings)}`);
  assert.equal(text.slice(employer.start, employer.end), employer.text);
  assert.match(employer.text, /HMRC/);
  assert.equal(typeof employer.source.url, 'string');
});

test('off shows nothing', () => {
  const engine = new CompiledEngine(profile);
  assert.deepEqual(engine.check('I work at HMRC', 'off'), []);
});

test('an unknown strictness is an error naming the field', () => {
  const engine = new CompiledEngine(profile);
  assert.throws(() => engine.check('text', 'loud'), /strictness/);
});

test('a profile with an unknown field is rejected, naming it', () => {
  assert.throws(() => new CompiledEngine({ ...profile, employr: 'typo' }), /employr/);
  // The JSON text behind an object is the engine's own: its positions would mean nothing.
  assert.throws(() => new CompiledEngine({ ...profile, employr: 'typo' }), (e) => !/ at line \d+ column \d+/.test(e.message));
});

test('a profile that is not plain data is rejected with a reason, and its JSON text is accepted', () => {
  const cyclic = { ...profile };
  cyclic.self = cyclic;
  assert.throws(() => new CompiledEngine(cyclic), /^Error: profile: not plain data/);
  assert.throws(() => new CompiledEngine({ ...profile, aliases: [1n] }), /profile: not plain data/);
  const fromText = new CompiledEngine(JSON.stringify(profile));
  assert.deepEqual(fromText.check('I work at HMRC', 'strict'), new CompiledEngine(profile).check('I work at HMRC', 'strict'));
  assert.ok(fromText.check('I work at HMRC', 'strict').length > 0);
});
