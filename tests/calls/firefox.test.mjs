// The attended call across engines: the end-user runs <videoid-capture> on the demo page
// (`?mode=sdk&flow=attended&auto=1`) in Firefox ESR (geckodriver, headless, Firefox's fake
// camera and microphone), and the agent takes the call in the simulator's RA console in
// Chromium (playwright). The element loads the real attended SDK, and the media go over
// WebRTC between the two engines on loopback. Run through tests/calls/run.sh.
//
// Checked: `videoid-agent` queued (position 1) → connected; frames from Firefox reaching the
// console, moving (Firefox's fake camera is one solid colour that changes over time, so the
// check is that the mean colour changes and is not black, not pixel variance); the agent's
// Chromium camera live inside the element in Firefox (pixel variance); the console's received
// video as wide as the Firefox user's camera track (1280 px here), and the three stills taken
// at that width; the hang-up → `videoid-complete` with the steps queue → interview → front,
// back, selfie; every camera and microphone track the Firefox page opened ended; Accept → the
// host's backend `accepted` and the element's `videoid-result` `accepted`.
//
// The namespace needs more than `lo` with 127.0.0.1: Firefox's ICE starts gathering only once
// there is a default route, and never offers 127.0.0.1 (not even with
// media.peerconnection.ice.loopback), so with 127.0.0.1 alone it has no candidate and the call
// never connects. run.sh therefore puts 10.99.0.1/32 on `lo` and the default route through
// `lo`: the address is on `lo`, so no packet leaves the namespace. Firefox then offers
// 10.99.0.1 (and ::1); Chromium, with --allow-loopback-in-peer-connection, reaches it.
//
// Classic WebDriver has no init scripts: the page's getUserMedia is wrapped by a WebDriver
// BiDi preload script, so every stream the element and the SDK open is counted from the first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getScriptManager from 'selenium-webdriver/bidi/scriptManager.js';
import { freePort, REPO_ROOT } from '../e2e/server.mjs';
import { newSession, startDriverServer } from '../engines/drivers.mjs';
import {
  HOST_ORIGIN,
  SIM_ORIGIN,
  STEP_MS,
  agents,
  launch,
  lumaStats,
  newContext,
  queueUntil,
  signIn,
  sleep,
  startServer,
  statusState,
  waitForRemoteWidth,
} from './helpers.mjs';

/** Firefox in a headless session is slower to start than Chromium: a test's budget. */
const TEST_MS = 180_000;
const GECKODRIVER = process.env.GECKODRIVER || path.join(process.env.HOME || '', '.cargo', 'bin', 'geckodriver');

/** The fake-camera profile of the engine suites, and what Firefox's ICE needs on loopback. */
function capabilities() {
  const caps = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests', 'webdriver', 'firefox-fake-camera.json'), 'utf8'));
  caps.browserName = 'firefox';
  // WebDriver BiDi, for the preload script.
  caps.webSocketUrl = true;
  const options = caps['moz:firefoxOptions'];
  options.args = [...(options.args || []), '-headless'];
  Object.assign(options.prefs, {
    // Gather on the loopback interface, where the namespace's 10.99.0.1 is.
    'media.peerconnection.ice.loopback': true,
    // Offer plain addresses, not mDNS names that Chromium cannot resolve in the namespace.
    'media.peerconnection.ice.obfuscate_host_addresses': false,
  });
  return caps;
}

/** geckodriver on a free port (and its BiDi socket on another), through the engines' starter. */
async function startGeckodriver() {
  const websocketPort = await freePort();
  const server = await startDriverServer('geckodriver', GECKODRIVER, (port) => [
    '--host', '127.0.0.1', '--port', String(port), '--websocket-port', String(websocketPort),
  ], process.env);
  return { ...server, session: () => newSession(server.url, capabilities()) };
}

/**
 * Runs in every document of the Firefox session before the page's scripts: keeps every
 * stream getUserMedia hands out (on the prototype, as the element and the SDK call it).
 */
