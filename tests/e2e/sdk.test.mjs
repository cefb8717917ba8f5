// VideoID's web SDK as an integration uses it (UC2), up to the element's boundary: a page
// of the host origin (the demo page, under its CSP with the provider lines the README
// documents) gets a `mode: "sdk"` session from the reference backend, loads `sdkUrl` (the
// simulator's videoid.js) and drives `EID.videoId` with Chromium's fake camera and
// microphone. Checked: the phases, completion, the process's result and the uploaded media
// served back, the authorization's rules, the recorder retry, no-interaction, camera
// denial, and zero live tracks after turnOff/destroy.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import {
  suite, launchBrowser, pageTimer, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, HOST_ORIGIN, SIM_ORIGIN,
} from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

/** Keeps every stream getUserMedia hands out, so a test can count live tracks. */
function trackCounter() {
  const streams = [];
  const original = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
  if (!original) return;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  Object.defineProperty(window, '__liveTracks', {
    value: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  });
}

const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const run = suite('sdk', { browserArgs: FAKE_MEDIA, initScripts: [trackCounter] });
const opts = { timeout: TEST_TIMEOUT_MS };
const PLACEHOLDER_FRONT = statSync(path.join(REPO_ROOT, 'www', 'static', 'placeholder', 'front.jpeg')).size;

/**
 * Opens the demo page (a real page of the host origin, served with the CSP whose
 * provider lines the README documents) and gives it an empty container for the SDK.
 * The element on it stays idle: nothing starts it.
 */
async function openHarness(page) {
  await page.goto(`${HOST_ORIGIN}/`);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.id = 'video';
    document.body.prepend(box);
  });
}

/** Records the SDK's network calls to the provider API. */
function providerCalls(context) {
  const calls = [];
  context.on('request', (r) => {
    if (r.url().startsWith(`${SIM_ORIGIN}/provider/api/`) && r.method() !== 'OPTIONS') {
      calls.push(`${r.method()} ${new URL(r.url()).pathname.replace(/videos\/[^/]+/, 'videos/{id}')}`);
    }
  });
  return calls;
}

/**
 * In the page: gets a session (or uses `given`), loads `sdkUrl` once, and runs
 * EID.videoId → turnOn → start, logging phases (continued at once), completion and failure.
 */
