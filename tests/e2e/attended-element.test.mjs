// The element in mode="sdk" with an attended session (a live interview with an agent),
// without WebRTC: the reference backend's real session answer is rewritten in flight to
// `flow: "attended"` and the simulator's `…/js/videoidattended.js`, and that script is a
// small FAKE attended SDK served by `page.route`, which plays the events a test scripts
// (`window.__attendedPlan`: `[ms after start(), event, payload]`). Checked, deterministically:
// the steps queue → interview → front/back/selfie; `videoid-agent`; the live region's queue
// position (at most every 10 s); `agent-timeout` → `Agent.Unavailable` `timeout` with the
// SDK's turnOff and destroy; `failed AgentUnavailable` → `closed` with `opensAt`; `failed
// AgentDisconnected` → `Agent.Disconnected`; no inactivity failure while queued past
// `inactivity-timeout`; zero live tracks after each. (The WebRTC call with the simulator's
// real attended SDK and its RA console is another file's.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, goto, waitForEvent, stateSequence, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, SIM_ORIGIN } from './helpers.mjs';

/** Keeps every stream getUserMedia hands out, every videoid-step and videoid-agent. */
function recordTracksAndEvents() {
  const streams = [];
  window.__steps = [];
  window.__agent = [];
  addEventListener('videoid-step', (e) => window.__steps.push(e.detail.step), true);
  addEventListener('videoid-agent', (e) => window.__agent.push(JSON.parse(JSON.stringify(e.detail))), true);
  const devices = navigator.mediaDevices;
  const original = devices?.getUserMedia?.bind(devices);
  if (!original) return;
  devices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  Object.defineProperty(window, '__liveTracks', {
    value: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  });
}

// The fake attended SDK: the surface of the shared contract (B), no network. Every call
// into it is logged in `window.__attended.calls`; its events follow `window.__attendedPlan`.
const FAKE_ATTENDED_SDK = `(() => {
  const log = (window.__attended = window.__attended || { calls: [], scripts: 0 });
  log.scripts += 1;
  function videoIDAttended(target, options) {
    const root = typeof target === 'string' ? document.querySelector(target) : target;
    const handlers = {};
    const timers = [];
    let stream = null;
    let over = false;
    log.calls.push(['videoIDAttended', options && options.lang]);
    const off = () => {
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
    };
    const emit = (name, payload) => {
      if (over) return;
      if (name === 'completed' || name === 'failed') {
        over = true;
        off();
      }
      (handlers[name] || []).forEach((fn) => fn(payload));
    };
    const payload = (name, value) => {
      if (name === 'phaseStarting') {
        return { name: value, continue() { log.calls.push(['continue', value]); } };
      }
      return value || {};
    };
    const v = {
      on(name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
      turnOn() {
        log.calls.push(['turnOn']);
        navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then((s) => {
          if (over) { s.getTracks().forEach((t) => t.stop()); return; }
          stream = s;
          const video = document.createElement('video');
          video.muted = true;
          video.srcObject = s;
          root.append(video);
        });
      },
      start(options) {
        log.calls.push(['start', options.authorization.length > 0, options.idType]);
        for (const [ms, name, value] of window.__attendedPlan || []) {
          timers.push(setTimeout(() => emit(name, payload(name, value)), ms));
        }
      },
      turnOff() { log.calls.push(['turnOff']); off(); },
      destroy() {
        log.calls.push(['destroy']);
        over = true;
        timers.forEach(clearTimeout);
        off();
        root.replaceChildren();
      },
    };
    return v;
  }
  window.EID = Object.assign(window.EID || {}, { videoIDAttended });
})();`;

const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const run = suite('attended-element', { browserArgs: FAKE_MEDIA, initScripts: [recordTracksAndEvents] });
const opts = { timeout: TEST_TIMEOUT_MS };
const ATTENDED_SCRIPT = `${SIM_ORIGIN}/provider/js/videoidattended.js`;

/**
 * Rewrites the backend's session answer to an attended one, serves the fake attended SDK
 * as its script, and records the requests for either SDK's script.
 */
async function attended(page) {
  const scripts = [];
  page.on('request', (r) => {
    if (/\/js\/videoid(attended)?\.js/.test(r.url())) scripts.push(r.url());
  });
  await page.route('**/api/videoid/session*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    assert.ok(body.sdkUrl.endsWith('/js/videoid.js'), 'the backend answered an sdk session');
    const sdkUrl = body.sdkUrl.replace(/\/js\/videoid\.js$/, '/js/videoidattended.js');
    await route.fulfill({ response, json: { ...body, flow: 'attended', sdkUrl } });
  });
  await page.route('**/provider/js/videoidattended.js', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_ATTENDED_SDK }));
  return scripts;
}

