// Live interviews in two browsers: an end-user running the simulated attended SDK
// (videoidattended.js) on a plain page, and an agent in the simulator's RA console, both with
// Chromium's fake camera and microphone, the call over WebRTC on loopback only.
// Run through tests/calls/run.sh (a network namespace with only `lo`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SIM_ORIGIN,
  TEST_TIMEOUT_MS,
  agents,
  allTracksEnded,
  getProcess,
  highProcess,
  image,
  jpegSize,
  launch,
  newContext,
  queueUntil,
  recordingSeconds,
  signIn,
  sleep,
  startServer,
  startUser,
  statusState,
  userEvents,
  video,
  waitForLiveFrames,
  waitForRemoteWidth,
  waitForStatus,
  waitForUserEvent,
} from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer('calls');
  browser = await launch();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** An end-user in the queue and an agent signed in: both pages and contexts. */
async function waitingCall() {
  const ids = await highProcess();
  const userContext = await newContext(browser);
  const agentContext = await newContext(browser);
  const user = await startUser(userContext, ids.authorization);
  const console_ = await signIn(agentContext);
  const close = async () => {
    await userContext.close().catch(() => {});
    await agentContext.close().catch(() => {});
  };
  return { ids, user, console: console_, close };
}

/** Picks the call up from the console's queue; waits until both sides see each other. */
async function pickUp({ ids, user, console: page }) {
  const link = `#pick-up-${ids.processId}`;
  await queueUntil(page, async (p) => (await p.locator(link).count()) === 1);
  await Promise.all([page.waitForURL(`${SIM_ORIGIN}/ra/calls/${ids.processId}`), page.click(link)]);
  await statusState(page, 'connected');
  await waitForUserEvent(user, 'agentConnected');
}

/** Asks for each phase and takes its still from the received video. */
async function takeStills({ user, console: page }) {
  await waitForRemoteWidth(page, 640);
  for (const [phase, button] of [['FRONT', '#ask-front'], ['BACK', '#ask-back'], ['FACE', '#ask-face']]) {
    await page.click(button);
    await waitForUserEvent(user, 'phaseStarting', { match: (d) => d.name === phase });
    await page.waitForSelector(`#phase[data-ready="${phase}"]`);
    await page.click('#take-still');
    await page.waitForSelector(`#stills li[data-phase="${phase}"][data-uploaded="yes"]`);
  }
}

/** The whole interview up to the agent's hang-up with the media in. */
async function interview(call) {
  await pickUp(call);
  await takeStills(call);
  await sleep(1500); // some more recording
  await call.console.click('#hang-up');
  await statusState(call.console, 'completed');
  const completed = await waitForUserEvent(call.user, 'completed');
  assert.ok(completed.id, 'completed carries the video id');
  await call.console.waitForSelector('#register:not([hidden])');
}

test('the queue position, the pick-up, live video both ways, three stills, the recording, Accept', { timeout: TEST_TIMEOUT_MS }, async () => {
  const call = await waitingCall();
  try {
    const queued = await waitForUserEvent(call.user, 'queued');
    assert.equal(queued.position, 1);
    assert.equal(typeof queued.estimatedWaitSeconds, 'number');
    // The console lists the waiting call with its wait.
    await queueUntil(call.console, async (p) =>
      (await p.locator(`tr[data-testid="live-call"][data-process-id="${call.ids.processId}"] td[data-waiting-ms]`).count()) === 1);

    await pickUp(call);
    // Live frames both ways: the agent sees the user's camera, the user sees the agent's.
    const atAgent = await waitForLiveFrames(call.console, '#remote-video');
    const atUser = await waitForLiveFrames(call.user, '.eid-videoid-agent');
    assert.ok(atAgent.variance > 50 && atUser.variance > 50, JSON.stringify({ atAgent, atUser }));

    await takeStills(call);
    await sleep(1500);
    await call.console.click('#hang-up');
    await statusState(call.console, 'completed');
    await waitForUserEvent(call.user, 'completed');
    assert.equal(await allTracksEnded(call.user), true, 'the user camera and microphone are off after completed');
    assert.equal(await allTracksEnded(call.console), true, "the agent's camera and microphone are off after the call");

    // Three stills from Get images, JPEGs at least 640 px wide.
    for (const depiction of ['front', 'back', 'selfie']) {
      const { type, bytes } = await image(call.ids, depiction);
      assert.match(type, /^image\/jpeg/);
      const { width } = jpegSize(bytes);
      assert.ok(width >= 640, `${depiction} is ${width} px wide`);
    }
    // The agent's recording of the call.
    const seconds = recordingSeconds(await video(call.ids));
    assert.ok(seconds > 0, `the recording lasts ${seconds} s`);

    // The process waits for the agent's registration, then Accept.
    assert.equal((await getProcess(call.ids)).status, 'processing');
    await Promise.all([call.console.waitForURL(`${SIM_ORIGIN}/ra/`), call.console.click('#accept')]);
    const accepted = await waitForStatus(call.ids, 'accepted');
    assert.ok(accepted.finalResult, 'accepted with a finalResult');
  } finally {
    await call.close();
  }
});

