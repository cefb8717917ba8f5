// `npm run bench`: figures, never assertions. Package size per mode; time to
// `videoid-ready` (cold and warm wasm) per mode, with where the time goes,
// beside the baseline build kept in bench/baseline/ (the one-wasm package
// before the per-mode split) measured in the same run; time from start() to
// the first camera frame in native mode (chunk load included); frame-quality
// analysis per 720p frame, Rust/WASM beside a plain JavaScript implementation
// measured in the same run; pixel read-back; camera release; memory across
// mount/unmount cycles; the MRZ reader's accuracy and speed beside Tesseract's
// on the same images. Everything runs on loopback in headless Chromium, but
// Tesseract and the reader's native figures, which run as processes.

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT, HOST_ORIGIN, startServer } from '../tests/e2e/server.mjs';

const PKG = path.join(REPO_ROOT, 'pkg');
// The package as it was before the per-mode split (see bench/baseline/README.md).
const BASELINE = path.join(REPO_ROOT, 'bench', 'baseline', 'pkg');
const PACKAGES = [['this build', '/pkg/', PKG], ['baseline (one wasm)', '/baseline-pkg/', BASELINE]];
const BENCH_DIR = path.join(REPO_ROOT, 'target', 'bench');
const LOADS = Number(process.env.BENCH_LOADS || 20);
const CYCLES = Number(process.env.BENCH_CYCLES || 400);
const WARMUP = Number(process.env.BENCH_WARMUP || 400);
const SAMPLE_EVERY = 25;
const JS_STOCK = 'stock V8';
const JS_INTERPRETER = '--no-opt --no-maglev --no-sparkplug';
// The size budgets, which `npm test` enforces (tests/package/size.test.mjs):
// the embed/auto page, and each other mode's page (base plus its chunk).
const BUDGET_GZ = 150 * 1024;
const EMBED_BUDGET_GZ = 120 * 1024;
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const under = (gz) => (gz <= BUDGET_GZ ? `target ${kb(BUDGET_GZ)} gz: ${kb(BUDGET_GZ - gz)} under` : `target ${kb(BUDGET_GZ)} gz: ${kb(gz - BUDGET_GZ)} over`);
const ms = (n) => `${n.toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const rows = [];
const row = (what, figure, note = '') => {
  rows.push([what, figure, note]);
  console.log(`  ${what}: ${figure}${note ? `  (${note})` : ''}`);
};

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function build() {
  console.log('building the package, the demo server and the bench wasm…');
  run('bash', ['scripts/build.sh']);
  run('cargo', ['build', '--quiet', '-p', 'videoid-www']);
  run('cargo', ['build', '--quiet', '--release', '--lib', '--target', 'wasm32-unknown-unknown',
    '--features', 'bench', '--target-dir', BENCH_DIR]);
  run('wasm-bindgen', ['--target', 'web', '--out-dir', path.join(BENCH_DIR, 'pkg'),
    path.join(BENCH_DIR, 'wasm32-unknown-unknown', 'release', 'videoid_capture.wasm')]);
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * The wasm chunks a package ships (`videoid_capture_<name>.wasm`), by name: not
 * the base, nor the document reader (`mrz`, a module of its own, measured apart).
 */
function chunksOf(dir) {
  return readdirSync(dir)
    .map((f) => /^videoid_capture_([a-z]+)\.wasm$/.exec(f)?.[1])
    .filter((name) => name && name !== 'bg' && name !== 'mrz');
}

/** What a page of each mode downloads, gzipped, in its largest language. */
function pageSizes(dir) {
  const base = ['videoid-capture.js', 'styles.js', 'videoid_capture.js', 'videoid_capture_bg.wasm']
    .reduce((sum, f) => sum + gz(path.join(dir, f)), 0);
  const langs = readdirSync(path.join(dir, 'i18n')).filter((f) => f.endsWith('.json') && f !== 'en.json');
  const largest = Math.max(...langs.map((f) => gz(path.join(dir, 'i18n', f))));
  const chunks = Object.fromEntries(chunksOf(dir).map((c) => [c, gz(path.join(dir, `videoid_capture_${c}.wasm`))]));
  return { base: base + largest, chunks, largest };
}

function sizes() {
  console.log('\npackage size per mode (what a page downloads, gzipped, in its largest language)');
  const now = pageSizes(PKG);
  const before = existsSync(BASELINE) ? pageSizes(BASELINE) : null;
  const was = before ? `baseline: every page ${kb(before.base)}` : 'no baseline';
  row('embed / auto page (base: element, styles, glue, base wasm, language)', kb(now.base),
    `${was}; hard limit ${kb(EMBED_BUDGET_GZ)}, goal 100 KB`);
  for (const [chunk, size] of Object.entries(now.chunks)) {
    const mode = chunk === 'handoff' ? 'handoff (phone) screen' : `${chunk} page`;
    row(`${mode} (base + ${chunk} chunk ${kb(size)})`, kb(now.base + size), `${was}; limit ${kb(BUDGET_GZ)}`);
  }
  const all = (dir) => readdirSync(dir).filter((f) => /\.(js|wasm)$/.test(f) && f !== 'testing.js')
    .reduce((sum, f) => sum + gz(path.join(dir, f)), 0);
  row('every script and wasm of the package', kb(all(PKG)), before ? `baseline ${kb(all(BASELINE))}` : '');
  row('the return page (return.js)', kb(gz(path.join(PKG, 'return.js'))));
}

/** Serves the bench pages, the package and the bench build on 127.0.0.1:18086. */
async function staticServer() {
  const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const roots = [
    ['/pkg/', PKG],
    ['/baseline-pkg/', BASELINE],
    ['/bench-pkg/', path.join(BENCH_DIR, 'pkg')],
    ['/mrz-images/', path.join(REPO_ROOT, 'target', 'mrz-bench')],
    ['/', path.join(REPO_ROOT, 'bench')],
  ];
  const server = createServer((req, res) => {
    const full = new URL(req.url, 'http://x');
    const url = full.pathname;
    // /ready?pkg=/pkg/&mode=native: a page with only the element, of that package and mode.
    if (url === '/ready') {
      const pkg = PACKAGES.find(([, prefix]) => prefix === full.searchParams.get('pkg'))?.[1] ?? '/pkg/';
      const mode = (full.searchParams.get('mode') ?? 'embed').replace(/[^a-z]/g, '');
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<!doctype html><meta charset="utf-8"><title>ready</title>
<script type="module" src="${pkg}videoid-capture.js"></script>
<videoid-capture mode="${mode}" session-endpoint="/api/videoid/session"></videoid-capture>`);
    }
    const [prefix, root] = roots.find(([p]) => url.startsWith(p));
    const file = path.join(root, url.slice(prefix.length));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(18086, '127.0.0.1', r));
  return server;
}
const BENCH_ORIGIN = 'http://127.0.0.1:18086';

