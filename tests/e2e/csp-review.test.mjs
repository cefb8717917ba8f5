// The package README's Content Security Policy, served as written: native
// review shows the still and the recorded video from `blob:` URLs, and under
// that policy both load with no violation. The same policy without `blob:`
// in `img-src` and `media-src` leaves the review empty, which shows what the
// two directives are for and that this test can tell.
// Its own small server: the package's files, a page under the policy, and a
// stub native session (the review comes before any upload).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launchBrowser, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS } from './helpers.mjs';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../pkg-config/README.md', import.meta.url)), 'utf8');
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

/** The policy block of the README's "Content Security Policy" section, as one header value. */
function readmePolicy() {
  const section = readme.slice(readme.indexOf('\n## Content Security Policy\n'));
  const block = /```\n([\s\S]*?)\n```/.exec(section)?.[1];
  assert.ok(block, 'the README has its policy block');
  return block.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}
// The README's policy, with everything else closed.
const POLICY = `default-src 'none'; style-src 'self'; ${readmePolicy()}`;
const WITHOUT_BLOB = POLICY.replace(/(img-src|media-src)([^;]*)/g, (_, name, sources) => name + sources.replace(/\s*blob:/, ''));

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>review under the README's CSP</title>
<script type="module" src="/page.js"></script></head>
<body><videoid-capture id="capture" mode="native" handoff="off" session-endpoint="/api/session"
  result-endpoint="/api/result"></videoid-capture></body></html>`;
const PAGE_JS = `window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective + " " + e.blockedURI), true);
import("/pkg/videoid-capture.js");`;

let server;
let origin;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  assert.notEqual(WITHOUT_BLOB, POLICY, 'the README policy names blob:');
  server = http.createServer((req, res) => {
    const url = new URL(req.url, origin);
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/review') return send(200, 'text/html', PAGE, { 'content-security-policy': POLICY });
    if (url.pathname === '/review-without-blob') {
      return send(200, 'text/html', PAGE, { 'content-security-policy': WITHOUT_BLOB });
    }
    if (url.pathname === '/page.js') return send(200, TYPES['.js'], PAGE_JS);
    if (req.method === 'POST' && url.pathname === '/api/session') {
      return send(200, 'application/json', JSON.stringify({
        dossierId: 'd-csp', processId: 'p-csp', expiresAt: new Date(Date.now() + 600_000).toISOString(),
        uploadUrl: '/api/upload', uploadToken: 'tok_0123456789abcdef', steps: ['selfie', 'video'],
      }));
    }
    const upload = /^\/api\/upload\/(selfie|video)$/.exec(url.pathname);
    if (req.method === 'PUT' && upload) {
      let bytes = 0;
      req.on('data', (chunk) => (bytes += chunk.length));
      return req.on('end', () => send(201, 'application/json', JSON.stringify({ step: upload[1], bytes })));
    }
    const file = /^\/pkg\/((?:i18n\/)?[\w-]+(\.js|\.wasm|\.json))$/.exec(url.pathname);
    if (file && existsSync(path.join(pkg, file[1]))) return send(200, TYPES[file[2]], readFileSync(path.join(pkg, file[1])));
    send(404, 'application/json', '{"error":"not found"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});

after(async () => {
  await browser?.close().catch(() => {});
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** Captures `step` and waits until its review has loaded or failed: `{ loaded, tag }`. */
async function review(page, step) {
  const element = page.locator('#capture');
  await page
    .waitForFunction((s) => document.querySelector('#capture').getAttribute('step') === s, step, { timeout: STEP_TIMEOUT_MS })
    .catch(async (error) => {
      const where = { state: await element.getAttribute('state'), step: await element.getAttribute('step') };
      throw new Error(`${error.message}: no ${step} step (${JSON.stringify(where)})`);
    });
  await page.locator('#capture [part~="capture-button"]').click({ timeout: STEP_TIMEOUT_MS });
  const settled = await page.waitForFunction(() => {
    const shown = document.querySelector('#capture').shadowRoot.querySelector('[part~="review"]');
    if (!shown) return null;
    if (shown.tagName === 'IMG') {
      if (!shown.complete) return null;
      return { tag: 'img', loaded: shown.naturalWidth > 0, src: shown.src };
    }
    if (shown.readyState >= 1) return { tag: 'video', loaded: true, src: shown.src };
    if (shown.error) return { tag: 'video', loaded: false, src: shown.src };
    return null;
  }, null, { timeout: STEP_TIMEOUT_MS });
  return settled.jsonValue();
}

async function open(pathname) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}${pathname}`);
  await page.locator('#capture [part~="start-button"]').click({ timeout: STEP_TIMEOUT_MS });
  return { page, close: () => context.close() };
}

test("native review under the package README's CSP: the still and the video load from blob: URLs, no violation", { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, close } = await open('/review');
  try {
    const still = await review(page, 'selfie');
    assert.deepEqual([still.tag, still.loaded], ['img', true], `the still is shown: ${JSON.stringify(still)}`);
    assert.ok(still.src.startsWith('blob:'), still.src);
    await page.locator('#capture [part~="confirm-button"]').click({ timeout: STEP_TIMEOUT_MS });
    const video = await review(page, 'video');
    assert.deepEqual([video.tag, video.loaded], ['video', true], `the video is shown: ${JSON.stringify(video)}`);
    assert.ok(video.src.startsWith('blob:'), video.src);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the README policy blocks nothing');
  } finally {
    await close();
  }
});

test('the same policy without blob: in img-src and media-src: the review is empty and the violation names blob:', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page, close } = await open('/review-without-blob');
  try {
    const still = await review(page, 'selfie');
    assert.deepEqual([still.tag, still.loaded], ['img', false], `the still is blocked: ${JSON.stringify(still)}`);
    const violations = await page.evaluate(() => window.__violations);
    assert.ok(violations.some((v) => v.startsWith('img-src blob')), `an img-src violation for blob: (${violations})`);
  } finally {
    await close();
  }
});
