// The size budget: what a page downloads from the package stays at or under
// 150 KB gzipped. A page with the element downloads videoid-capture.js and
// everything it loads (its styles, the wasm-bindgen glue, the wasm), plus the
// one language file a page in a language other than English fetches (the
// largest is counted). The return page behind `redirectUrl` downloads only
// the return helper and what it loads. The files of each page are found by
// following the package's own references from its entry, and every script or
// wasm the package ships for a page must be reached from one of them, so
// nothing a page loads goes uncounted. Size is deterministic for a given
// build, so this is a test; speed is measured by `npm run bench`, never
// asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const BUDGET = 150 * 1024;
const gz = (file) => gzipSync(readFileSync(path.join(pkg, file)), { level: 9 }).length;

// `entry` and every .js or .wasm file of the package it names (static and
// dynamic imports, `new URL(…, import.meta.url)`), transitively.
function page(entry) {
  const files = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(path.join(pkg, file), 'utf8');
    for (const [, name] of text.matchAll(/["'](?:\.\/)?([\w-]+\.(?:js|wasm))["']/g)) {
      if (existsSync(path.join(pkg, name))) visit(name);
    }
  };
  visit(entry);
  return [...files].sort();
}

test('a page with the element downloads at most 150 KB gzipped, in any one language; the return page far less', () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  const element = page('videoid-capture.js');
  const returnPage = page('return.js');
  assert.deepEqual(element, ['styles.js', 'videoid-capture.js', 'videoid_capture.js', 'videoid_capture_bg.wasm']);
  assert.deepEqual(returnPage, ['return.js']);
  // testing.js (videoid-capture/testing) runs in the test runner (Node), never in a page.
  const shipped = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).files;
  const code = readdirSync(pkg).filter((f) => /\.(js|wasm)$/.test(f) && f !== 'testing.js');
  assert.deepEqual(code.filter((f) => !shipped.includes(f)), [], 'every script counted is one the package ships');
  assert.deepEqual(code.filter((f) => !element.includes(f) && !returnPage.includes(f)), [],
    'every script the package ships for a page is counted on a page');

  // English is compiled in; every other language is one file, fetched when shown.
  const languages = readdirSync(path.join(pkg, 'i18n'))
    .filter((f) => f.endsWith('.json') && f !== 'en.json')
    .map((f) => ({ lang: f.slice(0, -5), bytes: gz(`i18n/${f}`) }))
    .sort((a, b) => a.bytes - b.bytes);
  assert.equal(languages.length, 12, 'twelve language files besides English');
  const largest = languages.at(-1);
  const elementGz = element.reduce((sum, f) => sum + gz(f), 0);
  const returnGz = returnPage.reduce((sum, f) => sum + gz(f), 0);
  console.log(`# element page: ${element.map((f) => `${f} ${gz(f)}`).join(', ')} B gz; ` +
    `language files ${languages.map((l) => `${l.lang} ${l.bytes}`).join(', ')} B gz; return page ${returnGz} B gz`);
  const total = elementGz + largest.bytes;
  assert.ok(total <= BUDGET, `${elementGz} B + ${largest.bytes} B (${largest.lang}) = ${total} B gzipped is over the ${BUDGET} B budget`);
  assert.ok(returnGz <= 4 * 1024, `the return page's ${returnGz} B gzipped is over 4 KB`);
});
