// Native capture from the demo page with Chromium's fake camera and
// microphone: every step through the UI, the stills the simulator really
// received (Set images), inactivity, and the camera light (live tracks) after every end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, part, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, HOST_ORIGIN,
} from './helpers.mjs';

/** Keeps every stream getUserMedia hands out, so a test can count live tracks. */
function trackCounter() {
  const streams = [];
  const original = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
  if (!original) return;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  Object.defineProperty(window, '__liveTracks', {
    value: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  });
  Object.defineProperty(window, '__streamsAsked', { value: () => streams.length });
}

const run = suite('native', {
  browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  initScripts: [trackCounter],
});
const opts = { timeout: TEST_TIMEOUT_MS };

const liveTracks = (page) => page.evaluate(() => window.__liveTracks());

async function captureStep(page, step) {
  await page.waitForFunction((step) => document.querySelector('#capture').getAttribute('step') === step, step, {
    timeout: STEP_TIMEOUT_MS,
  });
  const capture = part(page, 'capture-button');
  await capture.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.ok((await liveTracks(page)) >= 1, `the camera is live for ${step}`);
  await capture.click();
  const confirm = part(page, 'confirm-button');
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await liveTracks(page), 0, `the camera is off while reviewing ${step}`);
  await confirm.click();
}

test('native: every step through the UI, and the simulator has the real artifacts', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    // The reference backend lists no video step: Assure takes no video from the host.
    for (const step of ['front', 'back', 'selfie']) await captureStep(page, step);
    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');
    assert.equal(await liveTracks(page), 0, 'no live track after completion');

    // Fetch the stills back through the host backend (the end-user's own dossier), which
    // reads them from Assure's Get images after Set images stored them.
    const q = `processId=${encodeURIComponent(complete.processId)}`;
    for (const depiction of ['front', 'back', 'selfie']) {
      const r = await context.request.get(`${HOST_ORIGIN}/api/videoid/images?${q}&depiction=${depiction}`);
      assert.equal(r.status(), 200, depiction);
      assert.equal(r.headers()['content-type'], 'image/jpeg', depiction);
      const body = await r.body();
      assert.ok(body.length > 1000, `${depiction}: ${body.length} bytes`);
      assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff], `${depiction} is a JPEG`);
    }
    const video = await context.request.get(`${HOST_ORIGIN}/api/videoid/video?${q}`);
    assert.equal(video.status(), 404, 'a native capture has no video');
  });
});

test('native: a short inactivity-timeout ends with InactiveUser.Aborted and the camera off', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=native&scenario=accepted&auto=1&inactivity=2');
    await part(page, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'InactiveUser.Aborted');
    assert.equal(await liveTracks(page), 0);
  });
});

test('native: cancel and removal mid-capture leave no live track', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    await part(page, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.ok((await liveTracks(page)) >= 1);
    await page.evaluate(() => document.querySelector('#capture').cancel());
    await waitForState(page, 'cancelled');
    assert.equal(await liveTracks(page), 0, 'after cancel');

    await part(page, 'retry-button').click();
    await part(page, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.ok((await liveTracks(page)) >= 1, 'the retry opened the camera again');
    await page.evaluate(() => document.querySelector('#capture').remove());
    await page.waitForFunction(() => window.__liveTracks() === 0, null, { timeout: 5000 });
  });
});
