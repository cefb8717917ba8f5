// The deployed shape over https: Chromium reaches https://videoid.test through nginx
// (deploy/nginx/videoid.conf), two videoid-www instances behind it on one PostgreSQL, the
// simulator at https://assure.videoid.test. The embed and native flows complete; every
// cookie is Secure and HttpOnly, every answer of the site carries HSTS, the links handed
// out start with PUBLIC_URL, and requests land on both instances.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, waitForEvent, waitForState, part, STEP_TIMEOUT_MS } from '../e2e/helpers.mjs';
import { startTopology } from './topology.mjs';
import { captureStep, SIM_AUTH, watchSite } from './flows.mjs';

const opts = { timeout: 120_000 };
let topo;
let browser;

before(async () => {
  topo = await startTopology('https');
  browser = await launchBrowser([
    ...topo.browserArgs,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await topo?.stop();
});

/** A fresh context and page; the context is closed afterwards. */
async function withPage(fn) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  try {
    const page = await context.newPage();
    return await fn({ page, context, site: watchSite(context, topo.siteUrl) });
  } finally {
    await context.close().catch(() => {});
  }
}

test('embed: the flow completes over https, the capture page framed from https://assure.videoid.test', opts, async () => {
  await withPage(async ({ page, context, site }) => {
    const returns = [];
    context.on('request', (r) => {
      if (new URL(r.url()).pathname === '/videoid/return') returns.push(r.url());
    });
    const framed = [];
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) framed.push(f.url());
    });
    await page.goto(`${topo.siteUrl}/?scenario=accepted&auto=1&mode=embed`);
    assert.equal(await page.evaluate(() => window.isSecureContext), true, 'the page is a secure context');

    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    assert.equal(result.processId, complete.processId);
    await waitForState(page, 'complete');
    assert.ok(
      framed.some((u) => u.startsWith(`${topo.assureUrl}/capture/`)),
      `the capture page came from ${topo.assureUrl} in a frame; frames: ${framed}`,
    );

    // The capture page ended by sending the frame to the redirectUrl the backend handed out.
    assert.ok(returns.length >= 1, 'the frame went to the return page');
    for (const url of returns) assert.ok(url.startsWith(`${topo.siteUrl}/videoid/return`), url);
    // And that is what Assure (the simulator) was given.
    const record = (await topo.request(`${topo.simApi}/simulator/requests`, { headers: { authorization: SIM_AUTH } })).json();
    const capture = record.filter((r) => r.method === 'POST' && /\/capture$/.test(r.path) && r.dossierId === complete.dossierId);
    assert.equal(capture.length, 1, 'one Start capture flow for the dossier');
    assert.equal(capture[0].body.redirectUrl, `${topo.siteUrl}/videoid/return`);

    await site.check({ minResponses: 5 });
    const cookies = (await context.cookies()).filter((c) => c.domain === new URL(topo.siteUrl).hostname);
    assert.ok(cookies.length >= 1, 'the site set a cookie');
    for (const c of cookies) {
      assert.equal(c.secure, true, `${c.name} is Secure`);
      assert.equal(c.httpOnly, true, `${c.name} is HttpOnly`);
    }
  });
});

test('native: every step over https; uploads and result through both instances', opts, async () => {
  await withPage(async ({ page, site }) => {
    await page.goto(`${topo.siteUrl}/?mode=native&scenario=accepted&auto=1`);
    for (const step of ['front', 'back', 'selfie']) await captureStep(page, step);
    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');

    // The stills went through nginx to whichever instance, and are there for both.
    const q = `processId=${encodeURIComponent(complete.processId)}`;
    for (const depiction of ['front', 'back', 'selfie']) {
      const r = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, head: [...new Uint8Array(await res.arrayBuffer()).subarray(0, 3)] };
      }, `/api/videoid/images?${q}&depiction=${depiction}`);
      assert.equal(r.status, 200, depiction);
      assert.deepEqual(r.head, [0xff, 0xd8, 0xff], `${depiction} is a JPEG`);
    }
    const uploads = site.responses.filter((r) => r.path.startsWith('/api/videoid/upload/'));
    assert.ok(uploads.length >= 4, `three stills and completion: ${uploads.map((u) => u.path)}`);
    await site.check({ minResponses: 8, bothInstances: true });
  });
});

