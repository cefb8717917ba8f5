// Failures the README promises, each met in real Chromium against the real
// www binary: nothing here injects a DOMException or fakes the element's
// environment from inside; the page, its headers, its clock or the browser's
// own flags make the condition.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, events, part, hasFrame, documentsByFile,
  HOST_ORIGIN, SIM_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';
import { HOST_PORT } from './server.mjs';

// A name that is neither localhost nor a loopback address, served over plain
// http: a page there is not a secure context.
const INSECURE_HOST = 'insecure.videoid.test';
const run = suite('browser-failures', {
  browserArgs: [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
  ],
});
const opts = { timeout: TEST_TIMEOUT_MS };

/** Serves the demo document as the server sends it, plus `headers`. */
async function withHeaders(page, headers) {
  await page.route((url) => url.origin === HOST_ORIGIN && url.pathname === '/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), ...headers } });
  });
}

/** The session requests the page made, as `{ url, status }`. */
function sessionRequests(page) {
  const seen = [];
  page.on('requestfinished', async (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/videoid/session')) return;
    seen.push({ url: r.url(), status: (await r.response())?.status() });
  });
  return seen;
}

test('start() rejects with User.Cancelled when the capture is cancelled', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=embed&scenario=accepted');
    const out = await page.evaluate(async () => {
      const mod = await import('/pkg/videoid-capture.js');
      await customElements.whenDefined('videoid-capture');
      const el = document.querySelector('#capture');
      const capturing = new Promise((resolve) => el.addEventListener('videoid-state', (e) => {
        if (e.detail.state === 'capturing') resolve();
      }));
      const started = el.start();
      await capturing;
      el.cancel();
      try {
        return { resolved: true, value: String(await started) };
      } catch (e) {
        return {
          resolved: false, isError: e instanceof mod.VideoIdCaptureError, code: e?.code,
          recoverable: e?.recoverable, state: el.getAttribute('state'),
        };
      }
    });
    assert.equal(out.resolved, false, JSON.stringify(out));
    assert.equal(out.isError, true, JSON.stringify(out));
    assert.equal(out.code, 'User.Cancelled');
    assert.equal(out.state, 'cancelled');
    assert.equal(await hasFrame(page), false, 'the capture frame is gone');
    const cancels = (await events(page)).filter((e) => e.type === 'videoid-cancel');
    assert.equal(cancels.length, 1, 'one videoid-cancel');
  });
});

test('a session answer already past its expiresAt: Session.Expired, and no capture page opens', opts, async (t) => {
  await run(t, async ({ page }) => {
    // The backend's answer is real; the page's clock runs two days ahead of it.
    await page.clock.setFixedTime(Date.now() + 2 * 24 * 3600 * 1000);
    const sessions = sessionRequests(page);
    await goto(page, '?mode=embed&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Session.Expired', JSON.stringify(failed));
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');
    assert.equal(sessions.length, 1, 'the backend was asked once');
    assert.equal(sessions[0].status, 200, 'and answered');
    assert.equal(await hasFrame(page), false, 'no capture page was framed');
  });
});

