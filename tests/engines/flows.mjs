// The core flows, in an engine other than Chromium: embed accepted, native
// through every step the demo lists, no camera (file picker, then the typed
// failure), inactivity, cancel and removal with zero live tracks, and the
// recorder on its own (a stub backend that lists the video step), and the
// phone handoff with this engine on either side (Chromium on the other: a
// driver server holds one session at a time). One server and one driver
// server per engine run (per test file), a new browser session per test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, freePort, HOST_ORIGIN, OUTPUT_DIR, REPO_ROOT } from '../e2e/server.mjs';
import { launchBrowser } from '../e2e/helpers.mjs';
import { ENGINES } from './drivers.mjs';

/** How long one step may take before a wait fails (slower engines, shared machine). */
const STEP_MS = 30_000;
/** The per-test budget. */
const TEST_MS = 180_000;
/** The longest a broken recorder may keep the user at the video step. */
const LOOP_LIMIT_MS = 60_000;
const MISSED = "That didn't work — try again.";

/** Runs `fn` in the page; `args` are passed as `arguments`. */
const js = (driver, fn, ...args) => driver.executeScript(`return (${fn}).apply(null, arguments)`, ...args);

/** Waits until `fn` (run in the page) returns something truthy; returns it. */
async function until(driver, what, fn, args = [], timeout = STEP_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await js(driver, fn, ...args);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeout / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A part inside #capture's open shadow root, as a WebElement (or null). */
function part(driver, name) {
  return js(driver, (name) => document.querySelector('#capture')?.shadowRoot?.querySelector(`[part~="${name}"]`) ?? null, name);
}

async function click(driver, name) {
  const element = await until(
    driver,
    `the ${name}`,
    (name) => {
      const el = document.querySelector('#capture')?.shadowRoot?.querySelector(`[part~="${name}"]`);
      return el && !el.hidden && el.getClientRects().length > 0 ? el : null;
    },
    [name],
  );
  await element.click();
}

const events = (driver) => js(driver, () => JSON.parse(JSON.stringify(window.videoidEvents || [])));
const state = (driver) => js(driver, () => document.querySelector('#capture')?.getAttribute('state'));
const liveTracks = (driver) => js(driver, () => window.__liveTracks());

function waitForEvent(driver, type, timeout = STEP_MS) {
  return until(
    driver,
    `a ${type} event`,
    (type) => {
      const e = (window.videoidEvents || []).find((e) => e.type === type);
      return e ? { detail: JSON.parse(JSON.stringify(e.detail ?? {})) } : null;
    },
    [type],
    timeout,
  ).then((found) => found.detail);
}

/** Opens `url` and waits for the page's event log and the element's videoid-ready. */
async function open(driver, url) {
  await driver.get(url);
  await ready(driver);
}

/**
 * Opens a handoff link on the phone as a user does: the GET shows a page whose form POSTs
 * the token at once; the answer to that POST is the page with the element.
 */
async function openLink(driver, href) {
  await driver.get(href);
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    // The form's navigation may be under way: a command that fails then is asked again.
    const found = await js(driver, () => !!document.querySelector('videoid-capture')).catch(() => false);
    if (found) break;
    if (Date.now() > deadline) throw new Error(`waited ${STEP_MS / 1000} s for the page with the element`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await ready(driver);
}

/** Waits for the page's event log and the element's videoid-ready; installs the track counter. */
async function ready(driver) {
  await until(driver, 'videoid-ready', () => (window.videoidEvents || []).some((e) => e.type === 'videoid-ready'));
  // Count every stream getUserMedia hands out from here on, in plain JS terms.
  await js(driver, () => {
    if (window.__liveTracks) return;
    const streams = [];
    // On the prototype: WebKit may hand out a new navigator.mediaDevices
    // wrapper after a garbage collection, without properties set on the old one.
    const proto = window.MediaDevices?.prototype;
    if (proto?.getUserMedia) {
      const original = proto.getUserMedia;
      proto.getUserMedia = async function (constraints) {
        const stream = await original.call(this, constraints);
        streams.push(stream);
        return stream;
      };
    }
    // A page that starts at once (the phone's handoff page) may get its stream
    // before this runs: the tracks the element shows count too, and stay
    // counted once seen, so a track leaked past the element's removal shows.
    const shown = new Set();
    const tracks = () => {
      for (const video of document.querySelector('#capture')?.shadowRoot?.querySelectorAll('video') ?? []) {
        for (const track of video.srcObject?.getTracks?.() ?? []) shown.add(track);
      }
      return [...new Set([...streams.flatMap((s) => s.getTracks()), ...shown])];
    };
    window.__liveTracks = () => tracks().filter((t) => t.readyState === 'live').length;
    window.__streamsAsked = () => streams.length;
    window.__tracks = () => streams.map((s) => s.getTracks().map((t) => `${t.kind}:${t.readyState}`).join('+')).join(', ');
  });
}

/** Starts the stub backend (tests/support) serving the built package and its host page. */
async function startStub() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'tests/support/stub-backend.mjs'), String(port), path.join(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg')], {
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`${origin}/received`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`the stub backend did not answer on ${origin}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { origin, stop: () => child.kill() };
}

/**
 * Takes one native step: capture, then confirm. A capture that fails is
 * shown and announced, and the second failure in a row must end typed
 * (reported as `{ failed }`), never in a loop.
 */
async function takeStep(driver, step) {
  await until(
    driver,
    `the capture button for ${step}`,
    (step) => {
      const el = document.querySelector('#capture');
      return el.getAttribute('step') === step && !!el.shadowRoot.querySelector('[part~="capture-button"]');
    },
    [step],
  );
  assert.ok((await liveTracks(driver)) >= 1, `the camera is live for ${step}: ${await js(driver, () => window.__tracks())}`);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const asked = await js(driver, () => window.__streamsAsked());
    await click(driver, 'capture-button');
    const outcome = await until(
      driver,
      `the review, a notice or a failure after capturing ${step}`,
      (missed, asked) => {
        const el = document.querySelector('#capture');
        const root = el.shadowRoot;
        if (root.querySelector('[part~="confirm-button"]')) return 'review';
        if (el.getAttribute('state') !== 'capturing') return 'ended';
        const picker = root.querySelector('[part~="file-label"]');
        if (picker && !picker.hidden) return 'file-picker';
        // A failure reopens the camera (a new request) and says so.
        const message = root.querySelector('[part~="message"]');
        const said = message && !message.hidden && message.textContent === missed;
        return said && window.__streamsAsked() > asked ? 'missed' : null;
      },
      [MISSED, asked],
      step === 'video' ? STEP_MS + 10_000 : STEP_MS,
    );
    if (outcome === 'file-picker') return { attempts: attempt, filePicker: true, ms: Date.now() - started };
    if (outcome === 'review') {
      assert.equal(await liveTracks(driver), 0, `the camera is off while reviewing ${step}`);
      await click(driver, 'confirm-button');
      return { attempts: attempt };
    }
    if (outcome === 'ended') {
      const failed = await waitForEvent(driver, 'videoid-failed');
      return { attempts: attempt, failed, ms: Date.now() - started };
    }
    // The first failure: said on screen and in the live region, no failure event yet.
    assert.equal(attempt, 1, `${step}: a second failure in a row must not ask again`);
    const status = await js(driver, () => document.querySelector('#capture').shadowRoot.querySelector('[part~="status"]').textContent);
    assert.ok(status.includes(MISSED), `the failure is announced: "${status}"`);
    assert.equal((await events(driver)).filter((e) => e.type === 'videoid-failed').length, 0);
    await until(driver, `the camera again for ${step}`, () => !!document.querySelector('#capture').shadowRoot.querySelector('[part~="capture-button"]'));
  }
}

/** The handoff link the element at `driver` shows, once it waits for the phone. */
async function handoffLink(driver) {
  return until(driver, 'the handoff link', () => {
    const el = document.querySelector('#capture');
    const link = el.shadowRoot.querySelector('[part~="handoff-link"]');
    const qr = el.shadowRoot.querySelector('[part~="handoff-qr"]');
    const waiting = el.getAttribute('state') === 'capturing' && el.getAttribute('step') === 'handoff';
    return waiting && qr && link?.getAttribute('href');
  });
}

/** The handoff statuses the element announced, in order. */
const handoffStatuses = (driver) =>
  js(driver, () => (window.videoidEvents || []).filter((e) => e.type === 'videoid-handoff').map((e) => e.detail.status));

/** A Chromium page (playwright) as the other device: a phone with the fake camera, or a desktop. */
async function chromiumDevice(browser, phone) {
  const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true } : {});
  await context.addInitScript(() => {
    window.__streamsAsked = () => 0;
    const original = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
    if (!original) return;
    const streams = [];
    window.__streamsAsked = () => streams.length;
    window.__liveTracks = () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      streams.push(stream);
      return stream;
    };
  });
  return context.newPage();
}

/** A Chromium desktop without a camera on the handoff screen: its page and the link. */
async function chromiumDesktop(browser) {
  const desktop = await chromiumDevice(browser, false);
  await desktop.goto(`${HOST_ORIGIN}/?mode=native&handoff=always&scenario=accepted&auto=1`);
  const href = await chromiumUntil(desktop, () => {
    const el = document.querySelector('#capture');
    return el?.getAttribute('step') === 'handoff' && el.shadowRoot.querySelector('[part~="handoff-link"]')?.getAttribute('href');
  });
  return { desktop, href };
}

/** Waits in a Chromium page until `fn` returns something truthy; returns it. */
async function chromiumUntil(page, fn, arg) {
  return (await page.waitForFunction(fn, arg, { timeout: STEP_MS })).jsonValue();
}

const chromiumEvent = (page, type) =>
  chromiumUntil(page, (type) => (window.videoidEvents || []).find((e) => e.type === type)?.detail ?? null, type);

/** Registers the core flows for `engineId` (one per test file). */
export function coreFlows(engineId) {
  const engine = ENGINES[engineId];
  let server;
  let browsers;
  before(async () => {
    server = await startServer(`engine-${engine.id}`);
    browsers = await engine.start();
  });
  after(async () => {
    await browsers?.stop();
    await server?.stop();
  });

  /** A new browser session with `profile` for one test; diagnostics on failure. */
  async function run(t, profile, fn) {
    const driver = await browsers.session(engine.profiles[profile]);
    try {
      const caps = await driver.getCapabilities();
      t.diagnostic(`${engine.name} ${caps.get('browserVersion')}`);
      await fn(driver);
    } catch (err) {
      const slug = `${engine.id}-${t.name}`.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 90);
      mkdirSync(OUTPUT_DIR, { recursive: true });
      const snapshot = await js(driver, () => ({
        url: location.href,
        state: document.querySelector('#capture')?.getAttribute('state'),
        step: document.querySelector('#capture')?.getAttribute('step'),
        events: JSON.parse(JSON.stringify(window.videoidEvents || [])),
        shadow: document.querySelector('#capture')?.shadowRoot?.innerHTML,
      })).catch((e) => ({ error: e.message }));
      writeFileSync(path.join(OUTPUT_DIR, `${slug}.json`), JSON.stringify(snapshot, null, 2));
      const shot = await driver.takeScreenshot().catch(() => null);
      if (shot) writeFileSync(path.join(OUTPUT_DIR, `${slug}.png`), shot, 'base64');
      const log = (snapshot.events || []).map((e) => `${e.type}:${JSON.stringify(e.detail)}`).join(', ');
      err.message += `\n--- ${engine.name} ---\nstate ${snapshot.state}, step ${snapshot.step}\nevents: ${log}\ndetails: tests/e2e/output/${slug}.json and .png`;
      throw err;
    } finally {
      await driver.quit().catch(() => {});
    }
  }
  const opts = { timeout: TEST_MS };

  test(`${engine.name}: embed, accepted: completion then the result, once each`, opts, async (t) => {
    await run(t, 'camera', async (driver) => {
      await driver.get(`${HOST_ORIGIN}/?scenario=accepted&auto=1&mode=embed`);
      const result = await waitForEvent(driver, 'videoid-result');
      assert.equal(result.status, 'accepted');
      assert.equal(result.process?.status, 'accepted');
      const log = await events(driver);
      const complete = log.filter((e) => e.type === 'videoid-complete');
      assert.equal(complete.length, 1, 'one videoid-complete');
      assert.equal(complete[0].detail.processId, result.processId);
      assert.equal(log.filter((e) => e.type === 'videoid-result').length, 1, 'one videoid-result');
      assert.equal(log.filter((e) => e.type === 'videoid-failed').length, 0);
      await until(driver, 'state complete', () => document.querySelector('#capture').getAttribute('state') === 'complete');
    });
  });

  test(`${engine.name}: native, every step the demo lists, the camera off after each`, opts, async (t) => {
    await run(t, 'camera', async (driver) => {
      await open(driver, `${HOST_ORIGIN}/?mode=native&scenario=accepted`);
      await click(driver, 'start-button');
      const taken = [];
      const began = Date.now();
      for (;;) {
        const next = await until(driver, 'the next step or the end', () => {
          const el = document.querySelector('#capture');
          const s = el.getAttribute('state');
          if (s === 'loading') return null;
          if (s !== 'capturing') return { end: s };
          const step = el.getAttribute('step');
          return step && step !== 'upload' && el.shadowRoot.querySelector('[part~="capture-button"]') ? { step } : null;
        });
        if (next.end) break;
        assert.ok(!taken.includes(next.step), `${next.step} is not asked for again`);
        taken.push(next.step);
        const outcome = await takeStep(driver, next.step);
        t.diagnostic(`${next.step}: ${outcome.failed ? `${outcome.failed.code} ${JSON.stringify(outcome.failed.detail)} after ${outcome.ms} ms` : 'taken'} (${Date.now() - began} ms in)`);
        if (outcome.filePicker) assert.fail(`${next.step}: the still failed twice; the file picker took over`);
        if (outcome.failed) {
          // Only a broken recorder may end the capture, and only as the typed failure.
          assert.equal(next.step, 'video', `${next.step} failed: ${JSON.stringify(outcome.failed)}`);
          assert.equal(engine.recorderWorks, false, `${engine.name} was expected to record`);
          assert.equal(outcome.failed.code, 'Device.Unsupported');
          assert.deepEqual(outcome.failed.detail, { reason: 'recorder' });
          assert.equal(outcome.attempts, 2, 'tried twice, then stopped');
          assert.ok(outcome.ms < LOOP_LIMIT_MS, `ended ${outcome.ms} ms after the video step began`);
          assert.equal(await state(driver), 'failed');
          assert.equal(await liveTracks(driver), 0, 'no live track after the failure');
          return;
        }
      }
      assert.deepEqual(taken.slice(0, 3), ['front', 'back', 'selfie']);
      if (taken.includes('video')) {
        assert.ok(engine.recorderWorks, `${engine.name} recorded a video: update the compatibility table`);
      }
      const result = await waitForEvent(driver, 'videoid-result');
      assert.equal(result.status, 'accepted');
      await until(driver, 'state complete', () => document.querySelector('#capture').getAttribute('state') === 'complete');
      assert.equal(await liveTracks(driver), 0, 'no live track after completion');
      // What the simulator stored came from this browser's camera.
      const stored = await js(driver, async (processId) => {
        const out = {};
        for (const d of ['front', 'back', 'selfie']) {
          const r = await fetch(`/api/videoid/images?processId=${encodeURIComponent(processId)}&depiction=${d}`);
          const bytes = new Uint8Array(await r.arrayBuffer());
          out[d] = { status: r.status, type: r.headers.get('content-type'), size: bytes.length, jpeg: bytes[0] === 0xff && bytes[1] === 0xd8 };
        }
        return out;
      }, result.processId);
      for (const d of ['front', 'back', 'selfie']) {
        assert.equal(stored[d].status, 200, d);
        assert.ok(stored[d].jpeg && stored[d].size > 1000, `${d}: ${JSON.stringify(stored[d])}`);
      }
    });
  });

  test(`${engine.name}: native without a usable camera: the file picker for documents, then ${engine.noCameraFailure}`, opts, async (t) => {
    await run(t, 'noCamera', async (driver) => {
      await open(driver, `${HOST_ORIGIN}/?mode=native&scenario=accepted`);
      await click(driver, 'start-button');
      const photo = path.join(REPO_ROOT, 'docs', 'demo.png');
      for (const step of ['front', 'back']) {
        await until(
          driver,
          `the file picker for ${step}`,
          (step) => {
            const el = document.querySelector('#capture');
            const label = el.shadowRoot.querySelector('[part~="file-label"]');
            return el.getAttribute('step') === step && label && !label.hidden;
          },
          [step],
        );
        const input = await part(driver, 'file-input');
        await input.sendKeys(photo);
        await click(driver, 'confirm-button');
        // The step moves on only when the backend took the upload.
        await until(driver, `${step} uploaded`, (step) => document.querySelector('#capture').getAttribute('step') !== step, [step]);
      }
      const failed = await waitForEvent(driver, 'videoid-failed');
      assert.equal(failed.code, engine.noCameraFailure);
      assert.equal(failed.recoverable, true);
      assert.equal(await state(driver), 'failed');
      assert.ok(await part(driver, 'retry-button'), 'a retry that asks again');
      assert.equal(await liveTracks(driver), 0);
    });
  });

  test(`${engine.name}: native, a short inactivity-timeout: InactiveUser.Aborted, the camera off`, opts, async (t) => {
    await run(t, 'camera', async (driver) => {
      await open(driver, `${HOST_ORIGIN}/?mode=native&scenario=accepted&inactivity=2`);
      await click(driver, 'start-button');
      await until(driver, 'the live camera', () => !!document.querySelector('#capture').shadowRoot.querySelector('[part~="capture-button"]'));
      const failed = await waitForEvent(driver, 'videoid-failed');
      assert.equal(failed.code, 'InactiveUser.Aborted');
      assert.equal(await liveTracks(driver), 0);
    });
  });

  test(`${engine.name}: native, cancel and removal mid-capture leave no live track`, opts, async (t) => {
    await run(t, 'camera', async (driver) => {
      await open(driver, `${HOST_ORIGIN}/?mode=native&scenario=accepted`);
      await click(driver, 'start-button');
      await until(driver, 'the live camera', () => !!document.querySelector('#capture').shadowRoot.querySelector('[part~="capture-button"]'));
      assert.ok((await liveTracks(driver)) >= 1);
      await js(driver, () => document.querySelector('#capture').cancel());
      await waitForEvent(driver, 'videoid-cancel');
      await until(driver, 'state cancelled', () => document.querySelector('#capture').getAttribute('state') === 'cancelled');
      assert.equal(await liveTracks(driver), 0, 'after cancel');

      await click(driver, 'retry-button');
      await until(driver, 'the camera again', () => !!document.querySelector('#capture').shadowRoot.querySelector('[part~="capture-button"]'));
      assert.ok((await liveTracks(driver)) >= 1, 'the retry opened the camera again');
      await js(driver, () => document.querySelector('#capture').remove());
      await until(driver, 'no live track after removal', () => window.__liveTracks() === 0, [], 5_000);
    });
  });

  test(`${engine.name}: the recorder, against a backend that lists the video step`, opts, async (t) => {
    const stub = await startStub();
    try {
      await run(t, 'camera', async (driver) => {
        await open(driver, `${stub.origin}/host.html?steps=video`);
        await js(driver, () => {
          document.querySelector('#capture').start().catch(() => {});
        });
        const outcome = await takeStep(driver, 'video');
        t.diagnostic(`video: ${outcome.failed ? `${outcome.failed.code} ${JSON.stringify(outcome.failed.detail)} after ${outcome.ms} ms` : 'recorded'}`);
        const received = await (await fetch(`${stub.origin}/received`)).json();
        if (engine.recorderWorks) {
          assert.equal(outcome.failed, undefined, `recording failed: ${JSON.stringify(outcome.failed)}`);
          const result = await waitForEvent(driver, 'videoid-result');
          assert.equal(result.status, 'accepted');
          const video = (await (await fetch(`${stub.origin}/received`)).json()).received.video;
          assert.match(video?.type ?? '', /^video\/(webm|mp4)$/);
          assert.ok(video.bytes > 1000, `${video.bytes} bytes recorded`);
        } else {
          assert.ok(outcome.failed, `${engine.name} recorded a video: update the compatibility table`);
          assert.equal(outcome.failed.code, 'Device.Unsupported');
          assert.deepEqual(outcome.failed.detail, { reason: 'recorder' });
          assert.equal(outcome.attempts, 2);
          assert.ok(outcome.ms < LOOP_LIMIT_MS, `ended ${outcome.ms} ms after the step began`);
          assert.equal(received.received.video, undefined, 'nothing was uploaded');
        }
        assert.equal(await liveTracks(driver), 0);
      });
    } finally {
      stub.stop();
    }
  });

  test(`${engine.name}: handoff, the desktop here without a camera, the phone in Chromium: the desktop gets the phone's result`, opts, async (t) => {
    const chromium = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    try {
      await run(t, 'noCamera', async (driver) => {
        await open(driver, `${HOST_ORIGIN}/?mode=native&handoff=always&scenario=accepted`);
        await js(driver, () => {
          document.querySelector('#capture').start().catch(() => {});
        });
        const href = await handoffLink(driver);
        assert.equal(new URL(href).pathname, '/videoid/handoff');
        await waitForEvent(driver, 'videoid-handoff');

        const phone = await chromiumDevice(chromium, true);
        await phone.goto(href);
        await phone.locator('videoid-capture').waitFor({ state: 'attached', timeout: STEP_MS });
        // The phone shows a code; the user confirms it here.
        const code = (await phone.locator('#handoff-pair-code').innerText()).trim();
        await until(driver, 'the pairing question', (code) => {
          const button = document.querySelector('#capture').shadowRoot.querySelector('[part~="pair-confirm-button"]');
          return button && document.querySelector('#capture').shadowRoot.textContent.includes(code);
        }, [code]);
        await js(driver, () => {
          document.querySelector('#capture').shadowRoot.querySelector('[part~="pair-confirm-button"]').click();
        });
        for (const step of ['front', 'back', 'selfie']) {
          await phone.waitForFunction((step) => document.querySelector('#capture')?.getAttribute('step') === step, step, { timeout: STEP_MS });
          const capture = phone.locator('#capture >> [part~="capture-button"]');
          const confirm = phone.locator('#capture >> [part~="confirm-button"]');
          await capture.or(confirm).first().waitFor({ state: 'visible', timeout: STEP_MS });
          // A document may capture itself after steady good frames; otherwise take it.
          if (!(await confirm.isVisible())) await capture.click();
          await confirm.waitFor({ state: 'visible', timeout: STEP_MS });
          await confirm.click();
        }
        const phoneComplete = await chromiumEvent(phone, 'videoid-complete');

        const complete = await waitForEvent(driver, 'videoid-complete', STEP_MS * 2);
        const result = await waitForEvent(driver, 'videoid-result', STEP_MS * 2);
        assert.equal(complete.processId, phoneComplete.processId, "the phone's process");
        assert.equal(complete.dossierId, phoneComplete.dossierId, "the desktop's dossier");
        assert.equal(result.processId, phoneComplete.processId);
        assert.equal(result.status, 'accepted');
        await until(driver, 'state complete', () => document.querySelector('#capture').getAttribute('state') === 'complete');
        assert.equal(await js(driver, () => window.__streamsAsked()), 0, 'the desktop never asked for a camera');
        const statuses = await handoffStatuses(driver);
        assert.equal(statuses[0], 'waiting', statuses.join(','));
        assert.equal(statuses.at(-1), 'complete', statuses.join(','));
      });
    } finally {
      await chromium.close();
    }
  });

  test(`${engine.name}: handoff, the phone here with its camera, the desktop in Chromium: the phone captures, the link works once`, opts, async (t) => {
    const chromium = await launchBrowser();
    try {
      const { desktop, href } = await chromiumDesktop(chromium);
      await run(t, 'camera', async (driver) => {
        await openLink(driver, href);
        // The desktop asks whether the phone with this code is the user's; it is.
        const confirm = desktop.locator('#capture >> [part~="pair-confirm-button"]');
        await confirm.waitFor({ state: 'visible', timeout: STEP_MS });
        await confirm.click();
        for (const step of ['front', 'back', 'selfie']) {
          const outcome = await takeStep(driver, step);
          assert.ok(!outcome.failed && !outcome.filePicker, `${step}: ${JSON.stringify(outcome)}`);
        }
        const phoneComplete = await waitForEvent(driver, 'videoid-complete');
        await until(driver, 'the done notice', () => !document.querySelector('#handoff-done').hidden);
        assert.equal(await liveTracks(driver), 0, 'the phone camera is off');

        const result = await chromiumEvent(desktop, 'videoid-result');
        assert.equal(result.processId, phoneComplete.processId, "the desktop has the phone's process");
        assert.equal(result.status, 'accepted');
        assert.equal(await desktop.evaluate(() => window.__streamsAsked()), 0, 'the desktop never asked for a camera');

        // The link worked once: opening it again shows the used/expired page, no capture.
        await driver.get(href);
        await until(driver, 'the used-link page', () => !!document.querySelector('#handoff-used') && !document.querySelector('videoid-capture'));
      });
    } finally {
      await chromium.close();
    }
  });

  test(`${engine.name}: handoff, cancel on the desktop (Chromium) stops the phone here: element gone, camera off`, opts, async (t) => {
    const chromium = await launchBrowser();
    try {
      const { desktop, href } = await chromiumDesktop(chromium);
      await run(t, 'camera', async (driver) => {
        await openLink(driver, href);
        await desktop.locator('#capture >> [part~="pair-confirm-button"]').click({ timeout: STEP_MS });
        await until(driver, 'the live camera', () => !!document.querySelector('#capture')?.shadowRoot.querySelector('[part~="capture-button"]'));
        assert.ok((await liveTracks(driver)) >= 1, 'the phone camera is on');
        await chromiumUntil(desktop, () => (window.videoidEvents || []).some((e) => e.type === 'videoid-handoff' && e.detail.status === 'capturing'));

        await desktop.evaluate(() => document.querySelector('#capture').cancel());
        await until(driver, 'the ended notice', () => !document.querySelector('#handoff-ended').hidden);
        await until(driver, 'no live track on the phone', () => window.__liveTracks() === 0);
        assert.equal(await js(driver, () => document.querySelectorAll('videoid-capture').length), 0, "the phone's element is gone");
      });
    } finally {
      await chromium.close();
    }
  });
}
