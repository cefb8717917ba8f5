// The Vite example apps (examples/react, examples/vue), as built by
// scripts/bundlers.sh from the packed package, on the host origin: the site serves a directory with
// the package and each app's dist/ at /pkg/ (its existing VIDEOID_PKG_DIR
// setting), so the backend's cookie and /videoid/return are same-origin, as
// in a real deployment. Each app starts the element with start() and shows
// the `accepted` result from its events: an embed flow, and a native flow
// (Chromium's fake camera) whose scripts and wasm all came from the app's own
// output (Vite shipped them).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite, HOST_ORIGIN, SIM_ORIGIN, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS } from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';
import { driveNative, fakeMediaArgs, instrument, liveTracks, nextEvent } from '../../pkg-config/testing.js';
import { assertNoErrors, assertShipped, watchAssets } from './shipped.mjs';

const pkg = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
const served = mkdtempSync(path.join(os.tmpdir(), 'videoid-examples-'));
after(() => rmSync(served, { recursive: true, force: true }));
for (const entry of readdirSync(pkg)) symlinkSync(path.join(pkg, entry), path.join(served, entry));
for (const app of ['react', 'vue']) {
  const dist = path.join(REPO_ROOT, 'examples', app, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the examples first (bash scripts/bundlers.sh)`);
  }
  symlinkSync(dist, path.join(served, `example-${app}`));
}

const run = suite('examples', { pkgDir: served, browserArgs: fakeMediaArgs() });
const opts = { timeout: TEST_TIMEOUT_MS };

for (const app of ['react', 'vue']) {
  test(`examples/${app}: start() runs the accepted scenario to the result view`, opts, async (t) => {
    await run(t, async ({ page, diag }) => {
      await page.goto(`${HOST_ORIGIN}/pkg/example-${app}/index.html?scenario=accepted&auto=1&capture-origin=${SIM_ORIGIN}`);
      const el = page.locator('videoid-capture');
      // The app's texts reach the element's own start button.
      await el.locator('[part~="start-button"]').filter({ hasText: 'Verify with your ID' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('#start').click();
      await page.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await page.locator('#state').innerText(), 'complete');
      assert.equal(await el.getAttribute('state'), 'complete');
      assert.match(await page.locator('#result').innerText(), /dossier [A-Za-z0-9._-]+, process [A-Za-z0-9._-]+/);
      assert.equal(await page.locator('#failure').count(), 0);
      const errors = diag.console.filter((m) => /error|warning/.test(m) && !/favicon/.test(m));
      assert.deepEqual(errors, [], 'no console errors or warnings');
    });
  });
}

for (const app of ['react', 'vue']) {
  test(`examples/${app}: native (fake camera) runs the accepted scenario to the result view`, opts, async (t) => {
    await run(t, async ({ page, diag }) => {
      const assets = watchAssets(page, HOST_ORIGIN);
      await instrument(page);
      await page.goto(`${HOST_ORIGIN}/pkg/example-${app}/index.html?scenario=accepted&auto=1&mode=native`);
      assert.equal(await page.locator('videoid-capture').getAttribute('mode'), 'native');
      const { state, steps } = await driveNative(page, { timeout: TEST_TIMEOUT_MS - 10_000 });
      assert.equal(state, 'complete');
      assert.deepEqual(steps, ['front', 'back', 'selfie']);
      const result = await nextEvent(page, 'videoid-result', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.equal(result.status, 'accepted');
      await page.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await liveTracks(page), 0, 'the camera is off after completion');
      // The main wasm and the native chunk, from the app's own output.
      assertShipped(`/pkg/example-${app}/`, assets, { wasm: 2 });
      assertNoErrors(diag);
    });
  });
}
