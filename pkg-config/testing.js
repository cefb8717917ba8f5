/**
 * videoid-capture/testing — helpers for headless-browser tests of a site that
 * uses <videoid-capture>, written for Playwright (any version with `page`,
 * `frame` and `locator` objects; playwright-core works too).
 *
 * Nothing here imports Playwright: every helper takes the page, frame or
 * locator as an argument. Nothing here is loaded by the element either.
 *
 *   const browser = await chromium.launch({ args: fakeMediaArgs() });
 *   const page = await browser.newPage();
 *   await instrument(page);                      // before page.goto()
 *   await page.goto("https://localhost:3000/verify");
 *   const { state } = await driveNative(page);   // clicks through every step
 *   const result = await nextEvent(page, "videoid-result", { since: 0 });
 *   assert.equal(await liveTracks(page), 0);     // the camera light is off
 */

/** Every event the element dispatches, in the order of the README's table (and of the API's source). */
export const EVENT_NAMES = Object.freeze([
  // <api:events> written by scripts/api.mjs from api/videoid-capture.json
  "videoid-ready",
  "videoid-state",
  "videoid-complete",
  "videoid-result",
  "videoid-failed",
  "videoid-cancel",
  "videoid-step",
  "videoid-handoff",
  "videoid-agent",
  // </api:events>
]);

/** Every value of the element's `state` attribute. */
export const STATES = Object.freeze([
  // <api:states> written by scripts/api.mjs from api/videoid-capture.json
  "idle",
  "loading",
  "capturing",
  "completing",
  "complete",
  "failed",
  "cancelled",
  // </api:states>
]);

const TERMINAL = ["complete", "failed", "cancelled"];
const DEFAULT_TIMEOUT_MS = 30_000;
const DRIVE_TIMEOUT_MS = 120_000;
/** How long one click may wait for its button (the screen may have moved on meanwhile). */
const CLICK_TIMEOUT_MS = 5_000;

// ------------------------------------------------------------ Chromium

/**
 * Chromium's launch arguments for a fake camera and microphone that need no
 * prompt: `camera: "allow"` (default) grants them, `"deny"` refuses them (the
 * element reports `Permission.CameraDenied`); `video` films a Y4M or MJPEG
 * file instead of Chromium's test pattern (see `writeDocumentVideo`).
 */
export function fakeMediaArgs({ camera = "allow", video } = {}) {
  if (camera !== "allow" && camera !== "deny") {
    throw new TypeError(`fakeMediaArgs: camera must be "allow" or "deny", not ${JSON.stringify(camera)}`);
  }
  const args = [
    "--use-fake-device-for-media-stream",
    camera === "deny" ? "--use-fake-ui-for-media-stream=deny" : "--use-fake-ui-for-media-stream",
  ];
  if (video !== undefined) {
    if (typeof video !== "string" || !/\.(y4m|mjpeg)$/i.test(video)) {
      throw new TypeError("fakeMediaArgs: video must be the path of a .y4m or .mjpeg file");
    }
    args.push(`--use-file-for-fake-video-capture=${video}`);
  }
  return args;
}

/**
 * Writes a Y4M video of an ID card on a desk, for
 * `fakeMediaArgs({ video })`: `sharp` (auto-capture takes it), `blurred`
 * (too soft to capture) or `dark` (under-exposed). The same bytes as the
 * repository's `scripts/make-y4m.py`. Resolves with `path`.
 */
