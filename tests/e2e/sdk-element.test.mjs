// The element in mode="sdk": the demo page (`?mode=sdk`) gets a session from the
// reference backend, the element checks camera and microphone, loads the simulator's
// VideoID web SDK script and runs it in its slotted container, with Chromium's fake
// devices. Checked: the steps, completion, the result, zero live tracks after; camera
// denied before any script; a foreign script origin; a script that does not load; the
// inactivity timer; the SDK's own failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, launchBrowser, stateSequence, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, SIM_ORIGIN,
} from './helpers.mjs';
import { driveSdk, instrument, liveTracks, nextEvent } from '../../pkg-config/testing.js';

/** Keeps every stream getUserMedia hands out, and every videoid-step, for the test to read. */
function recordTracksAndSteps() {
  const streams = [];
  window.__steps = [];
  addEventListener('videoid-step', (e) => window.__steps.push(e.detail), true);
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
  Object.defineProperty(window, '__streams', { value: () => streams.length });
}

const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const run = suite('sdk-element', { browserArgs: FAKE_MEDIA, initScripts: [recordTracksAndSteps] });
const opts = { timeout: TEST_TIMEOUT_MS };
const SCRIPT = `${SIM_ORIGIN}/provider/js/videoid.js`;

/** Records requests for the SDK's script. */
function scriptRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    if (/\/js\/[\w-]+\.js/.test(r.url())) seen.push(r.url());
  });
  return seen;
}

/** Rewrites the backend's session answer with `change` (the real answer, changed in flight). */
async function changeSession(page, change) {
  await page.route('**/api/videoid/session*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    await route.fulfill({ response, json: change(body) });
  });
}

/** What the light DOM and the media hold once the element has ended. */
async function leftovers(page) {
  return page.evaluate(() => ({
    live: window.__liveTracks ? window.__liveTracks() : -1,
    containers: document.querySelectorAll('#capture > [slot="videoid-sdk"]').length,
    step: document.querySelector('#capture').getAttribute('step'),
  }));
}

test('sdk element: front, back, selfie, complete, accepted result, zero live tracks', opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = scriptRequests(page);
    await goto(page, '?mode=sdk&scenario=accepted&auto=1');
    // The SDK renders in the element's slotted light-DOM container while it captures.
    await page.waitForFunction(() => document.querySelector('#capture > [slot="videoid-sdk"] video'), null, {
      timeout: STEP_TIMEOUT_MS,
    });
    const complete = await waitForEvent(page, 'videoid-complete', { timeout: 60_000 });
    assert.equal(complete.status, 'processing');
    assert.match(complete.dossierId, /^[A-Za-z0-9._-]+$/);
    assert.match(complete.processId, /^[A-Za-z0-9._-]+$/);
    const result = await waitForEvent(page, 'videoid-result', { timeout: 60_000 });
    assert.equal(result.status, 'accepted');
    assert.equal(result.processId, complete.processId);
    assert.equal(result.process.processId, complete.processId);
    const steps = await page.evaluate(() => window.__steps);
    assert.deepEqual(
      steps.map((s) => s.step),
      ['front', 'back', 'selfie'],
    );
    assert.ok(steps.every((s) => s.auto === true && s.quality === null));
    assert.deepEqual(await stateSequence(page), ['loading', 'capturing', 'completing', 'complete']);
    assert.deepEqual(scripts, [SCRIPT], 'the script is loaded once');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
    assert.ok(await page.evaluate(() => window.__streams() >= 3), 'the check and the SDK asked for devices');

    // A second capture on the same page reuses the script.
    await page.evaluate(() => {
      document.querySelector('#capture').start().catch(() => {});
    });
    await page.waitForFunction(
      () => window.videoidEvents.filter((e) => e.type === 'videoid-result').length === 2,
      null,
      { timeout: 60_000, polling: 100 },
    );
    assert.equal(scripts.length, 1, 'one <script> per page');
    assert.equal(await page.evaluate(() => document.querySelectorAll('script[data-videoid-sdk]').length), 1);
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('sdk element: camera denied is Permission.CameraDenied before any SDK script is requested', opts, async () => {
  const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream=deny']);
  try {
    const context = await browser.newContext();
    await context.addInitScript(recordTracksAndSteps);
    const page = await context.newPage();
    const scripts = scriptRequests(page);
    await goto(page, '?mode=sdk&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Permission.CameraDenied');
    assert.equal(failed.recoverable, true);
    assert.deepEqual(scripts, [], 'the SDK script was never requested');
    assert.equal(await page.evaluate(() => typeof window.EID), 'undefined');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  } finally {
    await browser.close();
  }
});

test('sdk element: a script from an origin not in allowed-origins is Session.Invalid', opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = scriptRequests(page);
    await changeSession(page, (s) => ({ ...s, sdkUrl: 'https://cdn.example.com/js/videoid.js' }));
    await goto(page, '?mode=sdk&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Session.Invalid');
    assert.deepEqual(failed.detail, { reason: 'origin-not-allowed' });
    assert.deepEqual(scripts, []);
    assert.equal(await page.evaluate(() => window.__streams()), 0, 'no device was asked for');
  });
});

