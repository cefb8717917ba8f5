// The element itself in an attended session: the demo page (`?mode=sdk&flow=attended`) runs
// <videoid-capture> against the reference backend, which asks the simulator for a process of
// processType high and names `videoidattended.js`; the element loads that real attended SDK,
// and the call with the agent goes over WebRTC on loopback (an agent in the RA console in a
// second page, or the simulator's automatic agent). Run through tests/calls/run.sh.
//
// Checked: the steps queue → interview → the phases; `videoid-agent` queued (position 1) →
// connected; the agent's video inside the element; the agent's stills and Accept reaching the
// host's backend by webhook; Agent.Unavailable `closed` (agents offline) and `timeout`
// (`agent-timeout`, the call then gone from the queue); Agent.Disconnected after a hang-up
// with no reconnect; cancel() while queued takes the call out of the queue; every camera
// and microphone track ended after each end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goto, suite, waitForEvent, waitForState, HOST_ORIGIN } from '../e2e/helpers.mjs';
import {
  MEDIA_ARGS,
  SIM_ORIGIN,
  STEP_MS,
  TEST_TIMEOUT_MS,
  agents,
  allTracksEnded,
  frameStats,
  keepStreams,
  queueUntil,
  signIn,
  statusState,
  waitForRemoteWidth,
} from './helpers.mjs';

/** Every `videoid-agent` and `videoid-step` detail, in order, in `window.__agentLog`. */
function recordAgentEvents() {
  window.__agentLog = [];
  for (const type of ['videoid-agent', 'videoid-step']) {
    addEventListener(type, (e) => window.__agentLog.push({ type, detail: JSON.parse(JSON.stringify(e.detail)) }), true);
  }
}

const run = suite('calls-element', { browserArgs: MEDIA_ARGS, initScripts: [keepStreams, recordAgentEvents] });
const opts = { timeout: TEST_TIMEOUT_MS };

const agentLog = (page) => page.evaluate(() => window.__agentLog);
const steps = async (page) => (await agentLog(page)).filter((e) => e.type === 'videoid-step').map((e) => e.detail.step);

async function waitForAgent(page, status, timeout = STEP_MS) {
  const handle = await page.waitForFunction(
    (status) => window.__agentLog.find((e) => e.type === 'videoid-agent' && e.detail.status === status)?.detail,
    status,
    { timeout, polling: 100 },
  );
  return handle.jsonValue();
}

/** Opens the demo in an attended session; the session's process (from the backend's answer). */
async function startAttended(page, query = '') {
  const answer = page.waitForResponse((r) => r.url().startsWith(`${HOST_ORIGIN}/api/videoid/session`) && r.ok());
  await goto(page, `?mode=sdk&flow=attended&auto=1${query}`);
  const session = await (await answer).json();
  assert.equal(session.flow, 'attended');
  assert.match(session.sdkUrl, /\/js\/videoidattended\.js$/);
  return session;
}

/** The host backend's view of the process (GET /api/videoid/dossier), as its page reads it. */
async function hostStatus(page, processId) {
  const response = await page.context().request.get(`${HOST_ORIGIN}/api/videoid/dossier`);
  assert.equal(response.status(), 200);
  const view = await response.json();
  return view.processes?.find((p) => p.processId === processId)?.status ?? null;
}

async function waitForHostStatus(page, processId, status) {
  const end = Date.now() + STEP_MS;
  let last = null;
  while (Date.now() < end) {
    last = await hostStatus(page, processId);
    if (last === status) return;
    await page.waitForTimeout(200); // polling the host's backend, as its page would
  }
  assert.fail(`the host's backend shows ${last}, not ${status}`);
}

/** Whether the simulator's queue of live calls holds the process. */
async function inQueue(processId) {
  return (await agents()).calls.some((c) => c.processId === processId);
}

async function pickUp(console_, processId) {
  const link = `#pick-up-${processId}`;
  await queueUntil(console_, async (p) => (await p.locator(link).count()) === 1);
  await Promise.all([console_.waitForURL(`${SIM_ORIGIN}/ra/calls/${processId}`), console_.click(link)]);
  await statusState(console_, 'connected');
}

