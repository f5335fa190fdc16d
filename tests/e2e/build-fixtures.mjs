// Bundles the fixture pages in tests/e2e/fixtures/<name>/ (index.html + main.jsx
// or main.js) with esbuild into tests/e2e/.build/fixtures/<name>/ (index.html,
// main.js and main.css when the page imports library CSS).
//
//   node tests/e2e/build-fixtures.mjs          # build; exits 1 with a message on failure
//   import { buildFixtures } from './build-fixtures.mjs'; await buildFixtures();
//
// Idempotent: the output directory is rebuilt from scratch on every run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES_SRC = path.join(HERE, 'fixtures');
export const FIXTURES_OUT = path.join(HERE, '.build', 'fixtures');

/** Fixture directories: every fixtures/<name>/ with an index.html (names starting with "_" are shared code). */
export function listFixtures() {
  return readdirSync(FIXTURES_SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .map((d) => d.name)
    .filter((name) => existsSync(path.join(FIXTURES_SRC, name, 'index.html')))
    .sort();
}

function entryFor(name) {
  for (const file of ['main.jsx', 'main.js']) {
    const p = path.join(FIXTURES_SRC, name, file);
    if (existsSync(p)) return p;
  }
  throw new Error(`fixture "${name}" has an index.html but no main.jsx or main.js`);
}

/**
 * Build every fixture. Resolves to { outDir, fixtures: [names] }; rejects with a
 * readable Error if anything fails (esbuild errors, missing files, broken links).
 */
export async function buildFixtures({ outDir = FIXTURES_OUT } = {}) {
  const fixtures = listFixtures();
  if (fixtures.length === 0) throw new Error(`no fixtures found in ${FIXTURES_SRC}`);
  const entryPoints = fixtures.map((name) => ({ in: entryFor(name), out: `${name}/main` }));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  let result;
  try {
    result = await esbuild.build({
      entryPoints,
      outdir: outDir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      charset: 'utf8',
      jsx: 'automatic',
      // The .jsx loader is esbuild's default for .jsx files only, i.e. just our
      // own fixture sources; dependencies' .js files keep the plain js loader.
      loader: { '.jsx': 'jsx' },
      define: {
        'process.env.NODE_ENV': '"production"',
        // draft-js (fbjs/lib/setImmediate, getVisibleSelectionRect, ...) reads `global`.
        global: 'globalThis',
      },
      legalComments: 'none',
      logLevel: 'silent',
      write: true,
    });
  } catch (err) {
    const msgs = err && err.errors
      ? (await esbuild.formatMessages(err.errors, { kind: 'error', color: false })).join('\n')
      : String(err && err.stack || err);
    throw new Error(`esbuild failed:\n${msgs}`);
  }
  if (result.warnings.length) {
    const msgs = await esbuild.formatMessages(result.warnings, { kind: 'warning', color: false });
    process.stderr.write(`build-fixtures: esbuild warnings:\n${msgs.join('\n')}\n`);
  }

  for (const name of fixtures) {
    const src = path.join(FIXTURES_SRC, name, 'index.html');
    const dst = path.join(outDir, name, 'index.html');
    await copyFile(src, dst);
    // Every local src/href in the page must have been produced by the build.
    const html = readFileSync(src, 'utf8');
    // Pages use root-relative refs ("/main.js") so SPA-style deep paths work too.
    for (const m of html.matchAll(/\s(?:src|href)="([^"#?:]+)"/g)) {
      const ref = m[1];
      if (ref.startsWith('//')) continue;
      if (!existsSync(path.join(outDir, name, ref.replace(/^\/+/, '')))) {
        throw new Error(`fixture "${name}": index.html references "${ref}", which the build did not produce`);
      }
    }
  }
  return { outDir, fixtures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const t0 = Date.now();
  buildFixtures().then(
    ({ outDir, fixtures }) => {
      process.stdout.write(`build-fixtures: built ${fixtures.length} fixtures (${fixtures.join(', ')}) into ${path.relative(process.cwd(), outDir) || outDir} in ${Date.now() - t0} ms\n`);
    },
    (err) => {
      process.stderr.write(`build-fixtures: FAILED: ${err.message}\n`);
      process.exit(1);
    },
  );
}