test('handoff over https: the desktop shows a PUBLIC_URL link, the phone captures through either instance, the desktop gets the result', opts, async () => {
  const desktopContext = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  try {
    const desktopSite = watchSite(desktopContext, topo.siteUrl);
    const phoneSite = watchSite(phoneContext, topo.siteUrl);
    const desktop = await desktopContext.newPage();
    const phone = await phoneContext.newPage();
    await desktop.goto(`${topo.siteUrl}/?mode=native&handoff=always&scenario=accepted&auto=1`);
    await part(desktop, 'handoff-qr').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const href = await part(desktop, 'handoff-link').getAttribute('href');
    assert.ok(href?.startsWith(`${topo.siteUrl}/videoid/handoff?t=`), `the link is on PUBLIC_URL: ${href}`);

    const opened = await phone.goto(href);
    assert.equal(opened.status(), 200);
    await phone.locator('videoid-capture').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    await part(desktop, 'pair-confirm-button').click({ timeout: STEP_TIMEOUT_MS });
    for (const step of ['front', 'back', 'selfie']) await captureStep(phone, step);
    const phoneComplete = await waitForEvent(phone, 'videoid-complete');

    const complete = await waitForEvent(desktop, 'videoid-complete', { timeout: STEP_TIMEOUT_MS * 2 });
    const result = await waitForEvent(desktop, 'videoid-result', { timeout: STEP_TIMEOUT_MS * 2 });
    assert.equal(complete.processId, phoneComplete.processId, 'the phone\'s process');
    assert.equal(result.status, 'accepted');
    await waitForState(desktop, 'complete');

    await desktopSite.check({ minResponses: 5 });
    await phoneSite.check({ minResponses: 5 });
    const phoneCookies = (await phoneContext.cookies()).filter((c) => c.name === 'videoid_handoff');
    assert.equal(phoneCookies.length, 1, 'the phone has its handoff cookie');
    assert.ok(phoneCookies[0].secure && phoneCookies[0].httpOnly, JSON.stringify(phoneCookies[0]));
    const instances = new Set([...desktopSite.responses, ...phoneSite.responses].map((r) => r.instance));
    assert.deepEqual([...instances].sort(), ['a', 'b'], 'desktop and phone were served by both instances');
  } finally {
    await desktopContext.close().catch(() => {});
    await phoneContext.close().catch(() => {});
  }
});

test('handoff: the link starts with PUBLIC_URL, and the phone\'s cookie is Secure and HttpOnly', opts, async () => {
  // A page view names no one; the first start does.
  const first = await topo.request(`${topo.siteUrl}/api/videoid/dossier`);
  assert.equal(first.status, 200);
  assert.deepEqual(first.setCookies, [], 'a read sets no cookie');
  const made = await topo.request(`${topo.siteUrl}/api/videoid/handoff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: { mode: 'native' },
  });
  assert.equal(made.status, 201, made.text());
  const cookie = made.setCookies.map((c) => c.split(';')[0]).join('; ');
  assert.match(cookie, /^videoid_user=/);
  const { url } = made.json();
  assert.ok(url.startsWith(`${topo.siteUrl}/videoid/handoff?t=`), url);

  const shown = await topo.request(url);
  assert.equal(shown.status, 200);
  const token = new URL(url).searchParams.get('t');
  const opened = await topo.request(`${topo.siteUrl}/videoid/handoff`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `t=${encodeURIComponent(token)}`,
  });
  assert.equal(opened.status, 200, opened.text().slice(0, 300));
  assert.ok(opened.setCookies.some((c) => c.startsWith('videoid_handoff=')), `${opened.setCookies}`);
  for (const response of [first, made, shown, opened]) {
    assert.match(response.headers['strict-transport-security'] ?? '', /max-age=\d+/);
    for (const c of response.setCookies) {
      assert.match(c, /;\s*Secure(;|$)/i, c);
      assert.match(c, /;\s*HttpOnly(;|$)/i, c);
    }
  }
  // Used once: the link is spent, whichever instance is asked.
  for (let i = 0; i < 2; i++) assert.equal((await topo.request(url)).status, 410);
});

test('nginx balances over both instances; plain http redirects to PUBLIC_URL', opts, async () => {
  const seen = [];
  for (let i = 0; i < 8; i++) {
    const r = await topo.request(`${topo.siteUrl}/healthz`);
    assert.equal(r.status, 200);
    assert.match(r.headers['strict-transport-security'] ?? '', /max-age=\d+/);
    seen.push(r.headers['x-videoid-instance']);
  }
  assert.deepEqual([...new Set(seen)].sort(), ['a', 'b'], `instances: ${seen}`);
  // The site's access log names the instance of every answer, and keeps no query string.
  const secret = `t-${Date.now()}`;
  await topo.request(`${topo.siteUrl}/videoid/handoff?t=${secret}`);
  const log = topo.accessLog();
  assert.match(log, /"GET \/healthz HTTP\/1\.1" 200 .* instance=a$/m);
  assert.match(log, /"GET \/healthz HTTP\/1\.1" 200 .* instance=b$/m);
  assert.match(log, /"GET \/videoid\/handoff HTTP\/1\.1" 410 /);
  assert.ok(!log.includes(secret), 'no handoff token in the access log');

  const plain = await topo.request(`${topo.httpUrl}/videoid/handoff?t=x`);
  assert.equal(plain.status, 301);
  assert.equal(plain.headers.location, `${topo.siteUrl}/videoid/handoff?t=x`);
  // /readyz through the proxy answers only loopback clients (this one is).
  const ready = await topo.request(`${topo.siteUrl}/readyz`);
  assert.equal(ready.status, 200, ready.text());
});

test('links and cookies follow PUBLIC_URL, never forwarded headers', opts, async () => {
  // Straight to an instance, claiming plain http and another host: the cookie is still
  // Secure (PUBLIC_URL is https) and the handoff link still starts with PUBLIC_URL.
  const forged = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=http' };
  const made = await topo.request(`${topo.instances.a.direct}/api/videoid/handoff`, {
    method: 'POST',
    headers: { ...forged, 'content-type': 'application/json' },
    body: { mode: 'native' },
  });
  assert.equal(made.status, 201, made.text());
  assert.ok(made.setCookies.length >= 1, 'a new end-user gets a cookie');
  for (const c of made.setCookies) assert.match(c, /;\s*Secure(;|$)/i, c);
  assert.ok(made.json().url.startsWith(`${topo.siteUrl}/videoid/handoff?t=`), made.json().url);
});
