// HTTPS server for the end-to-end fixture pages (built by ../build-fixtures.mjs).
//
//   const srv = await startServer({ root: 'tests/e2e/.build/fixtures' });
//   chromium.launch({ args: ['--ignore-certificate-errors', `--host-resolver-rules=${srv.hostResolverRules}`] });
//   await page.goto('https://x.com/');   // -> the x fixture
//   await srv.close();
//
// The fixture is chosen by the request's Host header (see HOSTS); any other host
// (e.g. 127.0.0.1) gets an index page listing the fixtures. Paths without a file
// extension serve the fixture's index.html (SPA-style, so https://x.com/compose/post
// works too); other paths serve files from the fixture directory.
// The certificate is self-signed for every host in HOSTS (+ localhost, 127.0.0.1),
// made with the openssl CLI once and cached in tests/e2e/.build/cert/.
// Logs nothing unless a request fails (404, 500).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E = path.resolve(HERE, '..');
const DEFAULT_ROOT = path.join(E2E, '.build', 'fixtures');
const CERT_DIR = path.join(E2E, '.build', 'cert');

/** Host name -> fixture name. */
export const HOSTS = Object.freeze({
  'x.com': 'x',
  'twitter.com': 'x',
  'www.facebook.com': 'facebook',
  'www.threads.com': 'threads',
  'www.threads.net': 'threads',
  'www.linkedin.com': 'linkedin',
  'bsky.app': 'bluesky',
  'mastodon.social': 'mastodon',
  'www.reddit.com': 'reddit',
});

/** Fixture name -> the canonical host to open it at (first host listed for it). */
export const FIXTURE_HOST = Object.freeze(
  Object.entries(HOSTS).reduce((acc, [host, name]) => (acc[name] ??= host, acc), {}),
);

// x.com serves a strict CSP; mirror its shape (external scripts only), with Trusted Types
// enforced, so every x.com test shows the extension working under both.
const X_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; require-trusted-types-for 'script'";
const CSP_BY_FIXTURE = { x: X_CSP };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

function certNames() {
  return [...Object.keys(HOSTS), 'localhost'];
}

/** Returns { key, cert } PEM buffers, creating and caching them on first use. */
function ensureCert() {
  const names = certNames();
  const stamp = JSON.stringify({ names, ip: ['127.0.0.1'] });
  const keyFile = path.join(CERT_DIR, 'key.pem');
  const certFile = path.join(CERT_DIR, 'cert.pem');
  const stampFile = path.join(CERT_DIR, 'names.json');
  try {
    if (readFileSync(stampFile, 'utf8') === stamp) {
      return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
    }
  } catch { /* not cached yet */ }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'impartial-cert-'));
  try {
    const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
        '-subj', '/CN=Impartial e2e fixtures',
        '-addext', `subjectAltName=${san}`,
        '-addext', 'extendedKeyUsage=serverAuth',
        '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem'),
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const detail = err.stderr ? String(err.stderr).trim() : err.message;
      throw new Error(`startServer: could not create a self-signed certificate with openssl: ${detail}`);
    }
    writeFileSync(path.join(tmp, 'names.json'), stamp);
    const key = readFileSync(path.join(tmp, 'key.pem'));
    const cert = readFileSync(path.join(tmp, 'cert.pem'));
    // Cache it; copy then rename so a concurrent run never sees half a file.
    mkdirSync(CERT_DIR, { recursive: true });
    for (const f of ['key.pem', 'cert.pem', 'names.json']) {
      const part = path.join(CERT_DIR, `${f}.${process.pid}.part`);
      copyFileSync(path.join(tmp, f), part);
      renameSync(part, path.join(CERT_DIR, f));
    }
    return { key, cert };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function indexPage(root) {
  const rows = Object.entries(HOSTS).map(([host, name]) => {
    const built = existsSync(path.join(root, name, 'index.html'));
    return `<li><a href="https://${host}/">${escapeHtml(host)}</a> &rarr; ${escapeHtml(name)}${built ? '' : ' <em>(not built)</em>'}</li>`;
  }).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Impartial e2e fixtures</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em}</style></head><body>
<h1>Impartial e2e fixtures</h1>
<p>Open these with Chromium's <code>--host-resolver-rules</code> pointing at this server.</p>
<ul>
${rows}
</ul></body></html>`;
}

/**
 * Start the fixture server on 127.0.0.1 (free port).
 * @param {{ root?: string }} [opts] root: the built fixtures dir (default tests/e2e/.build/fixtures)
 * @returns {Promise<{ port: number, close: () => Promise<void>, hostResolverRules: string }>}
 */
export async function startServer({ root = DEFAULT_ROOT } = {}) {
  root = path.resolve(root);
  if (!existsSync(root)) {
    throw new Error(`startServer: fixture root ${root} does not exist (run node tests/e2e/build-fixtures.mjs first)`);
  }
  const { key, cert } = ensureCert();

  const server = https.createServer({ key, cert }, async (req, res) => {
    const fail = (status, why) => {
      process.stderr.write(`[fixture-server] ${status} ${req.method} https://${req.headers.host || '?'}${req.url}${why ? ` (${why})` : ''}\n`);
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`${status}\n`);
    };
    try {
      const host = String(req.headers.host || '').toLowerCase().replace(/:\d+$/, '');
      const fixture = HOSTS[host];
      const url = new URL(req.url, 'https://fixture.invalid');
      const pathname = decodeURIComponent(url.pathname);

      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
      if (pathname === '/favicon.ico') {
        res.writeHead(204, { 'Cache-Control': 'max-age=3600' });
        return res.end();
      }
      if (!fixture) {
        if (pathname !== '/' && pathname !== '/index.html') return fail(404, 'unknown host; only / is served');
        res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' });
        return res.end(req.method === 'HEAD' ? undefined : indexPage(root));
      }

      const dir = path.join(root, fixture);
      const rel = path.extname(pathname) === '' ? 'index.html' : pathname.replace(/^\/+/, '');
      const file = path.resolve(dir, rel);
      if (file !== dir && !file.startsWith(dir + path.sep)) return fail(403, 'outside the fixture');
      let body;
      try {
        body = await readFile(file);
      } catch {
        return fail(404, `no ${path.relative(root, file)}`);
      }
      const headers = {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      };
      const csp = CSP_BY_FIXTURE[fixture];
      if (csp) headers['Content-Security-Policy'] = csp;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      fail(500, err && err.message);
    }
  });
  // Silence TLS handshake noise from aborted connections; real failures show as request errors.
  server.on('tlsClientError', () => {});

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const hostResolverRules = Object.keys(HOSTS).map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', ');

  let closing;
  const close = () => (closing ??= new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // browsers keep connections alive; don't wait for them
  }));

  return { port, close, hostResolverRules };
}