const KEEP_STREAMS = `() => {
  const streams = [];
  Object.defineProperty(window, '__streams', { value: streams });
  const proto = window.MediaDevices && window.MediaDevices.prototype;
  if (!proto || !proto.getUserMedia) return;
  const original = proto.getUserMedia;
  proto.getUserMedia = function (constraints) {
    return original.call(this, constraints).then((stream) => {
      streams.push(stream);
      return stream;
    });
  };
}`;

/** Runs `fn` in the Firefox page; `args` are passed as `arguments`. */
const js = (driver, fn, ...args) => driver.executeScript(`return (${fn}).apply(null, arguments)`, ...args);

/** Waits until `fn` (run in the Firefox page) returns something truthy; returns it. */
async function until(driver, what, fn, args = [], timeout = STEP_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await js(driver, fn, ...args);
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`waited ${timeout / 1000} s in Firefox for ${what}`);
    await sleep(100);
  }
}

const events = (driver) => js(driver, () => JSON.parse(JSON.stringify(window.videoidEvents || [])));

/** Waits for the element's event `type` (its detail matching `match`, as pairs) in Firefox. */
function waitForEvent(driver, type, match = {}, timeout = STEP_MS) {
  return until(
    driver,
    `a ${type} event ${JSON.stringify(match)}`,
    (type, match) => {
      const e = (window.videoidEvents || []).find(
        (e) => e.type === type && Object.entries(match).every(([k, v]) => e.detail && e.detail[k] === v),
      );
      return e ? { detail: JSON.parse(JSON.stringify(e.detail ?? {})) } : null;
    },
    [type, match],
    timeout,
  ).then((found) => found.detail);
}

const steps = async (driver) => (await events(driver)).filter((e) => e.type === 'videoid-step').map((e) => e.detail.step);

/** The Firefox page's camera and microphone tracks: `kind:readyState` each. */
const tracks = (driver) =>
  js(driver, () => window.__streams.flatMap((s) => s.getTracks().map((t) => `${t.kind}:${t.readyState}`)));

/** The Firefox user's camera track as getUserMedia gave it: its width and height. */
const cameraSize = (driver) =>
  js(driver, () => {
    const track = window.__streams.flatMap((s) => s.getVideoTracks()).find((t) => t.readyState === 'live');
    if (!track) return null;
    const { width, height } = track.getSettings();
    return { width, height };
  });

/**
 * Mean and variance of the luminance of the agent's video as the element shows it (Firefox).
 * The attended SDK draws it inside the element: its container is a light-DOM child of
 * #capture, slotted into the element's stage.
 */
const agentVideoStats = (driver) => js(driver, lumaStats, '#capture video.eid-videoid-agent');

/** The mean colour and luminance of the console's received video (a 32×24 sample), or null. */
function remoteColour(console_) {
  return console_.evaluate(() => {
    const video = document.getElementById('remote-video');
    if (!video || !video.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 24;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0, 32, 24);
    const data = context.getImageData(0, 0, 32, 24).data;
    const mean = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) mean[c] += data[i + c];
    const n = data.length / 4;
    const [r, g, b] = mean.map((v) => v / n);
    return { r, g, b, luma: 0.299 * r + 0.587 * g + 0.114 * b, width: video.videoWidth, height: video.videoHeight };
  });
}

/**
 * Waits until the console shows frames from the Firefox user that change over time: a first
 * frame that is not black, then a later one whose mean colour differs from it.
 */
async function waitForChangingFrames(console_, timeout = STEP_MS) {
  const end = Date.now() + timeout;
  let first = null;
  let last = null;
  while (Date.now() < end) {
    last = await remoteColour(console_);
    if (last && last.luma > 16) {
      if (!first) first = last;
      else if (Math.max(Math.abs(last.r - first.r), Math.abs(last.g - first.g), Math.abs(last.b - first.b)) > 4) {
        return { first, last };
      }
    }
    await sleep(200);
  }
  throw new Error(`the console's #remote-video shows no changing frames from Firefox: first ${JSON.stringify(first)}, last ${JSON.stringify(last)}`);
}

