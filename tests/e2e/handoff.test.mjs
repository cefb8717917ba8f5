// Continue on a phone: a desktop without a camera shows a QR code, a phone with
// Chromium's fake camera opens its link and captures, and the desktop page gets the
// phone's result. Two browsers, because a fake camera is a browser-wide switch: the
// desktop has none, the phone has one. The QR code is read from a screenshot by an
// independent decoder (jsQR), not from the element's own data.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import {
  launchBrowser, waitForEvent, waitForState, part, tabTo, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS, HOST_ORIGIN,
  checkBackendContract, reportContractTotals,
} from './helpers.mjs';
import { startServer } from './server.mjs';

/** Keeps every stream getUserMedia hands out, so a test can count live tracks. */
function trackCounter() {
  const streams = [];
  const original = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
  Object.defineProperty(window, '__liveTracks', {
    value: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
  });
  Object.defineProperty(window, '__streamsAsked', { value: () => streams.length });
  if (!original) return;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
}

let server;
let desktopBrowser;
let phoneBrowser;
before(async () => {
  server = await startServer('handoff');
  desktopBrowser = await launchBrowser();
  phoneBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});
after(async (t) => {
  await desktopBrowser?.close().catch(() => {});
  await phoneBrowser?.close().catch(() => {});
  await server?.stop();
  reportContractTotals(t);
});

const opts = { timeout: TEST_TIMEOUT_MS * 2 };

/** A desktop page and a phone page, each in its own context; both closed afterwards. */
async function devices(t, fn) {
  const desktop = await desktopBrowser.newContext({ viewport: { width: 1100, height: 820 } });
  const phone = await phoneBrowser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  await desktop.addInitScript(trackCounter);
  await phone.addInitScript(trackCounter);
  // Both devices' calls to the backend, checked against its contract.
  const contractChecked = checkBackendContract(desktop, phone);
  try {
    await fn({ desktop: await desktop.newPage(), phone: await phone.newPage() });
    await contractChecked(t);
  } catch (err) {
    await contractChecked(t, err);
    throw err;
  } finally {
    await desktop.close().catch(() => {});
    await phone.close().catch(() => {});
  }
}

/** Waits until the desktop element announced the handoff `status`. */
async function waitForHandoff(page, status) {
  await page.waitForFunction(
    (status) => (window.videoidEvents || []).some((e) => e.type === 'videoid-handoff' && e.detail.status === status),
    status,
    { timeout: STEP_TIMEOUT_MS },
  );
}

/** Opens the demo with `query` and waits for the handoff screen; returns the link's href. */
async function handoffScreen(page, query) {
  await page.goto(`${HOST_ORIGIN}/${query}`);
  await part(page, 'handoff-qr').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(
    () => {
      const el = document.querySelector('#capture');
      return el.getAttribute('state') === 'capturing' && el.getAttribute('step') === 'handoff';
    },
    null,
    { timeout: STEP_TIMEOUT_MS },
  );
  const href = await part(page, 'handoff-link').getAttribute('href');
  assert.ok(href, 'the link has an href');
  return href;
}

/** The QR code on screen, decoded from a screenshot of it. */
async function decodeQr(page) {
  const png = PNG.sync.read(await part(page, 'handoff-qr').screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, `a QR code was found in the ${png.width}x${png.height} screenshot`);
  return code.data;
}

/**
 * Opens the link on the phone as a user does: the GET shows a page whose form POSTs the
 * token at once, and the answer to that POST is the page with the element.
 */
async function openLink(page, href) {
  const first = await page.goto(href);
  assert.equal(first.status(), 200);
  await page.locator('videoid-capture').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
  assert.equal(new URL(page.url()).search, '', 'the token is not in the address of the page with the element');
}

/**
 * The pairing: both screens show one code, the phone captures nothing meanwhile, and the
 * desktop confirms (or, with `mine` false, says "Not my phone"). Returns the code.
 */
