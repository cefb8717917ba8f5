// Typed failures on the demo site and the ways out of them: the popup
// fallback when framing is refused, retry after a backend error, invalid
// configuration, localised messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, events, stateAttr, countEvents, part, tabTo,
  SIM_ORIGIN, HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('failures');
const opts = { timeout: TEST_TIMEOUT_MS };

test('framing refused: Capture.LoadTimeout, then the popup fallback completes the flow', opts, async (t) => {
  await run(t, async ({ page, context }) => {
    // `load=10` only bounds the wait should the element not learn the
    // refusal from the backend's `framing: "denied"`.
    await goto(page, '?scenario=accepted&auto=1&mode=auto&framing=deny&fallback=popup&load=10');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Capture.LoadTimeout');
    assert.equal(failed.recoverable, true);
    assert.equal(failed.detail?.reason, 'framing-denied', 'the backend said framing is denied');
    await waitForState(page, 'failed');

    const fallback = part(page, 'fallback-button');
    await fallback.waitFor({ state: 'visible' });

    // The popup's first navigation happens before Playwright knows the page:
    // its URL is read from the page itself, later ones from requests/navigations.
    const popupDocs = [];
    context.on('request', (r) => {
      let fromPopup = false;
      try {
        fromPopup = r.frame().page() !== page;
      } catch {
        // Requests without a frame (service workers) are not the popup's.
      }
      if (fromPopup && r.resourceType() === 'document') popupDocs.push(r.url());
    });
    const [popup] = await Promise.all([context.waitForEvent('page'), fallback.click()]);
    popupDocs.unshift(popup.url());
    popup.on('framenavigated', (f) => {
      if (f === popup.mainFrame()) popupDocs.push(f.url());
    });
    assert.equal(await popup.opener(), page, 'the popup was opened by the demo page');

    const complete = await waitForEvent(page, 'videoid-complete');
    assert.equal(complete.status, 'processing');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal(result.dossierId, complete.dossierId);
    await waitForState(page, 'complete');

    assert.ok(
      popupDocs.some((u) => u.startsWith(`${SIM_ORIGIN}/capture/`)),
      `the popup loaded the capture page on ${SIM_ORIGIN}; popup documents: ${popupDocs.join(', ')}`,
    );
    const back = popupDocs.map((u) => new URL(u)).find((u) => u.pathname === '/videoid/return');
    assert.ok(back, `the popup returned to /videoid/return; popup documents: ${popupDocs.join(', ')}`);
    assert.equal(back.origin, HOST_ORIGIN, 'the return page is on the host origin');
    assert.equal(back.searchParams.get('dossierId'), complete.dossierId);
    assert.equal(back.searchParams.get('processId'), complete.processId);
    assert.equal(await countEvents(page, 'videoid-complete'), 1);
  });
});

test('backend 500: Backend.Error with the status, and a keyboard-reachable retry', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=backend-error&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Backend.Error');
    assert.equal(failed.detail?.status, 500);
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');

    const retry = part(page, 'retry-button');
    await retry.waitFor({ state: 'visible' });
    assert.equal(await retry.isEnabled(), true);
    assert.ok(await tabTo(page, 'retry-button'), 'Tab reaches the retry button');

    // Retrying runs the flow again (and fails again: the scenario sticks).
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => window.videoidEvents.filter((e) => e.type === 'videoid-failed').length === 2,
      null,
      { timeout: STEP_TIMEOUT_MS, polling: 100 },
    );
    const states = (await events(page)).filter((e) => e.type === 'videoid-state').map((e) => e.detail.state);
    assert.equal(states.filter((s) => s === 'loading').length, 2, `retry loads again: ${states}`);
  });
});

test('unreachable endpoint: Network.Unreachable', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?endpoint=unreachable&auto=1');
    const failed = await waitForEvent(page, 'videoid-failed');
    assert.equal(failed.code, 'Network.Unreachable');
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');
  });
});

const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