/** The host backend's status of the process, read by the Firefox page (its cookies). */
const hostStatus = (driver, processId) =>
  js(driver, async (processId) => {
    const response = await fetch('/api/videoid/dossier', { credentials: 'same-origin' });
    if (!response.ok) return `HTTP ${response.status}`;
    const view = await response.json();
    return view.processes?.find((p) => p.processId === processId)?.status ?? null;
  }, processId);

async function waitForHostStatus(driver, processId, status) {
  const end = Date.now() + STEP_MS;
  let last = null;
  while (Date.now() < end) {
    last = await hostStatus(driver, processId);
    if (last === status) return;
    await sleep(200); // polling the host's backend, as its page would
  }
  assert.fail(`the host's backend shows ${last}, not ${status}`);
}

/** What the Firefox page shows, for a failure's message. */
async function firefoxState(driver) {
  return js(driver, () => ({
    url: location.href,
    state: document.querySelector('#capture')?.getAttribute('state') ?? null,
    step: document.querySelector('#capture')?.getAttribute('step') ?? null,
    events: (window.videoidEvents || []).map((e) => `${e.type} ${JSON.stringify(e.detail)}`),
    tracks: (window.__streams || []).flatMap((s) => s.getTracks().map((t) => `${t.kind}:${t.readyState}`)),
  })).catch((e) => ({ error: e.message }));
}

let server;
let gecko;
let chromium;

before(async () => {
  // Firefox's ICE needs an address other than 127.0.0.1 and a default route (see the top of
  // this file): without them the call could only fail, later and less clearly.
  const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a.family === 'IPv4');
  const routed = readFileSync('/proc/net/route', 'utf8').split('\n').slice(1).some((l) => l.split(/\s+/)[1] === '00000000');
  if (!addresses.some((a) => !a.address.startsWith('127.')) || !routed) {
    throw new Error(
      `IPv4 addresses ${addresses.map((a) => a.address).join(', ') || '(none)'}, ${routed ? 'a' : 'no'} default route: `
        + "Firefox's ICE would gather no candidate. Run through tests/calls/run.sh (10.99.0.1 and the default route on lo).",
    );
  }
  server = await startServer('calls-firefox');
  gecko = await startGeckodriver();
  chromium = await launch();
});

after(async () => {
  await chromium?.close().catch(() => {});
  await gecko?.stop();
  await server?.stop();
});

/** A Firefox session with the stream-keeping preload script; quits it after `fn`. */
async function withFirefox(fn) {
  const driver = await gecko.session();
  try {
    const scripts = await getScriptManager([], driver);
    await scripts.addPreloadScript(KEEP_STREAMS);
    await fn(driver);
  } catch (err) {
    err.message += `\n--- Firefox page ---\n${JSON.stringify(await firefoxState(driver), null, 2)}`;
    throw err;
  } finally {
    await driver.quit().catch(() => {});
  }
}