async function pair(desktop, phone, { mine = true } = {}) {
  const confirm = part(desktop, 'pair-confirm-button');
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  const pairing = await desktop.evaluate(() =>
    (window.videoidEvents || []).findLast((e) => e.type === 'videoid-handoff')?.detail);
  assert.equal(pairing.status, 'pairing');
  assert.match(pairing.code, /^\d{4}$/);
  assert.match(await part(desktop, 'message').innerText(), new RegExp(pairing.code), 'the desktop shows the code');
  assert.equal((await phone.locator('#handoff-pair-code').innerText()).trim(), pairing.code, 'the phone shows the same code');
  assert.equal(await phone.locator('#handoff-capture').isVisible(), false, 'no capture on the phone before the confirmation');
  assert.equal(await phone.evaluate(() => window.__streamsAsked()), 0, 'no camera on the phone before the confirmation');
  await part(desktop, mine ? 'pair-confirm-button' : 'pair-reject-button').click();
  return pairing.code;
}

/** The handoff statuses the desktop element announced, in order. */
function handoffStatuses(page) {
  return page.evaluate(() =>
    (window.videoidEvents || []).filter((e) => e.type === 'videoid-handoff').map((e) => e.detail.status),
  );
}

async function captureStep(page, step) {
  await page.waitForFunction((step) => document.querySelector('#capture')?.getAttribute('step') === step, step, {
    timeout: STEP_TIMEOUT_MS,
  });
  const capture = part(page, 'capture-button');
  const confirm = part(page, 'confirm-button');
  await capture.or(confirm).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  // A document may capture itself after steady good frames; otherwise take it.
  if (!(await confirm.isVisible())) await capture.click();
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await confirm.click();
}

test('handoff: a desktop without a camera shows a QR code; the phone captures; the desktop gets the result', opts, async (t) => {
  await devices(t, async ({ desktop, phone }) => {
    const href = await handoffScreen(desktop, '?mode=native&handoff=always&scenario=accepted&auto=1');
    const url = new URL(href);
    assert.equal(url.origin, HOST_ORIGIN, 'the link is on the host site');
    assert.equal(url.pathname, '/videoid/handoff');
    const token = url.searchParams.get('t') ?? '';
    assert.ok(token.length >= 22, `the token carries at least 128 bits: ${token.length} characters`);
    assert.equal(await decodeQr(desktop), href, 'the QR code encodes the link');
    assert.equal(await desktop.evaluate(() => window.__streamsAsked()), 0, 'the desktop never asked for a camera');
    await waitForEvent(desktop, 'videoid-handoff');

    // The phone: its own page on the host site, its own session, the fake camera, once the
    // desktop confirmed the code it shows. A second phone gets the used-link page meanwhile.
    await openLink(phone, href);
    const second = await phone.context().browser().newContext();
    try {
      const late = await (await second.newPage()).goto(href);
      assert.equal(late.status(), 410, 'a second phone cannot open the link');
    } finally {
      await second.close();
    }
    await pair(desktop, phone);
    await waitForHandoff(desktop, 'paired');
    for (const step of ['front', 'back', 'selfie']) await captureStep(phone, step);
    const phoneComplete = await waitForEvent(phone, 'videoid-complete');
    await phone.locator('#handoff-done').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.equal(await phone.evaluate(() => window.__liveTracks()), 0, 'the phone camera is off');

    // The desktop learns it, as if it had captured itself.
    const complete = await waitForEvent(desktop, 'videoid-complete', { timeout: STEP_TIMEOUT_MS * 2 });
    const result = await waitForEvent(desktop, 'videoid-result', { timeout: STEP_TIMEOUT_MS * 2 });
    assert.equal(complete.processId, phoneComplete.processId, 'the phone\'s process');
    assert.equal(complete.dossierId, phoneComplete.dossierId, 'the desktop\'s dossier');
    assert.equal(result.processId, phoneComplete.processId);
    assert.equal(result.status, 'accepted');
    await waitForState(desktop, 'complete');
    assert.equal(await desktop.evaluate(() => window.__liveTracks()), 0, 'no live track on the desktop');
    const statuses = await handoffStatuses(desktop);
    assert.equal(statuses[0], 'waiting', statuses.join(','));
    assert.ok(statuses.includes('complete'), statuses.join(','));
    for (const [before, after] of [['pairing', 'paired'], ['paired', 'complete']]) {
      assert.ok(statuses.indexOf(before) >= 0 && statuses.indexOf(before) < statuses.indexOf(after), statuses.join(','));
    }

    // The link worked once: opening it again shows the used/expired page and no capture.
    const again = await phone.goto(href);
    assert.equal(again.status(), 410);
    await phone.locator('#handoff-used').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.equal(await phone.locator('videoid-capture').count(), 0, 'no element on the used page');
  });
});

