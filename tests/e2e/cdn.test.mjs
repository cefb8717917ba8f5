// The package loaded from another origin, as from a CDN: the page on one
// origin loads videoid-capture.js from a second origin that sends CORS
// headers, with Subresource Integrity on the module (its `integrity`) and on
// the two modules it imports (an import map's `integrity`). The wasm, the
// language file and the handoff's chunk must come from that second origin,
// relative to the module. A changed file is refused by its hash.
// Its own two small servers: the page with a stub handoff endpoint, and the package.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { launchBrowser, STEP_TIMEOUT_MS } from './helpers.mjs';
import { sri } from '../../scripts/sri.mjs';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

let site;
let cdn;
let origin;
let cdnOrigin;
let browser;
const cdnRequests = [];
// The package file the second origin changes on its way, per test.
let tamper = null;

const hash = (file) => sri(readFileSync(path.join(pkg, file)));

function page(base) {
  const integrity = {
    [`${base}/videoid_capture.js`]: hash('videoid_capture.js'),
    [`${base}/styles.js`]: hash('styles.js'),
  };
  const importMap = JSON.stringify({ integrity });
  // The inline import map is allowed by its own hash in a strict script-src.
  const mapHash = createHash('sha256').update(importMap).digest('base64');
  const csp = `default-src 'none'; script-src 'self' ${cdnOrigin} 'wasm-unsafe-eval' 'sha256-${mapHash}'; `
    + `connect-src 'self' ${cdnOrigin}; style-src 'self'; img-src 'self' data:`;
  return {
    csp,
    html: `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>cdn</title>
<script type="importmap">${importMap}</script>
<script type="module" crossorigin="anonymous" integrity="${hash('videoid-capture.js')}" src="${base}/videoid-capture.js"></script>
<script type="module" src="/page.js"></script>
</head><body><videoid-capture handoff="always" session-endpoint="${origin}/api/session"
  handoff-endpoint="${origin}/api/handoff"></videoid-capture></body></html>`,
  };
}

const PAGE_JS = `window.__events = [];
for (const name of ["videoid-ready", "videoid-state", "videoid-failed", "videoid-handoff"]) {
  document.querySelector("videoid-capture").addEventListener(name, (e) => window.__events.push({ name, detail: e.detail }));
}`;

before(async () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  cdn = http.createServer((req, res) => {
    const url = new URL(req.url, cdnOrigin);
    cdnRequests.push(url.pathname);
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const rel = path.normalize(url.pathname.replace(/^\/videoid-capture@[^/]+\//, '')).replace(/^(\.\.[/\\])+/, '');
    const file = path.join(pkg, rel);
    if (!url.pathname.startsWith('/videoid-capture@') || !existsSync(file)) {
      res.writeHead(404, headers);
      return res.end();
    }
    let body = readFileSync(file);
    // A file changed on its way (a compromised CDN, a proxy that rewrites).
    if (rel === tamper) body = Buffer.concat([body, Buffer.from('\n;globalThis.__tampered = true;\n')]);
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  site = http.createServer((req, res) => {
    const url = new URL(req.url, origin);
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    const base = `${cdnOrigin}/videoid-capture@0.1.0`;
    if (url.pathname === '/') {
      const { html, csp } = page(base);
      return send(200, 'text/html', html, { 'content-security-policy': csp });
    }
    if (url.pathname === '/page.js') return send(200, TYPES['.js'], PAGE_JS);
    if (url.pathname === '/api/handoff' && req.method === 'POST') {
      return send(200, 'application/json', JSON.stringify({ id: 'h1', url: `${origin}/phone/h1-token`, expiresIn: 600 }));
    }
    if (url.pathname.startsWith('/api/handoff/')) return send(200, 'application/json', JSON.stringify({ id: 'h1', status: 'waiting' }));
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  cdnOrigin = `http://127.0.0.1:${cdn.address().port}`;
  origin = `http://127.0.0.1:${site.address().port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close().catch(() => {});
  await new Promise((resolve) => site?.close(resolve));
  await new Promise((resolve) => cdn?.close(resolve));
});

test('from another origin with CORS and integrity: the wasm, the language and the chunk load from there; the handoff runs', async () => {
  cdnRequests.length = 0;
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await tab.goto(origin);
    await tab.waitForFunction(() => window.__events?.some((e) => e.name === 'videoid-ready'), null, { timeout: STEP_TIMEOUT_MS });
    // The page's language: German, from i18n/de.json beside the module.
    await tab.locator('videoid-capture').locator('[part~="start-button"]').filter({ hasText: 'Verifizierung starten' })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await tab.evaluate(() => { document.querySelector('videoid-capture').start().catch(() => {}); });
    const qr = tab.locator('videoid-capture').locator('[part~="handoff-qr"]');
    await qr.waitFor({ timeout: STEP_TIMEOUT_MS });
    const png = PNG.sync.read(await qr.screenshot());
    assert.equal(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, `${origin}/phone/h1-token`);
    const fetched = new Set(cdnRequests.map((p) => p.replace(/^\/videoid-capture@[^/]+\//, '')));
    for (const file of ['videoid-capture.js', 'styles.js', 'videoid_capture.js', 'videoid_capture_bg.wasm', 'i18n/de.json', 'videoid_capture_handoff.wasm']) {
      assert.ok(fetched.has(file), `${file} came from the other origin (it sent: ${[...fetched].join(', ')})`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const file of ['videoid-capture.js', 'styles.js']) {
  test(`${file} changed on its way is refused by its integrity (${file === 'styles.js' ? 'the import map\'s' : 'the script\'s'}): nothing runs, and the page says why`, async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors = [];
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    tamper = file;
    try {
      const refused = tab.waitForEvent('console', { predicate: (m) => /integrity/i.test(m.text()), timeout: STEP_TIMEOUT_MS });
      await tab.goto(origin);
      await refused;
      assert.equal(await tab.evaluate(() => customElements.get('videoid-capture') === undefined && globalThis.__tampered === undefined), true,
        'the changed module did not run, nor the module that imports it');
      assert.ok(errors.some((e) => /integrity/i.test(e)), `the console names the integrity check: ${errors}`);
    } finally {
      tamper = null;
      await context.close();
    }
  });
}
