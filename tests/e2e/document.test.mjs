// Reading the document on the device: the native demo with a rendered document
// as the camera (Y4M videos written by core's own renderer, OCR-B from Debian's
// fonts-ocr-b). A passport whose zone reads is captured by itself and the step
// event says so; its fields reach the page only with `expose-mrz`; an expired
// passport and a card's back shown for its front give their hints and are
// never taken by themselves, with the document's outline drawn over the
// preview; the document reader arrives as a module of its own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  launchBrowser, goto, part, checkBackendContract, reportContractTotals, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';
import { REPO_ROOT, startServer } from './server.mjs';

const VIDEOS = path.join(REPO_ROOT, 'target', 'fixtures', 'documents');

const NAMES = ['passport', 'expired', 'card-back'];
const video = (name) => path.join(VIDEOS, `${name}-1280x720.y4m`);

let server;
before(async () => {
  // Written once by core's test renderer (`npm test`'s native layer has built it).
  if (!NAMES.every((name) => existsSync(video(name)))) {
    execFileSync('cargo', ['test', '--workspace', '--quiet', 'write_document_videos', '--', '--ignored'], {
      cwd: REPO_ROOT,
      env: { ...process.env, VIDEOID_Y4M_DIR: VIDEOS },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  for (const name of NAMES) assert.ok(existsSync(video(name)), `${video(name)} was not written`);
  server = await startServer('document');
});
after(async (t) => {
  await server?.stop();
  reportContractTotals(t);
});

/**
 * Opens the native demo (with `query` added) with the video `name` as the camera;
 * records `videoid-step` events, the frames the document reader reads (a canvas read
 * 1000 pixels wide or more) and each fetch of the `mrz` chunk.
 */
async function withDocument(name, query, fn) {
  const browser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video(name)}`,
  ]);
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__steps = [];
      addEventListener('videoid-step', (e) => window.__steps.push(e.detail), true);
      window.__zoneReads = 0;
      const read = CanvasRenderingContext2D.prototype.getImageData;
      CanvasRenderingContext2D.prototype.getImageData = function (...args) {
        if (args[2] >= 1000) window.__zoneReads += 1;
        return read.apply(this, args);
      };
    });
    const chunkFetches = [];
    context.on('request', (request) => {
      if (request.url().endsWith('/videoid_capture_mrz.wasm')) chunkFetches.push(request.url());
    });
    const contractChecked = checkBackendContract(context);
    const page = await context.newPage();
    try {
      await goto(page, `?mode=native&scenario=accepted&auto=1${query}`);
      await part(page, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await fn(page, chunkFetches);
      await contractChecked();
    } catch (err) {
      await contractChecked(undefined, err);
      throw err;
    }
  } finally {
    await browser.close();
  }
}

const firstStep = (page) => page
  .waitForFunction(() => window.__steps[0], null, { timeout: STEP_TIMEOUT_MS })
  .then((h) => h.jsonValue());

/** Waits until the hint matches `pattern`. */
const hintMatches = (page, pattern) => page.waitForFunction(
  (source) => new RegExp(source).test(
    document.querySelector('#capture').shadowRoot.querySelector('[part~="hint"]').textContent,
  ),
  pattern.source,
  { timeout: STEP_TIMEOUT_MS },
);

/** Waits for `n` more frames read by the document reader (counted, not timed). */
async function zoneReads(page, n) {
  const from = await page.evaluate(() => window.__zoneReads);
  await page.waitForFunction((to) => window.__zoneReads >= to, from + n, { timeout: 30_000 });
}

test('a passport whose zone reads is captured by itself; the step says read, valid, not expired, and no fields', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDocument('passport', '', async (page, chunkFetches) => {
    const step = await firstStep(page);
    assert.equal(step.step, 'front');
    assert.equal(step.auto, true, 'taken by auto-capture');
    assert.deepEqual(step.document, { read: true, valid: true, expired: false }, 'only yes/no, no fields');
    assert.equal(step.quality.verdict, 'good');
    assert.equal(chunkFetches.length, 1, 'the document reader arrives as one chunk, fetched once');
    // Nothing of the zone in the events the page heard, nor in what the demo logged.
    const logged = await page.evaluate(() => JSON.stringify(window.videoidEvents));
    assert.ok(!logged.includes('SPECIMEN') && !logged.includes('C01X00T47'), 'no field of the zone');
  });
});

test('with expose-mrz the step event carries the zone\'s fields', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDocument('passport', '&mrz=true', async (page) => {
    const step = await firstStep(page);
    assert.equal(step.auto, true);
    assert.deepEqual(step.document.mrz, {
      format: 'TD3',
      documentType: 'P',
      issuingState: 'UTO',
      documentNumber: 'C01X00T47',
      nationality: 'UTO',
      birthDate: '1990-01-01',
      expiryDate: '2034-01-01',
      sex: 'F',
      surname: 'SPECIMEN',
      givenNames: 'ANNA',
      optionalData: '',
      optionalData2: '',
    });
  });
});

test('an expired passport gives the expiry hint and is not taken by itself, past the wait for a read', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDocument('expired', '', async (page) => {
    await hintMatches(page, /has expired/);
    // 25 reads are 75 preview rounds: past the 60 rounds auto-capture waits for a valid
    // read, and many more than the 5 good frames in a row it needs.
    await zoneReads(page, 25);
    assert.deepEqual(await page.evaluate(() => window.__steps), [], 'nothing was captured');
    assert.match(await part(page, 'hint').innerText(), /has expired/);
    // The outline over the preview: the corners the videos were drawn with
    // (write_document_videos: 70% of the frame's width, each corner moved a little).
    const outline = part(page, 'outline');
    await outline.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.equal(await outline.getAttribute('viewBox'), '0 0 1280 720');
    assert.equal(await outline.getAttribute('aria-hidden'), 'true');
    const points = (await outline.locator('polygon').getAttribute('points'))
      .split(' ').map((p) => p.split(',').map(Number));
    const w = 1280 * 0.7;
    const h = w / (125 / 88);
    const truth = [[640 - w / 2 + 6, 360 - h / 2 - 10], [640 + w / 2 - 4, 360 - h / 2 + 8],
      [640 + w / 2 + 8, 360 + h / 2 + 6], [640 - w / 2 - 6, 360 + h / 2 - 4]];
    const diagonal = Math.hypot(w, h);
    points.forEach(([x, y], i) => {
      const off = Math.hypot(x - truth[i][0], y - truth[i][1]) / diagonal;
      assert.ok(off < 0.02, `corner ${i} at ${x},${y} is ${(100 * off).toFixed(1)}% of the diagonal from ${truth[i]}`);
    });
    // The button still takes it; the step says what was read.
    await part(page, 'capture-button').click();
    const step = await firstStep(page);
    assert.equal(step.auto, false);
    assert.deepEqual(step.document, { read: true, valid: true, expired: true });
  });
});

test('a card\'s back shown for its front says to turn it over, and is not taken by itself', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDocument('card-back', '', async (page) => {
    await hintMatches(page, /Turn the card over/);
    await zoneReads(page, 25);
    assert.deepEqual(await page.evaluate(() => window.__steps), [], 'nothing was captured');
    assert.match(await part(page, 'hint').innerText(), /Turn the card over/);
    assert.equal(await part(page, 'hint').getAttribute('aria-live'), 'polite');
  });
});
