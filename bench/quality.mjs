// Runs in the browser: the frame-quality checks in Rust/WASM beside the same
// checks written plainly in JavaScript, on the same 1280×720 frames, plus the
// cost of reading the preview's pixels back. Results land in window.results.
import init, { QualityBench } from '/bench-pkg/videoid_capture.js';

const W = 1280, H = 720, ROUNDS = 200;

/** A dark ID card with text lines on a grey desk, like the y4m fixture. */
function frame(shift) {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const g = canvas.getContext('2d');
  g.fillStyle = 'rgb(110,110,110)';
  g.fillRect(0, 0, W, H);
  g.fillStyle = 'rgb(40,40,40)';
  g.fillRect(W / 10 + shift, H * 0.15, W * 0.8, H * 0.7);
  g.fillStyle = 'rgb(220,220,220)';
  for (let i = 0; i < 6; i++) {
    for (let x = W / 10 + W * 0.08; x < W * 0.7; x += 16) g.fillRect(x + shift, H * (0.25 + i * 0.09), 8, 8);
  }
  return canvas;
}

/** The same metrics as core::quality, written the obvious way in JavaScript. */
function analyzeJs(rgba, width, height, previous) {
  const f = Math.ceil(width / 320), w = Math.floor(width / f), h = Math.floor(height / f);
  const luma = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) {
      const i = ((y * f + dy) * width + x * f + dx) * 4;
      sum += (77 * rgba[i] + 150 * rgba[i + 1] + 29 * rgba[i + 2]) >> 8;
    }
    luma[y * w + x] = Math.floor(sum / (f * f));
  }
  let total = 0;
  for (const v of luma) total += v;
  const gx0 = Math.floor(w / 10), gx1 = w - gx0, gy0 = Math.floor(h * 12 / 100), gy1 = h - gy0;
  let n = 0, s = 0, s2 = 0, sat = 0, diff = 0;
  for (let y = Math.max(gy0, 1); y < Math.min(gy1, h - 1); y++) for (let x = Math.max(gx0, 1); x < Math.min(gx1, w - 1); x++) {
    const i = y * w + x;
    const lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
    s += lap; s2 += lap * lap; n++;
    if (luma[i] >= 250) sat++;
    if (previous) diff += Math.abs(luma[i] - previous[i]);
  }
  const cols = new Uint32Array(w), rows = new Uint32Array(h);
  for (let y = 0; y < h - 2; y++) for (let x = 0; x < w - 2; x++) {
    const i = y * w + x, gx = Math.abs(luma[i + 2] - luma[i]), gy = Math.abs(luma[i + 2 * w] - luma[i]);
    if (gx > 16) cols[x] += gx;
    if (gy > 16) rows[y] += gy;
  }
  const span = (p) => {
    const max = Math.max(...p), lim = Math.floor(max / 3);
    const a = p.findIndex((v) => v >= lim), b = p.findLastIndex((v) => v >= lim);
    return max > 0 && b > a ? b - a : 0;
  };
  const mean = s / n;
  return {
    luma,
    brightness: total / (w * h),
    sharpness: s2 / n - mean * mean,
    glare: sat / n,
    motion: previous ? diff / n : 255,
    fill: (span(cols) * span(rows)) / (w * h),
  };
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Per-frame time of `fn(rounds)`, after warm-up calls and a pause that let
 * both engines finish optimising (V8 tiers wasm and JS up in the background). */
async function perFrame(fn, rounds) {
  for (let i = 0; i < 5; i++) fn(10);
  await pause(500);
  for (let i = 0; i < 5; i++) fn(10);
  const t0 = performance.now();
  fn(rounds);
  return (performance.now() - t0) / rounds;
}

async function run() {
  await init();
  const a = frame(0).getContext('2d').getImageData(0, 0, W, H).data;
  const b = frame(2).getContext('2d').getImageData(0, 0, W, H).data;
  const bench = new QualityBench(a, b, W, H);
  const wasmMs = await perFrame((r) => bench.run(r), ROUNDS);
  const jsMs = await perFrame((r) => {
    let previous = null;
    for (let i = 0; i < r; i++) previous = analyzeJs(i % 2 ? b : a, W, H, previous).luma;
  }, ROUNDS);

  // The live path analyses a 320×180 plane (the preview drawn 320 wide).
  const small320 = (shift) => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 180;
    c.getContext('2d').drawImage(frame(shift), 0, 0, 320, 180);
    return c.getContext('2d').getImageData(0, 0, 320, 180).data;
  };
  const sa = small320(0), sb = small320(2);
  const benchSmall = new QualityBench(sa, sb, 320, 180);
  const wasmSmallMs = await perFrame((r) => benchSmall.run(r), ROUNDS * 4);
  const jsSmallMs = await perFrame((r) => {
    let previous = null;
    for (let i = 0; i < r; i++) previous = analyzeJs(i % 2 ? sb : sa, 320, 180, previous).luma;
  }, ROUNDS * 4);

  // Reading pixels back: the live path draws the 720p preview into a 320-wide
  // canvas and reads that; a full-size read is shown beside it.
  const source = frame(0);
  const small = document.createElement('canvas');
  small.width = 320;
  small.height = 180;
  const sg = small.getContext('2d', { willReadFrequently: true });
  const readSmallMs = await perFrame((r) => {
    for (let i = 0; i < r; i++) { sg.drawImage(source, 0, 0, 320, 180); sg.getImageData(0, 0, 320, 180); }
  }, ROUNDS);
  const big = document.createElement('canvas');
  big.width = W;
  big.height = H;
  const bg = big.getContext('2d', { willReadFrequently: true });
  const readFullMs = await perFrame((r) => {
    for (let i = 0; i < r; i++) { bg.drawImage(source, 0, 0); bg.getImageData(0, 0, W, H); }
  }, ROUNDS / 4);
  window.results = { wasmMs, jsMs, wasmSmallMs, jsSmallMs, readSmallMs, readFullMs };
}

run().catch((e) => { window.results = { error: String(e) }; });
