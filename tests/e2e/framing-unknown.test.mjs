// A session answer without `framing` (a backend that does not check the
// capture page's frame-ancestors): a refused frame fires `load` too, on the
// browser's error page, which the page cannot tell from the capture page. The
// element keeps the load timer until the frame is used (focus moves into it,
// or the page sends a message), so a refused frame ends in
// Capture.LoadTimeout with the fallback offered, within `load-timeout`; a
// frame the user works in is kept past it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, goto, waitForEvent, waitForState, part, simFrame, pageTimer, HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS } from './helpers.mjs';

const run = suite('framing-unknown');
const opts = { timeout: TEST_TIMEOUT_MS };

/** Serves the backend's real session answers with their `framing` taken out. */
async function withoutFraming(page) {
  await page.route((url) => url.origin === HOST_ORIGIN && url.pathname === '/api/videoid/session', async (route) => {
    const response = await route.fetch();
    const { framing, ...answer } = await response.json();
    assert.ok(framing, 'the reference backend says framing; this backend does not');
    await route.fulfill({ response, json: answer });
  });
}

test('no framing in the answer, the frame refused: Capture.LoadTimeout within load-timeout, and the popup fallback', opts, async (t) => {
  await run(t, async ({ page }) => {
    await withoutFraming(page);
    const started = Date.now();
    await goto(page, '?scenario=accepted&auto=1&mode=auto&framing=deny&fallback=popup&load=3');
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 15_000 });
    assert.equal(failed.code, 'Capture.LoadTimeout', JSON.stringify(failed));
    assert.equal(failed.detail?.reason, 'timeout', 'the element found it out itself');
    assert.equal(failed.recoverable, true);
    assert.ok(Date.now() - started < 15_000, 'well before the inactivity timeout (180 s)');
    await waitForState(page, 'failed');
    await part(page, 'fallback-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  });
});

test('no framing in the answer, the frame allowed and used: kept past load-timeout, and the capture completes', opts, async (t) => {
  await run(t, async ({ page }) => {
    await withoutFraming(page);
    await goto(page, '?scenario=accepted&mode=auto&load=2');
    await part(page, 'start-button').click();
    const frame = await simFrame(page);
    const accepted = frame.locator('button[data-outcome="accepted"]');
    await accepted.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    // The user turns to the capture page (focus moves into the frame)…
    await accepted.focus();
    // …and the page's own timers run past the 2 s load timeout.
    await pageTimer(page, 2_500);
    assert.equal(await page.locator('#capture').getAttribute('state'), 'capturing', 'the frame is kept');
    await accepted.click();
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal((await page.evaluate(() => (window.videoidEvents || []).filter((e) => e.type === 'videoid-failed'))).length, 0);
  });
});