/** Times what happens before `videoid-ready`: every wasm compile/instantiate call, and the event. */
function readyMarks() {
  window.__wasm = [];
  for (const name of ['instantiateStreaming', 'instantiate', 'compileStreaming', 'compile']) {
    const f = WebAssembly[name];
    if (typeof f !== 'function') continue;
    WebAssembly[name] = async function (...args) {
      const start = performance.now();
      const result = await f.apply(this, args);
      window.__wasm.push({ name, start, end: performance.now() });
      return result;
    };
  }
  addEventListener('videoid-ready', () => { window.__ready = performance.now(); }, true);
}

/** One load of `url`: navigation start → videoid-ready, and where the time went. */
async function readyOnce(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__ready, null, { timeout: 30_000 });
  return page.evaluate(() => {
    const entry = (suffix) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(suffix));
    const wasm = entry('videoid_capture_bg.wasm');
    const element = entry('videoid-capture.js');
    const base = window.__wasm.find((w) => w.name.startsWith('instantiate'));
    return {
      ready: window.__ready,
      element: element ? element.responseEnd : NaN,
      fetch: wasm ? wasm.responseEnd - wasm.startTime : NaN,
      wasmStart: wasm ? wasm.startTime : NaN,
      instantiate: base ? base.end - base.start : NaN,
      instantiated: base ? base.end : NaN,
      chunks: performance.getEntriesByType('resource').filter((e) => /videoid_capture_[a-z]+\.wasm$/.test(e.name) && !e.name.endsWith('_bg.wasm')).length,
    };
  });
}

