// "Start capture flow" with `sdk: "native"`: the simulator's hosted page runs VideoID's web
// SDK (the simulated one) with Chromium's fake camera and microphone. Straight from the
// Assure API (201 { url }, the page completes and redirects with status=processing), and
// from the demo page in embed mode (frame) and auto mode with framing refused (popup),
// the backend asking for `sdk: "native"` through its `capture-sdk` simulator knob.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  suite, goto, waitForEvent, waitForState, part, simFrame, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, HOST_ORIGIN, SIM_ORIGIN,
} from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

const run = suite('hosted-sdk', {
  browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});
const opts = { timeout: TEST_TIMEOUT_MS };
const PLACEHOLDER_FRONT = statSync(path.join(REPO_ROOT, 'www', 'static', 'placeholder', 'front.jpeg')).size;

/** An Assure call to the simulator with client credentials, as a host backend makes it. */
async function assure(method, route, body) {
  const id = process.env.VIDEOID_SIM_CLIENT_ID || 'videoid-sim-client';
  const secret = process.env.VIDEOID_SIM_CLIENT_SECRET || 'videoid-sim-secret';
  const tokenAnswer = await fetch(`${SIM_ORIGIN}/auth/open/connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=signicat-api',
  });
  const { access_token: token } = await tokenAnswer.json();
  const response = await fetch(`${SIM_ORIGIN}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') || '';
  const payload = type.startsWith('application/json') ? await response.json() : Buffer.from(await response.arrayBuffer());
  return { status: response.status, type, body: payload };
}

/** Checks that a finished process holds camera stills and a recording, not placeholders. */
async function assertCapturedMedia(get) {
  for (const depiction of ['front', 'back', 'selfie']) {
    const r = await get(`images?depiction=${depiction}`);
    assert.equal(r.status, 200, depiction);
    assert.equal(r.type, 'image/jpeg');
    assert.deepEqual([...r.body.subarray(0, 3)], [0xff, 0xd8, 0xff], `${depiction} is a JPEG`);
    assert.ok(r.body.length > PLACEHOLDER_FRONT, `${depiction}: ${r.body.length} bytes, a camera frame`);
  }
  const video = await get('video');
  assert.equal(video.status, 200);
  assert.equal(video.type, 'video/webm');
  assert.deepEqual([...video.body.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'a WebM recording');
}

/** The host backend's media proxies, with the page's cookies. */
function viaBackend(context, processId) {
  return async (what) => {
    const [kind, query] = what.split('?');
    const q = new URLSearchParams(query);
    q.set('processId', processId);
    const r = await context.request.get(`${HOST_ORIGIN}/api/videoid/${kind}?${q}`);
    return { status: r.status(), type: r.headers()['content-type'], body: await r.body() };
  };
}

test('Start capture flow with sdk "native": 201 { url }, and its page completes with the web SDK', opts, async (t) => {
  await run(t, async ({ page }) => {
    const dossier = await assure('POST', '/assure/dossiers', {});
    assert.equal(dossier.status, 201);
    const d = dossier.body.dossierId;
    const capture = await assure('POST', `/assure/dossiers/${d}/capture`, {
      providers: [{ provider: 'signicatvideoid', processType: 'substantialFullyAuto' }],
      sdk: 'native',
      redirectUrl: `${HOST_ORIGIN}/videoid/return`,
      captureParameters: { uiLanguage: 'en' },
      simulator: { scenario: 'accepted' },
    });
    assert.equal(capture.status, 201);
    assert.deepEqual(Object.keys(capture.body), ['url']);
    assert.ok(capture.body.url.startsWith(`${SIM_ORIGIN}/capture/`), capture.body.url);

    await page.goto(capture.body.url);
    await page.waitForFunction(() => document.body.dataset.sdk === 'native', null, { timeout: STEP_TIMEOUT_MS });
    assert.equal(await page.locator('#videoid-sdk video').count(), 1, 'the SDK shows its preview in the page');
    await page.waitForURL((url) => url.origin === HOST_ORIGIN && url.pathname === '/videoid/return', {
      timeout: STEP_TIMEOUT_MS,
    });
    const back = new URL(page.url()).searchParams;
    assert.equal(back.get('dossierId'), d);
    assert.equal(back.get('status'), 'processing');
    const p = back.get('processId');

    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let process;
    do {
      process = (await assure('GET', `/assure/dossiers/${d}/processes/${p}`)).body;
      if (['pending', 'processing'].includes(process.status)) await new Promise((r) => setTimeout(r, 100));
    } while (['pending', 'processing'].includes(process.status) && Date.now() < deadline);
    assert.equal(process.status, 'accepted');
    assert.equal(process.processType, 'substantialFullyAuto');
    assert.equal(process.providerSpecific.ocr.documentType, 'identityCard');
    await assertCapturedMedia((what) => assure('GET', `/assure/dossiers/${d}/processes/${p}/${what}`));
  });
});

test('embed: the framed hosted page runs the web SDK (sdk "native") and the element gets the result', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await goto(page, '?mode=embed&capture-sdk=native&scenario=accepted');
    await part(page, 'start-button').click();
    await waitForState(page, 'capturing');
    const frame = await simFrame(page);
    await frame.waitForFunction(() => document.body.dataset.sdk === 'native', null, { timeout: STEP_TIMEOUT_MS });
    const complete = await waitForEvent(page, 'videoid-complete');
    assert.equal(complete.status, 'processing');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal(result.processId, complete.processId);
    await waitForState(page, 'complete');
    await assertCapturedMedia(viaBackend(context, complete.processId));
  });
});

test('auto, framing refused: the popup runs the web SDK (sdk "native") and completes the flow', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await goto(page, '?mode=auto&capture-sdk=native&scenario=accepted&framing=deny&fallback=popup&load=10');
    await part(page, 'start-button').click();
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout');
    assert.equal(failed.detail?.reason, 'framing-denied');
    const fallback = part(page, 'fallback-button');
    await fallback.waitFor({ state: 'visible' });
    const [popup] = await Promise.all([context.waitForEvent('page'), fallback.click()]);
    await popup.waitForFunction(() => document.body?.dataset.sdk === 'native', null, { timeout: STEP_TIMEOUT_MS });
    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');
    await assertCapturedMedia(viaBackend(context, complete.processId));
  });
});