for (const [attr, value] of [
  ['inactivity-timeout', 'abc'],
  ['result-wait', '0'],
  ['mode', 'bogus'],
  ['allowed-origins', 'not a url'],
]) {
  test(`invalid attribute ${attr}="${value}": Config.Invalid naming the field`, opts, async (t) => {
    await run(t, async ({ page }) => {
      const sessionCalls = [];
      page.on('request', (r) => {
        if (r.url().includes('e2e=fresh')) sessionCalls.push(r.url());
      });
      await goto(page, '');
      const out = await page.evaluate(
        async ([attr, value]) => {
          const mod = await import('/pkg/videoid-capture.js');
          await customElements.whenDefined('videoid-capture');
          const el = document.createElement('videoid-capture');
          el.id = 'fresh';
          el.setAttribute('session-endpoint', '/api/videoid/session?scenario=accepted&e2e=fresh');
          el.setAttribute(attr, value);
          const seen = [];
          for (const type of ['ready', 'state', 'failed', 'complete', 'cancel']) {
            el.addEventListener(`videoid-${type}`, (e) => seen.push({ type: e.type, detail: e.detail }));
          }
          const timeout = (ms) => new Promise((r) => setTimeout(() => r('timeout'), ms));
          const ready = new Promise((r) => el.addEventListener('videoid-ready', () => r('ready'), { once: true }));
          document.body.appendChild(el);
          const mounted = await Promise.race([ready, timeout(10_000)]);
          let settled;
          try {
            const value = await Promise.race([el.start(), timeout(10_000).then(() => 'start() did not settle')]);
            settled = { resolved: true, value: String(value) };
          } catch (e) {
            settled = {
              resolved: false,
              isError: e instanceof mod.VideoIdCaptureError,
              name: e?.name,
              code: e?.code,
              detail: e?.detail,
              recoverable: e?.recoverable,
            };
          }
          return { mounted, settled, seen: JSON.parse(JSON.stringify(seen)), state: el.getAttribute('state') };
        },
        [attr, value],
      );
      const ctx = JSON.stringify(out);
      assert.equal(out.settled.resolved, false, `start() rejects: ${ctx}`);
      assert.equal(out.settled.isError, true, `the rejection is a VideoIdCaptureError: ${ctx}`);
      assert.equal(out.settled.code, 'Config.Invalid', ctx);
      const failed = out.seen.find((e) => e.type === 'videoid-failed');
      assert.ok(failed, `videoid-failed was dispatched: ${ctx}`);
      assert.equal(failed.detail.code, 'Config.Invalid');
      assert.ok(
        [attr, camel(attr)].includes(failed.detail.detail?.field),
        `detail.field names ${attr}: ${JSON.stringify(failed.detail)}`,
      );
      assert.equal(out.state, 'failed');
      assert.deepEqual(sessionCalls, [], 'an invalid configuration never reaches the backend');
    });
  });
}

test('Norwegian: the failure message is localised', opts, async (t) => {
  await run(t, async ({ page }) => {
    const messageFor = async (lang) => {
      await goto(page, `?lang=${lang}&scenario=backend-error&auto=1`);
      await waitForEvent(page, 'videoid-failed', { match: 'Backend.Error' });
      await waitForState(page, 'failed');
      const message = part(page, 'message');
      await message.waitFor({ state: 'visible' });
      return {
        message: (await message.innerText()).trim(),
        title: (await part(page, 'title').innerText()).trim(),
      };
    };
    const en = await messageFor('en');
    const nb = await messageFor('nb');
    assert.ok(en.message.length > 0, 'an English message is shown');
    assert.ok(nb.message.length > 0, 'a Norwegian message is shown');
    assert.notEqual(nb.message, en.message, `nb message differs from en: ${JSON.stringify({ en, nb })}`);
    assert.notEqual(nb.title, en.title, `nb title differs from en: ${JSON.stringify({ en, nb })}`);
    assert.equal(await stateAttr(page), 'failed');
  });
});
