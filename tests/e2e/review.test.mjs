// Agent review end to end: a process that waits for an agent, the element that
// stops polling at result-wait with a result that is not final, an agent who
// registers it in the simulator's RA console, and the host that learns the
// final status by the webhook.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, HOST_ORIGIN, SIM_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('review');
const opts = { timeout: TEST_TIMEOUT_MS };

/** Signs an agent in to the RA console in a new page of `context`; returns the page. */
async function agentConsole(context) {
  const agent = await context.newPage();
  await agent.goto(`${SIM_ORIGIN}/ra/`);
  assert.match(new URL(agent.url()).pathname, /^\/ra\/sign-in/, 'the console asks for a sign-in first');
  await agent.getByLabel('User').fill('agent');
  await agent.getByLabel('Password').fill('videoid-sim-agent');
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.waitForURL(`${SIM_ORIGIN}/ra/`);
  return agent;
}

/** The process as the host's backend shows it to the end-user (GET /api/videoid/dossier). */
async function hostStatus(page, processId) {
  const response = await page.context().request.get(`${HOST_ORIGIN}/api/videoid/dossier`);
  assert.equal(response.status(), 200);
  const view = await response.json();
  return view.processes?.find((p) => p.processId === processId)?.status ?? null;
}

async function untilHostSays(page, processId, status) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    last = await hostStatus(page, processId);
    if (last === status) return;
    await page.waitForTimeout(200); // polling the host's backend, as its page would
  }
  assert.fail(`the host says ${last}, not ${status}`);
}

for (const decision of ['accept', 'reject']) {
  test(`agent review (${decision}): result-wait ends the element's wait unfinished; the agent's decision reaches the host by webhook`, opts, async (t) => {
    await run(t, async ({ page, context }) => {
      await goto(page, '?mode=embed&review=agent&scenario=accepted&auto=1&wait=2');
      const complete = await waitForEvent(page, 'videoid-complete');
      const result = await waitForEvent(page, 'videoid-result');
      assert.equal(result.final, false, JSON.stringify(result));
      assert.equal(result.status, 'processing');
      await waitForState(page, 'complete');
      assert.equal(await hostStatus(page, complete.processId), 'processing', 'the process waits for an agent');

      const agent = await agentConsole(context);
      const row = agent.getByRole('link', { name: complete.processId });
      await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await row.click();
      await agent.waitForURL(`${SIM_ORIGIN}/ra/processes/${complete.processId}`);
      // The recording and the stills are there to review.
      assert.ok(await agent.locator('video').count() + await agent.locator('img').count() > 0, 'media to review');
      if (decision === 'accept') {
        await agent.getByRole('button', { name: 'Accept' }).click();
      } else {
        await agent.getByLabel('Reason 1 type').selectOption({ index: 1 });
        await agent.locator('#message1').fill('The photo does not match the document');
        await agent.getByRole('button', { name: 'Reject' }).click();
      }
      await untilHostSays(page, complete.processId, decision === 'accept' ? 'accepted' : 'rejected');
      // The element stopped at result-wait and stays stopped.
      const results = (await page.evaluate(() => window.videoidEvents)).filter((e) => e.type === 'videoid-result');
      assert.equal(results.length, 1, 'one result event, not final');
    });
  });
}
