// The example site's sign-up verification, end to end: real Chromium with a
// fake camera, the site's own Node backend, and the standalone Assure
// simulator, whose outcomes the tests choose through its control API (the
// backend never knows it talks to a simulator).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import {
  driveNative,
  eventsOf,
  fakeMediaArgs,
  instrument,
  liveTracks,
  nextEvent,
  waitForState,
} from "videoid-capture/testing";
import { startSite } from "../server.mjs";
import { startSimulator } from "./simulator.mjs";

// What Chromium needs in a container or CI runner (no sandbox, no GPU, no outside network).
const CI_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// A system Chromium (as in the repository's CI), else Playwright's own (`npx playwright install chromium`).
const CHROMIUM = process.env.CHROMIUM_BIN || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PKG_DIR = path.dirname(fileURLToPath(import.meta.resolve("videoid-capture/package.json")));
const opts = { timeout: 120_000 };

let sim;
let site;
const browsers = {};

before(async () => {
  sim = await startSimulator({ pkgDir: PKG_DIR });
  site = await startSite({
    port: 0,
    assure: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
    captureOrigins: sim.url,
  });
});

after(async () => {
  for (const browser of Object.values(browsers)) await browser.close().catch(() => {});
  await site?.close();
  assert.equal(await sim?.stop(), 0, "the simulator stops cleanly on SIGTERM");
});

/** One browser per camera setting, launched when first needed. */
async function browser(camera) {
  browsers[camera] ??= await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CI_ARGS, ...fakeMediaArgs({ camera })],
  });
  return browsers[camera];
}

/** A fresh page for a fresh user (each user's dossiers carry the user as externalReference). */
async function open({ camera = "allow", query = "" } = {}) {
  const user = `user-${randomUUID()}`;
  const context = await (await browser(camera)).newContext();
  const page = await context.newPage();
  await instrument(page);
  await page.goto(`${site.url}/?user=${user}${query}`);
  return { user, page, element: page.locator("#verify"), close: () => context.close() };
}

/** The dossiers the simulator holds for `user`. */
async function processesOf(user) {
  return (await sim.control.processes()).filter((p) => p.externalReference === user);
}

test("accepted: a native capture through every step; the camera is off afterwards", opts, async () => {
  const { user, page, close } = await open();
  await sim.control.forReference(user, "accepted");
  try {
    const { state, steps } = await driveNative(page);
    assert.equal(state, "complete");
    assert.deepEqual(steps, ["front", "back", "selfie"]);
    const result = await nextEvent(page, "videoid-result", { since: 0 });
    assert.equal(result.status, "accepted");
    assert.equal(result.process.finalResult.lastName, "Nordmann");
    assert.equal(await page.locator("#outcome").textContent(), "Verification finished: accepted");
    assert.equal(await liveTracks(page), 0, "no camera or microphone track is live");

    // What the backend sent: three stills through Set images, and never a simulator block.
    const [process] = await processesOf(user);
    assert.equal(process.provider, "signicatpaper");
    assert.equal(process.scenarioFrom, "externalReference");
    assert.deepEqual(Object.keys(process.media).sort(), ["back", "front", "selfie"]);
    const calls = await sim.control.requests(`?path=/assure/dossiers/${process.dossierId}`);
    assert.equal(calls.filter((c) => c.path.endsWith("/images") && c.status === 201).length, 3);
    assert.ok(calls.every((c) => !c.body?.simulator), "the backend sent only what Assure takes");
  } finally {
    await close();
  }
});

test("rejected: the hosted capture page in a frame, driven inside the frame", opts, async () => {
  const { user, page, element, close } = await open({ query: "&mode=embed" });
  await sim.control.forReference(user, "rejected");
  try {
    await page.locator('#verify [part~="start-button"]').click();
    await waitForState(element, "capturing");
    const frame = await (await page.locator('#verify [part~="frame"]').elementHandle()).contentFrame();
    // The simulator's hosted page runs the element in native mode: a real capture in the frame.
    const inner = await driveNative(frame, { element: "#native-capture" });
    assert.deepEqual(inner.steps, ["front", "back", "selfie", "video"]);
    const result = await nextEvent(page, "videoid-result", { since: 0 });
    assert.equal(result.status, "rejected");
    assert.equal(result.process.providerSpecific.ocr.securityChecks.nonExpired.valid, false);
    assert.equal(await waitForState(element, "complete"), "complete");
    assert.equal(await page.locator("#outcome").textContent(), "Verification finished: rejected");
    assert.equal(await liveTracks(page), 0, "the frame's camera is off too");
  } finally {
    await close();
  }
});

test("camera denied: a typed failure, nothing uploaded, no live track", opts, async () => {
  const { user, page, element, close } = await open({ camera: "deny" });
  try {
    const { state, steps } = await driveNative(page);
    assert.equal(state, "failed");
    assert.deepEqual(steps, []);
    const failures = (await eventsOf(page)).filter((e) => e.name === "videoid-failed");
    assert.equal(failures.length, 1);
    assert.equal(failures[0].detail.code, "Permission.CameraDenied");
    assert.equal(failures[0].detail.recoverable, true);
    assert.equal(await element.getAttribute("state"), "failed");
    assert.equal(await page.locator("#outcome").textContent(), "Could not verify you: Permission.CameraDenied");
    assert.equal(await liveTracks(page), 0);
    const [process] = await processesOf(user);
    assert.equal(process.status, "pending");
    assert.deepEqual(process.media, {}, "nothing reached the simulator");
  } finally {
    await close();
  }
});

test("inactivity: the element gives up on an idle user and turns the camera off", opts, async () => {
  const { page, element, close } = await open({ query: "&inactivity=2" });
  try {
    await page.locator('#verify [part~="start-button"]').click();
    await page.locator('#verify [part~="capture-button"]').waitFor({ state: "visible" });
    assert.ok((await liveTracks(page)) >= 1, "the camera is on while the user is idle");
    const failed = await nextEvent(page, "videoid-failed", { match: { code: "InactiveUser.Aborted" }, since: 0 });
    assert.equal(failed.recoverable, true);
    assert.equal(await waitForState(element, "failed"), "failed");
    assert.equal(await liveTracks(page), 0);
  } finally {
    await close();
  }
});

test("inactivity reported by the provider: the process fails with InactiveUser.Aborted", opts, async () => {
  const { user, page, close } = await open();
  await sim.control.forReference(user, "failed-inactive");
  try {
    const { state } = await driveNative(page);
    assert.equal(state, "failed");
    const result = await nextEvent(page, "videoid-result", { since: 0 });
    assert.equal(result.status, "failed");
    const failed = await nextEvent(page, "videoid-failed", { since: 0 });
    assert.equal(failed.code, "Capture.Failed");
    assert.equal(failed.detail.type, "InactiveUser.Aborted");
    assert.equal(await liveTracks(page), 0);
  } finally {
    await close();
  }
});
