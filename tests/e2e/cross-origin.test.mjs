// A backend on another origin than the page, as a site with an API host of
// its own has it: the page (its own small server, on another port of the same
// host name: another origin, the same site) carries the element with
// `credentials="include"`; the real www backend allows the page's origin by
// VIDEOID_CORS_ORIGINS, answers CORS with credentials, and sends the capture
// flow back to the page's own return page. Without `credentials="include"`
// the backend's cookie does not come back, and the result is refused.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { suite, waitForEvent, waitForState, HOST_ORIGIN, SIM_ORIGIN, TEST_TIMEOUT_MS } from './helpers.mjs';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

// The page's server starts first (its origin goes into the backend's settings).
let site;
let pageOrigin;
const returns = [];
const env = {};
before(async () => {
  site = http.createServer((req, res) => {
    const url = new URL(req.url, pageOrigin);
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') {
      const credentials = url.searchParams.get('credentials');
      const attributes = [
        'mode="embed"',
        `session-endpoint="${HOST_ORIGIN}/api/videoid/session?scenario=accepted&amp;auto=1"`,
        `result-endpoint="${HOST_ORIGIN}/api/videoid/result"`,
        `allowed-origins="${SIM_ORIGIN}"`,
        credentials ? `credentials="${credentials}"` : '',
      ].join(' ');
      return send(200, 'text/html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>site</title>
<script type="module" src="/pkg/videoid-capture.js"></script>
<script type="module">
  // The record waitForEvent reads, as the demo page keeps it.
  window.videoidEvents = [];
  for (const type of ["videoid-result", "videoid-failed", "videoid-complete"]) {
    document.querySelector("#capture").addEventListener(type, (e) => window.videoidEvents.push({ type, detail: e.detail }));
  }
</script></head>
<body><videoid-capture id="capture" ${attributes}></videoid-capture></body></html>`);
    }
    // The site's own return page, where the backend sends the capture flow back.
    if (url.pathname === '/videoid/return') {
      returns.push(url.search);
      return send(200, 'text/html', '<!doctype html><meta charset="utf-8"><title>Returning…</title><script type="module" src="/pkg/return.js"></script>');
    }
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname.startsWith('/pkg/')) {
      const file = path.join(pkg, path.normalize(url.pathname.slice('/pkg/'.length)).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file)) return send(404, 'text/plain', 'not found');
      return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://localhost:${site.address().port}`;
  env.VIDEOID_CORS_ORIGINS = pageOrigin;
  env.VIDEOID_SIM_FRAME_ANCESTORS = `'self' ${HOST_ORIGIN} ${pageOrigin}`;
});
after(() => new Promise((resolve) => site?.close(resolve)));

const run = suite('cross-origin', { env });
const opts = { timeout: TEST_TIMEOUT_MS };

test('credentials="include": a backend on another origin creates the session, takes the result with its cookie, and returns to the page\'s origin', opts, async (t) => {
  await run(t, async ({ page }) => {
    returns.length = 0;
    const calls = [];
    page.on('requestfinished', async (r) => {
      if (!r.url().startsWith(`${HOST_ORIGIN}/api/videoid/`)) return;
      const headers = await r.allHeaders();
      calls.push({ method: r.method(), path: new URL(r.url()).pathname, cookie: 'cookie' in headers, status: (await r.response())?.status() });
    });
    await page.goto(`${pageOrigin}/?credentials=include`);
    await page.evaluate(async () => {
      await customElements.whenDefined('videoid-capture');
      document.querySelector('#capture').start().catch(() => {});
    });
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');
    assert.ok(returns.length >= 1, 'the capture flow came back to the page\'s own return page');
    const session = calls.find((c) => c.method === 'POST' && c.path === '/api/videoid/session');
    const results = calls.filter((c) => c.method === 'GET' && c.path === '/api/videoid/result');
    assert.equal(session?.status, 200, JSON.stringify(calls));
    assert.ok(results.length >= 1 && results.every((c) => c.cookie && c.status === 200), `the result calls carried the cookie: ${JSON.stringify(calls)}`);
  });
});

test('without credentials="include" the cookie stays home: the backend refuses the result (Backend.Error)', opts, async (t) => {
  await run(t, async ({ page }) => {
    await page.goto(`${pageOrigin}/`);
    await page.evaluate(async () => {
      await customElements.whenDefined('videoid-capture');
      document.querySelector('#capture').start().catch(() => {});
    });
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Backend.Error', JSON.stringify(failed));
    assert.equal(failed.detail?.status >= 400 && failed.detail?.status < 500, true, JSON.stringify(failed));
  });
});
