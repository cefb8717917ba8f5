// Auto-capture from the demo page with a generated document video as the
// camera: a sharp document is taken by itself; a blurred or dark one is not,
// and the hint says what to fix.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, goto, part, checkBackendContract, reportContractTotals, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';
import { REPO_ROOT, startServer } from './server.mjs';

const FIXTURES = path.join(REPO_ROOT, 'target', 'fixtures');

/** The document video for `variant`, generated once by the repo's own script. */
function fixture(variant) {
  const file = path.join(FIXTURES, `document-${variant}-1280x720.y4m`);
  if (!existsSync(file)) {
    mkdirSync(FIXTURES, { recursive: true });
    execFileSync('python3', [path.join(REPO_ROOT, 'scripts', 'make-y4m.py'), file, '1280', '720', variant, '3']);
  }
  return file;
}

let server;
before(async () => {
  server = await startServer('autocapture');
});
after(async (t) => {
  await server?.stop();
  reportContractTotals(t);
});

/** Opens the native demo with `variant` as the camera; records `videoid-step` events. */
async function withCamera(variant, fn) {
  const browser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${fixture(variant)}`,
  ]);
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__steps = [];
      addEventListener('videoid-step', (e) => window.__steps.push(e.detail), true);
      // Counts the frames the quality checks read (each analysis round reads one).
      window.__framesRead = 0;
      const read = CanvasRenderingContext2D.prototype.getImageData;
      CanvasRenderingContext2D.prototype.getImageData = function (...args) {
        window.__framesRead += 1;
        return read.apply(this, args);
      };
    });
    // Its calls to the backend, checked against the backend's contract.
    const contractChecked = checkBackendContract(context);
    const page = await context.newPage();
    try {
      await goto(page, '?mode=native&scenario=accepted&auto=1');
      await part(page, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await fn(page);
      await contractChecked();
    } catch (err) {
      await contractChecked(undefined, err);
      throw err;
    }
  } finally {
    await browser.close();
  }
}

const hint = (page) => part(page, 'hint').innerText();

test('a sharp document is captured by itself, with its quality report', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withCamera('sharp', async (page) => {
    const step = await page
      .waitForFunction(() => window.__steps[0], null, { timeout: STEP_TIMEOUT_MS })
      .then((h) => h.jsonValue());
    assert.equal(step.step, 'front');
    assert.equal(step.auto, true, 'taken by auto-capture, not a click');
    assert.equal(step.quality.verdict, 'good');
    assert.ok(step.quality.sharpness > 0 && step.quality.fill > 0.3, JSON.stringify(step.quality));
    await part(page, 'confirm-button').waitFor({ state: 'visible' });
    assert.equal(await part(page, 'review').count(), 1, 'the still waits for review');
  });
});

for (const [variant, expected] of [
  ['blurred', /Not sharp yet/],
  ['dark', /Too dark/],
]) {
  test(`a ${variant} document is not captured, and the hint says why`, { timeout: TEST_TIMEOUT_MS }, async () => {
    await withCamera(variant, async (page) => {
      await page.waitForFunction(
        (source) => new RegExp(source).test(
          document.querySelector('#capture').shadowRoot.querySelector('[part~="hint"]').textContent,
        ),
        expected.source,
        { timeout: STEP_TIMEOUT_MS },
      );
      // Twenty more analysis rounds (frames read), counted rather than timed: many more
      // than the good frames in a row auto-capture needs, had the document been good.
      const from = await page.evaluate(() => window.__framesRead);
      await page.waitForFunction((from) => window.__framesRead >= from + 20, from, { timeout: STEP_TIMEOUT_MS });
      assert.deepEqual(await page.evaluate(() => window.__steps), [], 'nothing was captured');
      assert.match(await hint(page), expected);
      assert.ok(await part(page, 'capture-button').isVisible(), 'manual capture stays available');
      assert.equal(await part(page, 'hint').getAttribute('aria-live'), 'polite');
    });
  });
}