export async function writeDocumentVideo(path, { width = 1280, height = 720, variant = "sharp", frames = 10 } = {}) {
  for (const [name, value] of Object.entries({ width, height, frames })) {
    if (!Number.isInteger(value) || value < 1 || value > 8192) {
      throw new TypeError(`writeDocumentVideo: ${name} must be an integer from 1 to 8192`);
    }
  }
  if (width % 2 || height % 2) throw new TypeError("writeDocumentVideo: width and height must be even");
  let luma = card(width, height);
  if (variant === "blurred") luma = boxBlur(luma, width, height, Math.max(3, Math.floor(width / 120)));
  else if (variant === "dark") luma = luma.map((v) => Math.floor(v / 6));
  else if (variant !== "sharp") throw new TypeError(`writeDocumentVideo: unknown variant ${JSON.stringify(variant)}`);
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  const { open } = await import("node:fs/promises");
  const file = await open(path, "w");
  try {
    await file.write(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
    for (let i = 0; i < frames; i++) await file.write(frame);
  } finally {
    await file.close();
  }
  return path;
}

const div = (a, b) => Math.floor(a / b);

function card(width, height) {
  const y = new Uint8Array(width * height).fill(110);
  const [x0, x1, y0, y1] = [div(width, 10), div(width * 9, 10), div(height * 15, 100), div(height * 85, 100)];
  for (let row = y0; row < y1; row++) y.fill(40, row * width + x0, row * width + x1);
  const thick = Math.max(2, div(height, 90));
  for (let line = 0; line < 6; line++) {
    const top = y0 + div((y1 - y0) * (2 + 2 * line), 16);
    const [left, right] = [x0 + div(x1 - x0, 10), x1 - div(x1 - x0, 4)];
    for (let row = top; row < top + thick; row++) {
      for (let x = left; x < right; x++) if (div(x, thick) % 2 === 0) y[row * width + x] = 220;
    }
  }
  return y;
}

/** Separable box blur (rows, then columns) with running sums. */
function boxBlur(y, width, height, radius) {
  const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
  const size = 2 * radius + 1;
  const out = new Uint8Array(y);
  for (let row = 0; row < height; row++) {
    const base = row * width;
    let acc = 0;
    for (let i = -radius; i <= radius; i++) acc += y[base + clamp(i, width - 1)];
    for (let x = 0; x < width; x++) {
      out[base + x] = div(acc, size);
      acc += y[base + Math.min(x + radius + 1, width - 1)] - y[base + Math.max(x - radius, 0)];
    }
  }
  const res = new Uint8Array(out);
  for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let i = -radius; i <= radius; i++) acc += out[clamp(i, height - 1) * width + x];
    for (let row = 0; row < height; row++) {
      res[row * width + x] = div(acc, size);
      acc += out[Math.min(row + radius + 1, height - 1) * width + x] - out[Math.max(row - radius, 0) * width + x];
    }
  }
  return res;
}

// ------------------------------------------------------------ the page's recorder

/**
 * Runs in the page: records every `videoid-*` event reaching the window and
 * every media stream `getUserMedia` hands out. `late` marks a document that
 * got it after its scripts ran (its earlier streams are unknown).
 */
function installInPage({ names, late }) {
  if (window.__videoidTesting) return;
  const events = [];
  const tracks = new Set();
  const waiters = new Set();
  const kit = {
    late,
    events,
    waiters,
    liveTracks: () => [...tracks].filter((t) => t.readyState === "live").length,
  };
  Object.defineProperty(window, "__videoidTesting", { value: kit });
  for (const name of names) {
    window.addEventListener(
      name,
      (event) => {
        let detail = null;
        try {
          detail = event.detail === undefined ? null : JSON.parse(JSON.stringify(event.detail));
        } catch {
          detail = String(event.detail);
        }
        const target = event.target && event.target.id ? event.target.id : null;
        events.push({ name: event.type, detail, target, time: performance.now() });
        for (const waiter of [...waiters]) waiter();
      },
      true,
    );
  }
  const media = navigator.mediaDevices;
  if (media && typeof media.getUserMedia === "function") {
    const original = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      for (const track of stream.getTracks()) tracks.add(track);
      return stream;
    };
  }
  if (typeof MediaStreamTrack !== "undefined") {
    const clone = MediaStreamTrack.prototype.clone;
    MediaStreamTrack.prototype.clone = function () {
      const copy = clone.call(this);
      if (tracks.has(this)) tracks.add(copy);
      return copy;
    };
  }
}

const instrumented = new WeakSet();

const isPage = (x) => x && typeof x.mainFrame === "function" && typeof x.addInitScript === "function";
const isContext = (x) => x && typeof x.newPage === "function" && typeof x.addInitScript === "function";
const isFrame = (x) => x && typeof x.parentFrame === "function" && typeof x.evaluate === "function";

function requireTarget(fn, target) {
  if (!isPage(target) && !isFrame(target)) {
    throw new TypeError(`${fn}: pass a Playwright Page or Frame`);
  }
}

/**
 * Adds the event recorder and the media-track counter to every document the
 * page (or every page of the browser context) loads from now on, and to the
 * page's current document. Call it before `page.goto()`: `eventsOf` and
 * `liveTracks` need it.
 */
export async function instrument(pageOrContext) {
  if (!isPage(pageOrContext) && !isContext(pageOrContext)) {
    throw new TypeError("instrument: pass a Playwright Page or BrowserContext");
  }
  if (!instrumented.has(pageOrContext)) {
    instrumented.add(pageOrContext);
    await pageOrContext.addInitScript(installInPage, { names: EVENT_NAMES, late: false });
  }
  if (isPage(pageOrContext)) {
    // The current document (a page that is already loaded) gets it now, marked late.
    await pageOrContext.evaluate(installInPage, { names: EVENT_NAMES, late: true }).catch(() => {});
  }
}