test('a page over plain http on a non-loopback name: Browser.InsecureContext before any request', opts, async (t) => {
  await run(t, async ({ page }) => {
    const sessions = sessionRequests(page);
    await page.goto(`http://${INSECURE_HOST}:${HOST_PORT}/?mode=native&scenario=accepted&auto=1`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Browser.InsecureContext', JSON.stringify(failed));
    assert.equal(failed.recoverable, false);
    await waitForState(page, 'failed');
    assert.deepEqual(sessions, [], 'no session was asked for');
  });
});

test('Permissions-Policy: camera=() on the page: Permission.BlockedByPolicy, not a denial', opts, async (t) => {
  await run(t, async ({ page }) => {
    await withHeaders(page, { 'permissions-policy': 'camera=()' });
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    // The documents fall back to the file picker; the selfie has no fallback.
    await documentsByFile(page.mainFrame());
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Permission.BlockedByPolicy', JSON.stringify(failed));
    assert.equal(failed.recoverable, false);
    await waitForState(page, 'failed');
  });
});

test('an iframe whose allow list leaves out the camera: Permission.BlockedByPolicy inside it', opts, async (t) => {
  await run(t, async ({ page }) => {
    // A parent on another origin of the same site (another port: cookies still go to the
    // framed backend), framing the demo page with `allow="microphone"` only. The parent
    // is served by the test; the demo page is the real one, its frame-ancestors widened
    // to that parent.
    const parentOrigin = `http://localhost:${HOST_PORT + 1 === 65536 ? HOST_PORT - 1 : HOST_PORT + 1}`;
    const src = `${HOST_ORIGIN}/?mode=native&scenario=accepted&auto=1`;
    await page.route(`${parentOrigin}/`, (route) => route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>parent</title><iframe src="${src}" allow="microphone" width="700" height="600"></iframe>`,
    }));
    await page.route((url) => url.origin === HOST_ORIGIN && url.pathname === '/', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      const csp = headers['content-security-policy'] ?? '';
      assert.match(csp, /frame-ancestors 'self'/, 'the demo page names who may frame it');
      headers['content-security-policy'] = csp.replace("frame-ancestors 'self'", `frame-ancestors 'self' ${parentOrigin}`);
      await route.fulfill({ response, headers });
    });
    await page.goto(`${parentOrigin}/`);
    // The parent's load event waited for its frame's.
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url() === src);
    assert.ok(frame, `the demo page is framed; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    assert.equal(
      await frame.evaluate(() => document.featurePolicy?.allowsFeature('camera') ?? null),
      false,
      'the frame may not use the camera',
    );
    await documentsByFile(frame);
    const failed = await frame.waitForFunction(
      () => (window.videoidEvents || []).find((e) => e.type === 'videoid-failed')?.detail,
      null,
      { timeout: STEP_TIMEOUT_MS, polling: 100 },
    ).then((h) => h.jsonValue());
    assert.equal(failed.code, 'Permission.BlockedByPolicy', JSON.stringify(failed));
    assert.equal(failed.recoverable, false);
  });
});

test('a capture page that never answers: Capture.LoadTimeout with reason "timeout"', opts, async (t) => {
  await run(t, async ({ page }) => {
    // Requests for the capture page are held, never answered.
    const held = [];
    await page.context().route((url) => url.origin === SIM_ORIGIN && url.pathname.startsWith('/capture/'), (route) => {
      held.push(route.request().url());
    });
    await goto(page, '?mode=embed&scenario=accepted&auto=1&load=2&fallback=none');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout', JSON.stringify(failed));
    assert.equal(failed.detail?.reason, 'timeout');
    assert.equal(failed.recoverable, true);
    assert.ok(held.length >= 1, 'the capture page was asked for');
    await waitForState(page, 'failed');
  });
});

test('fallback="none" on a refused frame: the typed failure and no way to another window', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const opened = [];
    context.on('page', (p) => opened.push(p));
    await goto(page, '?scenario=accepted&auto=1&mode=auto&framing=deny&fallback=none&load=10');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout');
    assert.equal(failed.detail?.reason, 'framing-denied');
    await waitForState(page, 'failed');
    assert.equal(await part(page, 'fallback-button').count(), 0, 'no fallback button');
    assert.equal(await part(page, 'retry-button').count(), 1, 'a retry instead');
    assert.deepEqual(opened, [], 'no window was opened');
    assert.equal(page.url().startsWith(HOST_ORIGIN), true, 'the page stayed');
  });
});

test('a browser without AbortController: Browser.Unsupported, not a crash', opts, async (t) => {
  await run(t, async ({ page }) => {
    await page.addInitScript(() => {
      delete window.AbortController;
    });
    await goto(page, '?mode=embed&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Browser.Unsupported', JSON.stringify(failed));
    assert.equal(failed.recoverable, false);
    await waitForState(page, 'failed');
  });
});

test('capture(options) mounts an element into the container, settles, and removes it', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '');
    const out = await page.evaluate(async (simOrigin) => {
      const { capture } = await import('/pkg/videoid-capture.js');
      const container = document.createElement('section');
      document.body.appendChild(container);
      const mounted = new Promise((resolve) => {
        new MutationObserver((_, observer) => {
          const el = container.querySelector('videoid-capture');
          if (el) {
            observer.disconnect();
            resolve({ mode: el.getAttribute('mode'), endpoint: el.getAttribute('session-endpoint') });
          }
        }).observe(container, { childList: true });
      });
      const completion = await capture({
        container,
        mode: 'embed',
        allowedOrigins: simOrigin,
        sessionEndpoint: '/api/videoid/session?scenario=accepted&auto=1',
      });
      return {
        mounted: await mounted,
        completion: JSON.parse(JSON.stringify(completion)),
        left: container.querySelectorAll('videoid-capture').length,
      };
    }, SIM_ORIGIN);
    assert.equal(out.mounted.mode, 'embed');
    assert.equal(out.mounted.endpoint, '/api/videoid/session?scenario=accepted&auto=1');
    assert.match(out.completion.dossierId ?? '', /\S/, JSON.stringify(out.completion));
    assert.match(out.completion.processId ?? '', /\S/);
    assert.equal(out.left, 0, 'the element removed itself once settled');
  });
});
