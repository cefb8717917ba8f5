// Shared pieces of the live-call (attended VideoID) browser tests: the server of the e2e
// suite, two Chromium contexts with fake cameras (an end-user running the attended SDK on a
// plain page, an agent in the simulator's RA console), the simulator's Assure and control
// APIs, and media checks (pixel variance, JPEG width, ffprobe).
//
// These tests make WebRTC calls: run them through tests/calls/run.sh, which puts them in a
// network namespace with only `lo` (no traffic leaves the machine).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../e2e/helpers.mjs';
import { HOST_ORIGIN, SIM_ORIGIN, startServer } from '../e2e/server.mjs';

export { HOST_ORIGIN, SIM_ORIGIN, startServer };

export const STEP_MS = 20_000;
export const TEST_TIMEOUT_MS = 120_000;
const CLIENT = { id: 'videoid-sim-client', secret: 'videoid-sim-secret' };
const AGENT = { user: 'agent', password: 'videoid-sim-agent' };

export const MEDIA_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function launch() {
  return launchBrowser(MEDIA_ARGS);
}

/** Keeps every camera/microphone stream a page opens, to check they all end. */
export function keepStreams() {
  const streams = [];
  Object.defineProperty(window, '__streams', { value: streams });
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) =>
    original(constraints).then((stream) => {
      streams.push(stream);
      return stream;
    });
}

export async function newContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(keepStreams);
  return context;
}

/** Whether every track the page's getUserMedia gave has ended. */
export function allTracksEnded(page) {
  return page.evaluate(() =>
    window.__streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')),
  );
}

