// Shared pieces of the e2e suite: one Chromium per test file, a fresh
// context per test, waits on the demo page's event log, and diagnostics
// (screenshot, event log, shadow markup) in tests/e2e/output/ on failure.

import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { OUTPUT_DIR, HOST_ORIGIN, SIM_ORIGIN, startServer } from './server.mjs';
import { totals as contractTotals, watchContract } from './contract.mjs';

export { HOST_ORIGIN, SIM_ORIGIN, OUTPUT_DIR };

/** How long a flow step may take before a wait fails. */
export const STEP_TIMEOUT_MS = 20_000;
/** The per-test budget given to node:test. */
export const TEST_TIMEOUT_MS = 90_000;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * Starts the server and the browser for one test file (call at the top
 * level of the file); returns a `run(t, fn)` that gives each test a fresh
 * context and page.
 */
export function suite(name, { browserArgs = [], initScripts = [], pkgDir, env } = {}) {
  let server;
  let browser;
  before(async () => {
    server = await startServer(name, { pkgDir, env });
    browser = await launchBrowser(browserArgs);
  });
  after(async (t) => {
    await browser?.close().catch(() => {});
    await server?.stop();
    reportContractTotals(t);
  });
  return async function run(t, fn) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    await context.addInitScript(recorder);
    for (const script of initScripts) await context.addInitScript(script);
    const page = await context.newPage();
    const diag = { console: [], requests: [] };
    const onConsole = (where) => (msg) => diag.console.push(`[${where}] ${msg.type()}: ${msg.text()}`);
    const onError = (where) => (err) => diag.console.push(`[${where}] pageerror: ${err.message}`);
    page.on('console', onConsole('page'));
    page.on('pageerror', onError('page'));
    context.on('page', (p) => {
      if (p === page) return;
      p.on('console', onConsole('popup'));
      p.on('pageerror', onError('popup'));
    });
    context.on('request', (r) => diag.requests.push(`${r.method()} ${r.url()} (${r.resourceType()})`));
    // Every answer of the backend's element-facing routes, checked against its contract.
    const contractChecked = checkBackendContract(context);
    try {
      await fn({ page, context, diag });
      await contractChecked(t);
    } catch (err) {
      await contractChecked(t, err);
      const summary = await dumpDiagnostics(t.name, page, diag).catch((e) => `(no diagnostics: ${e.message})`);
      err.message += `\n--- diagnostics ---\n${summary}`;
      throw err;
    } finally {
      await context.close().catch(() => {});
    }
  };
}

/**
 * Starts checking `context`'s exchanges with the host backend's element-facing routes
 * against docs/backend.openapi.yaml (contract.mjs); returns `verdict(t, err?)`, to call once
 * the test's work is done: it waits for the checks under way, reports the count on `t`, and
 * throws the mismatches (or, given the test's own error `err`, adds them to its message).
 */
export function checkBackendContract(...contexts) {
  const finishes = contexts.map((c) => watchContract(c, HOST_ORIGIN));
  let reported = false;
  return async function verdict(t, err) {
    const results = await Promise.all(finishes.map((f) => f()));
    const sum = (key) => results.reduce((n, r) => n + r[key], 0);
    const mismatches = results.flatMap((r) => r.mismatches);
    if (!reported) t?.diagnostic?.(
      `backend contract: ${sum('validated')} answers validated`
        + (sum('unreadable') ? `, ${sum('unreadable')} with a body gone with its page (status and headers checked)` : '')
        + (sum('fulfilled') ? `, ${sum('fulfilled')} made up by the test (not checked)` : ''),
    );
    reported = true;
    if (!mismatches.length) return;
    const list = mismatches.map((m) => `- ${m}`).join('\n');
    if (err) {
      if (!err.message.includes(list)) err.message += `\n--- backend contract mismatches ---\n${list}`;
      return;
    }
    throw new Error(`the backend's answers or the element's requests do not match docs/backend.openapi.yaml:\n${list}`);
  };
}