async function timeToReady(browser) {
  console.log(`\ntime to videoid-ready on a page with only the element (navigation start → event, ${LOADS} loads each), this build beside the baseline`);
  const breakdown = {};
  for (const mode of ['embed', 'native']) {
    for (const [label, prefix, dir] of PACKAGES) {
      if (!existsSync(dir)) continue;
      const url = `${BENCH_ORIGIN}/ready?pkg=${prefix}&mode=${mode}`;
      const cold = [];
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext(); // empty HTTP and code caches
        await context.addInitScript(readyMarks);
        cold.push((await readyOnce(await context.newPage(), url)).ready);
        await context.close();
      }
      const context = await browser.newContext();
      await context.addInitScript(readyMarks);
      const page = await context.newPage();
      await readyOnce(page, url);
      await readyOnce(page, url); // V8 caches compiled wasm on the second load
      const warm = [];
      for (let i = 0; i < LOADS; i++) warm.push(await readyOnce(page, url));
      await context.close();
      const m = (key) => median(warm.map((w) => w[key]));
      breakdown[`${mode}, ${label}`] = m('ready');
      row(`${mode}, ${label}: cold (new context: no cache)`, `median ${ms(median(cold))}, p95 ${ms(p95(cold))}`);
      row(`${mode}, ${label}: warm (reload: cached wasm)`, `median ${ms(m('ready'))}, p95 ${ms(p95(warm.map((w) => w.ready)))}`,
        `element script by ${ms(m('element'))}; wasm fetch starts ${ms(m('wasmStart'))}, takes ${ms(m('fetch'))}; ` +
        `compile + instantiate ${ms(m('instantiate'))} (done at ${ms(m('instantiated'))}); ` +
        `instantiated → ready (handle, first render) ${ms(m('ready') - m('instantiated'))}; chunks fetched before ready: ${median(warm.map((w) => w.chunks))}`);
    }
  }
  // Baseline, same run: the same kind of page with one module script and no element.
  const context = await browser.newContext();
  await context.addInitScript(readyMarks);
  const page = await context.newPage();
  const empty = [];
  await page.goto(`${BENCH_ORIGIN}/empty.html`);
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`${BENCH_ORIGIN}/empty.html`);
    empty.push(await page.evaluate(() => window.__ready ?? performance.now()));
  }
  await context.close();
  const bare = median(empty);
  row('bare page: one module script, no element (warm)', `median ${ms(bare)}`);
  for (const mode of ['embed', 'native']) {
    const now = breakdown[`${mode}, this build`];
    const before = breakdown[`${mode}, baseline (one wasm)`];
    if (now === undefined || before === undefined) continue;
    row(`${mode}: what the element adds over the bare page, warm`, `${ms(now - bare)} (baseline ${ms(before - bare)})`,
      `${((now - bare) / (before - bare) * 100).toFixed(0)}% of the baseline's overhead`);
  }
}

/** start() → the first frame of the camera preview, native mode, on the demo server (chunk load included). */
async function firstFrame(browser) {
  console.log('\ntime from start() to the first camera frame, mode="native" (fake camera; cold: new context, so the chunk is fetched)');
  for (const [label, , dir] of PACKAGES) {
    if (!existsSync(dir)) continue;
    const server = await startServer('bench-frame', { pkgDir: dir });
    try {
      const measure = async (page) => {
        await page.goto(`${HOST_ORIGIN}/?mode=native&scenario=accepted`);
        await page.waitForFunction(() => window.videoidEvents?.some((e) => e.type === 'videoid-ready'));
        return page.evaluate(async () => {
          const el = document.querySelector('#capture');
          const t0 = performance.now();
          el.start().catch(() => {});
          for (;;) {
            const video = el.shadowRoot?.querySelector('[part~="preview"]');
            if (video && video.readyState >= 2 && video.videoWidth > 0) return performance.now() - t0;
            await new Promise((r) => setTimeout(r, 2));
          }
        });
      };
      const cold = [];
      const warm = [];
      for (let i = 0; i < Math.min(LOADS, 10); i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        cold.push(await measure(page));
        warm.push(await measure(page));
        await context.close();
      }
      row(`${label}: start() → first camera frame`, `cold median ${ms(median(cold))}, warm median ${ms(median(warm))}`);
    } finally {
      await server.stop();
    }
  }
}

