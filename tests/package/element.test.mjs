// The element shell (pkg-config/videoid-capture.js) against a minimal fake
// DOM and a fake wasm handle: lifecycle, props, start() settlement. The real
// handle and browser are covered by tests/e2e; this pins the shell's rules.
// The fakes live in a temp dir only.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shellFiles = ["videoid-capture.js", "styles.js"];

// ---------------------------------------------------------------- fake DOM

const fakeDocument = {
  createElement(tag) {
    return { tag, children: [], append(...n) { this.children.push(...n); }, replaceChildren() { this.children = []; } };
  },
};

class FakeElement extends EventTarget {
  #attrs = new Map();
  isConnected = false;
  shadowRoot = null;
  attachShadow(init) {
    assert.deepEqual(init, { mode: "open" });
    assert.equal(this.shadowRoot, null, "attachShadow once");
    this.shadowRoot = {
      adoptedStyleSheets: [],
      children: [],
      ownerDocument: fakeDocument,
      append(...n) { this.children.push(...n); },
    };
    return this.shadowRoot;
  }
  getAttribute(name) { return this.#attrs.has(name) ? this.#attrs.get(name) : null; }
  setAttribute(name, value) {
    const old = this.getAttribute(name);
    this.#attrs.set(name, String(value));
    this.#changed(name, old, String(value));
  }
  removeAttribute(name) {
    if (!this.#attrs.has(name)) return;
    const old = this.#attrs.get(name);
    this.#attrs.delete(name);
    this.#changed(name, old, null);
  }
  #changed(name, old, value) {
    if (this.constructor.observedAttributes.includes(name)) this.attributeChangedCallback(name, old, value);
  }
  get lang() { return this.getAttribute("lang") ?? ""; }
  set lang(v) { this.setAttribute("lang", v); }
  connect() { this.isConnected = true; this.connectedCallback(); }
  remove() { if (this.isConnected) { this.isConnected = false; this.disconnectedCallback(); } }
}

class FakeSheet { replaceSync(text) { this.text = text; } }

const registry = new Map();
globalThis.HTMLElement = FakeElement;
globalThis.CSSStyleSheet = FakeSheet;
globalThis.customElements = {
  get: (name) => registry.get(name),
  define(name, cls) {
    if (registry.has(name)) throw new Error(`${name} already defined`);
    if ([...registry.values()].includes(cls)) throw new Error("class already defined");
    registry.set(name, cls);
  },
};

// ---------------------------------------------------------------- fake wasm

const FAKE_WASM = `
const log = (globalThis.__wasm ??= { inits: 0, handles: [] });
export default async function init() {
  log.inits += 1;
  if (globalThis.__wasmFails) throw new Error("instantiate failed");
}
export class CaptureHandle {
  constructor(host, mount, props) {
    this.host = host; this.mount = mount; this.props = props;
    this.calls = []; this.updates = [];
    log.handles.push(this);
  }
  update(props) { this.updates.push(props); }
  setTexts(texts) { (this.texts ??= []).push(texts); }
  start() { this.calls.push("start"); }
  cancel() { this.calls.push("cancel"); }
  destroy() { this.calls.push("destroy"); }
  get state() { return this.host.getAttribute("state") ?? "idle"; }
  free() { this.calls.push("free"); }
}
`;

/** A fresh copy of the shell beside the fake wasm module (one module instance per call). */
async function loadShell() {
  const dir = mkdtempSync(join(tmpdir(), "videoid-shell-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  for (const f of shellFiles) copyFileSync(join(repo, "pkg-config", f), join(dir, f));
  writeFileSync(join(dir, "videoid_capture.js"), FAKE_WASM);
  return import(pathToFileURL(join(dir, "videoid-capture.js")).href);
}

const shell = await loadShell();
const { VideoIdCaptureElement, VideoIdCaptureError, defineVideoIdCapture } = shell;

const tick = () => new Promise((r) => setTimeout(r, 0));
const handles = () => globalThis.__wasm?.handles ?? [];
const emit = (el, name, detail) => el.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
function setState(el, state) {
  const previous = el.getAttribute("state") ?? "idle";
  el.setAttribute("state", state);
  emit(el, "videoid-state", { state, previous });
}
/** The live handle of `el` once it is mounted (the first wasm load takes real I/O). */
async function mounted(el) {
  for (let i = 0; i < 500; i++) {
    const h = handles().findLast((h) => h.host === el && !h.calls.includes("free"));
    if (h) return h;
    await tick();
  }
  assert.fail("the element never mounted");
}
const settledState = (p) => Promise.race([p.then(() => "resolved", () => "rejected"), tick().then(() => "pending")]);

// ---------------------------------------------------------------- tests

test("importing defines <videoid-capture> once, guarded", () => {
  assert.equal(registry.get("videoid-capture"), VideoIdCaptureElement);
  assert.equal(defineVideoIdCapture(), VideoIdCaptureElement, "a taken name returns what is registered");
  const other = defineVideoIdCapture("my-capture");
  assert.notEqual(other, VideoIdCaptureElement);
  assert.ok(other.prototype instanceof VideoIdCaptureElement, "another name gets a subclass");
});

test("attributes set before connect become the handle's props; later changes update it", async () => {
  const el = new VideoIdCaptureElement();
  el.setAttribute("session-endpoint", "/api/videoid/session");
  el.mode = "embed";
  el.allowedOrigins = ["https://a.example", "https://*.b.example"];
  el.inactivityTimeout = 60;
  el.lang = "nb";
  assert.equal(handles().length, 0, "nothing happens before connect");
  el.connect();
  const h = await mounted(el);
  assert.ok(el.shadowRoot.children.includes(h.mount), "the mount div is inside the shadow root");
  const { loadStrings, loadChunk, texts, ...attributes } = h.props;
  assert.equal(typeof loadStrings, "function", "the shell hands over its language-file loader");
  assert.equal(typeof loadChunk, "function", "the shell hands over its wasm chunk loader");
  assert.equal(texts, null);
  assert.deepEqual(attributes, {
    "session-endpoint": "/api/videoid/session",
    "result-endpoint": null,
    "capture-url": null,
    mode: "embed",
    lang: "nb",
    "allowed-origins": "https://a.example https://*.b.example",
    "inactivity-timeout": "60",
    "load-timeout": null,
    "result-wait": null,
    "agent-timeout": null,
    fallback: null,
    "parent-origin": null,
    "quality-thresholds": null,
    handoff: null,
    "handoff-endpoint": null,
    credentials: null,
    'expose-mrz': null,
  });
  el.resultEndpoint = "/api/videoid/result";
  assert.equal(h.updates.length, 1);
  assert.equal(h.updates[0]["result-endpoint"], "/api/videoid/result");
  el.resultEndpoint = null;
  assert.equal(el.getAttribute("result-endpoint"), null, "null removes the attribute");
  assert.equal(h.updates.at(-1)["result-endpoint"], null);
  el.remove();
  await tick();
});

test("one wasm init and one shared stylesheet for every element", async () => {
  const a = new VideoIdCaptureElement();
  const b = new VideoIdCaptureElement();
  a.connect();
  b.connect();
  await mounted(a);
  await mounted(b);
  assert.equal(globalThis.__wasm.inits, 1);
  assert.equal(a.shadowRoot.adoptedStyleSheets.length, 1);
  assert.equal(a.shadowRoot.adoptedStyleSheets[0], b.shadowRoot.adoptedStyleSheets[0]);
  assert.match(a.shadowRoot.adoptedStyleSheets[0].text, /:host\(\[hidden\]\)/);
  a.remove();
  b.remove();
  await tick();
});

test("moving the element keeps the handle; removing it destroys and frees it; re-adding makes a new one", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  const first = await mounted(el);
  el.remove();
  el.connect(); // a move: removed and inserted in one task
  await tick();
  assert.deepEqual(first.calls, [], "a move does not restart anything");
  assert.equal(handles().at(-1), first);
  el.remove();
  await tick();
  assert.deepEqual(first.calls, ["destroy", "free"]);
  el.connect();
  const second = await mounted(el);
  assert.notEqual(second, first, "a real removal then re-connect creates a fresh handle");
  assert.equal(el.shadowRoot.children.filter((c) => c.tag === "div").length, 1, "one mount div, reused");
  el.remove();
  await tick();
});

test("disconnect during the wasm load mounts nothing", async () => {
  const before = handles().length;
  const el = new VideoIdCaptureElement();
  el.connect();
  el.remove();
  await tick();
  assert.equal(handles().length, before);
});

test("start() before connect waits for the mount, then starts the handle", async () => {
  const el = new VideoIdCaptureElement();
  const p = el.start();
  await tick();
  assert.equal(await settledState(p), "pending");
  el.connect();
  const h = await mounted(el);
  await tick();
  assert.deepEqual(h.calls, ["start"]);
  setState(el, "loading");
  emit(el, "videoid-complete", { dossierId: "d1", processId: "p1", status: "processing" });
  setState(el, "complete");
  assert.deepEqual(await p, { dossierId: "d1", processId: "p1", status: "processing" });
  el.remove();
  await tick();
});

test("start() resolves with the latest result that came after the latest complete", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  await mounted(el);
  const p = el.start();
  await tick();
  const result = { dossierId: "d1", processId: "p1", status: "accepted", process: { status: "accepted" } };
  emit(el, "videoid-result", { dossierId: "old", processId: "old", status: "rejected", process: {} });
  emit(el, "videoid-complete", { dossierId: "d1", processId: "p1", status: "processing" });
  emit(el, "videoid-result", result);
  setState(el, "complete");
  assert.deepEqual(await p, result);
  el.remove();
  await tick();
});

test("failed rejects with the latest videoid-failed detail, even when the state came first", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  await mounted(el);
  const p = el.start();
  await tick();
  emit(el, "videoid-failed", { code: "Network.Unreachable", message: "first", recoverable: true, detail: null });
  setState(el, "failed");
  emit(el, "videoid-failed", { code: "Backend.Error", message: "The server answered 502.", recoverable: true, detail: { status: 502 } });
  const error = await p.then(() => assert.fail("should reject"), (e) => e);
  assert.ok(error instanceof VideoIdCaptureError);
  assert.ok(error instanceof Error);
  assert.equal(error.name, "VideoIdCaptureError");
  assert.equal(error.code, "Backend.Error");
  assert.equal(error.message, "The server answered 502.");
  assert.equal(error.recoverable, true);
  assert.deepEqual(error.detail, { status: 502 });
  el.remove();
  await tick();
});