async function token() {
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
  const res = await fetch(`${SIM_ORIGIN}/auth/open/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return (await res.json()).access_token;
}

async function assure(method, pathname, body) {
  const res = await fetch(`${SIM_ORIGIN}/assure${pathname}`, {
    method,
    headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res;
}

/** A VideoID process of processType high: { dossierId, processId, authorization }. */
export async function highProcess() {
  const dossier = await (await assure('POST', '/dossiers', {})).json();
  const process = await (
    await assure('POST', `/dossiers/${dossier.dossierId}/processes`, {
      provider: 'signicatvideoid',
      processType: 'high',
    })
  ).json();
  return { dossierId: dossier.dossierId, processId: process.processId, authorization: process.authorization };
}

export async function getProcess({ dossierId, processId }) {
  return (await assure('GET', `/dossiers/${dossierId}/processes/${processId}`)).json();
}

/** Polls Get process until its status is `status`. */
export async function waitForStatus(ids, status, timeout = STEP_MS) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await getProcess(ids);
    if (last.status === status) return last;
    await sleep(200);
  }
  throw new Error(`the process is ${last?.status}, not ${status}`);
}

/** Get images of one depiction: the bytes. */
export async function image(ids, depiction) {
  const res = await assure('GET', `/dossiers/${ids.dossierId}/processes/${ids.processId}/images?depiction=${depiction}`);
  if (!res.ok) throw new Error(`Get images ${depiction}: ${res.status}`);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

export async function video(ids) {
  const res = await assure('GET', `/dossiers/${ids.dossierId}/processes/${ids.processId}/video`);
  if (!res.ok) throw new Error(`Get video: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function agents(body) {
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
  const res = await fetch(`${SIM_ORIGIN}/simulator/agents`, {
    method: body ? 'PUT' : 'GET',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`/simulator/agents: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The width and height of a baseline or progressive JPEG (its SOF segment). */
export function jpegSize(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG');
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) throw new Error(`bad JPEG marker at ${i}`);
    const marker = bytes[i + 1];
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  throw new Error('no SOF segment');
}

/** The duration of a recording in seconds, from ffprobe (the last packet's time when the
 * container states none, as MediaRecorder's WebM does). */
export function recordingSeconds(bytes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'videoid-calls-'));
  const file = path.join(dir, 'recording.webm');
  try {
    writeFileSync(file, bytes);
    const probe = process.env.FFPROBE_BIN || '/usr/bin/ffprobe';
    const format = execFileSync(probe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])
      .toString()
      .trim();
    const stated = Number(format);
    if (Number.isFinite(stated) && stated > 0) return stated;
    const packets = execFileSync(probe, ['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file])
      .toString()
      .split('\n')
      .map(Number)
      .filter(Number.isFinite);
    return packets.length ? Math.max(...packets) : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens a plain page in `context` (the simulator's own index page: a real document on
 * loopback, so Chromium's local-network checks let it load the SDK and open its socket), adds
 * the attended SDK's script and starts it with `authorization`; its events are kept in
 * window.__events. */
export async function startUser(context, authorization) {
  const page = await context.newPage();
  await page.goto(`${SIM_ORIGIN}/`);
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.id = 'video';
    document.body.appendChild(box);
  });
  await page.addScriptTag({ url: `${SIM_ORIGIN}/provider/js/videoidattended.js` });
  await page.evaluate((authorization) => {
    window.__events = [];
    const v = window.EID.videoIDAttended('#video', { lang: 'en' });
    window.__v = v;
    for (const name of ['queued', 'agentConnected', 'agentDisconnected', 'completed', 'failed']) {
      v.on(name, (detail) => window.__events.push({ type: name, detail: JSON.parse(JSON.stringify(detail || {})), t: Date.now() }));
    }
    v.on('phaseStarting', (phase) => {
      window.__events.push({ type: 'phaseStarting', detail: { name: phase.name }, t: Date.now() });
      phase.continue();
    });
    v.turnOn();
    v.start({ authorization, idType: 2 });
  }, authorization);
  return page;
}

export function userEvents(page) {
  return page.evaluate(() => window.__events);
}

/** Waits for the SDK's event `type` (matching `match`); its detail. */
export async function waitForUserEvent(page, type, { match = () => true, timeout = STEP_MS } = {}) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const found = (await userEvents(page)).find((e) => e.type === type && match(e.detail));
    if (found) return found.detail;
    await sleep(100);
  }
  throw new Error(`no ${type} event; events: ${JSON.stringify(await userEvents(page))}`);
}

/** Signs the agent in to the RA console in `context`; the console's page. */
export async function signIn(context) {
  const page = await context.newPage();
  await page.goto(`${SIM_ORIGIN}/ra/sign-in`);
  await page.fill('#user', AGENT.user);
  await page.fill('#password', AGENT.password);
  await Promise.all([page.waitForURL(`${SIM_ORIGIN}/ra/`), page.click('button[type=submit]')]);
  return page;
}

/** Reloads the console's queue until `check(page)` holds. */
export async function queueUntil(page, check, timeout = STEP_MS) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    await page.goto(`${SIM_ORIGIN}/ra/`);
    if (await check(page)) return;
    await sleep(300);
  }
  throw new Error(`the console's queue never matched; it shows: ${await page.locator('main').innerText()}`);
}

/** In the page: mean and variance of the luminance of the current frame of the video at
 * `selector` (sampled 64×48); null when it has no frame. Plain, so any driver can run it. */
export function lumaStats(selector) {
  const video = document.querySelector(selector);
  if (!video || !video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d');
  context.drawImage(video, 0, 0, 64, 48);
  const data = context.getImageData(0, 0, 64, 48).data;
  let sum = 0;
  let squares = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    sum += y;
    squares += y * y;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean, width: video.videoWidth, height: video.videoHeight };
}

/** Mean and variance of the luminance of a video element's current frame (lumaStats). */
export function frameStats(page, selector) {
  return page.evaluate(lumaStats, selector);
}

/** Waits until the video has frames with pixel variance over `threshold` (not black, not flat). */
export async function waitForLiveFrames(page, selector, threshold = 50, timeout = STEP_MS) {
  const end = Date.now() + timeout;
  let last = null;
  while (Date.now() < end) {
    last = await frameStats(page, selector);
    if (last && last.variance > threshold) return last;
    await sleep(200);
  }
  throw new Error(`${selector} shows no live frames: ${JSON.stringify(last)}`);
}

/** Waits until the console's received video is at least `width` wide (the link ramps up). */
export async function waitForRemoteWidth(page, width, timeout = 30_000) {
  await page.waitForFunction(
    (width) => document.getElementById('remote-video').videoWidth >= width,
    width,
    { timeout, polling: 200 },
  );
}

export async function statusState(page, state, timeout = STEP_MS) {
  await page.waitForSelector(`#call-status[data-state="${state}"]`, { timeout });
}
