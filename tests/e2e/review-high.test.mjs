// A recorded process of processType "high" (a site's VIDEOID_PROCESS_TYPE=high, the attended
// level, captured without the attended SDK): an agent reviews the recording in the RA
// console. The element stops polling at result-wait with a result that is not final; the
// host's backend learns the agent's decision from the webhook afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, HOST_ORIGIN, SIM_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('review-high', { env: { VIDEOID_PROCESS_TYPE: 'high' } });
const opts = { timeout: TEST_TIMEOUT_MS };

/** The process as the host's backend shows it to the end-user (GET /api/videoid/dossier). */
async function hostView(page, processId) {
  const response = await page.context().request.get(`${HOST_ORIGIN}/api/videoid/dossier`);
  assert.equal(response.status(), 200);
  const view = await response.json();
  return view.processes?.find((p) => p.processId === processId) ?? null;
}

test('a recorded high process: not final at result-wait, reviewed in the console, the final status reaches the host by webhook', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await goto(page, '?mode=embed&scenario=accepted&auto=1&wait=2');
    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.final, false, JSON.stringify(result));
    assert.equal(result.status, 'processing');
    await waitForState(page, 'complete');
    const before = await hostView(page, complete.processId);
    assert.equal(before?.status, 'processing', 'the process waits for an agent');

    const agent = await context.newPage();
    await agent.goto(`${SIM_ORIGIN}/ra/`);
    await agent.getByLabel('User').fill('agent');
    await agent.getByLabel('Password').fill('videoid-sim-agent');
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.waitForURL(`${SIM_ORIGIN}/ra/`);
    const row = agent.getByRole('link', { name: complete.processId });
    await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await row.click();
    await agent.waitForURL(`${SIM_ORIGIN}/ra/processes/${complete.processId}`);
    // The backend asked for the attended level; the recording is there to review.
    assert.equal(await agent.locator('dt:text-is("Process type") + dd').textContent(), 'high');
    assert.ok(await agent.locator('video').count() > 0, 'the recording is there to review');
    await agent.getByRole('button', { name: 'Accept' }).click();

    // The element stopped at result-wait: the host learns the status from the webhook.
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let last = null;
    while (Date.now() < deadline) {
      last = await hostView(page, complete.processId);
      if (last?.status === 'accepted') break;
      await page.waitForTimeout(200); // polling the host's backend, as its page would
    }
    assert.equal(last?.status, 'accepted', JSON.stringify(last));
    // The demo's dossier view reads the dossier again while a process is processing: the
    // agent's decision shows there without a reload.
    await page.locator(`#dossier-processes li[data-status="accepted"]`, { hasText: complete.processId })
      .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const results = (await page.evaluate(() => window.videoidEvents)).filter((e) => e.type === 'videoid-result');
    assert.equal(results.length, 1, 'one result event, not final: the element stopped polling');
  });
});
