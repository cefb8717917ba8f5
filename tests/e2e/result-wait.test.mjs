// A process that a human agent reviews stays `processing` for hours after the
// capture. With `result-wait` the element polls the result endpoint that many
// seconds only, then reports a result that is not final and stops: the host's
// backend learns the final status by webhook.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, events, stateAttr, stateSequence, countEvents,
  inOrder, pageTimer, HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const WAIT_S = 2;
// Longer than the longest pause between two polls (5 s): a poll still
// scheduled would be seen.
const QUIET_MS = 7_000;

const run = suite('result-wait', {
  // The simulator keeps every process `processing` for ten minutes after the
  // capture, as an agent's review would: longer than this file runs.
  env: { VIDEOID_SIM_FINAL_DELAY_MS: '600000' },
  // The demo page's element gets `result-wait` as the parser inserts it,
  // before the page's own script starts it.
  initScripts: [`
    new MutationObserver((_, observer) => {
      const el = document.querySelector('#capture');
      if (!el) return;
      el.setAttribute('result-wait', '${WAIT_S}');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  `],
});
const opts = { timeout: TEST_TIMEOUT_MS };

test('a process still processing: after result-wait the result is not final, the state complete, and polling stops', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const polls = [];
    context.on('request', (r) => {
      if (r.url().startsWith(`${HOST_ORIGIN}/api/videoid/result?`)) polls.push(r.url());
    });
    await goto(page, '?scenario=accepted&auto=1&mode=embed');
    assert.equal(
      await page.evaluate(() => document.querySelector('#capture').getAttribute('result-wait')),
      String(WAIT_S),
    );

    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result', { timeout: STEP_TIMEOUT_MS + WAIT_S * 1000 });
    assert.equal(result.status, 'processing');
    assert.equal(result.final, false, 'the result is not final');
    assert.equal(result.dossierId, complete.dossierId);
    assert.equal(result.processId, complete.processId);
    assert.equal(result.process?.processId, complete.processId, 'the process as the result endpoint last sent it');
    assert.equal(result.process?.status, 'processing');
    await waitForState(page, 'complete');
    const states = await stateSequence(page);
    assert.ok(inOrder(states, ['loading', 'capturing', 'completing', 'complete']), `state sequence ${states}`);
    assert.equal(await countEvents(page, 'videoid-failed'), 0);

    // The result came result-wait after the completion (the trace's timestamps).
    const trace = await page.evaluate(() => window.__e2e.events.map(({ type, t }) => ({ type, t })));
    const at = (type) => trace.find((e) => e.type === type)?.t;
    const waited = at('videoid-result') - at('videoid-complete');
    assert.ok(waited >= WAIT_S * 1000 - 100 && waited < WAIT_S * 1000 + 3000, `result after ${waited} ms`);

    // Polled while it waited, then never again.
    const polled = polls.length;
    assert.ok(polled >= 2, `the result endpoint was polled while waiting: ${polled}`);
    assert.ok(polls.every((u) => u.includes(`processId=${complete.processId}`)), polls.join(', '));
    await pageTimer(page, QUIET_MS);
    assert.equal(polls.length, polled, `no result request after the result: ${polls.join(', ')}`);
    assert.equal(await countEvents(page, 'videoid-result'), 1, 'one result');
    assert.equal(await stateAttr(page), 'complete');

    // The backend still has the process in review: its final status is for the webhook.
    const still = await page.evaluate(async (url) => (await fetch(url)).json(), polls[0]);
    assert.equal(still.status, 'processing');
    const log = await events(page);
    assert.ok(!log.some((e) => e.type === 'videoid-failed'), 'no failure');
  });
});
