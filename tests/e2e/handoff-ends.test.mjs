// The phone handoff's ends the desktop meets without a phone, and a site's own
// handoff endpoint: this file's server gives sessions (and so handoff links) a
// few seconds of life.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, waitForEvent, waitForState, part, HOST_ORIGIN, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS } from './helpers.mjs';

// No camera on the desktop: the handoff is its way to capture.
const run = suite('handoff-ends', { env: { VIDEOID_SESSION_LIFETIME_S: '4' } });
const opts = { timeout: TEST_TIMEOUT_MS };

async function handoffScreen(page, query) {
  await page.goto(`${HOST_ORIGIN}/${query}`);
  await part(page, 'handoff-qr').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  const href = await part(page, 'handoff-link').getAttribute('href');
  assert.ok(href, 'the link has an href');
  return href;
}

test('a handoff link nobody opens expires: videoid-handoff "expired", then Session.Expired; the link is gone', opts, async (t) => {
  await run(t, async ({ page }) => {
    const href = await handoffScreen(page, '?mode=native&handoff=always&scenario=accepted&auto=1');
    const handoff = await waitForEvent(page, 'videoid-handoff', { match: null, timeout: STEP_TIMEOUT_MS });
    assert.ok(handoff, 'the desktop reports the handoff');
    const failed = await waitForEvent(page, 'videoid-failed', { timeout: STEP_TIMEOUT_MS });
    assert.equal(failed.code, 'Session.Expired', JSON.stringify(failed));
    assert.equal(failed.recoverable, true);
    await waitForState(page, 'failed');
    const statuses = await page.evaluate(() => (window.videoidEvents || [])
      .filter((e) => e.type === 'videoid-handoff').map((e) => e.detail.status));
    assert.equal(statuses.at(-1), 'expired', `the last handoff status: ${statuses.join(', ')}`);
    // The link itself is refused now.
    const opened = await page.context().request.get(href, { maxRedirects: 0 });
    assert.equal(opened.status(), 410);
    assert.equal(await part(page, 'handoff-qr').count(), 0, 'the QR code is gone');
  });
});

test('a custom handoff-endpoint: the element creates, polls and revokes the handoff there', opts, async (t) => {
  await run(t, async ({ page }) => {
    // The site's own path, proxied to the reference backend's handoff routes.
    const seen = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/site/phone')) seen.push(`${r.method()} ${url.pathname.replace(/[0-9a-f-]{36}/, '{id}')}`);
    });
    await page.route((url) => url.origin === HOST_ORIGIN && url.pathname.startsWith('/site/phone'), async (route) => {
      const url = new URL(route.request().url());
      url.pathname = url.pathname.replace('/site/phone', '/api/videoid/handoff');
      await route.continue({ url: url.toString() });
    });
    await page.goto(`${HOST_ORIGIN}/?mode=native&handoff=always&scenario=accepted`);
    await page.evaluate(async () => {
      await customElements.whenDefined('videoid-capture');
      const el = document.querySelector('#capture');
      el.setAttribute('handoff-endpoint', '/site/phone');
      el.start().catch(() => {});
    });
    await part(page, 'handoff-qr').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.waitForRequest((r) => /\/site\/phone\/[^/]+\/events/.test(r.url()), { timeout: STEP_TIMEOUT_MS });
    const revoked = page.waitForRequest((r) => r.method() === 'DELETE' && r.url().includes('/site/phone/'), {
      timeout: STEP_TIMEOUT_MS,
    });
    await page.evaluate(() => document.querySelector('#capture').cancel());
    await waitForState(page, 'cancelled');
    await revoked;
    const expected = ['POST /site/phone', 'GET /site/phone/{id}/events', 'DELETE /site/phone/{id}'];
    for (const call of expected) assert.ok(seen.includes(call), `${call} went to the custom endpoint: ${seen.join(', ')}`);
    assert.ok(seen.indexOf('POST /site/phone') < seen.indexOf('DELETE /site/phone/{id}'));
  });
});