test("cancelled rejects with User.Cancelled; a retry settles on the next terminal state", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  const h = await mounted(el);
  const p = el.start();
  await tick();
  el.cancel();
  assert.deepEqual(h.calls, ["start", "cancel"]);
  setState(el, "cancelled");
  const error = await p.catch((e) => e);
  assert.equal(error.code, "User.Cancelled");
  assert.equal(el.state, "cancelled");

  const retry = el.start();
  await tick();
  setState(el, "loading");
  assert.equal(await settledState(retry), "pending", "non-terminal states do not settle");
  emit(el, "videoid-complete", { dossierId: "d2", processId: "p2", status: "processing" });
  setState(el, "complete");
  assert.equal((await retry).dossierId, "d2");
  el.remove();
  await tick();
});

test("a retry that fails again without a state change still rejects", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  const h = await mounted(el);
  const failure = { code: "Config.Invalid", message: "bad", recoverable: false, detail: { field: "mode" } };
  // The handle found the config invalid on its own: failed before any start().
  emit(el, "videoid-failed", failure);
  setState(el, "failed");
  h.start = () => emit(el, "videoid-failed", failure); // failed → failed: no videoid-state
  const error = await Promise.race([el.start().catch((e) => e), tick().then(() => "pending")]);
  assert.equal(error.code, "Config.Invalid");
  assert.deepEqual(error.detail, { field: "mode" });
  el.remove();
  await tick();
});

