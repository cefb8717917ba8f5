// The size budget, per mode: what a page downloads from the package. A page
// with the element downloads videoid-capture.js and everything it loads at
// start (its styles, the wasm-bindgen glue, the base wasm), plus the one
// language file a page in a language other than English fetches (the largest
// is counted); a mode whose run is a lazily loaded wasm chunk
// (scripts/chunks.json) downloads that chunk too, and an embed or auto page
// none. The return page behind `redirectUrl` downloads only the return
// helper and what it loads. The files of each page are found by following
// the package's own references from its entry, and every script or wasm the
// package ships for a page must be reached from one of them, so nothing a
// page loads goes uncounted. Size is deterministic for a given build, so this
// is a test; speed is measured by `npm run bench`, never asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = process.env.VIDEOID_PKG_DIR || fileURLToPath(new URL('../../pkg/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../../scripts/chunks.json', import.meta.url), 'utf8'));
const KB = 1024;
// The budgets, per mode: the embed/auto page at most 120 KB (goal 100 KB),
// each other mode's page (base + its chunk) at most 150 KB, and all scripts
// and wasm together at most 5% more than the one-wasm package they replace.
const RUNS = ['handoff', 'native', 'sdk'];
assert.ok(RUNS.every((name) => name in manifest.chunks), 'every run beyond the hosted one is a chunk');
const EMBED_LIMIT = 120 * KB;
const EMBED_GOAL = 100 * KB;
// The page of a mode whose run is a chunk: the embed page plus that chunk.
const MODE_LIMIT = 150 * KB;
// Every script and wasm a page may load, summed. Measured on main's build of
// b05badf (one wasm, before any chunk): return.js 844, styles.js 1609,
// videoid-capture.js 2711, videoid_capture.js 5412, videoid_capture_bg.wasm
// 141439 B gzipped.
const SUM_BEFORE_CHUNKS = 152015;
// Wasm modules of their own, loaded later by one mode, each with its own
// budget: the document reader (reader/), which the native run loads when a
// document step begins, at most 40 KB. They are not in the sum above: the
// one-wasm package it is measured against had no document reader.
const MODULES = { 'videoid_capture_mrz.wasm': 40 * KB };
const SUM_LIMIT = Math.floor(SUM_BEFORE_CHUNKS * 1.05);
const RETURN_LIMIT = 4 * KB;

const gz = (file) => gzipSync(readFileSync(path.join(pkg, file)), { level: 9 }).length;
const sum = (files) => files.reduce((total, f) => total + gz(f), 0);
const chunkFile = (name) => `videoid_capture_${name}.wasm`;