test('sdk element: a script that does not load is Capture.LoadTimeout sdk-load', opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = scriptRequests(page);
    // The flow's script name on a path the simulator does not serve: a 404.
    await changeSession(page, (s) => ({ ...s, sdkUrl: s.sdkUrl.replace('/provider/js/videoid.js', '/provider/gone/js/videoid.js') }));
    await goto(page, '?mode=sdk&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout');
    assert.deepEqual(failed.detail, { reason: 'sdk-load' });
    assert.equal(failed.recoverable, true);
    assert.deepEqual(scripts, [`${SIM_ORIGIN}/provider/gone/js/videoid.js`]);
    // The failed script is gone, so a retry adds its own.
    assert.equal(await page.evaluate(() => document.querySelectorAll('script[data-videoid-sdk]').length), 0);
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test("sdk element: a script that is not the session's flow's is Session.Invalid, and nothing loads", opts, async (t) => {
  await run(t, async ({ page }) => {
    const scripts = scriptRequests(page);
    // An unattended session naming another script, then one naming the attended SDK.
    for (const other of ['/js/missing.js', '/js/videoidattended.js']) {
      await changeSession(page, (s) => ({ ...s, flow: 'unattended', sdkUrl: s.sdkUrl.replace('/js/videoid.js', other) }));
      await goto(page, '?mode=sdk&scenario=accepted&auto=1');
      const failed = await waitForEvent(page, 'videoid-failed');
      assert.equal(failed.code, 'Session.Invalid', `${other}: ${JSON.stringify(failed)}`);
      await page.unroute('**/api/videoid/session*');
    }
    assert.deepEqual(scripts, [], 'no script was added');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('sdk element: no interaction runs out the inactivity timer: InactiveUser.Aborted, camera off (lang reaches the SDK)', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=sdk&scenario=no-interaction&inactivity=5&auto=1&lang=nb');
    await page.waitForFunction(() => document.querySelector('#capture').getAttribute('step') === 'front', null, {
      timeout: STEP_TIMEOUT_MS,
    });
    assert.ok(await page.evaluate(() => window.__liveTracks() > 0), 'the SDK has the camera at FRONT');
    // The element's language reaches the SDK (`EID.videoId(container, { lang })`).
    const hint = page.locator('#capture > [slot="videoid-sdk"] .eid-videoid-hint');
    await page.waitForFunction(
      () => document.querySelector('#capture > [slot="videoid-sdk"] .eid-videoid-hint')?.textContent,
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.equal(await hint.textContent(), 'Vis forsiden av dokumentet');
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'InactiveUser.Aborted');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('sdk element: the SDK failing (an authorization it refuses) is Capture.Failed with its error', opts, async (t) => {
  await run(t, async ({ page }) => {
    await changeSession(page, (s) => ({ ...s, authorization: 'not-an-authorization' }));
    await goto(page, '?mode=sdk&scenario=accepted&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: 30_000 });
    assert.equal(failed.code, 'Capture.Failed');
    assert.equal(failed.detail.type, 'AuthorizationError');
    assert.equal(failed.detail.id, 'authorization-invalid');
    assert.equal(typeof failed.detail.message, 'string');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
  });
});

test('sdk element: cancel mid-capture turns the SDK off', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=sdk&scenario=no-interaction&auto=1');
    await page.waitForFunction(() => document.querySelector('#capture').getAttribute('step') === 'front', null, {
      timeout: STEP_TIMEOUT_MS,
    });
    await page.evaluate(() => document.querySelector('#capture').cancel());
    await waitForEvent(page, 'videoid-cancel');
    assert.deepEqual(await leftovers(page), { live: 0, containers: 0, step: null });
    // Removing the element while the SDK runs leaves nothing live either.
    await page.evaluate(() => {
      document.querySelector('#capture').start().catch(() => {});
    });
    await page.waitForFunction(() => document.querySelector('#capture').getAttribute('step') === 'front', null, {
      timeout: STEP_TIMEOUT_MS,
    });
    await page.evaluate(() => document.querySelector('#capture').remove());
    assert.equal(await page.evaluate(() => window.__liveTracks()), 0);
  });
});

test('sdk element: videoid-capture/testing driveSdk drives the real element to its result', opts, async (t) => {
  await run(t, async ({ page }) => {
    await instrument(page);
    await goto(page, '?mode=sdk&scenario=accepted');
    const driven = await driveSdk(page, { element: '#capture', timeout: 60_000 });
    assert.deepEqual(driven, { state: 'complete', steps: ['front', 'back', 'selfie'] });
    const result = await nextEvent(page, 'videoid-result', { since: 0 });
    assert.equal(result.status, 'accepted');
    assert.equal(await liveTracks(page), 0);
  });
});
