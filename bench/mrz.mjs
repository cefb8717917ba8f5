// Runs in the browser: the MRZ reader in Rust/WASM on the images the native
// bench wrote (target/mrz-bench, served at /mrz-images/), the mild set: how many
// zones it reads whole and valid against bench/mrz/synthetic.txt, and the time
// per zone (the read call only; fetching and decoding the PGM are not counted);
// then the 1280×720 frames: locate, straighten and read, per frame.
// Results land in window.results.
import init, { read_mrz, locate_and_read } from '/bench-pkg/videoid_capture.js';

/** A binary PGM (P5, 8 bits): its size and pixels. */
function pgm(bytes) {
  let at = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(bytes[at]))) at++;
    const start = at;
    while (!/\s/.test(String.fromCharCode(bytes[at]))) at++;
    return new TextDecoder().decode(bytes.subarray(start, at));
  };
  if (token() !== 'P5') throw new Error('not a P5 PGM');
  const width = Number(token()), height = Number(token());
  token();
  at++;
  return { width, height, pixels: bytes.subarray(at, at + width * height) };
}

async function main() {
  await init();
  const truth = (await (await fetch('/mrz/synthetic.txt')).text()).trim().split('\n\n');
  const images = [];
  for (let i = 0; i < truth.length; i++) {
    const name = `mild-${String(i).padStart(3, '0')}.pgm`;
    images.push(pgm(new Uint8Array(await (await fetch(`/mrz-images/${name}`)).arrayBuffer())));
  }
  // One untimed pass first, so that the timed one runs compiled, tiered-up code.
  for (const im of images.slice(0, 20)) read_mrz(im.pixels, im.width, im.height);
  let whole = 0, ms = 0;
  images.forEach((im, i) => {
    const t0 = performance.now();
    const lines = read_mrz(im.pixels, im.width, im.height);
    ms += performance.now() - t0;
    if (lines === truth[i]) whole++;
  });
  // Whole frames: locate, straighten, read (frames.txt: "id1:" or "id3:" and the zone).
  const frames = (await (await fetch('/mrz-images/frames.txt')).text()).split('\n\n');
  let frameWhole = 0, frameMs = 0;
  for (let i = 0; i < frames.length; i++) {
    const [kind, zone] = [frames[i].slice(0, 3), frames[i].slice(4)];
    const im = pgm(new Uint8Array(await (await fetch(`/mrz-images/frame-${String(i).padStart(3, '0')}.pgm`)).arrayBuffer()));
    const t0 = performance.now();
    const lines = locate_and_read(im.pixels, im.width, im.height, kind === 'id1');
    frameMs += performance.now() - t0;
    if (lines === zone) frameWhole++;
  }
  return { zones: images.length, whole, msPerZone: ms / images.length, frames: frames.length, frameWhole, msPerFrame: frameMs / frames.length };
}

main().then((r) => { window.results = r; }, (e) => { window.results = { error: String(e?.stack ?? e) }; });