test('handoff: cancel on the desktop stops the phone and revokes the link', opts, async (t) => {
  await devices(t, async ({ desktop, phone }) => {
    const href = await handoffScreen(desktop, '?mode=native&handoff=always&scenario=accepted&auto=1');
    await openLink(phone, href);
    await pair(desktop, phone);
    await part(phone, 'capture-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.ok((await phone.evaluate(() => window.__liveTracks())) >= 1, 'the phone camera is on');
    await waitForEvent(desktop, 'videoid-handoff', { timeout: STEP_TIMEOUT_MS });
    await desktop.waitForFunction(
      () => (window.videoidEvents || []).some((e) => e.type === 'videoid-handoff' && e.detail.status === 'capturing'),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );

    await desktop.evaluate(() => document.querySelector('#capture').cancel());
    await waitForState(desktop, 'cancelled');
    await phone.locator('#handoff-ended').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await phone.waitForFunction(() => window.__liveTracks() === 0, null, { timeout: STEP_TIMEOUT_MS });
    assert.equal(await phone.locator('videoid-capture').count(), 0, 'the phone\'s element is gone');

    // The phone's session is revoked at the backend too, not only on the page.
    const session = await phone.context().request.post(`${HOST_ORIGIN}/api/videoid/session`, {
      data: { mode: 'native' },
    });
    assert.equal(session.status(), 410, 'the phone cookie no longer starts sessions');
    const reopened = await phone.goto(href);
    assert.equal(reopened.status(), 410);
  });
});

test('handoff: the demo offers the phone as a second way on the start screen (handoff=auto)', opts, async (t) => {
  await devices(t, async ({ desktop }) => {
    await desktop.goto(`${HOST_ORIGIN}/?mode=native&scenario=accepted`);
    const button = part(desktop, 'handoff-button');
    await button.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await button.click();
    await part(desktop, 'handoff-qr').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const href = await part(desktop, 'handoff-link').getAttribute('href');
    assert.equal(await decodeQr(desktop), href);
    assert.equal(await desktop.evaluate(() => window.__streamsAsked()), 0, 'no camera was asked for');
  });
});

/** Records what the page puts on the clipboard; `window.__refuseClipboard` makes it refuse. */
function clipboardRecorder() {
  window.__copied = [];
  if (!navigator.clipboard) return;
  navigator.clipboard.writeText = async (text) => {
    if (window.__refuseClipboard) throw new DOMException('refused', 'NotAllowedError');
    window.__copied.push(text);
  };
}

test('handoff: copy puts the link on the clipboard and says so; where the clipboard refuses, the link takes focus', opts, async (t) => {
  await devices(t, async ({ desktop }) => {
    await desktop.addInitScript(clipboardRecorder);
    const href = await handoffScreen(desktop, '?handoff=always&auto=1&scenario=accepted');
    assert.equal(await part(desktop, 'handoff-copied').innerText(), '', 'nothing said before a copy');
    await part(desktop, 'handoff-copy').click();
    await part(desktop, 'handoff-copied').filter({ hasText: 'Copied' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.deepEqual(await desktop.evaluate(() => window.__copied), [href], 'the link, once');
    // A click on the link copies it too, and does not navigate (it would use the link up here).
    await part(desktop, 'handoff-link').click();
    await desktop.waitForFunction(() => window.__copied.length === 2, null, { timeout: STEP_TIMEOUT_MS });
    assert.deepEqual(await desktop.evaluate(() => window.__copied), [href, href]);
    assert.equal(desktop.url().includes('/videoid/handoff'), false, 'the page did not follow the link');

    // The clipboard refuses: the link takes focus, to be copied by hand.
    await desktop.evaluate(() => {
      window.__refuseClipboard = true;
      document.activeElement?.blur?.();
    });
    await part(desktop, 'handoff-copy').click();
    await desktop.waitForFunction(
      () => document.querySelector('#capture').shadowRoot?.activeElement?.getAttribute('part') === 'handoff-link',
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.equal((await desktop.evaluate(() => window.__copied)).length, 2, 'nothing more was copied');
  });
});

test('handoff: "Not my phone" ends the other phone\'s session before it captured anything', opts, async (t) => {
  await devices(t, async ({ desktop, phone }) => {
    const href = await handoffScreen(desktop, '?mode=native&handoff=always&scenario=accepted&auto=1');
    await openLink(phone, href);
    await pair(desktop, phone, { mine: false });
    await waitForState(desktop, 'cancelled');
    await waitForHandoff(desktop, 'cancelled');
    await phone.locator('#handoff-ended').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.equal(await phone.locator('videoid-capture').count(), 0, 'the phone\'s element is gone');
    assert.equal(await phone.evaluate(() => window.__streamsAsked()), 0, 'the phone never turned its camera on');
    const session = await phone.context().request.post(`${HOST_ORIGIN}/api/videoid/session`, {
      data: { mode: 'native' },
    });
    assert.equal(session.status(), 410, 'the phone cookie starts no session');
  });
});

test('handoff: someone who opens a link another person sent them waits for a computer they do not have, and nothing is captured', opts, async (t) => {
  await devices(t, async ({ desktop, phone }) => {
    // The desktop is the sender's: its user never confirms.
    const href = await handoffScreen(desktop, '?mode=native&handoff=always&scenario=accepted&auto=1');
    const polls = [];
    phone.on('request', (r) => { if (r.url().endsWith('/api/videoid/handoff/phone')) polls.push(r.url()); });
    await openLink(phone, href);
    await phone.locator('#handoff-pairing').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.match(await phone.locator('#handoff-pairing').innerText(), /Confirm on your computer/);
    // Several status polls later, still nothing started.
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (polls.length < 3 && Date.now() < deadline) await phone.waitForEvent('requestfinished', { timeout: STEP_TIMEOUT_MS });
    assert.ok(polls.length >= 3, `the page kept asking (${polls.length} polls)`);
    assert.equal(await phone.locator('#handoff-capture').isVisible(), false);
    assert.equal(await phone.evaluate(() => window.__streamsAsked()), 0, 'no camera');
    const session = await phone.context().request.post(`${HOST_ORIGIN}/api/videoid/session`, {
      data: { mode: 'native' },
    });
    assert.equal(session.status(), 409, 'no session before the confirmation');
    const started = await phone.evaluate(() =>
      (window.videoidEvents || []).filter((e) => e.type === 'videoid-state').map((e) => e.detail.state));
    assert.deepEqual(started, [], 'the phone\'s element never left idle');
  });
});

test('handoff: the pairing question is announced in the status region, takes focus to its title, and is answered from the keyboard', opts, async (t) => {
  await devices(t, async ({ desktop, phone }) => {
    const href = await handoffScreen(desktop, '?mode=native&handoff=always&scenario=accepted&auto=1');
    // Keyboard focus inside the element (on its copy button) before the question comes.
    assert.ok(await tabTo(desktop, 'handoff-copy'), 'Tab reaches the copy button');
    await openLink(phone, href);
    await part(desktop, 'pair-confirm-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const code = (await phone.locator('#handoff-pair-code').innerText()).trim();
    await desktop.waitForFunction(
      (code) => document.querySelector('#capture').shadowRoot.querySelector('[part~="status"]').textContent.includes(code),
      code,
      { timeout: STEP_TIMEOUT_MS, polling: 100 },
    );
    const focused = await desktop.evaluate(() => {
      const el = document.querySelector('#capture');
      return document.activeElement === el ? el.shadowRoot.activeElement?.getAttribute('part') ?? null : null;
    });
    assert.equal(focused, 'title', 'focus moves to the question\'s title');
    assert.ok(await tabTo(desktop, 'pair-confirm-button'), 'Tab reaches "Yes, it is my phone"');
    await desktop.keyboard.press('Enter');
    await waitForHandoff(desktop, 'paired');
    await phone.locator('#handoff-capture').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  });
});