/** Sets the plan and the attributes, then starts the element. */
async function start(page, plan, attributes = {}) {
  await page.evaluate(async ([plan, attributes]) => {
    window.__attendedPlan = plan;
    await customElements.whenDefined('videoid-capture');
    const el = document.querySelector('#capture');
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    el.start().catch(() => {});
  }, [plan, attributes]);
}

/** The live region's text (the element's `part="status"`). */
function announced(page) {
  return page.evaluate(() =>
    document.querySelector('#capture').shadowRoot.querySelector('[part="status"]').textContent.trim());
}

function stepAttr(page) {
  return page.evaluate(() => document.querySelector('#capture').getAttribute('step'));
}

/** Waits until the page has seen `n` videoid-agent events. */
async function agentEvents(page, n, timeout = STEP_TIMEOUT_MS) {
  await page.waitForFunction((n) => window.__agent.length >= n, n, { timeout, polling: 50 });
  return page.evaluate(() => window.__agent);
}

/** What the light DOM, the media and the fake SDK hold once the element has ended. */
async function leftovers(page) {
  return page.evaluate(() => ({
    live: window.__liveTracks ? window.__liveTracks() : -1,
    containers: document.querySelectorAll('#capture > [slot="videoid-sdk"]').length,
    step: document.querySelector('#capture').getAttribute('step'),
  }));
}

function calls(page) {
  return page.evaluate(() => (window.__attended ? window.__attended.calls.map((c) => c[0]) : []));
}

