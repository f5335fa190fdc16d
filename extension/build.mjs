// Bundles the extension's TypeScript with esbuild and lays out dist/chrome and dist/firefox.
// Content scripts cannot be ES modules, so every entry is an IIFE bundle.
//
//   node extension/build.mjs            (after the wasm package exists in crate/wasm/pkg)
//   node extension/build.mjs --test PKG (dist/chrome-test: the wasm package PKG, built with
//                                        the fault-switch feature, and the content script's
//                                        fault switch; for the end-to-end tests only)

import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_BUILD = process.argv[2] === '--test';
const PKG = TEST_BUILD ? path.resolve(process.argv[3] ?? '') : path.join(ROOT, 'crate/wasm/pkg');
const FAULTS = path.join(ROOT, TEST_BUILD ? 'extension/src/test/faults.ts' : 'extension/src/shared/faults.ts');
const ENTRIES = {
  background: 'extension/src/background/main.ts',
  content: 'extension/src/content/main.ts',
  popup: 'extension/src/popup/main.ts',
  options: 'extension/src/options/main.ts',
  // The options page's footprint audit runs here, off the page's main thread.
  'audit-worker': 'extension/src/audit-worker/main.ts',
};
// HTML, CSS and the managed-storage schema, copied to the top of each dist folder.
const PAGES = path.join(ROOT, 'extension/pages');

async function bundle(outdir, browser) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox128'],
    alias: { 'impartial-engine': path.join(PKG, 'impartial_wasm.js'), 'impartial-faults': FAULTS },
    // wasm-bindgen's default URL uses import.meta.url; we always pass the URL explicitly.
    // Firefox (ESR 140) paints a ::highlight's background but not its text-decoration, so
    // there the underlines are drawn as boxes instead (content/highlights.ts).
    define: { 'import.meta.url': '""', HIGHLIGHTS_DRAW_UNDERLINES: String(browser !== 'firefox') },
    logLevel: 'warning',
    legalComments: 'none',
  });
}

for (const browser of TEST_BUILD ? ['chrome'] : ['chrome', 'firefox']) {
  const out = path.join(ROOT, 'dist', TEST_BUILD ? 'chrome-test' : browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'engine'), { recursive: true });
  await bundle(out, browser);
  cpSync(path.join(PKG, 'impartial_wasm_bg.wasm'), path.join(out, 'engine/impartial_wasm_bg.wasm'));
  cpSync(PAGES, out, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
  // Firefox has no manifest key for a managed-storage schema: policies.json carries the
  // values (see the README), so the key would only be an "unexpected property" warning.
  if (browser === 'firefox') delete manifest.storage;
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}
console.log(TEST_BUILD ? 'extension: test build bundled into dist/chrome-test' : 'extension: bundled into dist/chrome and dist/firefox');