/** The recorder's state in `target`'s current document, or null. */
function kitState(target) {
  return target.evaluate(() => {
    const kit = window.__videoidTesting;
    return kit ? { late: kit.late, count: kit.events.length } : null;
  });
}

function notInstrumented(fn) {
  return new Error(`${fn}: this document is not instrumented; call \`await instrument(page)\` before page.goto()`);
}

/**
 * Every `videoid-*` event recorded in the current document (of the page's
 * main frame, or of `frame`), oldest first: `{ name, detail, target, time }`,
 * where `target` is the element's id (or null) and `time` is
 * `performance.now()` in the page.
 */
export async function eventsOf(pageOrFrame) {
  requireTarget("eventsOf", pageOrFrame);
  const events = await pageOrFrame.evaluate(() => window.__videoidTesting?.events ?? null);
  if (events === null) throw notInstrumented("eventsOf");
  return events;
}

function matches(actual, expected) {
  if (expected === null || typeof expected !== "object") return Object.is(actual, expected);
  if (actual === null || typeof actual !== "object") return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => matches(actual[i], v));
  }
  return Object.keys(expected).every((key) => matches(actual[key], expected[key]));
}

const isNavigationError = (error) => /context was destroyed|because of a navigation/i.test(String(error?.message));
const isGoneError = (error) => isNavigationError(error) || /frame was detached|frame got detached/i.test(String(error?.message));

/**
 * Resolves with the `detail` of the next event `name` (one dispatched after
 * the call, or with `since: n` from the n-th recorded event on: `since: 0` is
 * the first) whose detail matches `match`: an object compared as a subset
 * (`{ status: "accepted" }`), or a predicate run in Node. Rejects after
 * `timeout` ms (default 30 000). A page that is not instrumented yet is
 * instrumented from now on.
 */
export async function nextEvent(pageOrFrame, name, { match, timeout = DEFAULT_TIMEOUT_MS, since } = {}) {
  requireTarget("nextEvent", pageOrFrame);
  if (!EVENT_NAMES.includes(name)) {
    throw new TypeError(`nextEvent: ${JSON.stringify(name)} is not an event of the element (${EVENT_NAMES.join(", ")})`);
  }
  if (match !== undefined && match !== null && typeof match !== "object" && typeof match !== "function") {
    throw new TypeError("nextEvent: match must be an object or a function");
  }
  let state = await kitState(pageOrFrame);
  if (!state && isPage(pageOrFrame)) {
    await instrument(pageOrFrame);
    state = await kitState(pageOrFrame);
  }
  if (!state) throw notInstrumented("nextEvent");
  let seen = since ?? state.count;
  const deadline = Date.now() + timeout;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let fresh;
    try {
      fresh = await pageOrFrame.evaluate(
        ({ seen, wait }) =>
          new Promise((resolve) => {
            const kit = window.__videoidTesting;
            if (!kit) return resolve({ missing: true });
            const ready = () => kit.events.length > seen;
            if (ready()) return resolve({ events: kit.events.slice(seen) });
            const done = (value) => {
              clearTimeout(timer);
              kit.waiters.delete(waiter);
              resolve(value);
            };
            const waiter = () => ready() && done({ events: kit.events.slice(seen) });
            const timer = setTimeout(() => done({ events: [] }), wait);
            kit.waiters.add(waiter);
          }),
        { seen, wait: remaining },
      );
    } catch (error) {
      // The page navigated: the new document records from its start.
      if (!isNavigationError(error)) throw error;
      seen = 0;
      continue;
    }
    if (fresh.missing) throw notInstrumented("nextEvent");
    for (const event of fresh.events) {
      if (event.name !== name) continue;
      const ok = typeof match === "function" ? await match(event.detail) : match == null || matches(event.detail, match);
      if (ok) return event.detail;
    }
    seen += fresh.events.length;
  }
  const recorded = await eventsOf(pageOrFrame).catch(() => []);
  const names = recorded.map((e) => (e.name === "videoid-state" ? `state:${e.detail?.state}` : e.name));
  throw new Error(
    `nextEvent: no ${name}${match && typeof match === "object" ? ` matching ${JSON.stringify(match)}` : ""} within ${timeout} ms` +
      ` (recorded: ${names.join(", ") || "nothing"})`,
  );
}

/**
 * Resolves with the element's `state` once it is `state` (or one of an array
 * of states). Rejects when the element ends in another terminal state
 * (`complete`, `failed`, `cancelled`) instead, naming the failure, or after
 * `timeout` ms (default 30 000).
 */