async function quality(browser) {
  console.log('\nframe quality per 1280×720 frame (same frames, same run)');
  {
    const page = await browser.newPage();
    await page.goto(`${BENCH_ORIGIN}/quality.html`);
    const r = await (await page.waitForFunction(() => window.results, null, { timeout: 120_000 })).jsonValue();
    if (r.error) throw new Error(r.error);
    row('Rust/WASM, all checks', ms(r.wasmMs), 'target ≤ 3 ms');
    row('JavaScript baseline, same checks', ms(r.jsMs), `WASM is ${(r.jsMs / r.wasmMs).toFixed(1)}× faster`);
    row('live path: analyse the 320×180 plane, Rust/WASM', ms(r.wasmSmallMs), `JavaScript ${ms(r.jsSmallMs)}: WASM ${(r.jsSmallMs / r.wasmSmallMs).toFixed(1)}× faster`);
    row('read-back, 320-wide (the live path)', ms(r.readSmallMs), `live path per frame ≈ ${ms(r.readSmallMs + r.wasmSmallMs)}`);
    row('read-back, full 1280×720', ms(r.readFullMs));
    await page.close();
  }
}

// The MRZ reader: natively beside Tesseract on the same images (a Rust bench in
// src/core/ocrb_tests.rs, which renders bench/mrz/synthetic.txt and writes the
// images), then in Rust/WASM in Chromium on the mild set.
async function mrz(browser) {
  console.log('\nMRZ reading (bench/mrz/synthetic.txt rendered in OCR-B and harmed, read from the crop of the zone; then synthetic 1280×720 frames, located and read)');
  const out = ['core::ocrb::tests::bench_mrz_against_tesseract', 'core::document::tests::bench_frames'].map((name) => execFileSync(
    'cargo', ['test', '--quiet', '--profile', 'bench-native', '--lib', name, '--', '--ignored', '--exact', '--nocapture'],
    { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 },
  )).join('\n');
  for (const line of out.split('\n')) {
    if (line.startsWith('ROW\t')) {
      const [, what, figure, note] = line.split('\t');
      row(what, figure, note);
    } else if (line.startsWith('  ') || line.startsWith('MRZ')) {
      console.log(line);
    }
  }
  // The weight of document reading in wasm: the package's reader module (reader/), as shipped.
  const reader = path.join(PKG, 'videoid_capture_mrz.wasm');
  row('document reading in wasm (outline, straightening, MRZ)', `${kb(gz(reader))} gz`,
    `${kb(statSync(reader).size)} raw: videoid_capture_mrz.wasm, a module of its own with its allocator; budget ≤ 40 KB gz`);
  const page = await browser.newPage();
  await page.goto(`${BENCH_ORIGIN}/mrz.html`);
  const r = await (await page.waitForFunction(() => window.results, null, { timeout: 300_000 })).jsonValue();
  await page.close();
  if (r.error) throw new Error(r.error);
  row('MRZ mild, this reader (Rust/WASM in Chromium)', `${(100 * r.whole / r.zones).toFixed(1)}% whole (${r.whole}/${r.zones}), ${ms(r.msPerZone)} a zone`,
    'read call only, on the crop');
  row('MRZ in a 1280×720 frame, this reader (Rust/WASM in Chromium)', `${r.frameWhole}/${r.frames} read whole, ${ms(r.msPerFrame)} a frame`,
    'locate, straighten and read; target ≤ 30 ms');
}

function trackCounter() {
  // Streams with a live track only: a stream whose tracks all ended is let go,
  // so that the counter itself does not hold one stream per mount (which the
  // memory figure would count as the element's).
  let streams = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await original(c);
    streams.push(s);
    return s;
  };
  window.__liveTracks = () => {
    streams = streams.filter((s) => s.getTracks().some((t) => t.readyState === 'live'));
    return streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
  };
}

