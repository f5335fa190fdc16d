// The audit entry point of the wasm package (crate/wasm/src/audit.rs), as the options page's
// audit worker calls it, run in Node from the nodejs-target package in target/wasm-node:
// settings and policy applied, progress and cancel through the callback, the report as JSON
// with UTF-16 spans, HTML and CSV from the same run, and input errors naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { zip } from '../e2e/lib/zip.mjs';

const require = createRequire(import.meta.url);
const { audit_archive } = require('../../target/wasm-node/impartial_wasm.js');

const settings = {
  version: 1,
  profile: { policy: 'uk-civil-service', employer: 'HM Revenue and Customs', aliases: ['HMRC'], role: null, custom_terms: [], allowed_phrases: [], disabled_rules: [] },
  sites: { x: 'standard' }, enabled_sites: ['x'], pause_until: null,
};
const ytd = (name, value) => `window.YTD.${name}.part0 = ${JSON.stringify(value)}`;
const archive = () => zip([
  ['data/tweets.js', ytd('tweets', [
    { tweet: { id_str: '1', full_text: '👩‍💻 Honestly, vote Labour!', created_at: 'Tue Mar 05 19:30:00 +0000 2024' } },
    { tweet: { id_str: '2', full_text: 'Lovely walk by the river', created_at: 'Mon Mar 04 19:30:00 +0000 2024' } },
  ])],
  ['data/account.js', ytd('account', [{ account: { username: 'jo' } }])],
  ['data/profile.js', ytd('profile', [{ profile: { description: { bio: 'Policy adviser at HMRC' } } }])],
]);
const ignore = () => true;

test('an X archive: the report as JSON, spans in UTF-16, the bio attributing, HTML and CSV', () => {
  const progress = [];
  const run = audit_archive('x.zip', archive(), settings, undefined, (p) => { progress.push(p); return true; });
  const report = JSON.parse(run.reportJson());
  assert.equal(report.posts_read, 2);
  assert.equal(report.flagged.length, 1);
  const [post] = report.flagged;
  assert.equal(post.url, 'https://x.com/jo/status/1');
  assert.equal(post.attributable, true);
  assert.ok(post.findings.some((f) => post.text.slice(f.start, f.end) === f.text && f.text === 'vote Labour'));
  assert.ok(report.bios.some((b) => b.names_employer));
  assert.match(report.context, /uk-civil-service, employer HM Revenue and Customs/);
  assert.deepEqual(run.report().flagged.map((p) => p.id), ['1'], 'the plain-object form agrees');
  assert.ok(progress.length >= 1 && progress.at(-1).files_done === progress.at(-1).files_total);
  assert.match(run.html(), /Content-Security-Policy/);
  assert.match(run.csv().split('\n')[0], /^rank,risk/);
  run.free();
});

test('the strictness in force: an organisation minimum raises a relaxed site', () => {
  const relaxed = { ...settings, sites: { x: 'relaxed' } };
  const low = JSON.parse(audit_archive('x.zip', archive(), relaxed, undefined, ignore).reportJson());
  const strict = JSON.parse(audit_archive('x.zip', archive(), relaxed, { minimum_strictness: { x: 'strict' } }, ignore).reportJson());
  const count = (r) => r.flagged.reduce((n, p) => n + p.findings.length, 0);
  assert.ok(count(strict) >= count(low));
  assert.ok(low.flagged.flatMap((p) => p.findings).every((f) => f.severity === 'high'), 'relaxed shows high findings only');
});

test('returning false from the progress callback cancels', () => {
  assert.throws(() => audit_archive('x.zip', archive(), settings, undefined, () => false), /cancelled/);
});

test('a corrupt zip and a wrong file: errors naming the file and what was expected', () => {
  assert.throws(() => audit_archive('broken.zip', Buffer.from('PK\x03\x04 not really'), settings, undefined, ignore), /broken\.zip.*expected/s);
  assert.throws(() => audit_archive('tweets.js', Buffer.from('{"foo": 1}'), settings, undefined, ignore), /tweets\.js.*expected/s);
  assert.throws(() => audit_archive('x.zip', archive(), { version: 1, sites: { x: 'loud' } }, undefined, ignore), /sites\.x/);
});
