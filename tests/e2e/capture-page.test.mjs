// The embed flow with a real capture: the simulator's hosted capture page runs
// <videoid-capture mode="native"> in the cross-origin frame. Chromium's fake
// camera and microphone feed it; the outer element gets the completion and the
// result, and the end-user's images are the captured JPEGs, not placeholders.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  suite, goto, waitForEvent, waitForState, part, simFrame, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, HOST_ORIGIN,
} from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

const run = suite('capture-page', {
  browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});
const opts = { timeout: TEST_TIMEOUT_MS };

const INNER = '#native-capture';
const PLACEHOLDER_FRONT = statSync(path.join(REPO_ROOT, 'www', 'static', 'placeholder', 'front.jpeg')).size;

/** Takes and confirms one step of the inner element in the capture frame. */
async function captureStep(frame, step) {
  await frame.waitForFunction(
    ([sel, step]) => document.querySelector(sel)?.getAttribute('step') === step,
    [INNER, step],
    { timeout: STEP_TIMEOUT_MS, polling: 100 },
  );
  const capture = frame.locator(`${INNER} [part~="capture-button"]`);
  const confirm = frame.locator(`${INNER} [part~="confirm-button"]`);
  await capture.or(confirm).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  // A document may capture itself after steady good frames; otherwise take it.
  if (!(await confirm.isVisible())) await capture.click();
  // The video step records for 4 s before it can be confirmed.
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await confirm.click();
}

test('embed: the capture page captures with the camera, and the images are the captured ones', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await goto(page, '?mode=embed&scenario=accepted');
    await part(page, 'start-button').click();
    await waitForState(page, 'capturing');

    const frame = await simFrame(page);
    await frame.waitForSelector(INNER, { state: 'attached', timeout: STEP_TIMEOUT_MS });
    assert.equal(await frame.getAttribute(INNER, 'mode'), 'native');
    assert.ok(await frame.locator('#capture-outcomes').isVisible(), 'the test controls stay');
    for (const step of ['front', 'back', 'selfie', 'video']) await captureStep(frame, step);

    const complete = await waitForEvent(page, 'videoid-complete');
    assert.equal(complete.status, 'processing');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal(result.processId, complete.processId);
    assert.equal(result.process?.providerSpecific?.ocr?.documentType, 'identityCard', 'a back side was captured');
    await waitForState(page, 'complete');

    // The end-user's own images, with the page's cookies: the captured JPEGs.
    const q = `processId=${encodeURIComponent(complete.processId)}`;
    const front = await context.request.get(`${HOST_ORIGIN}/api/videoid/images?${q}&depiction=front`);
    assert.equal(front.status(), 200);
    assert.equal(front.headers()['content-type'], 'image/jpeg');
    const body = await front.body();
    assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    assert.ok(body.length > PLACEHOLDER_FRONT, `${body.length} bytes, the placeholder has ${PLACEHOLDER_FRONT}`);
    for (const depiction of ['back', 'selfie']) {
      const r = await context.request.get(`${HOST_ORIGIN}/api/videoid/images?${q}&depiction=${depiction}`);
      assert.equal(r.status(), 200, depiction);
    }
    const video = await context.request.get(`${HOST_ORIGIN}/api/videoid/video?${q}`);
    assert.equal(video.status(), 200);
    assert.match(video.headers()['content-type'], /^video\/(webm|mp4)/);
    assert.ok((await video.body()).length > 1000, 'a recorded video, not the frameless placeholder');
  });
});
