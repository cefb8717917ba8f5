// The bundler apps (examples/webpack, examples/rollup, examples/esbuild,
// examples/parcel, examples/angular), each built by its own tool from the packed package
// (scripts/bundlers.sh), on the host origin: the site serves a directory with
// the package and each app's output at /pkg/ (as examples.test.mjs does), so
// the backend's cookie and /videoid/return are same-origin. For each app, an
// embed flow (in Norwegian, so a language file loads too) and a native flow
// (Chromium's fake camera) run to `videoid-complete` and the `accepted`
// result, and every script, wasm and language file the page fetched came from
// the app's own output: the bundler shipped them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite, HOST_ORIGIN, SIM_ORIGIN, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS } from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';
import { driveNative, fakeMediaArgs, instrument, liveTracks, nextEvent } from '../../pkg-config/testing.js';
import { assertNoErrors, assertShipped, watchAssets } from './shipped.mjs';

/** Each app and the directory its tool builds into. */
const APPS = [
  { app: 'webpack', out: 'dist' },
  { app: 'rollup', out: 'dist' },
  { app: 'esbuild', out: 'dist' },
  { app: 'parcel', out: 'dist' },
  { app: 'angular', out: 'dist' },
];

const pkg = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
const NB_START = JSON.parse(readFileSync(path.join(pkg, 'i18n', 'nb.json'), 'utf8')).start;
const served = mkdtempSync(path.join(os.tmpdir(), 'videoid-bundlers-'));
after(() => rmSync(served, { recursive: true, force: true }));
for (const entry of readdirSync(pkg)) symlinkSync(path.join(pkg, entry), path.join(served, entry));
for (const { app, out } of APPS) {
  const dir = path.join(REPO_ROOT, 'examples', app, out);
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the bundler apps first (bash scripts/bundlers.sh)`);
  }
  symlinkSync(dir, path.join(served, `bundler-${app}`));
}

const run = suite('bundlers', { pkgDir: served, browserArgs: fakeMediaArgs() });
const opts = { timeout: TEST_TIMEOUT_MS };

for (const { app } of APPS) {
  const page = (query) => `${HOST_ORIGIN}/pkg/bundler-${app}/index.html?scenario=accepted&auto=1&${query}`;

  test(`bundlers/${app}: embed (lang=nb) runs the accepted scenario to videoid-complete`, opts, async (t) => {
    await run(t, async ({ page: p, diag }) => {
      const assets = watchAssets(p, HOST_ORIGIN);
      await instrument(p);
      await p.goto(page(`lang=nb&capture-origin=${SIM_ORIGIN}`));
      const el = p.locator('videoid-capture');
      // The Norwegian start button: the language file loaded.
      await el.locator('[part~="start-button"]').filter({ hasText: NB_START }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await p.locator('#start').click();
      const complete = await nextEvent(p, 'videoid-complete', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.match(complete.processId, /^[A-Za-z0-9._-]+$/);
      await p.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await el.getAttribute('state'), 'complete');
      assert.equal(await el.getAttribute('mode'), 'embed');
      assert.equal(await p.locator('#failure').isHidden(), true);
      assertShipped(`/pkg/bundler-${app}/`, assets, { wasm: 1, json: 1 });
      assert.ok(assets.some((a) => a.type === 'fetch' && /\.json$/.test(a.path)), 'the nb strings were fetched');
      assertNoErrors(diag);
    });
  });

  test(`bundlers/${app}: native (fake camera) runs the accepted scenario to videoid-complete`, opts, async (t) => {
    await run(t, async ({ page: p, diag }) => {
      const assets = watchAssets(p, HOST_ORIGIN);
      await instrument(p);
      await p.goto(page('mode=native'));
      const { state, steps } = await driveNative(p, { timeout: TEST_TIMEOUT_MS - 10_000 });
      assert.equal(state, 'complete');
      assert.deepEqual(steps, ['front', 'back', 'selfie']);
      const complete = await nextEvent(p, 'videoid-complete', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.match(complete.processId, /^[A-Za-z0-9._-]+$/);
      const result = await nextEvent(p, 'videoid-result', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.equal(result.status, 'accepted');
      await p.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await liveTracks(p), 0, 'the camera is off after completion');
      // The main wasm and the native chunk.
      assertShipped(`/pkg/bundler-${app}/`, assets, { wasm: 2 });
      assertNoErrors(diag);
    });
  });
}