test('Reject with a reason gives rejected with it in manualApproval.rejectionReasons', { timeout: TEST_TIMEOUT_MS }, async () => {
  const call = await waitingCall();
  try {
    await interview(call);
    await call.console.selectOption('#reason-type', 'Document.Expired');
    await call.console.fill('#reason-message', 'The document expired in 2020');
    await Promise.all([call.console.waitForURL(`${SIM_ORIGIN}/ra/`), call.console.click('#reject')]);
    const rejected = await waitForStatus(call.ids, 'rejected');
    const reasons = rejected.providerSpecific.manualApproval.rejectionReasons;
    assert.deepEqual(reasons, [{ type: 'Document.Expired', message: 'The document expired in 2020' }]);
    assert.equal(rejected.finalResult, undefined);
  } finally {
    await call.close();
  }
});

test('agents offline: the SDK fails at once with AgentUnavailable, closed', { timeout: TEST_TIMEOUT_MS }, async () => {
  await agents({ online: false });
  const ids = await highProcess();
  const context = await newContext(browser);
  try {
    const user = await startUser(context, ids.authorization);
    const failed = await waitForUserEvent(user, 'failed');
    assert.equal(failed.name, 'AgentUnavailable');
    assert.equal(failed.reason, 'closed');
    assert.equal((await userEvents(user)).some((e) => e.type === 'queued'), false);
    assert.equal(await allTracksEnded(user), true);
  } finally {
    await agents({ online: true });
    await context.close().catch(() => {});
  }
});

test('the agent hangs up mid-call: agentDisconnected, one reconnect, then failed AgentDisconnected', { timeout: TEST_TIMEOUT_MS }, async () => {
  const call = await waitingCall();
  try {
    await pickUp(call);
    await call.console.click('#hang-up');
    await statusState(call.console, 'dropped');
    await waitForUserEvent(call.user, 'agentDisconnected');
    // The reconnect: the user waits in the queue again...
    await waitForUserEvent(call.user, 'queued', { match: () => true });
    // ...and no agent comes back within 10 s.
    const failed = await waitForUserEvent(call.user, 'failed', { timeout: 20_000 });
    assert.equal(failed.name, 'AgentDisconnected');
    assert.equal(failed.reason, 'dropped');
    const events = (await userEvents(call.user)).map((e) => e.type);
    assert.ok(events.indexOf('agentDisconnected') < events.indexOf('failed'), events.join());
    assert.equal(await allTracksEnded(call.user), true);
    // The user left the queue with the failure.
    const live = await agents();
    assert.equal(live.calls.some((c) => c.processId === call.ids.processId), false);
  } finally {
    await call.close();
  }
});