function startSdk(page, { query = '', body = { mode: 'sdk', lang: 'en' }, given = null } = {}) {
  return page.evaluate(
    async ({ query, body, given }) => {
      const log = (window.__sdkLog = window.__sdkLog || { events: [], violations: [] });
      if (!window.__violations) {
        window.__violations = true;
        document.addEventListener('securitypolicyviolation', (e) =>
          log.violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      }
      let session = given;
      if (!session) {
        const r = await fetch(`/api/videoid/session${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        session = await r.json();
      }
      if (!window.EID) {
        await new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = session.sdkUrl;
          script.onload = resolve;
          script.onerror = () => reject(new Error('the SDK did not load'));
          document.head.append(script);
        });
      }
      const video = window.EID.videoId('#video', { lang: 'en' });
      window.__sdk = video;
      video.on('phaseStarting', (phase) => {
        const preview = document.querySelector('#video video');
        log.events.push({
          type: 'phase',
          name: phase.name,
          previewWidth: preview ? preview.videoWidth : -1,
          previewLive: !!(preview && preview.srcObject),
        });
        phase.continue();
      });
      video.on('completed', (v) => log.events.push({ type: 'completed', video: v }));
      video.on('failed', (error) => log.events.push({ type: 'failed', error }));
      video.turnOn();
      video.start({ authorization: session.authorization, idType: session.idType });
      return session;
    },
    { query, body, given },
  );
}

/** Waits for the SDK's `completed` or `failed`; returns it. */
async function outcome(page) {
  const handle = await page.waitForFunction(
    () => (window.__sdkLog?.events || []).find((e) => e.type === 'completed' || e.type === 'failed'),
    null,
    { timeout: STEP_TIMEOUT_MS, polling: 100 },
  );
  return handle.jsonValue();
}

const sdkEvents = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__sdkLog)));
const liveTracks = (page) => page.evaluate(() => window.__liveTracks());
const phases = async (page) => (await sdkEvents(page)).events.filter((e) => e.type === 'phase').map((e) => e.name);

/** Turns the SDK off and destroys it, then checks that the camera is off and the view gone. */
async function release(page) {
  await page.evaluate(() => {
    window.__sdk.turnOff();
    window.__sdk.destroy();
  });
  assert.equal(await liveTracks(page), 0, 'no live track after turnOff and destroy');
  assert.equal(await page.evaluate(() => document.querySelector('#video').children.length), 0, 'destroy removed the preview');
}

/** Reads the backend's result endpoint (the end-user's cookie) until the status is final. */
async function finalResult(context, session) {
  const q = new URLSearchParams({ dossierId: session.dossierId, processId: session.processId });
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const r = await context.request.get(`${HOST_ORIGIN}/api/videoid/result?${q}`);
    assert.equal(r.status(), 200);
    const process = await r.json();
    if (!['pending', 'processing'].includes(process.status)) return process;
    if (Date.now() > deadline) throw new Error(`still ${process.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function processStatus(context, session) {
  const q = new URLSearchParams({ dossierId: session.dossierId, processId: session.processId });
  return (await (await context.request.get(`${HOST_ORIGIN}/api/videoid/result?${q}`)).json()).status;
}

test('sdk: FRONT, BACK, FACE by themselves, completed, accepted, the captured media served back', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const calls = providerCalls(context);
    await openHarness(page);
    const session = await startSdk(page, { query: '?scenario=accepted' });
    assert.deepEqual(Object.keys(session).sort(), ['authorization', 'dossierId', 'expiresAt', 'flow', 'idType', 'processId', 'sdkUrl']);
    assert.equal(session.flow, 'unattended');
    assert.equal(session.sdkUrl, `${SIM_ORIGIN}/provider/js/videoid.js`);

    const done = await outcome(page);
    assert.equal(done.type, 'completed', JSON.stringify(done));
    assert.ok(done.video.id, 'completed carries the video id');
    const log = await sdkEvents(page);
    assert.deepEqual(await phases(page), ['FRONT', 'BACK', 'FACE']);
    const back = log.events.find((e) => e.name === 'BACK');
    assert.ok(back.previewLive && back.previewWidth > 0, 'the preview shows the camera');
    assert.deepEqual(log.violations, [], "the page's CSP lets the SDK load, upload and preview");
    assert.ok((await liveTracks(page)) >= 1, 'the camera stays on until turnOff');
    await release(page);

    assert.deepEqual(calls.sort(), [
      'POST /provider/api/videos',
      'POST /provider/api/videos/{id}/complete',
      'PUT /provider/api/videos/{id}/images/back',
      'PUT /provider/api/videos/{id}/images/face',
      'PUT /provider/api/videos/{id}/images/front',
      'PUT /provider/api/videos/{id}/recording',
    ]);

    const process = await finalResult(context, session);
    assert.equal(process.status, 'accepted');
    assert.equal(process.provider, 'signicatvideoid');
    assert.equal(process.providerSpecific.ocr.documentType, 'identityCard');

    const q = `processId=${encodeURIComponent(session.processId)}`;
    for (const depiction of ['front', 'back', 'selfie']) {
      const r = await context.request.get(`${HOST_ORIGIN}/api/videoid/images?${q}&depiction=${depiction}`);
      assert.equal(r.status(), 200, depiction);
      assert.equal(r.headers()['content-type'], 'image/jpeg');
      const body = await r.body();
      assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff], `${depiction} is a JPEG`);
      assert.ok(body.length > PLACEHOLDER_FRONT, `${depiction}: ${body.length} bytes, a camera frame`);
    }
    const video = await context.request.get(`${HOST_ORIGIN}/api/videoid/video?${q}`);
    assert.equal(video.status(), 200);
    assert.equal(video.headers()['content-type'], 'video/webm');
    const recording = await video.body();
    assert.deepEqual([...recording.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'a WebM recording');
    assert.ok(recording.length > 1000, `${recording.length} bytes`);
    const zip = await context.request.get(`${HOST_ORIGIN}/api/videoid/download?${q}`);
    assert.equal(zip.status(), 200);
    assert.ok((await zip.body()).includes(Buffer.from('video.webm')), 'the zip holds the recording');
  });
});

test('sdk: the process follows the scenario (rejected, failed-inactive)', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    for (const [scenario, status] of [['rejected', 'rejected'], ['failed-inactive', 'failed']]) {
      await openHarness(page);
      const session = await startSdk(page, { query: `?scenario=${scenario}` });
      assert.equal((await outcome(page)).type, 'completed', scenario);
      await release(page);
      const process = await finalResult(context, session);
      assert.equal(process.status, status, scenario);
      if (status === 'failed') assert.equal(process.failReason.type, 'InactiveUser.Aborted');
    }
  });
});

test('sdk: wrong and spent authorizations end in failed, and nothing is captured', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    await openHarness(page);
    const session = await startSdk(page, { query: '?scenario=accepted' });
    assert.equal((await outcome(page)).type, 'completed');
    await release(page);

    // The same authorization again: spent.
    await openHarness(page);
    await startSdk(page, { given: session });
    const spent = await outcome(page);
    assert.equal(spent.type, 'failed');
    assert.equal(spent.error.name, 'AuthorizationError');
    assert.equal(spent.error.reason, 'authorization-used');
    assert.equal(spent.error.status, 401);
    assert.deepEqual(await phases(page), [], 'no phase without a video session');
    await release(page);

    // One the provider never issued.
    await openHarness(page);
    await startSdk(page, { given: { ...session, authorization: 'not-an-authorization' } });
    const wrong = await outcome(page);
    assert.equal(wrong.error.reason, 'authorization-invalid');
    assert.equal(typeof wrong.error.message, 'string');
    await release(page);
  });
});