test('a Firefox user, a Chromium agent in the RA console: the call, the phases, Accept', { timeout: TEST_MS }, async (t) => {
  await withFirefox(async (driver) => {
    await driver.get(`${HOST_ORIGIN}/?mode=sdk&flow=attended&auto=1`);
    const queued = await waitForEvent(driver, 'videoid-agent', { status: 'queued' });
    assert.equal(queued.position, 1);
    assert.deepEqual(await steps(driver), ['queue']);
    const waiting = (await agents()).calls;
    assert.equal(waiting.length, 1, JSON.stringify(waiting));
    const { processId } = waiting[0];
    const camera = await cameraSize(driver);
    assert.ok(camera?.width > 0, `the Firefox camera: ${JSON.stringify(camera)}`);
    t.diagnostic(`Firefox's fake camera: ${camera.width}×${camera.height}`);

    const context = await newContext(chromium);
    try {
      const console_ = await signIn(context);
      const link = `#pick-up-${processId}`;
      await queueUntil(console_, async (p) => (await p.locator(link).count()) === 1);
      await Promise.all([console_.waitForURL(`${SIM_ORIGIN}/ra/calls/${processId}`), console_.click(link)]);
      await statusState(console_, 'connected');
      await waitForEvent(driver, 'videoid-agent', { status: 'connected' });

      // Firefox → Chromium: frames that move.
      const { first, last } = await waitForChangingFrames(console_);
      t.diagnostic(`the console receives ${last.width}×${last.height}, colour ${first.r | 0},${first.g | 0},${first.b | 0} → ${last.r | 0},${last.g | 0},${last.b | 0}`);
      // Chromium → Firefox: the agent's camera inside the element.
      await until(driver, "the agent's video inside the element", () => {
        const v = document.querySelector('#capture video.eid-videoid-agent');
        return v && v.videoWidth > 0;
      });
      const shown = await agentVideoStats(driver);
      assert.ok(shown && shown.variance > 50, `the agent's video in the element: ${JSON.stringify(shown)}`);
      t.diagnostic(`the element shows the agent at ${shown.width}×${shown.height}`);

      // The stills are taken at the full width of the user's camera.
      await waitForRemoteWidth(console_, camera.width);
      const widths = [];
      for (const [phase, button] of [['FRONT', '#ask-front'], ['BACK', '#ask-back'], ['FACE', '#ask-face']]) {
        await console_.click(button);
        await console_.waitForSelector(`#phase[data-ready="${phase}"]`, { timeout: STEP_MS });
        await console_.click('#take-still');
        const still = await console_.waitForSelector(`#stills li[data-phase="${phase}"][data-uploaded="yes"]`, { timeout: STEP_MS });
        const width = Number(await still.getAttribute('data-width'));
        assert.ok(width >= camera.width, `the ${phase} still is ${width} px wide, the camera ${camera.width}`);
        widths.push(`${phase} ${width}`);
      }
      t.diagnostic(`the stills: ${widths.join(', ')} px wide`);
      await console_.click('#hang-up');
      await statusState(console_, 'completed');

      const complete = await waitForEvent(driver, 'videoid-complete');
      assert.equal(complete.processId, processId);
      const seen = await steps(driver);
      assert.deepEqual(seen.slice(0, 2), ['queue', 'interview'], seen.join());
      for (const step of ['front', 'back', 'selfie']) assert.ok(seen.includes(step), `step ${step}: ${seen.join()}`);
      const opened = await tracks(driver);
      assert.ok(opened.some((k) => k.startsWith('video:')) && opened.some((k) => k.startsWith('audio:')), opened.join());
      assert.deepEqual(opened.filter((k) => !k.endsWith(':ended')), [], "the Firefox page's camera and microphone are off after the call");
      t.diagnostic(`the Firefox page opened ${opened.length} tracks, all ended: ${opened.join(', ')}`);

      // The agent registers the process: the host's backend learns it by webhook.
      await console_.waitForSelector('#register:not([hidden])', { timeout: STEP_MS });
      await Promise.all([console_.waitForURL(`${SIM_ORIGIN}/ra/`), console_.click('#accept')]);
      await waitForHostStatus(driver, processId, 'accepted');
      const result = await waitForEvent(driver, 'videoid-result');
      assert.equal(result.status, 'accepted', JSON.stringify(result));
      assert.equal(result.final, true);
      await console_.close();
    } catch (err) {
      const status = await Promise.all(
        context.pages().map((p) => p.locator('#call-status').textContent({ timeout: 1_000 }).catch(() => null)),
      );
      err.message += `\n--- the console ---\n${status.filter(Boolean).join('\n') || '(no call page)'}`;
      throw err;
    } finally {
      await context.close().catch(() => {});
    }
  });
});