/** The file's totals of checked answers, as the `after` hook's diagnostic. */
export function reportContractTotals(t) {
  const line = `backend contract: ${contractTotals.validated} answers validated against docs/backend.openapi.yaml`
    + ` in this file (${contractTotals.unreadable} with a body gone with its page)`;
  if (typeof t?.diagnostic === 'function') t.diagnostic(line);
  else console.log(`# ${line}`);
}

/**
 * Runs in every document before the page's scripts: timestamps every
 * `videoid-*` event reaching the window and every iframe ever rendered
 * in an open shadow root, so a test can check frames that are already gone.
 */
function recorder() {
  // Frames are kept as elements and read when asked, so attributes set
  // after insertion count too.
  const frameEls = [];
  const trace = {
    events: [],
    get frames() {
      return frameEls.map((f) => ({
        src: f.getAttribute('src'),
        allow: f.getAttribute('allow'),
        part: f.getAttribute('part'),
        connected: f.isConnected,
      }));
    },
  };
  Object.defineProperty(window, '__e2e', { value: trace });
  for (const type of ['ready', 'state', 'complete', 'result', 'failed', 'cancel']) {
    window.addEventListener(
      `videoid-${type}`,
      (e) => trace.events.push({ type: e.type, detail: e.detail, t: performance.now() }),
      true,
    );
  }
  const seen = (node) => {
    if (node.nodeType !== 1) return;
    const frames = node.tagName === 'IFRAME' ? [node] : [...node.querySelectorAll('iframe')];
    for (const f of frames) if (!frameEls.includes(f)) frameEls.push(f);
  };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach(seen);
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
}

async function dumpDiagnostics(testName, page, diag) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const slug = testName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
  const state = await snapshot(page).catch((e) => ({ error: e.message }));
  await page.screenshot({ path: path.join(OUTPUT_DIR, `${slug}.png`), fullPage: true }).catch(() => {});
  writeFileSync(
    path.join(OUTPUT_DIR, `${slug}.json`),
    JSON.stringify({ url: page.url(), ...state, console: diag.console, requests: diag.requests }, null, 2),
  );
  const events = (state.videoidEvents || []).map((e) => describeEvent(e)).join(', ');
  return [
    `url: ${page.url()}`,
    `state attribute: ${state.stateAttr}`,
    `window.videoidEvents: ${events || '(none)'}`,
    `console: ${diag.console.slice(-10).join(' | ') || '(none)'}`,
    `details: tests/e2e/output/${slug}.json and .png`,
  ].join('\n');
}

function describeEvent(e) {
  const d = e.detail || {};
  if (e.type === 'videoid-state') return `state:${d.previous}->${d.state}`;
  if (e.type === 'videoid-failed') return `failed:${d.code}${d.detail ? JSON.stringify(d.detail) : ''}`;
  if (e.type === 'videoid-result' || e.type === 'videoid-complete') return `${e.type.slice(8)}:${d.status}`;
  return e.type.slice(8);
}

/** Everything a diagnosis needs from the page, as plain data. */
export function snapshot(page) {
  return page.evaluate(() => {
    const el = document.querySelector('#capture');
    return {
      stateAttr: el?.getAttribute('state') ?? null,
      videoidEvents: JSON.parse(JSON.stringify(window.videoidEvents ?? null)),
      trace: JSON.parse(JSON.stringify(window.__e2e ?? null)),
      eventsList: document.querySelector('#events')?.innerText ?? null,
      shadowHtml: el?.shadowRoot?.innerHTML ?? null,
    };
  });
}

export async function goto(page, query = '') {
  await page.goto(`${HOST_ORIGIN}/${query}`);
  await page.waitForFunction(() => Array.isArray(window.videoidEvents), null, {
    timeout: STEP_TIMEOUT_MS,
    polling: 100,
  });
}

/** The demo page's event log (`window.videoidEvents`). */
export function events(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.videoidEvents)));
}

