// A camera the browser finds but cannot start, as when another app holds it:
// Chromium's fake camera reads its frames from a Y4M file whose header
// parses (so the camera is listed) and says 0×0 (so starting it fails, every
// time, with NotReadableError "Could not start video source": the error a
// camera held by another app gives). Nothing in the page is faked. (A file
// whose first frame is cut short fails only sometimes; a file that does not
// parse lists no camera, NotFoundError.)

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  suite, goto, waitForEvent, waitForState, part, documentsByFile, TEST_TIMEOUT_MS,
} from './helpers.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'videoid-camera-'));
const busy = path.join(dir, 'busy.y4m');
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(busy, 'YUV4MPEG2 W0 H0 F30:1 Ip A1:1 C420jpeg\nFRAME\n');
const run = suite('camera-busy', {
  browserArgs: [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${busy}`,
  ],
});
const opts = { timeout: TEST_TIMEOUT_MS };

test('a camera that cannot start: the documents by file, then Device.InUse at the selfie, recoverable, and no preview left', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?mode=native&scenario=accepted&auto=1');
    // The document steps offer the file picker when the camera fails; the selfie has none.
    await documentsByFile(page.mainFrame());
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Device.InUse', JSON.stringify(failed));
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');
    assert.match(await part(page, 'message').innerText(), /another app/i);
    const previews = await page.evaluate(() => document.querySelector('#capture').shadowRoot.querySelectorAll('video').length);
    assert.equal(previews, 0, 'no preview is left showing');
  });
});