test("removing the element rejects a pending start() with User.Cancelled", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  await mounted(el);
  const p = el.start();
  await tick();
  el.remove();
  const error = await p.catch((e) => e);
  assert.equal(error.code, "User.Cancelled");
});

test("a wasm that cannot load rejects start() with Browser.Unsupported and reports it", async () => {
  globalThis.__wasmFails = true;
  try {
    const { VideoIdCaptureElement: Failing, VideoIdCaptureError: FailingError } = await loadShell();
    const el = new Failing();
    const seen = [];
    el.addEventListener("videoid-failed", (e) => seen.push(["failed", e.detail.code]));
    el.addEventListener("videoid-state", (e) => seen.push(["state", e.detail.state, e.detail.previous]));
    const p = el.start();
    el.connect();
    const error = await p.catch((e) => e);
    assert.ok(error instanceof FailingError);
    assert.equal(error.code, "Browser.Unsupported");
    assert.equal(error.recoverable, false);
    assert.equal(el.getAttribute("state"), "failed");
    assert.deepEqual(seen, [["failed", "Browser.Unsupported"], ["state", "failed", "idle"]]);
  } finally {
    delete globalThis.__wasmFails;
  }
});

test("start() after a failed wasm load loads it again: rejected while it fails, started once it loads", async () => {
  globalThis.__wasmFails = true;
  try {
    const { VideoIdCaptureElement: Flaky } = await loadShell();
    const el = new Flaky();
    const codes = [];
    el.addEventListener("videoid-failed", (e) => codes.push(e.detail.code));
    el.connect();
    for (let i = 0; i < 500 && codes.length === 0; i++) await tick();
    assert.deepEqual(codes, ["Browser.Unsupported"], "the load on connect failed and was reported");
    const inits = globalThis.__wasm.inits;
    // Still failing: start() tries once more and rejects, typed, instead of waiting for ever.
    const again = await el.start().catch((e) => e);
    assert.equal(again.code, "Browser.Unsupported");
    assert.equal(globalThis.__wasm.inits, inits + 1, "start() loaded the wasm again");
    // The network is back: start() mounts the handle and starts it.
    delete globalThis.__wasmFails;
    const started = el.start();
    const handle = await mounted(el);
    assert.equal(handle.host, el);
    assert.deepEqual(handle.calls, ["start"]);
    assert.equal(await settledState(started), "pending", "running, not settled");
    el.remove();
    await started.catch(() => {});
  } finally {
    delete globalThis.__wasmFails;
  }
});