test('attended: queue → interview → front, back, selfie; videoid-agent; the live region; complete', opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = await attended(page);
    await goto(page, '?mode=sdk&scenario=accepted&wait=2');
    await start(page, [
      [100, 'queued', { position: 3, estimatedWaitSeconds: 90 }],
      [1500, 'queued', { position: 2, estimatedWaitSeconds: 60 }],
      [2500, 'agentConnected'],
      [3000, 'phaseStarting', 'FRONT'],
      [3300, 'phaseStarting', 'BACK'],
      [3600, 'phaseStarting', 'FACE'],
      [4000, 'completed', { id: 'call-1' }],
    ]);
    const first = await agentEvents(page, 1);
    assert.deepEqual(first, [{ status: 'queued', position: 3 }]);
    assert.equal(await stepAttr(page), 'queue');
    await page.waitForFunction(
      () => /3/.test(document.querySelector('#capture').shadowRoot.querySelector('[part="status"]').textContent),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.equal(await announced(page), 'Waiting for an agent. You are number 3 in the queue.');
    // Position 2 comes 1.4 s after the first announcement: the event says it, the live
    // region not yet (at most one announcement every 10 s).
    await agentEvents(page, 2);
    assert.equal(await announced(page), 'Waiting for an agent. You are number 3 in the queue.');

    const complete = await waitForEvent(page, 'videoid-complete', { timeout: 60_000 });
    assert.equal(complete.status, 'processing');
    assert.deepEqual(await page.evaluate(() => window.__agent), [
      { status: 'queued', position: 3 },
      { status: 'queued', position: 2 },
      { status: 'connected' },
    ]);
    assert.deepEqual(await page.evaluate(() => window.__steps), ['queue', 'interview', 'front', 'back', 'selfie']);
    // The element waits for the result as after an unattended capture (here `wait=2`).
    await waitForEvent(page, 'videoid-result', { timeout: 30_000 });
    assert.deepEqual((await stateSequence(page)).slice(0, 3), ['loading', 'capturing', 'completing']);
    assert.deepEqual(scripts, [ATTENDED_SCRIPT], 'the attended script only, once');
    const log = await page.evaluate(() => window.__attended.calls);
    assert.deepEqual(log[0], ['videoIDAttended', 'en']);
    assert.deepEqual(log[1], ['turnOn']);
    assert.deepEqual(log[2].slice(0, 2), ['start', true], 'start() with the authorization');
    assert.equal(typeof log[2][2], 'number', 'and the idType');
    assert.deepEqual(log.filter((c) => c[0] === 'continue').map((c) => c[1]), ['FRONT', 'BACK', 'FACE']);
    assert.deepEqual((await calls(page)).slice(-2), ['turnOff', 'destroy'], 'the element turns the SDK off at the end');
    assert.equal(await page.evaluate(() => typeof window.EID.videoId), 'undefined', 'the unattended SDK never loaded');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('attended: queued past inactivity-timeout is no inactivity; the position is announced 10 s on; agent-timeout ends it', opts, async (t) => {
  await run(t, async ({ page }) => {
    await attended(page);
    await goto(page, '?mode=sdk&scenario=accepted');
    const started = Date.now();
    await start(page, [
      [100, 'queued', { position: 3, estimatedWaitSeconds: 90 }],
      [1000, 'queued', { position: 2, estimatedWaitSeconds: 60 }],
    ], { 'inactivity-timeout': '2', 'agent-timeout': '14' });
    await agentEvents(page, 2);
    assert.equal(await announced(page), 'Waiting for an agent. You are number 3 in the queue.');
    // The 10 s after the first announcement: position 2 is announced by the element's timer.
    await page.waitForFunction(
      () => /number 2 /.test(document.querySelector('#capture').shadowRoot.querySelector('[part="status"]').textContent),
      null,
      { timeout: 30_000, polling: 100 },
    );
    assert.ok(Date.now() - started >= 9_000, 'not before the 10 s were up');
    assert.equal(await announced(page), 'Waiting for an agent. You are number 2 in the queue.');
    // Far past inactivity-timeout (2 s) and still queued.
    assert.equal(await page.evaluate(() => document.querySelector('#capture').getAttribute('state')), 'capturing');
    assert.equal(await stepAttr(page), 'queue');
    assert.ok(await page.evaluate(() => window.__liveTracks() > 0), 'the SDK holds the camera while queued');

    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Agent.Unavailable');
    assert.deepEqual(failed.detail, { reason: 'timeout' });
    assert.equal(failed.recoverable, true);
    assert.equal(failed.message, 'No agent is available right now. Please try again later.');
    assert.ok(Date.now() - started >= 13_000, 'agent-timeout counts from the start');
    const events = await page.evaluate(() => window.videoidEvents.filter((e) => e.type === 'videoid-failed'));
    assert.equal(events.length, 1, 'no InactiveUser.Aborted before it');
    assert.deepEqual((await calls(page)).slice(-2), ['turnOff', 'destroy'], 'the SDK left the queue');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('attended: a small agent-timeout with nobody picking up is Agent.Unavailable timeout, SDK destroyed; a retry reuses the script', opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = await attended(page);
    await goto(page, '?mode=sdk&scenario=accepted&wait=2');
    await start(page, [[100, 'queued', { position: 1, estimatedWaitSeconds: 10 }]], { 'agent-timeout': '2' });
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Agent.Unavailable');
    assert.deepEqual(failed.detail, { reason: 'timeout' });
    assert.ok((await calls(page)).includes('destroy'));
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
    // Recoverable: a second start on the page gets a new session and the same script.
    await start(page, [
      [100, 'queued', { position: 1, estimatedWaitSeconds: 10 }],
      [300, 'agentConnected'],
      [600, 'completed', { id: 'call-2' }],
    ]);
    await waitForEvent(page, 'videoid-complete', { timeout: 60_000 });
    assert.deepEqual(scripts, [ATTENDED_SCRIPT], 'one <script> per page');
    assert.equal(await page.evaluate(() => window.__attended.scripts), 1);
    assert.equal(await page.evaluate(() => document.querySelectorAll('script[data-videoid-sdk]').length), 1);
    assert.deepEqual(await page.evaluate(() => window.__steps), ['queue', 'queue', 'interview']);
    await waitForEvent(page, 'videoid-result', { timeout: 30_000 });
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('attended: failed AgentUnavailable closed is Agent.Unavailable closed with opensAt', opts, async (t) => {
  await run(t, async ({ page }) => {
    await attended(page);
    await goto(page, '?mode=sdk&scenario=accepted');
    const opensAt = '2026-12-08T08:00:00Z';
    await start(page, [[300, 'failed', { name: 'AgentUnavailable', reason: 'closed', message: 'closed', opensAt }]]);
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Agent.Unavailable');
    assert.deepEqual(failed.detail, { reason: 'closed', opensAt });
    assert.equal(failed.recoverable, true);
    assert.deepEqual((await calls(page)).slice(-2), ['turnOff', 'destroy']);
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('attended: a dropped call that does not come back is Agent.Disconnected', opts, async (t) => {
  await run(t, async ({ page }) => {
    await attended(page);
    await goto(page, '?mode=sdk&scenario=accepted');
    await start(page, [
      [100, 'queued', { position: 1, estimatedWaitSeconds: 5 }],
      [400, 'agentConnected'],
      [700, 'phaseStarting', 'FRONT'],
      [1000, 'agentDisconnected'],
      [2000, 'failed', { name: 'AgentDisconnected', reason: 'dropped', message: 'the call dropped' }],
    ]);
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Agent.Disconnected');
    assert.equal(failed.detail, null);
    assert.equal(failed.recoverable, true);
    assert.deepEqual(await page.evaluate(() => window.__agent), [
      { status: 'queued', position: 1 },
      { status: 'connected' },
      { status: 'disconnected' },
    ]);
    assert.deepEqual(await page.evaluate(() => window.__steps), ['queue', 'interview', 'front']);
    assert.deepEqual((await calls(page)).slice(-2), ['turnOff', 'destroy']);
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});