export async function waitForState(locator, state, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  if (!locator || typeof locator.evaluate !== "function" || typeof locator.page !== "function") {
    throw new TypeError("waitForState: pass a Playwright Locator of the element");
  }
  const wanted = Array.isArray(state) ? state : [state];
  const unknown = wanted.filter((s) => !STATES.includes(s));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new TypeError(`waitForState: ${JSON.stringify(unknown[0] ?? state)} is not a state (${STATES.join(", ")})`);
  }
  const started = Date.now();
  const outcome = await locator.evaluate(
    (el, { wanted, terminal, timeout }) =>
      new Promise((resolve) => {
        let failure = null;
        const onFailed = (e) => {
          failure = e.detail;
        };
        const finish = (value) => {
          observer.disconnect();
          clearTimeout(timer);
          el.removeEventListener("videoid-failed", onFailed);
          resolve({ ...value, failure });
        };
        const check = (first) => {
          const now = el.getAttribute("state");
          if (wanted.includes(now)) finish({ ok: true, state: now });
          else if (!first && terminal.includes(now)) finish({ ok: false, state: now });
        };
        const observer = new MutationObserver(() => check(false));
        const timer = setTimeout(() => finish({ ok: false, timedOut: true, state: el.getAttribute("state") }), timeout);
        el.addEventListener("videoid-failed", onFailed);
        observer.observe(el, { attributes: true, attributeFilter: ["state"] });
        check(true);
      }),
    { wanted, terminal: TERMINAL, timeout },
    { timeout },
  );
  if (outcome.ok) return outcome.state;
  const waited = `waiting for ${wanted.map((s) => JSON.stringify(s)).join(" or ")}`;
  const why = outcome.failure ? `: ${outcome.failure.code} (${outcome.failure.message})` : "";
  if (outcome.timedOut) {
    throw new Error(`waitForState: still "${outcome.state}" after ${Date.now() - started} ms, ${waited}${why}`);
  }
  throw new Error(`waitForState: the element ended "${outcome.state}"${why}, ${waited}`);
}

// ------------------------------------------------------------ driving a capture

/**
 * Runs in the page until the element offers something to do: returns
 * `{ action: "start" | "capture" | "confirm" | "done" | "file" | "timeout", state, step }`.
 */
function nextAction(el, { timeout, terminal }) {
  return new Promise((resolve) => {
    const find = (name) => el.shadowRoot?.querySelector(`[part~="${name}"]`) ?? null;
    const shown = (node) =>
      !!node && node.isConnected && !node.disabled && !node.closest("[hidden]") && node.getClientRects().length > 0;
    const decide = () => {
      const state = el.getAttribute("state");
      const step = el.getAttribute("step");
      const answer = (action) => ({ action, state, step });
      if (terminal.includes(state)) return answer("done");
      if (state === "idle") return shown(find("start-button")) ? answer("start") : null;
      if (state !== "capturing") return null;
      if (shown(find("confirm-button"))) return answer("confirm");
      if (shown(find("capture-button"))) return answer("capture");
      if (shown(find("file-label"))) return answer("file");
      return null;
    };
    const now = decide();
    if (now) return resolve(now);
    const finish = (value) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(value);
    };
    const observer = new MutationObserver(() => {
      const later = decide();
      if (later) finish(later);
    });
    observer.observe(el, { attributes: true });
    if (el.shadowRoot) observer.observe(el.shadowRoot, { attributes: true, childList: true, subtree: true });
    const timer = setTimeout(
      () => finish({ action: "timeout", state: el.getAttribute("state"), step: el.getAttribute("step") }),
      timeout,
    );
  });
}

function elementOf(fn, pageOrFrame, element) {
  requireTarget(fn, pageOrFrame);
  if (typeof element !== "string" || element === "") throw new TypeError(`${fn}: element must be a CSS selector`);
  return pageOrFrame.locator(element).first();
}

/**
 * Clicks through a native capture (`mode="native"`) as a user would: the
 * start button when the element is idle, then for every step the capture
 * button (unless auto-capture was quicker) and the confirm button, until the
 * element reaches a terminal state. An element already in one is left as it
 * is (click its retry button to run it again). Works on a page or on a frame
 * (the hosted capture page's element: `{ element: "#native-capture" }`).
 * Resolves with `{ state, steps }` (the steps confirmed, in order); a failure
 * such as `Permission.CameraDenied` resolves with `state: "failed"`. When the
 * element's document goes away meanwhile (the hosted page redirects back once
 * done, and the host element removes the frame) it resolves with the last
 * state seen and `navigated: true`.
 */
