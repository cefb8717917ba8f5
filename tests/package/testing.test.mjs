// videoid-capture/testing, as built into pkg/: it loads in Node without
// Playwright, its .d.ts types what Playwright users write (checked with tsc
// against playwright-core's own types), its names match the element's .d.ts
// and the npm README's (which the repository README links), its document video is make-y4m.py's, and its helpers
// behave in real Chromium (on a small page with a stand-in element that
// dispatches what the element dispatches; the real element is driven by the
// example in examples/playwright/ and by the e2e suite).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkgDir = resolve(process.env.VIDEOID_PKG_DIR ?? join(repo, "pkg"));
const kitFile = join(pkgDir, "testing.js");
assert.ok(existsSync(kitFile), `${kitFile} is missing: build the package first (npm run build)`);
const kit = await import(kitFile);

const sorted = (xs) => [...new Set(xs)].sort();
const dts = readFileSync(join(pkgDir, "testing.d.ts"), "utf8");
const elementDts = readFileSync(join(pkgDir, "videoid-capture.d.ts"), "utf8");
const dtsExports = sorted([...dts.matchAll(/^export declare (?:const|function) (\w+)/gm)].map((m) => m[1]));

// ---------------------------------------------------------------- Node only

test("it loads in Node with nothing installed beside it, and exports what its .d.ts declares", async () => {
  const source = readFileSync(kitFile, "utf8");
  assert.deepEqual(source.match(/^\s*import\s*[\w{*"']/gm), null, "no static import");
  assert.deepEqual(source.match(/^\s*export\s*[{*]/gm), null, "no re-export");
  assert.deepEqual(source.match(/\bimport\([^)]*\)/g), ['import("node:fs/promises")'], "one lazy import, in writeDocumentVideo");
  const alone = mkdtempSync(join(tmpdir(), "videoid-testing-"));
  try {
    copyFileSync(kitFile, join(alone, "testing.mjs"));
    const { stdout } = await run(process.execPath, [
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(join(alone, "testing.mjs"))});
       console.log(JSON.stringify({ exports: Object.keys(m).sort(), window: typeof globalThis.window }));`,
    ], { cwd: alone });
    const out = JSON.parse(stdout);
    assert.deepEqual(out.exports, dtsExports, "runtime exports = the .d.ts exports");
    assert.equal(out.window, "undefined");
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.deepEqual(manifest.exports["./testing"], { types: "./testing.d.ts", default: "./testing.js" });
  assert.ok(!manifest.sideEffects.includes("./testing.js"), "importing it has no side effects");
  const element = readFileSync(join(pkgDir, "videoid-capture.js"), "utf8");
  assert.ok(!element.includes("testing"), "the element never loads it");
});

test("its event names and states are the element's", () => {
  const eventMap = elementDts.split("export interface VideoIdCaptureEventMap {")[1].split("\n}")[0];
  const events = [...eventMap.matchAll(/"(videoid-[a-z-]+)"\s*:/g)].map((m) => m[1]);
  assert.deepEqual([...kit.EVENT_NAMES], events);
  const states = elementDts.split("export type VideoIdCaptureState =")[1].split(";")[0];
  assert.deepEqual([...kit.STATES], [...states.matchAll(/"([a-z]+)"/g)].map((m) => m[1]));
});

/** The section under `### Test helpers…` up to the next heading. */
function helpersSection(file) {
  const text = readFileSync(file, "utf8");
  const start = text.indexOf("\n### Test helpers (`videoid-capture/testing`)\n");
  assert.ok(start >= 0, `${file} has no "### Test helpers (\`videoid-capture/testing\`)" section`);
  const rest = text.slice(start + 1);
  const end = rest.slice(4).search(/\n#/);
  return (end < 0 ? rest : rest.slice(0, end + 4)).trim();
}

test("the npm README lists exactly the exports of testing.d.ts; the repository README names them and links it", () => {
  const npmReadme = helpersSection(join(repo, "pkg-config", "README.md"));
  const listed = sorted([...npmReadme.matchAll(/^\| `([A-Za-z_]+)/gm)].map((m) => m[1]));
  assert.deepEqual(listed, dtsExports);
  const repoReadme = helpersSection(join(repo, "README.md"));
  assert.ok(repoReadme.includes("](pkg-config/README.md#test-helpers-videoid-capturetesting)"), "README.md links the npm README's table");
  assert.doesNotMatch(repoReadme, /^\|/m, "README.md has no copy of the table");
  const named = sorted([...repoReadme.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]));
  assert.deepEqual(named, dtsExports, "README.md names every helper");
});

test("fakeMediaArgs gives Chromium's fake-device flags and refuses anything else", () => {
  assert.deepEqual(kit.fakeMediaArgs(), ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
  assert.deepEqual(kit.fakeMediaArgs({ camera: "deny", video: "/tmp/doc.y4m" }), [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream=deny",
    "--use-file-for-fake-video-capture=/tmp/doc.y4m",
  ]);
  assert.throws(() => kit.fakeMediaArgs({ camera: "maybe" }), TypeError);
  assert.throws(() => kit.fakeMediaArgs({ video: "doc.mp4" }), TypeError);
});

test("writeDocumentVideo writes the bytes scripts/make-y4m.py writes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "videoid-y4m-"));
  try {
    for (const variant of ["sharp", "blurred", "dark"]) {
      const js = join(dir, `${variant}-js.y4m`);
      const py = join(dir, `${variant}-py.y4m`);
      assert.equal(await kit.writeDocumentVideo(js, { width: 320, height: 180, variant, frames: 2 }), js);
      await run("python3", [join(repo, "scripts", "make-y4m.py"), py, "320", "180", variant, "2"]);
      const [a, b] = [readFileSync(js), readFileSync(py)];
      const header = "YUV4MPEG2 W320 H180 F30:1 Ip A1:1 C420jpeg\n";
      assert.equal(a.subarray(0, header.length).toString(), header);
      assert.equal(a.length, header.length + 2 * ("FRAME\n".length + 320 * 180 + 2 * 160 * 90), variant);
      assert.ok(a.equals(b), `${variant}: the same bytes`);
    }
    await assert.rejects(kit.writeDocumentVideo(join(dir, "x.y4m"), { width: 321 }), TypeError);
    await assert.rejects(kit.writeDocumentVideo(join(dir, "x.y4m"), { variant: "glare" }), TypeError);
    assert.ok(!existsSync(join(dir, "x.y4m")), "nothing written for bad options");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the helpers refuse what is not a page, frame or locator, and unknown names", async () => {
  await assert.rejects(kit.instrument({}), TypeError);
  await assert.rejects(kit.eventsOf(null), TypeError);
  await assert.rejects(kit.liveTracks("page"), TypeError);
  await assert.rejects(kit.driveNative({}), TypeError);
  await assert.rejects(kit.waitForState({}, "complete"), TypeError);
  const fakeLocator = { evaluate() {}, page() {} };
  await assert.rejects(kit.waitForState(fakeLocator, "done"), /not a state/);
  const fakePage = { mainFrame() {}, addInitScript() {}, evaluate() {} };
  await assert.rejects(kit.nextEvent(fakePage, "videoid-completed"), /not an event of the element/);
});

// ---------------------------------------------------------------- TypeScript

test("its .d.ts types Playwright code (tsc --strict against playwright-core's types)", async () => {
  const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
  assert.ok(existsSync(tsc), "typescript is a devDependency: npm ci");
  const dir = join(repo, "target", "testing-types");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(pkgDir, join(dir, "node_modules", "videoid-capture"), "dir");
  symlinkSync(join(repo, "node_modules", "playwright-core"), join(dir, "node_modules", "playwright-core"), "dir");
  const options = {
    strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
    lib: ["ESNext", "DOM"], types: [],
  };
  // The package's declarations on their own, every line checked.
  writeFileSync(join(dir, "tsconfig.dts.json"), JSON.stringify({
    compilerOptions: { ...options, skipLibCheck: false },
    files: ["node_modules/videoid-capture/testing.d.ts"],
  }));
  // Code a Playwright user writes (Playwright's own declarations need @types/node: not checked).
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { ...options, skipLibCheck: true },
    files: ["check.mts"],
  }));
  writeFileSync(join(dir, "check.mts"), TYPE_CHECK);
  for (const project of ["tsconfig.dts.json", "tsconfig.json"]) {
    const result = await run(process.execPath, [tsc, "-p", join(dir, project)]).catch((e) => e);
    assert.equal(result.code ?? 0, 0, `tsc -p ${project}:\n${result.stdout}${result.stderr}`);
  }
});

const TYPE_CHECK = `
import type { BrowserContext, Frame, Locator, Page } from "playwright-core";
import {
  EVENT_NAMES, STATES, driveNative, driveSdk, eventsOf, fakeMediaArgs, instrument, liveTracks,
  nextEvent, waitForState, writeDocumentVideo, type RecordedEvent,
} from "videoid-capture/testing";

export async function check(page: Page, context: BrowserContext, frame: Frame, element: Locator) {
  const args: string[] = [...fakeMediaArgs(), ...fakeMediaArgs({ camera: "deny", video: "doc.y4m" })];
  const path: string = await writeDocumentVideo("doc.y4m", { width: 640, height: 360, variant: "blurred" });
  await instrument(page);
  await instrument(context);
  const result = await nextEvent(page, "videoid-result", { match: { status: "accepted" }, since: 0 });
  const status: "accepted" | "rejected" | "inconclusive" | "failed" | "canceled" | "pending" | "processing" = result.status;
  // A result that is not final (result-wait ran out) may come without a process.
  const processId: string | undefined = result.process?.processId;
  if (result.final) {
    const finalId: string = result.process.processId;
  }
  const failed = await nextEvent(frame, "videoid-failed", { match: (d) => d.code === "Backend.Error", timeout: 5000 });
  if (failed.code === "Backend.Error") {
    const httpStatus: number = failed.detail.status;
  }
  const step = await nextEvent(page, "videoid-step", { match: { step: "front", quality: { verdict: "good" } } });
  const auto: boolean = step.auto;
  const reached: "complete" | "failed" = await waitForState(element, ["complete", "failed"], { timeout: 1000 });
  const one: "capturing" = await waitForState(element, "capturing");
  const recorded: RecordedEvent[] = await eventsOf(page);
  const names: string[] = recorded.map((e) => e.name);
  const native = await driveNative(frame, { element: "#native-capture", timeout: 60_000 });
  const steps: ("front" | "back" | "selfie" | "video" | "upload")[] = native.steps;
  const sdk = await driveSdk(page);
  const live: number = await liveTracks(page);
  const all: readonly string[] = [...EVENT_NAMES, ...STATES];
  // @ts-expect-error not an event of the element
  await nextEvent(page, "videoid-completed");
  // @ts-expect-error not a state
  await waitForState(element, "done");
  // @ts-expect-error status is a string
  await nextEvent(page, "videoid-result", { match: { status: 42 } });
  // @ts-expect-error camera is allow or deny
  fakeMediaArgs({ camera: "block" });
  return [args, path, status, processId, auto, reached, one, names, steps, sdk.state, live, all];
}
`;

// ---------------------------------------------------------------- in Chromium

// A stand-in that behaves, for these helpers, as the element does: reflected
// `state` and `step`, bubbling composed `videoid-*` events, parts in an open
// shadow root. `?script=` picks what it does when its start button is clicked.
const PAGE = `<!doctype html><meta charset="utf-8"><title>helpers</title>
<videoid-capture id="el"></videoid-capture>
<script type="module">
const script = new URLSearchParams(location.search).get("script") || "sdk";
class StandIn extends HTMLElement {
  connectedCallback() {
    this.setAttribute("state", "idle");
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = '<div part="actions"><button part="button start-button">Start</button></div>';
    root.querySelector("button").addEventListener("click", () => this.run());
  }
  emit(name, detail) { this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail })); }
  // "fail-when-watched" fails only once something listens for its failure on it
  // (waitForState does, from the moment it waits): the order the test means.
  addEventListener(type, ...rest) {
    super.addEventListener(type, ...rest);
    if (type === "videoid-failed") (this.watched ??= Promise.withResolvers()).resolve();
  }
  go(state) { const previous = this.getAttribute("state"); this.setAttribute("state", state); this.emit("videoid-state", { state, previous }); }
  // Shows one button in the actions row; resolves when it is clicked.
  button(name) {
    const actions = this.shadowRoot.querySelector('[part="actions"]');
    actions.innerHTML = '<button part="button ' + name + '-button">' + name + '</button>';
    return new Promise((resolve) => actions.querySelector("button").addEventListener("click", () => {
      actions.innerHTML = "";
      resolve();
    }, { once: true }));
  }
  async run() {
    const tick = () => new Promise((r) => setTimeout(r, 30));
    this.go("loading"); await tick(); this.go("capturing");
    if (script.startsWith("native")) {
      for (const step of ["front", "back", "selfie"]) {
        this.setAttribute("step", step);
        await this.button("capture");
        await tick();
        await this.button("confirm");
        this.emit("videoid-step", { step, auto: false, quality: null });
      }
      // As the hosted capture page does: done, it leaves (and its frame is removed).
      if (script === "native-gone") return parent.postMessage("done", location.origin);
    } else {
    for (const step of ["front", "back", "selfie"]) {
      this.setAttribute("step", step); await tick();
      if (script.startsWith("fail") && step === "back") {
        if (script === "fail-when-watched") await (this.watched ??= Promise.withResolvers()).promise;
        this.removeAttribute("step");
        this.emit("videoid-failed", { code: "Device.InUse", message: "in use", recoverable: true, detail: null });
        return this.go("failed");
      }
    }
    }
    this.removeAttribute("step");
    this.emit("videoid-complete", { dossierId: "d", processId: "p", status: "processing" });
    this.go("completing"); await tick();
    this.emit("videoid-result", { dossierId: "d", processId: "p", status: "accepted", process: { status: "accepted" } });
    this.go("complete");
  }
}
customElements.define("videoid-capture", StandIn);
</script>`;

// A host page that frames the stand-in and removes the frame when it says it is done.
const OUTER = `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="capture" src="/?script=native-gone"></iframe>
<script>addEventListener("message", () => document.querySelector("#capture").remove());</script>`;

let server;
let origin;
let browser;

before(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(req.url.startsWith("/outer") ? OUTER : PAGE);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...kit.fakeMediaArgs()],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r) ?? r());
});

async function withPage(fn, { instrumented = true, query = "" } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    if (instrumented) await kit.instrument(page);
    await page.goto(`${origin}/${query}`);
    if (!query.startsWith("outer")) await page.waitForFunction(() => customElements.get("videoid-capture"));
    await fn(page, page.locator("#el"));
  } finally {
    await context.close();
  }
}

test("in Chromium: driveSdk, nextEvent, eventsOf and waitForState on the events the element dispatches", { timeout: 60_000 }, async () => {
  await withPage(async (page, el) => {
    const result = kit.nextEvent(page, "videoid-result", { match: { status: "accepted" } });
    const driven = await kit.driveSdk(page);
    assert.deepEqual(driven, { state: "complete", steps: ["front", "back", "selfie"] });
    assert.equal((await result).process.status, "accepted");
    const events = await kit.eventsOf(page);
    assert.deepEqual(
      events.filter((e) => e.name === "videoid-state").map((e) => e.detail.state),
      ["loading", "capturing", "completing", "complete"],
    );
    assert.ok(events.every((e) => e.target === "el" && typeof e.time === "number"));
    // since: 0 finds what already happened; a predicate runs in Node; a timeout names what was recorded.
    const complete = await kit.nextEvent(page, "videoid-complete", { since: 0, match: (d) => d.processId === "p" });
    assert.equal(complete.status, "processing");
    await assert.rejects(
      kit.nextEvent(page, "videoid-result", { timeout: 300 }),
      /no videoid-result within 300 ms \(recorded: .*state:complete/,
    );
    await assert.rejects(
      kit.nextEvent(page, "videoid-complete", { since: 0, match: { status: "accepted" }, timeout: 300 }),
      /matching \{"status":"accepted"\}/,
    );
    assert.equal(await kit.waitForState(el, ["failed", "complete"]), "complete");
    await assert.rejects(kit.waitForState(el, "capturing", { timeout: 300 }), /still "complete" after/);
  });
});

test("in Chromium: waitForState rejects, naming the failure, when the element ends otherwise", { timeout: 60_000 }, async () => {
  await withPage(async (page, el) => {
    const waiting = kit.waitForState(el, "complete");
    await page.locator('#el [part~="start-button"]').click();
    await assert.rejects(waiting, /ended "failed": Device\.InUse \(in use\), waiting for "complete"/);
    const failed = await kit.nextEvent(page, "videoid-failed", { since: 0 });
    assert.equal(failed.code, "Device.InUse");
  }, { query: "?script=fail-when-watched" });
  await withPage(async (page) => {
    assert.deepEqual(await kit.driveSdk(page), { state: "failed", steps: ["front", "back"] });
  }, { query: "?script=fail" });
});

test("in Chromium: liveTracks counts the tracks getUserMedia handed out until they stop", { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    assert.equal(await kit.liveTracks(page), 0);
    await page.evaluate(async () => {
      window.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      window.copy = window.stream.getVideoTracks()[0].clone();
    });
    assert.equal(await kit.liveTracks(page), 3, "camera, microphone and a clone");
    await page.evaluate(() => window.stream.getTracks().forEach((t) => t.stop()));
    assert.equal(await kit.liveTracks(page), 1, "the clone is still live");
    await page.evaluate(() => window.copy.stop());
    assert.equal(await kit.liveTracks(page), 0);
  });
  // Without instrument() before the page loaded, the counter cannot know: it says so.
  await withPage(async (page) => {
    await assert.rejects(kit.eventsOf(page), /not instrumented/);
    await kit.instrument(page);
    await assert.rejects(kit.liveTracks(page), /not in this document from its start/);
    assert.deepEqual(await kit.eventsOf(page), [], "events from now on");
  }, { instrumented: false });
});

test("in Chromium: driveNative clicks capture and confirm through every step, also in a frame that goes away", { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    assert.deepEqual(await kit.driveNative(page), { state: "complete", steps: ["front", "back", "selfie"] });
    const captured = (await kit.eventsOf(page)).filter((e) => e.name === "videoid-step").map((e) => e.detail.step);
    assert.deepEqual(captured, ["front", "back", "selfie"]);
    assert.deepEqual(await kit.driveNative(page), { state: "complete", steps: [] }, "a finished element is left as it is");
  }, { query: "?script=native" });
  await withPage(async (page) => {
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await frame.waitForFunction(() => customElements.get("videoid-capture"));
    const driven = await kit.driveNative(frame, { element: "#el" });
    assert.deepEqual(driven, { state: "capturing", steps: ["front", "back", "selfie"], navigated: true });
    assert.equal(await page.locator("iframe").count(), 0);
  }, { query: "outer" });
});
