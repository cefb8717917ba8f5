// The size budget: everything a page downloads from the package (the
// element, its styles, the wasm-bindgen glue, the wasm and the return helper)
// stays at or under 120 KB gzipped. Size is deterministic for a given build,
// so this is a test; speed is measured by `npm run bench`, never asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const BUDGET = 120 * 1024;

test('the package a page downloads is at most 120 KB gzipped', () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  const shipped = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).files;
  // testing.js (videoid-capture/testing) runs in the test runner (Node), never in the page.
  const code = readdirSync(pkg).filter((f) => /\.(js|wasm)$/.test(f) && f !== 'testing.js');
  assert.deepEqual(code.filter((f) => !shipped.includes(f)), [], 'every code file counted is one the package ships');
  assert.ok(code.includes('videoid_capture_bg.wasm') && code.includes('videoid-capture.js'));
  const total = code.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(pkg, f)), { level: 9 }).length, 0);
  assert.ok(total <= BUDGET, `${total} B gzipped is over the ${BUDGET} B budget`);
});