test("the user's destroy removes the call from the console's queue, and the console says so", { timeout: TEST_TIMEOUT_MS }, async () => {
  // While waiting: the queue page drops the row and names the call that left.
  const waiting = await waitingCall();
  try {
    const row = `tr[data-testid="live-call"][data-process-id="${waiting.ids.processId}"]`;
    await queueUntil(waiting.console, async (p) => (await p.locator(row).count()) === 1);
    await waiting.user.evaluate(() => {
      window.__v.turnOff();
      window.__v.destroy();
    });
    assert.equal(await allTracksEnded(waiting.user), true);
    await queueUntil(waiting.console, async (p) =>
      (await p.locator(row).count()) === 0
      && (await p.locator(`#left-calls li[data-process-id="${waiting.ids.processId}"]`).count()) === 1);
  } finally {
    await waiting.close();
  }
  // During the call: the call page says the user left.
  const onCall = await waitingCall();
  try {
    await pickUp(onCall);
    await onCall.user.evaluate(() => window.__v.destroy());
    await statusState(onCall.console, 'user-left');
    assert.match(await onCall.console.locator('#call-status').innerText(), /user left/);
    assert.equal(await allTracksEnded(onCall.console), true);
  } finally {
    await onCall.close();
  }
});

test('the automatic agent takes the call without a second browser: the SDK uploads its own stills and recording', { timeout: TEST_TIMEOUT_MS }, async () => {
  await agents({ autoAcceptAfterMs: 500 });
  const ids = await highProcess();
  const context = await newContext(browser);
  try {
    const user = await startUser(context, ids.authorization);
    const connected = await waitForUserEvent(user, 'agentConnected');
    assert.deepEqual(connected, {});
    await waitForUserEvent(user, 'completed', { timeout: 30_000 });
    const phases = (await userEvents(user)).filter((e) => e.type === 'phaseStarting').map((e) => e.detail.name);
    assert.deepEqual(phases, ['FRONT', 'BACK', 'FACE']);
    assert.equal(await allTracksEnded(user), true);
    for (const depiction of ['front', 'back', 'selfie']) {
      const { bytes } = await image(ids, depiction);
      assert.ok(jpegSize(bytes).width > 0, depiction);
    }
    assert.ok(recordingSeconds(await video(ids)) > 0);
    await waitForStatus(ids, 'accepted');
  } finally {
    await agents({ autoAcceptAfterMs: null });
    await context.close().catch(() => {});
  }
});

test('a dropped call that an agent picks up again within 10 s goes on (the one reconnect)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const call = await waitingCall();
  try {
    await pickUp(call);
    await call.console.click('#hang-up');
    await statusState(call.console, 'dropped');
    await waitForUserEvent(call.user, 'agentDisconnected');
    await pickUp(call);
    const connects = (await userEvents(call.user)).filter((e) => e.type === 'agentConnected').length;
    assert.equal(connects, 2);
    await waitForLiveFrames(call.user, '.eid-videoid-agent');
    await waitForLiveFrames(call.console, '#remote-video');
    // Past the reconnect's 10 s by the page's own timers: the SDK set its reconnect timer at the
    // drop, earlier, so a 10 s timer set now runs after it however loaded the machine is.
    await call.user.evaluate(() => new Promise((resolve) => setTimeout(resolve, 10_000)));
    assert.equal((await userEvents(call.user)).some((e) => e.type === 'failed'), false);
  } finally {
    await call.close();
  }
});

test('outside the opening hours: failed AgentUnavailable, closed, with opensAt', { timeout: TEST_TIMEOUT_MS }, async () => {
  const minutes = Math.floor(Date.now() / 60_000) % (24 * 60);
  const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const opens = (minutes + 12 * 60) % (24 * 60);
  await agents({ hours: { opens: hhmm(opens), closes: hhmm((opens + 60) % (24 * 60)) } });
  const ids = await highProcess();
  const context = await newContext(browser);
  try {
    const user = await startUser(context, ids.authorization);
    const failed = await waitForUserEvent(user, 'failed');
    assert.equal(failed.name, 'AgentUnavailable');
    assert.equal(failed.reason, 'closed');
    assert.ok(Date.parse(failed.opensAt) > Date.now(), failed.opensAt);
    assert.ok(failed.opensAt.includes(`T${hhmm(opens)}`), failed.opensAt);
    assert.equal(await allTracksEnded(user), true);
  } finally {
    await agents({ hours: null });
    await context.close().catch(() => {});
  }
});
