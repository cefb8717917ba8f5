// What bundlers.test.mjs and ssr.test.mjs share: the app document's requests
// for scripts, wasm and JSON, and the check that its bundler shipped them.

import assert from 'node:assert/strict';

/** The app document's requests for scripts, wasm and JSON on `origin`:
 * `{ url, path, type }` (not the frames': the backend's own return page loads
 * the package from /pkg/). */
export function watchAssets(page, origin) {
  const assets = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (r.frame() === page.mainFrame() && /\.(m?js|wasm|json)$/.test(pathname) && r.url().startsWith(origin)) {
      assets.push({ url: r.url(), path: pathname, type: r.resourceType() });
    }
  });
  return assets;
}

/** Every asset is under `base` (the app's output), with at least two scripts
 * (the entry and the package's dynamically imported glue), `expect.wasm` wasm
 * files and `expect.json` JSON files. */
export function assertShipped(base, assets, expect) {
  const outside = assets.filter((a) => !a.path.startsWith(base));
  assert.deepEqual(outside, [], `every script, wasm and JSON file is under ${base}`);
  const count = (re) => assets.filter((a) => re.test(a.path)).length;
  assert.ok(count(/\.m?js$/) >= 2, `the entry and its chunk: ${JSON.stringify(assets)}`);
  assert.ok(count(/\.wasm$/) >= expect.wasm, `${expect.wasm} wasm file(s) at least: ${JSON.stringify(assets)}`);
  assert.ok(count(/\.json$/) >= (expect.json ?? 0), `a language file: ${JSON.stringify(assets)}`);
}

/** No console error or warning in the page or its popups. */
export function assertNoErrors(diag) {
  const errors = diag.console.filter((m) => /error|warning/.test(m) && !/favicon/.test(m));
  assert.deepEqual(errors, [], 'no console errors or warnings');
}