test('an agent in the RA console takes the call: queue, interview, the phases, Accept reaches the host', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const session = await startAttended(page);
    const queued = await waitForAgent(page, 'queued');
    assert.equal(queued.position, 1);
    assert.deepEqual(await steps(page), ['queue']);
    assert.equal(await inQueue(session.processId), true);

    const console_ = await signIn(context);
    await pickUp(console_, session.processId);
    await waitForAgent(page, 'connected');
    // The agent's camera, live in the element's SDK container.
    await page.waitForFunction(
      () => {
        const v = document.querySelector('#capture video.eid-videoid-agent');
        return v && v.videoWidth > 0;
      },
      null,
      { timeout: STEP_MS, polling: 200 },
    );
    // The SDK's container is light DOM slotted into the element.
    const shown = await frameStats(page, '#capture video.eid-videoid-agent');
    assert.ok(shown && shown.variance > 50, `the agent's video in the element: ${JSON.stringify(shown)}`);

    await waitForRemoteWidth(console_, 640);
    for (const [phase, button] of [['FRONT', '#ask-front'], ['BACK', '#ask-back'], ['FACE', '#ask-face']]) {
      await console_.click(button);
      await console_.waitForSelector(`#phase[data-ready="${phase}"]`, { timeout: STEP_MS });
      await console_.click('#take-still');
      await console_.waitForSelector(`#stills li[data-phase="${phase}"][data-uploaded="yes"]`, { timeout: STEP_MS });
    }
    await console_.click('#hang-up');
    await statusState(console_, 'completed');

    const complete = await waitForEvent(page, 'videoid-complete');
    assert.equal(complete.processId, session.processId);
    const seen = await steps(page);
    assert.deepEqual(seen.slice(0, 2), ['queue', 'interview'], seen.join());
    for (const step of ['front', 'back', 'selfie']) assert.ok(seen.includes(step), `step ${step}: ${seen.join()}`);
    assert.equal(await allTracksEnded(page), true, "the element's camera and microphone are off after the call");

    // The agent registers the process: the host's backend learns it by webhook.
    await console_.waitForSelector('#register:not([hidden])', { timeout: STEP_MS });
    await Promise.all([console_.waitForURL(`${SIM_ORIGIN}/ra/`), console_.click('#accept')]);
    await waitForHostStatus(page, session.processId, 'accepted');
    // The element, still polling within result-wait, shows it too (the README's step 5).
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted', JSON.stringify(result));
    assert.equal(result.final, true);
    await console_.close();
  });
});

test('the automatic agent: the element runs the whole call on one page and ends accepted', opts, async (t) => {
  await agents({ autoAcceptAfterMs: 500 });
  try {
    await run(t, async ({ page }) => {
      const session = await startAttended(page, '&wait=30');
      await waitForAgent(page, 'connected');
      const result = await waitForEvent(page, 'videoid-result', { timeout: 45_000 });
      assert.equal(result.status, 'accepted', JSON.stringify(result));
      assert.equal(result.final, true);
      assert.equal(result.processId ?? session.processId, session.processId);
      const seen = await steps(page);
      assert.deepEqual(seen.slice(0, 2), ['queue', 'interview'], seen.join());
      await waitForState(page, 'complete');
      assert.equal(await allTracksEnded(page), true);
    });
  } finally {
    await agents({ autoAcceptAfterMs: null });
  }
});

test('agents offline: videoid-failed Agent.Unavailable closed, never queued, camera off', opts, async (t) => {
  await agents({ online: false });
  try {
    await run(t, async ({ page }) => {
      await startAttended(page);
      const failed = await waitForEvent(page, 'videoid-failed');
      assert.equal(failed.code, 'Agent.Unavailable');
      assert.equal(failed.detail?.reason, 'closed', JSON.stringify(failed));
      assert.equal((await agentLog(page)).some((e) => e.detail.status === 'queued'), false);
      assert.equal(await allTracksEnded(page), true);
    });
  } finally {
    await agents({ online: true });
  }
});

test('no agent within agent-timeout: Agent.Unavailable timeout, and the call leaves the queue', opts, async (t) => {
  await run(t, async ({ page }) => {
    const session = await startAttended(page, '&agent=3');
    await waitForAgent(page, 'queued');
    assert.equal(await inQueue(session.processId), true);
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Agent.Unavailable');
    assert.equal(failed.detail?.reason, 'timeout', JSON.stringify(failed));
    assert.equal(failed.recoverable, true);
    assert.equal(await allTracksEnded(page), true);
    // The SDK was destroyed: its socket closed, and the simulator took the call off the queue.
    const end = Date.now() + STEP_MS;
    while (Date.now() < end && (await inQueue(session.processId))) await page.waitForTimeout(100);
    assert.equal(await inQueue(session.processId), false, 'the call is still queued');
  });
});

test('the agent hangs up mid-call and nobody picks up again: Agent.Disconnected', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const session = await startAttended(page);
    await waitForAgent(page, 'queued');
    const console_ = await signIn(context);
    await pickUp(console_, session.processId);
    await waitForAgent(page, 'connected');
    await console_.click('#hang-up');
    await statusState(console_, 'dropped');
    await waitForAgent(page, 'disconnected');
    // The SDK's one reconnect lasts 10 s; then the failure.
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Agent.Disconnected');
    const log = (await agentLog(page)).filter((e) => e.type === 'videoid-agent').map((e) => e.detail.status);
    assert.ok(log.indexOf('connected') < log.indexOf('disconnected'), log.join());
    assert.equal(await allTracksEnded(page), true);
    await console_.close();
  });
});

test("cancel() while queued: videoid-cancel, the call leaves the console's queue", opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const session = await startAttended(page);
    await waitForAgent(page, 'queued');
    const console_ = await signIn(context);
    const row = `tr[data-testid="live-call"][data-process-id="${session.processId}"]`;
    await queueUntil(console_, async (p) => (await p.locator(row).count()) === 1);
    await page.evaluate(() => document.querySelector('#capture').cancel());
    await waitForEvent(page, 'videoid-cancel');
    assert.equal(await allTracksEnded(page), true);
    await queueUntil(console_, async (p) =>
      (await p.locator(row).count()) === 0
      && (await p.locator(`#left-calls li[data-process-id="${session.processId}"]`).count()) === 1);
    await console_.close();
  });
});
