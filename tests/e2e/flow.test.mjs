// The whole embedded flow on the demo site: the simulator's capture page in a
// cross-origin iframe finishes by itself, the element reports completion and
// the final Assure result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import path from 'node:path';
import {
  suite, goto, waitForEvent, waitForState, events, stateAttr, stateSequence, countEvents,
  part, hasFrame, simFrame, inOrder, pageTimer, SIM_ORIGIN, HOST_ORIGIN, OUTPUT_DIR, TEST_TIMEOUT_MS,
} from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

const run = suite('flow');
const opts = { timeout: TEST_TIMEOUT_MS };
const ID = /^[A-Za-z0-9._-]{1,128}$/;

test('accepted: cross-origin frame, completion then result, exactly once', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const frameDocs = [];
    context.on('request', (r) => {
      try {
        if (r.resourceType() === 'document' && r.frame().parentFrame()) frameDocs.push(r.url());
      } catch {
        // Requests without a frame (service workers) are no frame documents.
      }
    });
    await goto(page, '?scenario=accepted&auto=1&mode=embed');

    await waitForState(page, 'capturing');
    // The frame may already be gone when the capture page finishes fast, so
    // the attributes come from the recorder that saw it being inserted.
    const frames = await page.evaluate(() => window.__e2e.frames);
    const frame = frames.find((f) => (f.part || '').split(/\s+/).includes('frame'));
    assert.ok(frame, `an iframe[part=frame] was rendered; saw ${JSON.stringify(frames)}`);
    assert.equal(new URL(frame.src).origin, SIM_ORIGIN, 'the capture page comes from the simulator origin');
    assert.notEqual(new URL(frame.src).origin, HOST_ORIGIN);
    assert.match(frame.allow || '', new RegExp(`camera ${SIM_ORIGIN.replace(/\./g, '\\.')}`));
    assert.match(frame.allow || '', new RegExp(`microphone ${SIM_ORIGIN.replace(/\./g, '\\.')}`));
    assert.ok(
      frameDocs.some((u) => u.startsWith(`${SIM_ORIGIN}/capture/`)),
      `a child frame loaded ${SIM_ORIGIN}/capture/; child documents: ${frameDocs.join(', ')}`,
    );

    const complete = await waitForEvent(page, 'videoid-complete');
    assert.match(complete.dossierId, ID);
    assert.match(complete.processId, ID);
    assert.equal(complete.status, 'processing');

    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal(result.final, true, 'an accepted process is final');
    assert.equal(result.dossierId, complete.dossierId);
    assert.equal(result.processId, complete.processId);
    assert.equal(result.process?.status, 'accepted');
    assert.equal(result.process?.processId, complete.processId);

    await waitForState(page, 'complete');
    const log = await events(page);
    const types = log.map((e) => e.type);
    assert.ok(types.indexOf('videoid-complete') < types.indexOf('videoid-result'), `complete before result: ${types}`);
    const states = await stateSequence(page);
    assert.ok(inOrder(states, ['loading', 'capturing', 'completing', 'complete']), `state sequence ${states}`);
    assert.ok(!types.includes('videoid-failed'), 'no failure on the accepted path');

    // Both completion paths (return message, same-origin frame location) are
    // live; give the slower one a second to (wrongly) fire again.
    await pageTimer(page, 1000);
    assert.equal(await countEvents(page, 'videoid-complete'), 1, 'videoid-complete fires exactly once');
    assert.equal(await countEvents(page, 'videoid-result'), 1, 'videoid-result fires exactly once');
    assert.equal(await stateAttr(page), 'complete');
  });
});

for (const status of ['rejected', 'inconclusive']) {
  test(`${status}: the result carries the provider's status`, opts, async (t) => {
    await run(t, async ({ page }) => {
      await goto(page, `?scenario=${status}&auto=1&mode=embed`);
      const complete = await waitForEvent(page, 'videoid-complete');
      assert.equal(complete.status, 'processing');
      const result = await waitForEvent(page, 'videoid-result');
      assert.equal(result.status, status);
      assert.equal(result.process?.status, status);
      await waitForState(page, 'complete');
      assert.equal(await countEvents(page, 'videoid-failed'), 0);
    });
  });
}

test('failed-inactive: the provider failure becomes Capture.Failed with its failReason', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=failed-inactive&auto=1&mode=embed');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.Failed');
    assert.equal(failed.detail?.type, 'InactiveUser.Aborted');
    assert.equal(typeof failed.message, 'string');
    assert.ok(failed.message.length > 0, 'a human message');
    assert.equal(typeof failed.recoverable, 'boolean');
    await waitForState(page, 'failed');
    // The final process may be reported as a result too, but only as failed.
    const results = (await events(page)).filter((e) => e.type === 'videoid-result').map((e) => e.detail.status);
    assert.ok(results.every((s) => s === 'failed'), `results of a failed process: ${results}`);
    assert.equal(await countEvents(page, 'videoid-complete'), 1, 'the flow came back once');
  });
});

test('screenshot: the demo page while capturing', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=accepted&mode=embed');
    await part(page, 'start-button').click();
    await waitForState(page, 'capturing');
    const frame = await simFrame(page);
    await frame.waitForLoadState('load');
    // Without auto the simulator waits for an outcome button.
    await frame.locator('button').first().waitFor({ state: 'visible' });
    assert.ok(await hasFrame(page));
    await part(page, 'frame').waitFor({ state: 'visible' });

    mkdirSync(OUTPUT_DIR, { recursive: true });
    const shot = path.join(OUTPUT_DIR, 'demo.png');
    await page.screenshot({ path: shot, fullPage: true });
    // The capture page is drawn in the element's frame: the frame's box in the
    // screenshot holds the simulator's page (many colours, its text), not a blank.
    const png = PNG.sync.read(readFileSync(shot));
    const box = await part(page, 'frame').boundingBox();
    const scroll = await page.evaluate(() => window.scrollY);
    assert.ok(box && box.width > 200 && box.height > 200, `the frame is shown: ${JSON.stringify(box)}`);
    const colours = new Set();
    for (let y = Math.ceil(box.y + scroll); y < Math.floor(box.y + scroll + box.height); y += 2) {
      for (let x = Math.ceil(box.x); x < Math.floor(box.x + box.width); x += 2) {
        const i = (y * png.width + x) * 4;
        colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
      }
    }
    assert.ok(colours.size >= 16, `the frame's box has ${colours.size} colours: the capture page is drawn`);
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(shot, path.join(REPO_ROOT, 'docs', 'demo.png'));
  });
});