/** A MediaRecorder that records nothing (as some engines do at times), counting instances. */
function emptyRecorder() {
  window.__recorders = 0;
  window.MediaRecorder = class extends EventTarget {
    static isTypeSupported() {
      return true;
    }
    constructor() {
      super();
      window.__recorders++;
      this.state = 'inactive';
      this.mimeType = 'video/webm';
    }
    start() {
      this.state = 'recording';
    }
    stop() {
      this.state = 'inactive';
      const data = new Event('dataavailable');
      data.data = new Blob([]);
      this.ondataavailable?.(data);
      setTimeout(() => this.onstop?.(new Event('stop')), 0);
    }
  };
}

/** A MediaRecorder that fails when stopped. */
function failingRecorder() {
  window.__recorders = 0;
  window.MediaRecorder = class extends EventTarget {
    static isTypeSupported() {
      return true;
    }
    constructor() {
      super();
      window.__recorders++;
      this.state = 'inactive';
    }
    start() {
      this.state = 'recording';
    }
    stop() {
      this.state = 'inactive';
      setTimeout(() => this.onerror?.(new Event('error')), 0);
    }
  };
}

for (const [recorder, reason] of [[emptyRecorder, 'recording-empty'], [failingRecorder, 'recording-failed']]) {
  test(`sdk: a recorder that gives nothing is tried once more, then failed (${reason})`, opts, async (t) => {
    await run(t, async ({ page, context }) => {
      const calls = providerCalls(context);
      await context.addInitScript(recorder);
      await openHarness(page);
      const session = await startSdk(page, { query: '?scenario=accepted' });
      const failed = await outcome(page);
      assert.equal(failed.type, 'failed');
      assert.equal(failed.error.name, 'RecordingError');
      assert.equal(failed.error.reason, reason);
      assert.equal(await page.evaluate(() => window.__recorders), 2, 'one retry, no loop');
      assert.ok(!calls.some((c) => c.includes('/complete') || c.includes('/recording')), calls.join(', '));
      await release(page);
      assert.equal(await processStatus(context, session), 'pending');
    });
  });
}

test('sdk: no-interaction waits at FRONT; turnOff mid-flow stops the camera and the flow', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    const calls = providerCalls(context);
    await openHarness(page);
    const session = await startSdk(page, { query: '?scenario=no-interaction' });
    await page.waitForFunction(() => window.__sdkLog.events.some((e) => e.name === 'FRONT'), null, {
      timeout: STEP_TIMEOUT_MS,
    });
    // Three phase lengths: the flow would have finished had it gone on.
    await pageTimer(page, 3000);
    assert.deepEqual(await phases(page), ['FRONT']);
    assert.equal((await sdkEvents(page)).events.length, 1, 'neither completed nor failed');
    assert.deepEqual(calls, ['POST /provider/api/videos']);
    assert.ok((await liveTracks(page)) >= 1, 'the camera waits with the user');
    await release(page);
    assert.equal(await processStatus(context, session), 'pending');

    // A normal run turned off during BACK: nothing more happens.
    await openHarness(page);
    await startSdk(page, { query: '?scenario=accepted' });
    await page.waitForFunction(() => window.__sdkLog.events.some((e) => e.name === 'BACK'), null, {
      timeout: STEP_TIMEOUT_MS,
    });
    await page.evaluate(() => window.__sdk.turnOff());
    assert.equal(await liveTracks(page), 0, 'turnOff alone stops every track');
    await pageTimer(page, 3000);
    assert.deepEqual(await phases(page), ['FRONT', 'BACK'], 'no phase after turnOff');
    assert.ok(!(await sdkEvents(page)).events.some((e) => e.type === 'completed' || e.type === 'failed'));
    await release(page);
  });
});

test('sdk: camera denied ends in failed before the authorization is used', opts, async () => {
  const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream=deny']);
  try {
    const context = await browser.newContext();
    await context.addInitScript(trackCounter);
    const calls = providerCalls(context);
    const page = await context.newPage();
    await openHarness(page);
    const session = await startSdk(page, { query: '?scenario=accepted' });
    const failed = await outcome(page);
    assert.equal(failed.type, 'failed');
    assert.equal(failed.error.name, 'MediaError');
    assert.equal(failed.error.reason, 'NotAllowedError');
    assert.deepEqual(calls, [], 'the authorization was not spent');
    await release(page);
    assert.equal(await processStatus(context, session), 'pending');
  } finally {
    await browser.close();
  }
});
