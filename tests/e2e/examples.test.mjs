// The example apps (examples/react, examples/vue), as built by
// scripts/examples.sh, on the host origin: the site serves a directory with
// the package and each app's dist/ at /pkg/ (its existing VIDEOID_PKG_DIR
// setting), so the backend's cookie and /videoid/return are same-origin, as
// in a real deployment. Each app starts the element with start() and shows
// the `accepted` result from its events.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite, HOST_ORIGIN, SIM_ORIGIN, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS } from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

const pkg = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
const served = mkdtempSync(path.join(os.tmpdir(), 'videoid-examples-'));
after(() => rmSync(served, { recursive: true, force: true }));
for (const entry of readdirSync(pkg)) symlinkSync(path.join(pkg, entry), path.join(served, entry));
for (const app of ['react', 'vue']) {
  const dist = path.join(REPO_ROOT, 'examples', app, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the examples first (bash scripts/examples.sh)`);
  }
  symlinkSync(dist, path.join(served, `example-${app}`));
}

const run = suite('examples', { pkgDir: served });
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
