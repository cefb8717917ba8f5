// Cancel, the inactivity backstop, and the element's DOM lifecycle: moving
// keeps the capture, removing stops everything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, events, stateAttr, countEvents, hasFrame, simFrame, pageTimer,
  SIM_ORIGIN, TEST_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('lifecycle');
const opts = { timeout: TEST_TIMEOUT_MS };

/** Counts POSTs to the session endpoint made by `page`. */
function countSessions(page) {
  const calls = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/videoid/session') calls.push(r.url());
  });
  return calls;
}

test('cancel while capturing: videoid-cancel, state cancelled, frame gone', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=no-interaction&auto=1');
    await waitForState(page, 'capturing');
    assert.ok(await hasFrame(page), 'capturing shows the frame');

    await page.evaluate(() => document.querySelector('#capture').cancel());
    const cancel = await waitForEvent(page, 'videoid-cancel');
    assert.deepEqual(cancel, {});
    await waitForState(page, 'cancelled');
    assert.equal(await hasFrame(page), false, 'the iframe is removed');
    assert.ok(!page.frames().some((f) => f.url().startsWith(`${SIM_ORIGIN}/`)), 'no simulator frame is left');
    // A late failure would come from a timer the element left armed: a page timer set
    // now runs after every earlier one due sooner.
    await pageTimer(page, 500);
    assert.equal(await countEvents(page, 'videoid-failed'), 0, 'cancelling is not a failure event');
    assert.equal(await countEvents(page, 'videoid-complete'), 0);
    assert.equal(await stateAttr(page), 'cancelled');
  });
});

test('inactivity backstop: InactiveUser.Aborted after the timeout, frame removed', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=no-interaction&auto=1&inactivity=2');
    await waitForState(page, 'capturing');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'InactiveUser.Aborted');
    await waitForState(page, 'failed');
    assert.equal(await hasFrame(page), false, 'the iframe is removed');

    const trace = await page.evaluate(() => window.__e2e.events);
    const capturing = trace.find((e) => e.type === 'videoid-state' && e.detail.state === 'capturing');
    const fail = trace.find((e) => e.type === 'videoid-failed');
    const waited = fail.t - capturing.t;
    assert.ok(waited >= 1500, `the backstop waits for the timeout (2 s), not ${Math.round(waited)} ms`);
    assert.ok(waited < 10_000, `the backstop fires near the timeout (2 s), not after ${Math.round(waited)} ms`);
  });
});

test('moving the element while capturing keeps the capture', opts, async (t) => {
  await run(t, async ({ page }) => {
    const sessions = countSessions(page);
    await goto(page, '?scenario=no-interaction&auto=1&mode=embed&inactivity=60');
    await waitForState(page, 'capturing');
    await simFrame(page);
    assert.equal(sessions.length, 1);

    await page.evaluate(() => {
      const other = document.createElement('div');
      other.id = 'other';
      document.body.appendChild(other);
      other.appendChild(document.querySelector('#capture'));
    });
    // Proving a negative: a restart would show within a second (the
    // disconnect check runs on a microtask, a new session is one fetch).
    await pageTimer(page, 1000);
    assert.equal(await page.evaluate(() => document.querySelector('#capture').parentElement.id), 'other');
    const states = (await events(page)).filter((e) => e.type === 'videoid-state').map((e) => e.detail.state);
    assert.equal(states.filter((s) => s === 'loading').length, 1, `one loading state only: ${states}`);
    assert.equal(sessions.length, 1, `one session only: ${sessions}`);
    assert.equal(await stateAttr(page), 'capturing');
    assert.ok(await hasFrame(page), 'the capture frame is still rendered');
    assert.equal(await countEvents(page, 'videoid-failed'), 0);
    assert.equal(await countEvents(page, 'videoid-cancel'), 0);
  });
});

test('removing the element while capturing stops its timers and frame', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=no-interaction&auto=1&mode=embed&inactivity=2');
    await waitForState(page, 'capturing');
    const before = (await events(page)).length;

    await page.evaluate(() => {
      const el = document.querySelector('#capture');
      window.__removed = el;
      window.__afterRemoval = [];
      for (const type of ['ready', 'state', 'complete', 'result', 'failed', 'cancel']) {
        el.addEventListener(`videoid-${type}`, (e) => window.__afterRemoval.push({ type: e.type, detail: e.detail }));
      }
      el.remove();
    });
    // Proving a negative: a page timer of 2.5 s set after the element's 2 s inactivity
    // backstop runs after it, had it not been stopped, however loaded the machine.
    await pageTimer(page, 2500);
    const after = await page.evaluate(() => ({
      onElement: JSON.parse(JSON.stringify(window.__afterRemoval)),
      iframe: !!window.__removed.shadowRoot?.querySelector('iframe'),
      connected: window.__removed.isConnected,
    }));
    assert.equal(after.connected, false);
    assert.deepEqual(after.onElement, [], 'no events on the removed element');
    assert.deepEqual((await events(page)).slice(before), [], 'no further events in the page log');
    assert.equal(after.iframe, false, 'the shadow root holds no iframe');
    assert.ok(!page.frames().some((f) => f.url().startsWith(`${SIM_ORIGIN}/`)), 'no simulator frame is left');
  });
});