// `entry` and every .js or .wasm file of the package it names (static and
// dynamic imports, `new URL(…, import.meta.url)`), transitively; `missing`
// collects names it refers to that the package does not have.
function page(entry, missing = []) {
  const files = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    files.add(file);
    if (!file.endsWith('.js')) return;
    const text = readFileSync(path.join(pkg, file), 'utf8');
    for (const [, name] of text.matchAll(/["'](?:\.\/)?([\w-]+\.(?:js|wasm))["']/g)) {
      if (existsSync(path.join(pkg, name))) visit(name);
      else missing.push(name);
    }
  };
  visit(entry);
  return [...files].sort();
}

test('each mode\'s page stays within its budget, in any one language; the return page far less', () => {
  assert.ok(existsSync(path.join(pkg, 'videoid_capture_bg.wasm')), `${pkg} has no wasm: run npm run build first`);
  const missing = [];
  const reached = page('videoid-capture.js', missing);
  const returnPage = page('return.js');
  assert.deepEqual(missing.filter((f) => f.startsWith('videoid_capture')), [],
    'the element refers to no wasm or glue the package lacks');
  const chunks = Object.keys(manifest.chunks).sort();
  const chunkFiles = chunks.map(chunkFile);
  const moduleFiles = Object.keys(MODULES);
  // The chunks and modules are reached from the element (its loader's URLs), never loaded at start.
  const base = reached.filter((f) => !chunkFiles.includes(f) && !moduleFiles.includes(f));
  assert.deepEqual(base, ['styles.js', 'videoid-capture.js', 'videoid_capture.js', 'videoid_capture_bg.wasm']);
  assert.deepEqual(reached.filter((f) => chunkFiles.includes(f)), chunkFiles,
    'the element refers to every chunk of scripts/chunks.json');
  assert.deepEqual(reached.filter((f) => moduleFiles.includes(f)), moduleFiles,
    'the element refers to every module');
  assert.deepEqual(returnPage, ['return.js']);
  // testing.js (videoid-capture/testing) runs in the test runner (Node), never in a page.
  const shipped = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).files;
  const code = readdirSync(pkg).filter((f) => /\.(js|wasm)$/.test(f) && f !== 'testing.js');
  assert.deepEqual(code.filter((f) => !shipped.includes(f)), [], 'every script counted is one the package ships');
  assert.deepEqual(code.filter((f) => !reached.includes(f) && !returnPage.includes(f)), [],
    'every script the package ships for a page is counted on a page');

  // English is compiled in; every other language is one file, fetched when shown.
  const languages = readdirSync(path.join(pkg, 'i18n'))
    .filter((f) => f.endsWith('.json') && f !== 'en.json')
    .map((f) => ({ lang: f.slice(0, -5), bytes: gz(`i18n/${f}`) }))
    .sort((a, b) => a.bytes - b.bytes);
  assert.equal(languages.length, 12, 'twelve language files besides English');
  const largest = languages.at(-1);
  const embed = sum(base) + largest.bytes;
  const returnGz = sum(returnPage);
  const all = sum(code.filter((f) => !moduleFiles.includes(f)));
  console.log(`# embed/auto page: ${base.map((f) => `${f} ${gz(f)}`).join(', ')} + ${largest.lang} ${largest.bytes} = ${embed} B gz ` +
    `(limit ${EMBED_LIMIT}, goal ${EMBED_GOAL}); ` +
    `${chunks.map((c) => `${c} page +${gz(chunkFile(c))} = ${embed + gz(chunkFile(c))} B gz`).join(', ') || 'no chunks'}; ` +
    `all scripts and wasm ${all} B gz (limit ${SUM_LIMIT}: the one-wasm ${SUM_BEFORE_CHUNKS} B × 1.05); return page ${returnGz} B gz; ` +
    `${moduleFiles.map((f) => `${f} ${gz(f)} B gz (limit ${MODULES[f]})`).join(', ')}`);
  assert.ok(embed <= EMBED_LIMIT, `the embed/auto page's ${embed} B gzipped is over its ${EMBED_LIMIT} B limit`);
  for (const chunk of chunks) {
    const total = embed + gz(chunkFile(chunk));
    assert.ok(total <= MODE_LIMIT, `the ${chunk} page's ${total} B gzipped (base + chunk + ${largest.lang}) is over ${MODE_LIMIT} B`);
  }
  assert.ok(all <= SUM_LIMIT, `all scripts and wasm, ${all} B gzipped, are over ${SUM_LIMIT} B (the one-wasm ${SUM_BEFORE_CHUNKS} B × 1.05)`);
  assert.ok(returnGz <= RETURN_LIMIT, `the return page's ${returnGz} B gzipped is over 4 KB`);
  for (const file of moduleFiles) {
    assert.ok(gz(file) <= MODULES[file], `${file}, ${gz(file)} B gzipped, is over its ${MODULES[file]} B`);
  }
});

test('the document reader is a module of its own: no imports, its own memory, the exports its adapter calls', () => {
  const reader = new WebAssembly.Module(readFileSync(path.join(pkg, 'videoid_capture_mrz.wasm')));
  assert.deepEqual(WebAssembly.Module.imports(reader), [], 'it imports nothing (so it can share nothing with the base)');
  const exports = WebAssembly.Module.exports(reader).map((e) => `${e.name}:${e.kind}`);
  for (const name of ['memory:memory', 'frame:function', 'survey:function', 'fields:function', 'fields_len:function', 'outline:function']) {
    assert.ok(exports.includes(name), `it exports ${name}`);
  }
});
