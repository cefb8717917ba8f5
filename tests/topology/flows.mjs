// What the topology tests share beside the topology itself: driving the element's native
// steps, the simulator's control credentials, and a watch on every answer of the site.

import assert from 'node:assert/strict';
import { part, STEP_TIMEOUT_MS } from '../e2e/helpers.mjs';

/** HTTP Basic with the simulator's default client credentials (its control API). */
export const SIM_AUTH = `Basic ${Buffer.from('videoid-sim-client:videoid-sim-secret').toString('base64')}`;

/** Waits for the element's `step`, captures it (unless it captured itself) and confirms. */
export async function captureStep(page, step) {
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

/**
 * Keeps every answer from `siteUrl`'s origin the browser gets in `context`: its path,
 * status, instance, HSTS and Set-Cookie lines. `check()` asserts the deployment's rules on
 * all of them.
 */
export function watchSite(context, siteUrl) {
  const origin = new URL(siteUrl).origin;
  const responses = [];
  const pending = [];
  context.on('response', (response) => {
    const url = new URL(response.url());
    // blob: URLs carry the page's origin but never reached a server.
    if (url.protocol !== 'https:' || url.origin !== origin) return;
    pending.push((async () => {
      const headers = await response.headersArray().catch(() => []);
      const all = (name) => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
      responses.push({
        path: url.pathname,
        status: response.status(),
        instance: all('x-videoid-instance')[0],
        hsts: all('strict-transport-security')[0],
        setCookies: all('set-cookie').flatMap((v) => v.split('\n')),
      });
    })());
  });
  return {
    responses,
    async check({ minResponses = 1, bothInstances = false } = {}) {
      await Promise.all(pending);
      assert.ok(responses.length >= minResponses, `at least ${minResponses} answers from ${origin}: ${responses.length}`);
      for (const r of responses) {
        assert.match(r.hsts ?? '', /^max-age=\d{7,}/, `${r.path} (${r.status}) carries Strict-Transport-Security`);
        assert.match(r.instance ?? '', /^[ab]$/, `${r.path} (${r.status}) names its instance`);
        for (const c of r.setCookies) {
          assert.match(c, /;\s*Secure(;|$)/i, `${r.path}: ${c}`);
          assert.match(c, /;\s*HttpOnly(;|$)/i, `${r.path}: ${c}`);
        }
      }
      assert.ok(responses.some((r) => r.setCookies.length > 0), 'the site set a cookie in the flow');
      if (bothInstances) {
        const seen = [...new Set(responses.map((r) => r.instance))].sort();
        assert.deepEqual(seen, ['a', 'b'], 'the flow\'s requests landed on both instances');
      }
    },
  };
}
