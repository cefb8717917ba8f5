// Native capture when the camera is denied: the document steps fall back to
// a picked file, the selfie then fails with Permission.CameraDenied.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite, goto, waitForEvent, part, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS } from './helpers.mjs';

const run = suite('native-denied', {
  browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream=deny'],
});
const opts = { timeout: TEST_TIMEOUT_MS };
const photo = readFileSync(fileURLToPath(new URL('../../docs/demo.png', import.meta.url)));

test('native, camera denied: the file picker completes the document steps', opts, async (t) => {
  await run(t, async ({ page }) => {
    const uploads = [];
    page.on('requestfinished', async (request) => {
      if (request.method() !== 'PUT' || !request.url().includes('/api/videoid/upload/')) return;
      const response = await request.response();
      uploads.push({
        step: request.url().split('/').pop(),
        status: response?.status(),
        type: request.headers()['content-type'],
        // Playwright does not expose blob bodies; the backend says what it stored.
        stored: (await response?.json().catch(() => ({})))?.bytes > 1000,
      });
    });
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    for (const step of ['front', 'back']) {
      await page.waitForFunction((s) => document.querySelector('#capture').getAttribute('step') === s, step, {
        timeout: STEP_TIMEOUT_MS,
      });
      const input = part(page, 'file-input');
      await part(page, 'file-label').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await input.setInputFiles({ name: `${step}.png`, mimeType: 'image/png', buffer: photo });
      await part(page, 'confirm-button').click();
    }
    // The selfie has no file fallback: the denial is reported, typed.
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Permission.CameraDenied');
    assert.equal(failed.recoverable, true);
    assert.match(await part(page, 'message').innerText(), /site settings/);

    // Both document sides reached the backend, re-encoded from the picked PNG as JPEG.
    assert.deepEqual(
      uploads.map((u) => [u.step, u.status, u.type, u.stored]).sort(),
      [
        ['back', 201, 'image/jpeg', true],
        ['front', 201, 'image/jpeg', true],
      ],
    );
  });
});