test("start() called right after the failed load is reported (the next microtask) loads again", async () => {
  globalThis.__wasmFails = true;
  try {
    const { VideoIdCaptureElement: Flaky } = await loadShell();
    const el = new Flaky();
    const failed = new Promise((resolve) => el.addEventListener("videoid-failed", resolve, { once: true }));
    el.connect();
    const inits = () => globalThis.__wasm?.inits ?? 0;
    await failed;
    const before = inits();
    const retried = await el.start().then(() => "resolved", (e) => e.code);
    assert.equal(retried, "Browser.Unsupported", "the retry settled, typed, instead of waiting for the load that had failed");
    assert.equal(inits(), before + 1, "the retry loaded the wasm again");
  } finally {
    delete globalThis.__wasmFails;
  }
});

test("texts: set before connect goes with the props, set later goes to the handle live, as a plain copy", async () => {
  const el = new VideoIdCaptureElement();
  const mine = { start: "Begin", retry: 3 };
  el.texts = mine;
  assert.equal(el.texts, mine, "the getter gives back what was set");
  el.connect();
  const h = await mounted(el);
  assert.deepEqual(h.props.texts, { start: "Begin", retry: 3 });
  assert.notEqual(h.props.texts, mine, "a copy: the wasm never calls page code");
  el.texts = { start: "Go" };
  assert.deepEqual(h.texts, [{ start: "Go" }]);
  el.texts = null;
  assert.deepEqual(h.texts.at(-1), null);
  const hostile = new Proxy({}, { ownKeys() { throw new Error("no"); } });
  el.texts = hostile;
  assert.equal(h.texts.at(-1), 0, "an object that throws reaches the wasm as a non-object (one warning there)");
  el.remove();
  await tick();
});

test("loadStrings fetches i18n/<lang>.json next to the module once, and again after a failure", async () => {
  const el = new VideoIdCaptureElement();
  el.connect();
  const { loadStrings } = (await mounted(el)).props;
  const asked = [];
  const realFetch = globalThis.fetch;
  let fail = true;
  globalThis.fetch = async (url) => {
    asked.push(String(url));
    if (fail) return new Response("", { status: 404 });
    return new Response(JSON.stringify({ start: "Verifizierung starten" }), { headers: { "content-type": "application/json" } });
  };
  try {
    await assert.rejects(loadStrings("xx"), /no strings for "xx"/);
    await assert.rejects(loadStrings("de"), /HTTP 404/);
    fail = false;
    const first = loadStrings("de");
    assert.equal(loadStrings("de"), first, "one fetch per language and page");
    assert.deepEqual(await first, { start: "Verifizierung starten" });
    assert.equal(asked.length, 2);
    assert.ok(asked.every((u) => u.endsWith("/i18n/de.json")), asked.join(" "));
  } finally {
    globalThis.fetch = realFetch;
    el.remove();
    await tick();
  }
});
