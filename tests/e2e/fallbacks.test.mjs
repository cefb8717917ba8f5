// The full-page redirect fallback (leave, capture, come back, complete) and
// events posted to a framing parent with an exact target origin.

import { test, before, after } from 'node:test';
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { freePort } from './server.mjs';
import {
  suite, goto, waitForEvent, waitForState, part, SIM_ORIGIN, HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('fallbacks');
const opts = { timeout: TEST_TIMEOUT_MS };

/** Polls `fn` in the page until it returns a truthy value, riding out navigations. */
async function pollAcrossNavigations(page, fn, arg, what) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    try {
      const value = await page.evaluate(fn, arg);
      if (value) return value;
    } catch {
      // The page is between documents; ask again.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; at ${page.url()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('redirect fallback: the page leaves for the capture page, comes back and completes', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=accepted&auto=1&mode=auto&framing=deny&fallback=redirect');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout');
    const fallback = part(page, 'fallback-button');
    await fallback.waitFor({ state: 'visible' });
    assert.match(await fallback.innerText(), /verification page/);

    const documents = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) documents.push(f.url());
    });
    await fallback.click();

    const result = await pollAcrossNavigations(
      page,
      () => location.pathname === '/' && (window.videoidEvents || []).find((e) => e.type === 'videoid-result')?.detail,
      null,
      'videoid-result after coming back',
    );
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');

    assert.ok(documents.some((u) => u.startsWith(`${SIM_ORIGIN}/capture/`)), `left for the capture page: ${documents}`);
    assert.ok(documents.some((u) => u.startsWith(`${HOST_ORIGIN}/videoid/return?`)), `came back via the return page: ${documents}`);
    const after = await page.evaluate(() => ({
      completes: window.videoidEvents.filter((e) => e.type === 'videoid-complete').map((e) => e.detail),
      loading: window.videoidEvents.filter((e) => e.type === 'videoid-state' && e.detail.state === 'loading').length,
      resume: sessionStorage.getItem('videoid-capture:resume'),
      ret: sessionStorage.getItem('videoid-capture:return'),
    }));
    assert.equal(after.completes.length, 1, 'completed once on return');
    assert.equal(after.completes[0].dossierId, result.dossierId);
    assert.equal(after.loading, 0, 'the returning page resumed; it did not start a new capture');
    assert.equal(after.resume, null, 'the resume record is used once');
    assert.equal(after.ret, null, 'the return record is used once');
  });
});

// A third site on loopback (a real server: Chromium's local-network checks
// refuse frames from pages it cannot place) whose page frames the demo. The
// demo's configuration names it (DEMO_PARENT_ORIGIN, read when this file's
// server starts): only it may frame the demo, and the element posts there.
// The same server under `localhost` is another origin, one the demo does not name.
const PARENT_PORT = await freePort();
const PARENT_ORIGIN = `http://127.0.0.1:${PARENT_PORT}`;
const OTHER_ORIGIN = `http://localhost:${PARENT_PORT}`;
process.env.DEMO_PARENT_ORIGIN = PARENT_ORIGIN;
let parentServer;
before(async () => {
  parentServer = createServer((req, res) => {
    const demo = new URL(req.url, PARENT_ORIGIN).searchParams.get('demo') || '';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>parent</title><script>
      window.got = [];
      window.frameLoaded = false;
      addEventListener('message', (e) => window.got.push({ origin: e.origin, data: e.data }));
    </script><iframe id="child" width="900" height="600" onload="window.frameLoaded = true" src="${demo.replace(/"/g, '&quot;')}"></iframe>`);
  });
  await new Promise((resolve, reject) => parentServer.once('error', reject).listen(PARENT_PORT, '127.0.0.1', resolve));
});
after(() => new Promise((resolve) => parentServer?.close(resolve)));

test('parent-origin: the configured parent receives every event, whatever the query names', opts, async (t) => {
  await run(t, async ({ page }) => {
    // The query's parent-origin is ignored: events still go to the configured parent only.
    const demo = `${HOST_ORIGIN}/?scenario=backend-error&auto=1&parent-origin=${encodeURIComponent(SIM_ORIGIN)}`;
    await page.goto(`${PARENT_ORIGIN}/?demo=${encodeURIComponent(demo)}`);
    const child = await (async () => {
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      for (;;) {
        const f = page.frames().find((f) => f.url().startsWith(`${HOST_ORIGIN}/`));
        if (f) return f;
        if (Date.now() > deadline) throw new Error('the demo frame did not load');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    assert.equal(await child.evaluate(() => document.querySelector('videoid-capture').getAttribute('parent-origin')),
      PARENT_ORIGIN, 'the element names the configured parent');
    await child.waitForFunction(
      () => (window.videoidEvents || []).some((e) => e.type === 'videoid-failed'),
      null,
      { timeout: STEP_TIMEOUT_MS, polling: 100 },
    );
    // The failure's message is posted after its event; wait for it to land.
    await page.waitForFunction(() => window.got.some((m) => m.data?.name === 'videoid-failed'),
      null, { timeout: STEP_TIMEOUT_MS, polling: 100 });
    const got = await page.evaluate(() => window.got);
    assert.ok(got.every((m) => m.origin === HOST_ORIGIN), 'every message comes from the host page');
    const names = got.map((m) => m.data?.name);
    assert.ok(names.includes('videoid-state'), `state changes posted: ${names}`);
    const failed = got.find((m) => m.data?.name === 'videoid-failed');
    assert.deepEqual(
      { source: failed.data.source, v: failed.data.v, type: failed.data.type },
      { source: 'videoid-capture', v: 1, type: 'event' },
    );
    assert.equal(failed.data.detail.code, 'Backend.Error');
    assert.equal(failed.data.detail.detail.status, 500);
  });
});

test('parent-origin: a page of an origin the demo does not name cannot frame it, even naming itself in the query', opts, async (t) => {
  await run(t, async ({ page }) => {
    const demo = `${HOST_ORIGIN}/?scenario=backend-error&auto=1&parent-origin=${encodeURIComponent(OTHER_ORIGIN)}`;
    const refusals = [];
    page.on('console', (m) => { if (/frame-ancestors/.test(m.text())) refusals.push(m.text()); });
    await page.goto(`${OTHER_ORIGIN}/?demo=${encodeURIComponent(demo)}`);
    // The frame's load event fires for the refused document too.
    await page.waitForFunction(() => window.frameLoaded, null, { timeout: STEP_TIMEOUT_MS, polling: 100 });
    await page.waitForFunction(() => true, null, { timeout: STEP_TIMEOUT_MS });
    const child = page.frames().find((f) => f !== page.mainFrame());
    const ran = await child.evaluate(() => Boolean(window.videoidEvents)).catch(() => false);
    assert.equal(ran, false, 'the demo did not run inside the frame');
    assert.ok(refusals.length > 0, 'Chromium refused the frame for its frame-ancestors policy');
    assert.deepEqual(await page.evaluate(() => window.got), [], 'nothing was posted to the framing page');
  });
});