async function cameraRelease(browser) {
  console.log('\ncamera release (terminal state → zero live tracks)');
  const context = await browser.newContext();
  await context.addInitScript(trackCounter);
  const page = await context.newPage();
  const times = [];
  for (let i = 0; i < 10; i++) {
    await page.goto(`${HOST_ORIGIN}/?mode=native&scenario=accepted&auto=1`);
    await page.locator('#capture [part~="capture-button"]').waitFor();
    times.push(await page.evaluate(async () => {
      const t0 = performance.now();
      document.querySelector('#capture').cancel();
      while (window.__liveTracks() > 0) await new Promise((r) => setTimeout(r, 0));
      return performance.now() - t0;
    }));
  }
  await context.close();
  row('cancel → no live track', `median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
}

// What a heap snapshot holds, by kind, so that the growth a cycle leaves can be
// told apart: the browser's own record of each fetch (DevTools' network records,
// kept because the test driver watches the network, and the performance
// timeline's resource entries), compiled code (tier-up), Chromium's media
// objects (a plain getUserMedia loop, the baseline, leaves them too), and
// everything else: the page's and the element's objects, DOM, wasm.
const KINDS = [
  ['fetch records', (k) => /NetworkResourcesData|PerformanceResourceTiming|PerformanceLongAnimationFrameTiming|PerformanceScriptTiming|ScriptTimingInfo|LazySourceLocation|PerformanceEntry/.test(k)],
  ['compiled code', (k) => k.startsWith('code:') || /WasmNativeModule|SharedFunctionInfo|ProtectedFixedArray|WeakArrayList|WeakFixedArray/.test(k)],
  ['media objects', (k) => /MediaStream|MediaTrack|ImageCapture|UserMedia|PhotoSettings|MediaSettingsRange|PermissionObserver|PermissionService/.test(k)],
  ['everything else', () => true],
];

async function heapByKind(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const { snapshot: { meta }, nodes, strings } = JSON.parse(chunks.join(''));
  const width = meta.node_fields.length;
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => meta.node_fields.indexOf(f));
  const bytes = Object.fromEntries(KINDS.map(([kind]) => [kind, 0]));
  for (let i = 0; i < nodes.length; i += width) {
    const key = `${meta.node_types[0][nodes[i + type]]}:${strings[nodes[i + name]]}`;
    bytes[KINDS.find(([, is]) => is(key))[0]] += nodes[i + size];
  }
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return { usedSize, bytes };
}

// The JS heap after two full collections, as Chromium counts it.
async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

// The least-squares slope of `ys` over `xs`, and its standard error: the growth per
// cycle and how far the samples' scatter lets it be told from zero.
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const b = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
  const residuals = ys.reduce((a, y, i) => a + (y - (my + b * (xs[i] - mx))) ** 2, 0);
  return { perCycle: b, stdErr: Math.sqrt(residuals / (n - 2) / sxx) };
}

// Mounts and removes the element `WARMUP` times first: V8 compiles, tiers up and
// flushes code for the first few hundred cycles (its code space grows, then falls
// back), which is the engine settling, not what a cycle leaves. Then `CYCLES`
// cycles, with the JS heap sampled after a full collection every `SAMPLE_EVERY`;
// the growth per cycle is the samples' least-squares slope, and the noise is that
// slope's standard error (the heap steps by a few KB between samples as code is
// compiled and flushed). A heap snapshot at the start and the end of the measured
// cycles says by kind where any growth is.
async function cyclesOn(browser, label, cycle, wasmMemory) {
  const context = await browser.newContext();
  await context.addInitScript(trackCounter);
  const page = await context.newPage();
  await page.goto(`${HOST_ORIGIN}/`);
  const cdp = await context.newCDPSession(page);
  await page.evaluate(() => customElements.whenDefined('videoid-capture'));
  const wasm = () => (wasmMemory ? page.evaluate(wasmMemory) : 0);
  let leftLive = 0;
  for (let i = 0; i < WARMUP; i++) leftLive = Math.max(leftLive, await cycle(page));
  const first = { ...(await heapByKind(cdp)), wasm: await wasm() };
  const xs = [0];
  const ys = [await heapUsed(cdp)];
  for (let i = 1; i <= CYCLES; i++) {
    leftLive = Math.max(leftLive, await cycle(page));
    if (i % SAMPLE_EVERY === 0) {
      xs.push(i);
      ys.push(await heapUsed(cdp));
    }
  }
  const last = { ...(await heapByKind(cdp)), wasm: await wasm() };
  await context.close();
  const fit = slope(xs, ys);
  const per = (a, b) => `${((b - a) / CYCLES).toFixed(1)} B`;
  row(`${label}: growth per cycle, JS heap`, `${fit.perCycle.toFixed(1)} B ± ${fit.stdErr.toFixed(1)} B`,
    `slope of ${xs.length} samples over cycles ${WARMUP} to ${WARMUP + CYCLES} (± its standard error); ` +
    `${kb(Math.min(...ys))} to ${kb(Math.max(...ys))}; live tracks after removal: ${leftLive}`);
  if (wasmMemory) row(`${label}: growth per cycle, wasm memory`, per(first.wasm, last.wasm), `${kb(first.wasm)} -> ${kb(last.wasm)}`);
  row(`${label}: heap snapshot growth per cycle, by kind`,
    KINDS.map(([kind]) => `${kind} ${per(first.bytes[kind], last.bytes[kind])}`).join(', '));
}

async function memory(browser, engine) {
  console.log(`\nmemory across ${CYCLES} mount/unmount cycles (after ${WARMUP} to warm up) of a capturing element, beside a plain getUserMedia loop; ${engine}`);
  const tag = engine === JS_STOCK ? '' : ' (JS compilers off)';
  await cyclesOn(browser, `element${tag}`, (page) => page.evaluate(async () => {
    const el = document.createElement('videoid-capture');
    el.setAttribute('mode', 'native');
    el.setAttribute('session-endpoint', '/api/videoid/session?scenario=accepted');
    document.body.append(el);
    el.start().catch(() => {});
    const deadline = performance.now() + 10_000;
    while (!el.shadowRoot?.querySelector('[part~="capture-button"]') && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    el.remove();
    await new Promise((r) => setTimeout(r, 0));
    // The demo page logs every event (array and list); empty its log so that
    // only the component is measured.
    if (Array.isArray(window.videoidEvents)) window.videoidEvents.length = 0;
    document.querySelector('#events')?.replaceChildren();
    return window.__liveTracks();
  }), async () => Object.values(await (await import('/pkg/videoid_capture.js')).default()).find((e) => e instanceof WebAssembly.Memory).buffer.byteLength);
  // The baseline: the camera and microphone opened, shown and released by
  // plain JavaScript, no element and no fetch.
  await cyclesOn(browser, `plain getUserMedia${tag}`, (page) => page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: true });
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    document.body.append(video);
    await video.play().catch(() => {});
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
    video.remove();
    await new Promise((r) => setTimeout(r, 0));
    return window.__liveTracks();
  }));
}

async function main() {
  if (!process.argv.includes('--no-build')) build();
  if (!existsSync(path.join(PKG, 'videoid_capture_bg.wasm'))) throw new Error('pkg/ is missing');
  sizes();
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const want = (name) => !only || only.split(',').includes(name);
  const pages = await staticServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...ARGS, ...MEDIA] });
  let server = null;
  try {
    if (want('ready')) await timeToReady(browser);
    if (want('frame')) await firstFrame(browser);
    server = await startServer('bench');
    if (want('quality')) await quality(browser);
    if (want('mrz')) await mrz(browser);
    if (want('release')) await cameraRelease(browser);
    if (want('memory')) {
      await memory(browser, JS_STOCK);
      // Again with V8's optimizing compilers off: what stock V8 adds per cycle is
      // mostly the code it compiles, tiers up and later flushes (its code space
      // steps up and down by several KB over a few thousand cycles). With only
      // the interpreter, the code settles during the warm-up, and what is left
      // is what a cycle leaves behind in objects.
      const plain = await chromium.launch({
        executablePath: '/usr/bin/chromium', headless: true, args: [...ARGS, ...MEDIA, `--js-flags=${JS_INTERPRETER}`],
      });
      try {
        await memory(plain, `V8 flags ${JS_INTERPRETER}`);
      } finally {
        await plain.close();
      }
    }
  } finally {
    await browser.close();
    await server?.stop();
    pages.close();
  }
  console.log('\n| what | figure | note |\n|---|---|---|');
  for (const [what, figure, note] of rows) console.log(`| ${what} | ${figure} | ${note} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
