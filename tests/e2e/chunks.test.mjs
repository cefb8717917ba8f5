// Lazily loaded wasm chunks, on the built package in Chromium, with a page
// under a strict CSP (no 'unsafe-eval', only 'wasm-unsafe-eval'): an embed
// page never fetches a chunk; the handoff fetches its chunk (the QR encoder)
// once, before the QR code is drawn, and the code read back from the screen
// is the link; a chunk that fails to load is a recoverable
// `Network.Unreachable`, and the retry fetches it again (here from a server
// with the wrong MIME type, so the non-streaming path is taken too).
// Its own small server: the package's files and a stub handoff endpoint.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { launchBrowser } from './helpers.mjs';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
  + "style-src 'self'; img-src 'self' data:; frame-src 'self'";

let server;
let origin;
let browser;
// Per test: how the chunk files are served, and what was asked.
let chunkFaults = 0;
let chunkType = 'application/wasm';
const requests = [];

function page(attributes) {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chunks</title>
<script type="module" src="/page.js"></script></head>
<body><videoid-capture ${attrs}></videoid-capture></body></html>`;
}

const PAGE_JS = `import "/pkg/videoid-capture.js";
const el = document.querySelector("videoid-capture");
window.__events = [];
for (const name of ["videoid-ready", "videoid-state", "videoid-failed", "videoid-handoff"]) {
  el.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail }));
}`;

before(async () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  server = http.createServer((req, res) => {
    const url = new URL(req.url, origin);
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/embed') {
      return send(200, 'text/html', page({ mode: 'embed', 'capture-url': `${origin}/capture` }), { 'content-security-policy': CSP });
    }
    if (url.pathname === '/handoff') {
      return send(200, 'text/html', page({
        handoff: 'always',
        'session-endpoint': `${origin}/api/session`,
        'handoff-endpoint': `${origin}/api/handoff`,
      }), { 'content-security-policy': CSP });
    }
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname === '/capture') return send(200, 'text/html', '<!doctype html><p>capture page</p>');
    if (url.pathname === '/page.js') return send(200, TYPES['.js'], PAGE_JS);
    if (url.pathname === '/api/handoff' && req.method === 'POST') {
      return send(200, 'application/json', JSON.stringify({ id: 'h1', url: `${origin}/phone/h1-token`, expiresIn: 600 }));
    }
    if (url.pathname.startsWith('/api/handoff/')) {
      return send(200, 'application/json', JSON.stringify({ id: 'h1', status: 'waiting' }));
    }
    if (url.pathname.startsWith('/pkg/')) {
      const file = path.join(pkg, path.normalize(url.pathname.slice('/pkg/'.length)).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file)) return send(404, 'text/plain', 'not found');
      const chunk = /videoid_capture_(?!bg)\w+\.wasm$/.test(file);
      if (chunk && chunkFaults > 0) {
        chunkFaults -= 1;
        return send(503, 'text/plain', 'unavailable');
      }
      return send(200, chunk ? chunkType : (TYPES[path.extname(file)] ?? 'application/octet-stream'), readFileSync(file));
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close().catch(() => {});
  await new Promise((resolve) => server?.close(resolve));
});

async function open(pathname) {
  requests.length = 0;
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  const tab = await context.newPage();
  await tab.addInitScript(() => {
    const fetch = window.fetch.bind(window);
    window.__chunkFetchesSettled = 0;
    window.__chunkFetchesStarted = 0;
    window.fetch = (url, init) => {
      const settled = fetch(url, init);
      if (/videoid_capture_(?!bg)\w+\.wasm$/.test(String(url))) {
        window.__chunkFetchesStarted += 1;
        settled.then(() => { window.__chunkFetchesSettled += 1; }, () => { window.__chunkFetchesSettled += 1; });
      }
      return settled;
    };
  });
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await tab.goto(`${origin}${pathname}`);
  await tab.waitForFunction(() => window.__events?.some((e) => e.name === 'videoid-ready'), null, { timeout: 20_000 });
  return { context, tab, errors };
}
const chunkRequests = () => requests.filter((r) => /videoid_capture_(?!bg)\w+\.wasm$/.test(r));
const state = (tab) => tab.evaluate(() => document.querySelector('videoid-capture').state);
const waitState = (tab, wanted) => tab.waitForFunction(
  (s) => document.querySelector('videoid-capture').state === s, wanted, { timeout: 20_000 },
);

/** The QR code on the handoff screen, read from a screenshot by jsQR. */
async function readQr(tab) {
  const qr = tab.locator('videoid-capture').locator('[part~="handoff-qr"]');
  await qr.waitFor({ timeout: 20_000 });
  const png = PNG.sync.read(await qr.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test('an embed page never fetches a chunk, and offers no phone without asking for it', async () => {
  const { context, tab, errors } = await open('/embed');
  try {
    // The page sets no handoff attribute, and its backend has no handoff endpoint: the
    // start screen offers only the start (handoff is off unless a page opts in).
    const el = tab.locator('videoid-capture');
    await el.locator('[part~="start-button"]').waitFor({ timeout: 20_000 });
    assert.equal(await el.locator('[part~="handoff-button"]').count(), 0, 'no "Continue on my phone"');
    await tab.evaluate(() => { document.querySelector('videoid-capture').start().catch(() => {}); });
    await waitState(tab, 'capturing');
    // The capture page has loaded in the frame, so the start and every effect it asked for
    // have run; the page's own fetch counts each chunk fetch the moment it is called.
    await tab.frameLocator('videoid-capture [part~="frame"]').locator('text=capture page').waitFor({ timeout: 20_000 });
    assert.equal(await tab.evaluate(() => window.__chunkFetchesStarted), 0, 'the page fetched a chunk');
    assert.ok(requests.includes('GET /pkg/videoid_capture_bg.wasm'), requests.join('\n'));
    assert.ok(requests.includes('GET /capture'), requests.join('\n'));
    assert.deepEqual(chunkRequests(), [], 'no chunk fetched');
    assert.deepEqual(errors, [], requests.join('\n'));
  } finally {
    await context.close();
  }
});

test('the handoff loads its chunk once, and the QR code it draws is the link', async () => {
  chunkFaults = 0;
  chunkType = 'application/wasm';
  const { context, tab, errors } = await open('/handoff');
  try {
    await tab.evaluate(() => { document.querySelector('videoid-capture').start().catch(() => {}); });
    await waitState(tab, 'capturing');
    assert.equal(await readQr(tab), `${origin}/phone/h1-token`);
    // Prefetched on connect (handoff="always"), then instantiated from that one download.
    assert.deepEqual(chunkRequests(), ['GET /pkg/videoid_capture_handoff.wasm']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a chunk that fails to load is a recoverable Network.Unreachable; the retry fetches it again', async () => {
  // The prefetch on connect and the load on start both fail; the retry gets
  // the file, with a MIME type that streaming compilation refuses.
  chunkFaults = 2;
  chunkType = 'application/octet-stream';
  const { context, tab } = await open('/handoff');
  try {
    // The prefetch has failed (and been forgotten) before start() asks. The page counts
    // its settled chunk fetches (open()); the element's own reaction to the 503 (the
    // throw, the loader forgetting the chunk) runs in the same microtask checkpoint as
    // that count, so a later task that sees the count sees the chunk forgotten.
    await tab.waitForFunction(() => window.__chunkFetchesSettled >= 1, null, { timeout: 10_000 });
    assert.equal(chunkRequests().length, 1, 'the prefetch asked once');
    await tab.evaluate(() => { document.querySelector('videoid-capture').start().catch(() => {}); });
    await waitState(tab, 'failed');
    const failed = await tab.evaluate(() => window.__events.filter((e) => e.name === 'videoid-failed').map((e) => e.detail));
    assert.equal(failed.length, 1);
    assert.equal(failed[0].code, 'Network.Unreachable');
    assert.equal(failed[0].recoverable, true);
    assert.equal(chunkRequests().length, 2);
    await tab.evaluate(() => { document.querySelector('videoid-capture').start().catch(() => {}); });
    await waitState(tab, 'capturing');
    assert.equal(await readQr(tab), `${origin}/phone/h1-token`);
    assert.equal(chunkRequests().length, 3);
    assert.equal(await state(tab), 'capturing');
  } finally {
    chunkFaults = 0;
    chunkType = 'application/wasm';
    await context.close();
  }
});
