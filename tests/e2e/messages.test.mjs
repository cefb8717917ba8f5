// The element accepts a `return` message only from its own frame, on its own
// origin, well-formed: forged and malformed messages change nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForState, events, countEvents, stateAttr, hasFrame, simFrame, pageTimer,
  HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('messages');
const opts = { timeout: TEST_TIMEOUT_MS };

const forged = { source: 'videoid-capture', v: 1, type: 'return', dossierId: 'd1', processId: 'p1', status: 'accepted' };
const malformed = [
  { ...forged, v: 2 },
  { ...forged, source: 'someone-else' },
  { ...forged, type: 'retrun' },
  { ...forged, dossierId: 'd 1' },
  { ...forged, processId: '../p1' },
  { ...forged, dossierId: 'x'.repeat(129) },
  { ...forged, dossierId: '' },
  { source: 'videoid-capture', v: 1, type: 'return', dossierId: 'd1' },
  { ...forged, dossierId: { id: 'd1' } },
  JSON.stringify(forged),
  [forged],
  null,
  42,
];

test('forged and malformed return messages are ignored', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=no-interaction&auto=1&mode=embed&inactivity=60');
    await waitForState(page, 'capturing');
    // Counts what actually reaches the page, so the test cannot pass because
    // nothing was delivered.
    await page.evaluate(() => {
      window.__delivered = 0;
      window.addEventListener('message', (e) => {
        if (e.data && (e.data.source === 'videoid-capture' || typeof e.data === 'string')) window.__delivered++;
      });
    });
    const frame = await simFrame(page);

    // Each sender uses its own ids, so a complete event tells who got through.
    // Frame-sent messages go first: were one accepted, the frame would go away.
    // (a) a well-formed return from the cross-origin capture frame (wrong origin).
    await frame.evaluate((msg) => parent.postMessage(msg, '*'), { ...forged, dossierId: 'from-frame' });
    // (c) malformed messages from the frame...
    await frame.evaluate((list) => list.forEach((m) => parent.postMessage(m, '*')), malformed);
    // (b) a well-formed return from the host page itself (wrong source).
    await page.evaluate((msg) => window.postMessage(msg, '*'), { ...forged, dossierId: 'from-page' });
    // (c) ...and from the page.
    await page.evaluate((list) => list.forEach((m) => window.postMessage(m, '*')), malformed);
    // (d) the real return helper, same origin, but in a frame that is not the element's.
    await page.evaluate(
      (src) =>
        new Promise((resolve, reject) => {
          const f = document.createElement('iframe');
          f.id = 'stranger';
          f.src = src;
          f.onload = resolve;
          f.onerror = reject;
          document.body.appendChild(f);
        }),
      `${HOST_ORIGIN}/videoid/return?dossierId=from-stranger&processId=p1&status=accepted`,
    );

    await page.waitForFunction(() => window.__delivered >= 4, null, { timeout: STEP_TIMEOUT_MS, polling: 100 });
    // Proving a negative: give the element 1.5 s to (wrongly) act on any of them.
    await pageTimer(page, 1500);
    const completes = (await events(page)).filter((e) => e.type === 'videoid-complete').map((e) => e.detail);
    assert.deepEqual(completes, [], 'no videoid-complete from a forged message');
    assert.equal(await countEvents(page, 'videoid-result'), 0);
    assert.equal(await countEvents(page, 'videoid-failed'), 0, 'forged messages do not break the flow either');
    assert.equal(await stateAttr(page), 'capturing');
    assert.ok(await hasFrame(page), 'the capture frame is still there');
  });
});
