// The server-rendered apps (examples/sveltekit, examples/nextjs), each built by its own tool
// from the packed package (scripts/bundlers.sh) and run by its own server on a
// free port, which passes /api/videoid/* to the demo backend and serves its
// own return page (PUBLIC_URL is the app's origin, so the backend's cookie and
// the hosted capture's redirectUrl are the app's, as behind one reverse proxy). For each app, an
// embed flow (lang=nb) and a native flow (fake camera): the HTML the server
// renders has the element with its attributes and the server logs no error,
// the page hydrates without a console error or warning, the element runs to
// `videoid-complete` and the `accepted` result, and every script, wasm and
// language file came from the framework's own output path.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { suite, HOST_ORIGIN, SIM_ORIGIN, STEP_TIMEOUT_MS, TEST_TIMEOUT_MS } from './helpers.mjs';
import { REPO_ROOT, freePort } from './server.mjs';
import { driveNative, fakeMediaArgs, instrument, liveTracks, nextEvent } from '../../pkg-config/testing.js';
import { assertNoErrors, assertShipped, watchAssets } from './shipped.mjs';

const APP_PORT = await freePort();
const APP_ORIGIN = `http://localhost:${APP_PORT}`;
const START_TIMEOUT_MS = 30_000;

/** Each app: how its server starts (with PORT and VIDEOID_BACKEND set), what
 * must exist, and where its bundler puts the browser's files. */
const APPS = [
  { app: 'sveltekit', built: 'build/index.js', command: ['node', ['build']], assets: '/_app/' },
  {
    app: 'nextjs',
    built: '.next/BUILD_ID',
    command: ['node', ['node_modules/next/dist/bin/next', 'start', '-p', String(APP_PORT), '-H', '127.0.0.1']],
    assets: '/_next/',
  },
];

for (const { app, built } of APPS) {
  if (!existsSync(path.join(REPO_ROOT, 'examples', app, built))) {
    throw new Error(`examples/${app}/${built} is missing: build the apps first (bash scripts/bundlers.sh)`);
  }
}

const pkg = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
const NB_START = JSON.parse(readFileSync(path.join(pkg, 'i18n', 'nb.json'), 'utf8')).start;

const run = suite('ssr', {
  browserArgs: fakeMediaArgs(),
  env: { PUBLIC_URL: APP_ORIGIN, VIDEOID_SIM_FRAME_ANCESTORS: `'self' ${APP_ORIGIN}` },
});
const opts = { timeout: TEST_TIMEOUT_MS };

/** The app server now running: `{ app, output(), stop() }`. One at a time, on APP_PORT. */
let current = null;
after(() => current?.stop());

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000), redirect: 'manual' });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function serve({ app, command: [bin, args] }) {
  if (current?.app === app) return current;
  await current?.stop();
  current = null;
  let output = '';
  const child = spawn(bin, args, {
    cwd: path.join(REPO_ROOT, 'examples', app),
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(APP_PORT), HOST: '127.0.0.1', HOSTNAME: '127.0.0.1', VIDEOID_BACKEND: HOST_ORIGIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(`http://127.0.0.1:${APP_PORT}/`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`examples/${app}'s server did not answer on ${APP_ORIGIN}. Its output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  current = { app, output: () => output, stop };
  return current;
}

/** The server's HTML for `url`: 200, the element with the attributes the query asks for, no error logged. */
async function assertRendered(server, url, attributes) {
  const before = server.output().length;
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answers 200`);
  const html = await res.text();
  const tag = html.match(/<videoid-capture\b[^>]*>/);
  assert.ok(tag, `the server-rendered HTML has the element: ${html.slice(0, 2000)}`);
  for (const [name, value] of Object.entries(attributes)) {
    assert.ok(tag[0].includes(`${name}="${value}"`), `${name}="${value}" in ${tag[0]}`);
  }
  const logged = server.output().slice(before);
  assert.doesNotMatch(logged, /error/i, `the server logged no error: ${logged}`);
}

for (const spec of APPS) {
  const { app } = spec;
  const url = (query) => `${APP_ORIGIN}/?scenario=accepted&auto=1&${query}`;
  const SESSION = '/api/videoid/session?scenario=accepted&amp;auto=1';

  test(`ssr/${app}: rendered on the server, hydrated, embed (lang=nb) runs to videoid-complete`, opts, async (t) => {
    const server = await serve(spec);
    await run(t, async ({ page, diag }) => {
      const target = url(`lang=nb&capture-origin=${SIM_ORIGIN}`);
      await assertRendered(server, target, { 'session-endpoint': SESSION, mode: 'embed', lang: 'nb' });
      const assets = watchAssets(page, APP_ORIGIN);
      await instrument(page);
      await page.goto(target);
      await page.locator('main[data-hydrated="true"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      const el = page.locator('videoid-capture');
      await el.locator('[part~="start-button"]').filter({ hasText: NB_START }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('#start').click();
      const complete = await nextEvent(page, 'videoid-complete', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.match(complete.processId, /^[A-Za-z0-9._-]+$/);
      await page.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await el.getAttribute('state'), 'complete');
      assert.equal(await page.locator('#failure').count(), 0);
      assertShipped(spec.assets, assets, { wasm: 1, json: 1 });
      assertNoErrors(diag);
      assert.doesNotMatch(server.output(), /error/i, 'the server logged no error');
    });
  });

  test(`ssr/${app}: rendered on the server, hydrated, native (fake camera) runs to videoid-complete`, opts, async (t) => {
    const server = await serve(spec);
    await run(t, async ({ page, diag }) => {
      const target = url('mode=native');
      await assertRendered(server, target, { 'session-endpoint': SESSION, mode: 'native' });
      const assets = watchAssets(page, APP_ORIGIN);
      await instrument(page);
      await page.goto(target);
      await page.locator('main[data-hydrated="true"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      const { state, steps } = await driveNative(page, { timeout: TEST_TIMEOUT_MS - 15_000 });
      assert.equal(state, 'complete');
      assert.deepEqual(steps, ['front', 'back', 'selfie']);
      const result = await nextEvent(page, 'videoid-result', { since: 0, timeout: STEP_TIMEOUT_MS });
      assert.equal(result.status, 'accepted');
      await page.locator('#status').filter({ hasText: 'accepted' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await liveTracks(page), 0, 'the camera is off after completion');
      assertShipped(spec.assets, assets, { wasm: 2 });
      assertNoErrors(diag);
      assert.doesNotMatch(server.output(), /error/i, 'the server logged no error');
    });
  });
}