export async function driveNative(pageOrFrame, { element = "videoid-capture", timeout = DRIVE_TIMEOUT_MS } = {}) {
  const el = elementOf("driveNative", pageOrFrame, element);
  const button = (name) => pageOrFrame.locator(`${element} [part~="${name}"]`).first();
  const deadline = Date.now() + timeout;
  const steps = [];
  let last = null;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`driveNative: the capture did not end within ${timeout} ms`);
    let next;
    try {
      next = await el.evaluate(nextAction, { timeout: remaining, terminal: TERMINAL }, { timeout: remaining });
    } catch (error) {
      // The element's document went away: the hosted capture page redirects back when done,
      // and the host element then removes its frame.
      if (isGoneError(error) && last) return { state: last, steps, navigated: true };
      throw error;
    }
    last = next.state;
    const click = (name) =>
      button(name)
        .click({ timeout: Math.min(CLICK_TIMEOUT_MS, Math.max(1, deadline - Date.now())) })
        .catch((error) => {
          // The screen moved on (auto-capture, a failure) between the look and the click.
          if (!/Timeout/i.test(String(error?.message))) throw error;
        });
    switch (next.action) {
      case "done":
        return { state: next.state, steps };
      case "start":
        await click("start-button");
        break;
      case "capture":
        await click("capture-button");
        break;
      case "confirm":
        await click("confirm-button");
        if (next.step && steps[steps.length - 1] !== next.step) steps.push(next.step);
        break;
      case "file":
        throw new Error(
          `driveNative: the ${next.step} step offers a file picker: no camera. Launch Chromium with fakeMediaArgs().`,
        );
      default:
        throw new Error(
          `driveNative: the capture did not end within ${timeout} ms (state "${next.state}", step "${next.step}")`,
        );
    }
  }
}

/**
 * Runs a capture in `mode="sdk"`, where VideoID's web SDK goes through its
 * phases by itself: clicks the start button when the element is idle, then
 * waits for a terminal state. Resolves with `{ state, steps }` (every `step`
 * the element reflected, in order: `front`, `back`, `selfie`).
 */
export async function driveSdk(pageOrFrame, { element = "videoid-capture", timeout = DRIVE_TIMEOUT_MS } = {}) {
  const el = elementOf("driveSdk", pageOrFrame, element);
  const deadline = Date.now() + timeout;
  // Watch the step attribute before anything starts, so no phase goes unseen.
  await el.evaluate(
    (node) => {
      const seen = [];
      const note = () => {
        const step = node.getAttribute("step");
        if (step && seen[seen.length - 1] !== step) seen.push(step);
      };
      new MutationObserver(note).observe(node, { attributes: true, attributeFilter: ["step"] });
      note();
      Object.defineProperty(node, "__videoidStepsSeen", { value: seen, configurable: true });
    },
    undefined,
    { timeout },
  );
  if ((await el.getAttribute("state")) === "idle") {
    await pageOrFrame.locator(`${element} [part~="start-button"]`).first().click({ timeout: Math.max(1, deadline - Date.now()) });
  }
  const remaining = Math.max(1, deadline - Date.now());
  let state;
  try {
    state = await waitForState(el, TERMINAL, { timeout: remaining });
  } catch (error) {
    throw new Error(`driveSdk: ${error.message.replace(/^waitForState: /, "")}`);
  }
  const steps = await el.evaluate((node) => [...(node.__videoidStepsSeen ?? [])]);
  return { state, steps };
}

/**
 * How many media tracks handed out by `getUserMedia` are still live: in
 * every frame of a page (the hosted capture page's frame included), or in
 * one frame. 0 means the camera light is off. Needs `instrument(page)`
 * before the page loaded.
 */
export async function liveTracks(pageOrFrame) {
  requireTarget("liveTracks", pageOrFrame);
  const main = isPage(pageOrFrame) ? pageOrFrame.mainFrame() : pageOrFrame;
  const frames = isPage(pageOrFrame) ? pageOrFrame.frames() : [pageOrFrame];
  let total = 0;
  for (const frame of frames) {
    let count;
    try {
      count = await frame.evaluate(() => {
        const kit = window.__videoidTesting;
        return kit ? { late: kit.late, live: kit.liveTracks() } : null;
      });
    } catch (error) {
      if (frame === main) throw error;
      continue; // a frame that went away holds no tracks
    }
    if (frame === main && (!count || count.late)) {
      throw new Error(
        "liveTracks: the track counter was not in this document from its start; call `await instrument(page)` before page.goto()",
      );
    }
    total += count?.live ?? 0;
  }
  return total;
}