/**
 * Waits until `window.videoidEvents` holds an event of `type` (and, when
 * given, whose `detail.state` / `detail.code` equals `match`); returns its detail.
 */
export async function waitForEvent(page, type, { match, timeout = STEP_TIMEOUT_MS } = {}) {
  const handle = await page.waitForFunction(
    ([type, match]) => {
      const e = (window.videoidEvents || []).find(
        (e) => e.type === type && (match === null || e.detail?.state === match || e.detail?.code === match),
      );
      return e ? JSON.parse(JSON.stringify(e.detail ?? null)) ?? {} : undefined;
    },
    [type, match ?? null],
    { timeout, polling: 100 },
  );
  return handle.jsonValue();
}

/** Waits until `#capture` reflects `state` in its attribute. */
export async function waitForState(page, state, { timeout = STEP_TIMEOUT_MS } = {}) {
  await page.waitForFunction(
    (state) => document.querySelector('#capture')?.getAttribute('state') === state,
    state,
    { timeout, polling: 100 },
  );
}

export function stateAttr(page) {
  return page.evaluate(() => document.querySelector('#capture').getAttribute('state'));
}

/** The `videoid-state` states in order, from the demo page's log. */
export async function stateSequence(page) {
  return (await events(page)).filter((e) => e.type === 'videoid-state').map((e) => e.detail.state);
}

export async function countEvents(page, type) {
  return (await events(page)).filter((e) => e.type === type).length;
}

/** A locator for a `part` inside #capture's (open) shadow root. */
export function part(page, name, host = '#capture') {
  return page.locator(`${host} [part~="${name}"]`);
}

/** Whether #capture's shadow root currently holds an iframe. */
export function hasFrame(page) {
  return page.evaluate(() => !!document.querySelector('#capture').shadowRoot?.querySelector('iframe'));
}

/** The simulator's capture frame, once it exists. */
export async function simFrame(page, { timeout = STEP_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const f = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(`${SIM_ORIGIN}/`));
    if (f) return f;
    if (Date.now() > deadline) throw new Error(`no frame from ${SIM_ORIGIN} appeared within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether `subsequence` appears in `list` in order (not necessarily adjacent). */
export function inOrder(list, subsequence) {
  let i = 0;
  for (const x of list) if (x === subsequence[i]) i++;
  return i === subsequence.length;
}

/**
 * Presses Tab until the focused element inside #capture's shadow root has
 * part `name`; returns whether it got there.
 */
export async function tabTo(page, name, { host = '#capture', maxPresses = 40 } = {}) {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(
      ([host, name]) => {
        const el = document.querySelector(host);
        const active = document.activeElement === el ? el.shadowRoot?.activeElement : null;
        return !!active && (active.getAttribute('part') || '').split(/\s+/).includes(name);
      },
      [host, name],
    );
    if (here) return true;
  }
  return false;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits `ms` by the page's own timers, to show that something does not happen: a timer the
 * page sets now runs after every timer the page (the element included) set earlier that is
 * due sooner, however loaded the machine, where a sleep in the test process would not.
 */
export function pageTimer(page, ms) {
  return page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), ms);
}

const photo = readFileSync(fileURLToPath(new URL('../../docs/demo.png', import.meta.url)));

/**
 * Takes the native document steps with the file picker (the camera being
 * unusable, the element offers it), in the element of `frame`.
 */
export async function documentsByFile(frame) {
  for (const step of ['front', 'back']) {
    await frame.waitForFunction((s) => document.querySelector('#capture').getAttribute('step') === s, step, {
      timeout: STEP_TIMEOUT_MS,
    });
    await frame.locator('#capture [part~="file-label"]').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await frame.locator('#capture [part~="file-input"]')
      .setInputFiles({ name: `${step}.png`, mimeType: 'image/png', buffer: photo });
    await frame.locator('#capture [part~="confirm-button"]').click();
  }
}
