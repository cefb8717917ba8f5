// Device failures the browser itself produces: permissions as a user (or a
// site setting) leaves them, with Chromium's fake camera and microphone and
// no automatic answer to the permission prompt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, part, HOST_ORIGIN, SIM_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

// No --use-fake-ui-for-media-stream: a permission the context has not granted is denied.
const run = suite('devices', { browserArgs: ['--use-fake-device-for-media-stream'] });
const opts = { timeout: TEST_TIMEOUT_MS };

async function captureStep(page, step) {
  await page.waitForFunction((s) => document.querySelector('#capture').getAttribute('step') === s, step, {
    timeout: STEP_TIMEOUT_MS,
  });
  const capture = part(page, 'capture-button');
  await capture.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await capture.click();
  const confirm = part(page, 'confirm-button');
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await confirm.click();
}

test('camera allowed, microphone not: the stills are taken, the video step ends in Permission.MicrophoneDenied', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await context.grantPermissions(['camera'], { origin: HOST_ORIGIN });
    // The reference backend lists no video step (Assure takes no video from the host); a
    // backend that does is stood in for by adding one to its real answer.
    await page.route((url) => url.origin === HOST_ORIGIN && url.pathname === '/api/videoid/session', async (route) => {
      const response = await route.fetch();
      const answer = await response.json();
      assert.ok(Array.isArray(answer.steps), `a native session answer lists steps: ${JSON.stringify(answer)}`);
      await route.fulfill({ response, json: { ...answer, steps: [...answer.steps, 'video'] } });
    });
    const uploads = [];
    page.on('requestfinished', async (r) => {
      if (r.method() === 'PUT' && r.url().includes('/api/videoid/upload/')) {
        uploads.push([r.url().split('/').pop(), (await r.response())?.status()]);
      }
    });
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    for (const step of ['front', 'back', 'selfie']) await captureStep(page, step);
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Permission.MicrophoneDenied', JSON.stringify(failed));
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');
    assert.match(await part(page, 'message').innerText(), /microphone/i);
    assert.deepEqual(uploads.sort(), [['back', 201], ['front', 201], ['selfie', 201]], 'the stills reached the backend');
    const live = await page.evaluate(() => document.querySelector('#capture').shadowRoot.querySelectorAll('video').length);
    assert.equal(live, 0, 'no preview is left showing');
  });
});

for (const [thresholds, good] of [
  ['sharpness=0 dark=0 bright=255 glare=1 motion=255 fill=0', true],
  ['sharpness=1000000', false],
]) {
  test(`quality-thresholds="${thresholds}": each still's upload carries its report, judged by them`, opts, async (t) => {
    await run(t, async ({ page, context }) => {
      await context.grantPermissions(['camera', 'microphone'], { origin: HOST_ORIGIN });
      const frontUpload = page.waitForResponse(
        (r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.endsWith('/upload/front'),
        { timeout: STEP_TIMEOUT_MS * 2 },
      );
      await goto(page, '?mode=native&scenario=accepted');
      await page.evaluate(async (thresholds) => {
        await customElements.whenDefined('videoid-capture');
        const el = document.querySelector('#capture');
        el.setAttribute('quality-thresholds', thresholds);
        el.start().catch(() => {});
      }, thresholds);
      if (good) {
        // Every frame passes: the still is taken by itself.
        const confirm = part(page, 'confirm-button');
        await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
        await confirm.click();
      } else {
        await captureStep(page, 'front');
      }
      const response = await frontUpload;
      assert.equal(response.status(), 201, 'the backend took the upload and its report');
      const header = (await response.request().allHeaders())['x-videoid-quality'];
      assert.ok(header, 'the upload carries X-Videoid-Quality');
      const report = JSON.parse(header);
      for (const key of ['sharpness', 'brightness', 'glare', 'motion', 'fill']) {
        assert.equal(typeof report[key], 'number', `${key} in ${header}`);
      }
      assert.equal(report.verdict === 'good', good, `verdict under ${thresholds}: ${header}`);
    });
  });
}

/** Adds a video step to the backend's real native answer, and the capture URL of a real embed session. */
async function withVideoAndHostedPage(page) {
  await page.route((url) => url.origin === HOST_ORIGIN && url.pathname === '/api/videoid/session', async (route) => {
    // The reference backend's native answer has no video step and names no hosted page: a
    // backend that offers both is stood in for by adding them from real answers.
    const response = await route.fetch();
    const answer = await response.json();
    const hosted = await (await route.fetch({ postData: JSON.stringify({ mode: 'embed' }) })).json();
    assert.ok(hosted.url, `the embed answer names its capture page: ${JSON.stringify(hosted)}`);
    await route.fulfill({
      response,
      json: { ...answer, url: hosted.url, framing: hosted.framing, steps: [...answer.steps, 'video'] },
    });
  });
}

test('fallback="embed": the microphone denied at the video step, the hosted capture page takes over and completes', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await context.grantPermissions(['camera'], { origin: HOST_ORIGIN });
    await withVideoAndHostedPage(page);
    const navigated = [];
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) navigated.push(f.url());
    });
    await goto(page, '?mode=native&fallback=embed&scenario=accepted&auto=1');
    for (const step of ['front', 'back', 'selfie']) await captureStep(page, step);
    const complete = await waitForEvent(page, 'videoid-complete', { timeout: STEP_TIMEOUT_MS * 2 });
    assert.ok(complete.dossierId, JSON.stringify(complete));
    assert.ok(navigated.some((url) => url.startsWith(`${SIM_ORIGIN}/capture/`)), `the hosted page was framed: ${navigated.join(', ')}`);
    const failures = (await page.evaluate(() => window.videoidEvents))
      .filter((e) => e.type === 'videoid-failed').map((e) => e.detail.code);
    assert.deepEqual(failures, [], 'the denial was handed over, not reported');
  });
});

test('a browser without MediaRecorder: the video step ends in Device.Unsupported "recorder", not a script error', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await context.grantPermissions(['camera', 'microphone'], { origin: HOST_ORIGIN });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      delete window.MediaRecorder;
    });
    await withVideoAndHostedPage(page);
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    for (const step of ['front', 'back', 'selfie']) await captureStep(page, step);
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Device.Unsupported', JSON.stringify(failed));
    assert.equal(failed.detail?.reason, 'recorder');
    assert.deepEqual(errors, [], 'no uncaught error on the page');
  });
});
