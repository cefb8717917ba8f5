/**
 * <videoid-capture> — identity verification with Signicat VideoID, in one element.
 *
 * The element owns the lifecycle; the work happens in a Rust/WebAssembly
 * handle (`./videoid_capture.js`) that renders into the shadow root, sets the
 * `state` attribute and dispatches every `videoid-*` event on the element.
 *
 * Its API (attributes, properties, methods, events, failures, CSS parts and
 * custom properties) is defined once, in the repository's
 * api/videoid-capture.json; the package ships it as custom-elements.json (the
 * Custom Elements Manifest), the .d.ts files and the README's API tables.
 */

import { styles } from "./styles.js";

const SOURCE = "videoid-capture";
const TERMINAL_STATES = new Set(["complete", "failed", "cancelled"]);

/** Attribute name → property name, in the order of docs/contracts.md. */
const ATTRIBUTES = {
  // <api:attributes> written by scripts/api.mjs from api/videoid-capture.json
  "session-endpoint": "sessionEndpoint",
  "result-endpoint": "resultEndpoint",
  "capture-url": "captureUrl",
  mode: "mode",
  lang: "lang",
  "allowed-origins": "allowedOrigins",
  "inactivity-timeout": "inactivityTimeout",
  "load-timeout": "loadTimeout",
  "result-wait": "resultWait",
  "agent-timeout": "agentTimeout",
  fallback: "fallback",
  "parent-origin": "parentOrigin",
  "quality-thresholds": "qualityThresholds",
  handoff: "handoff",
  "handoff-endpoint": "handoffEndpoint",
  credentials: "credentials",
  "expose-mrz": "exposeMrz",
  // </api:attributes>
};

// The strings of every language but English (compiled in), fetched on demand.
// One literal `new URL(…, import.meta.url)` each, so bundlers ship the files.
const STRINGS = {
  nb: () => new URL("./i18n/nb.json", import.meta.url),
  sv: () => new URL("./i18n/sv.json", import.meta.url),
  da: () => new URL("./i18n/da.json", import.meta.url),
  fi: () => new URL("./i18n/fi.json", import.meta.url),
  de: () => new URL("./i18n/de.json", import.meta.url),
  nl: () => new URL("./i18n/nl.json", import.meta.url),
  fr: () => new URL("./i18n/fr.json", import.meta.url),
  es: () => new URL("./i18n/es.json", import.meta.url),
  it: () => new URL("./i18n/it.json", import.meta.url),
  pt: () => new URL("./i18n/pt.json", import.meta.url),
  pl: () => new URL("./i18n/pl.json", import.meta.url),
  ar: () => new URL("./i18n/ar.json", import.meta.url),
};
const STRINGS_TIMEOUT_MS = 10_000;
const loadedStrings = new Map();

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * `make()`'s promise, kept in `cache` under `key`: made once per page, and
 * forgotten if it fails, so the next call tries again.
 */
function once(cache, key, make) {
  let promise = cache.get(key);
  if (!promise) {
    promise = make();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}

/** `fetch(url)`, failing on an answer that is not 2xx or after `ms`. */
async function fetchOk(url, ms) {
  const signal = typeof AbortSignal === "function" && typeof AbortSignal.timeout === "function"
    ? AbortSignal.timeout(ms)
    : undefined;
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

/** The parsed `i18n/<tag>.json`, fetched once per page; the wasm checks it. */
function loadStrings(tag) {
  return once(loadedStrings, tag, async () => {
    if (!own(STRINGS, tag)) throw new Error(`no strings for "${tag}"`);
    return (await fetchOk(STRINGS[tag](), STRINGS_TIMEOUT_MS)).json();
  });
}

/** A plain copy of the host's `texts` (own enumerable entries), so the wasm never runs page code. */
function plainTexts(value) {
  if (value === null || value === undefined || typeof value !== "object") return value ?? null;
  try {
    return Object.fromEntries(Object.entries(value));
  } catch {
    return 0; // reported by the wasm as "not an object"
  }
}

// Importing in Node (SSR) must not throw: no HTMLElement there.
const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

/** A typed failure as an Error: `code`, `recoverable`, `detail`. */
export class VideoIdCaptureError extends Error {
  /**
   * @param {{ code: string, message?: string, recoverable?: boolean, detail?: unknown }} failure
   */
  constructor(failure) {
    const f = failure ?? {};
    super(typeof f.message === "string" && f.message ? f.message : String(f.code ?? "Unknown failure"));
    this.name = "VideoIdCaptureError";
    this.code = String(f.code ?? "");
    this.recoverable = Boolean(f.recoverable);
    this.detail = f.detail ?? null;
  }
}

function unsupported(message, cause) {
  return new VideoIdCaptureError({
    code: "Browser.Unsupported",
    message,
    recoverable: false,
    detail: cause === undefined ? null : { cause: String(cause?.message ?? cause) },
  });
}

// One wasm instance per page, loaded lazily so an SSR import never fetches it.
let wasmModule = null;
// The base instance's exports (memory, table, and what the chunks import).
let baseExports = null;
function loadWasm() {
  if (!wasmModule) {
    wasmModule = (async () => {
      if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
        throw unsupported("This browser does not support WebAssembly.");
      }
      // The wasm's fetch starts now, beside the glue's import; the glue alone
      // would start it only once it has arrived (one round trip later).
      const wasm = fetch(new URL("./videoid_capture_bg.wasm", import.meta.url));
      wasm.catch(() => {}); // reported below, by the init that awaits it
      const module = await import("./videoid_capture.js");
      // wasm-bindgen's init takes the response on its way (streaming
      // compilation) and resolves with the instance's exports.
      baseExports = await module.default({ module_or_path: wasm });
      return module;
    })();
    // A failed load (say, a network blip) may be retried by the next connect.
    wasmModule.catch(() => { wasmModule = null; });
  }
  return wasmModule;
}

// The wasm chunks (scripts/chunks.json): code cut out of the base wasm that a
// page fetches only when its capture needs it. One literal
// `new URL(…, import.meta.url)` each, so bundlers ship the files.
const CHUNKS = {
  native: () => new URL("./videoid_capture_native.wasm", import.meta.url),
  sdk: () => new URL("./videoid_capture_sdk.wasm", import.meta.url),
  handoff: () => new URL("./videoid_capture_handoff.wasm", import.meta.url),
  // Not a chunk but a module of its own (reader/: no imports, its own memory):
  // the document reader, which the native run loads when a document step begins.
  mrz: () => new URL("./videoid_capture_mrz.wasm", import.meta.url),
};
// Every chunk imports what it needs from the base instance's exports under
// this module name (scripts/split-wasm.mjs writes it).
const CHUNK_IMPORTS = "a";
const CHUNK_TIMEOUT_MS = 30_000;
const compiledChunks = new Map();
const loadedChunks = new Map();

/** `videoid_capture_<name>.wasm`, fetched and compiled (not instantiated) once per page. */
function compileChunk(name) {
  return once(compiledChunks, name, async () => {
    if (!own(CHUNKS, name)) throw new Error(`no wasm chunk "${name}"`);
    const response = await fetchOk(CHUNKS[name](), CHUNK_TIMEOUT_MS);
    // Streaming compilation needs the right MIME type; a server that sends
    // another gets the slower path instead of a failure.
    return response.headers.get("content-type")?.startsWith("application/wasm") && WebAssembly.compileStreaming
      ? WebAssembly.compileStreaming(response)
      : WebAssembly.compile(await response.arrayBuffer());
  });
}

/** Starts fetching and compiling a chunk that a capture will probably need. */
function prefetchChunk(name) {
  compileChunk(name).catch(() => {});
}

/**
 * Loads a chunk into the page's wasm instance, once per page: instantiated
 * against the base instance's exports (its memory, its table, the functions
 * the chunk calls), it fills its slots of the table. The wasm calls this
 * (`chunk::load`) before it enters chunk code; a failure is forgotten, so a
 * retry fetches the chunk again. A module of its own, which imports
 * nothing (the document reader), is instantiated alone; either way the
 * promise resolves to the instance's exports.
 */
function loadChunk(name) {
  return once(loadedChunks, name, async () => {
    const compiled = await compileChunk(name);
    const imports = WebAssembly.Module.imports(compiled).length ? { [CHUNK_IMPORTS]: baseExports } : {};
    return (await WebAssembly.instantiate(compiled, imports)).exports;
  });
}

// One stylesheet object shared by every element on the page.
let sharedSheet = null;
function adoptStyles(root) {
  if (typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in root) {
    try {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(styles);
      }
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sharedSheet];
      return;
    } catch {
      // Constructable stylesheets missing: fall through to a <style> element.
    }
  }
  const style = root.ownerDocument.createElement("style");
  style.textContent = styles;
  root.append(style);
}

/** The `<videoid-capture>` element. */
export class VideoIdCaptureElement extends Base {
  static get observedAttributes() {
    return Object.keys(ATTRIBUTES);
  }

  #handle = null;
  #texts = null;
  #mount = null;
  #mounting = null;
  #mountWaiters = [];
  #pendingStarts = new Set();
  #destroyQueued = false;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
  }

  connectedCallback() {
    // Properties set before the element was upgraded shadow the accessors.
    for (const property of Object.values(ATTRIBUTES)) {
      if (property !== "lang" && Object.prototype.hasOwnProperty.call(this, property)) {
        const value = this[property];
        delete this[property];
        this[property] = value;
      }
    }
    if (Object.prototype.hasOwnProperty.call(this, "texts")) {
      const value = this.texts;
      delete this.texts;
      this.texts = value;
    }
    this.#mountOnce();
  }

  /** Mounts the handle unless it is mounted or mounting (a connected element only). */
  #mountOnce() {
    if (this.#handle || this.#mounting || !this.isConnected) return;
    this.#mounting = this.#mountHandle();
  }

  disconnectedCallback() {
    if (this.#destroyQueued) return;
    this.#destroyQueued = true;
    // A move (remove + insert in one task) reconnects before this runs.
    queueMicrotask(() => {
      this.#destroyQueued = false;
      if (!this.isConnected) this.#destroy();
    });
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue === newValue) return;
    // Before mount the attributes are simply read when the handle is created.
    if (this.#handle) this.#handle.update(this.#props());
  }

  /**
   * Starts the capture, or retries it after a terminal state.
   * @returns {Promise<object>} the Completion
   */
  start() {
    return new Promise((resolve, reject) => {
      let lastComplete = null;
      let lastResult = null;
      let lastFailure = null;
      let settled = false;
      // Settle once the current task is done: the handle may announce the
      // state before the detail event of the same step.
      const settleIfTerminal = () => queueMicrotask(() => {
        if (TERMINAL_STATES.has(this.state)) finish(this.state);
      });
      const listeners = {
        "videoid-complete": (e) => { lastComplete = e.detail; lastResult = null; },
        "videoid-result": (e) => { lastResult = e.detail; },
        // A retry that fails again stays `failed`: no videoid-state comes.
        "videoid-failed": (e) => { lastFailure = e.detail; settleIfTerminal(); },
        "videoid-cancel": settleIfTerminal,
        "videoid-state": (e) => {
          const state = e.detail?.state;
          if (TERMINAL_STATES.has(state)) queueMicrotask(() => finish(state));
        },
      };
      const cleanup = () => {
        for (const [name, fn] of Object.entries(listeners)) this.removeEventListener(name, fn);
        this.#pendingStarts.delete(abort);
      };
      const finish = (state) => {
        if (settled) return;
        settled = true;
        cleanup();
        if (state === "complete") {
          resolve(lastResult ?? lastComplete ?? {});
        } else if (state === "failed") {
          reject(new VideoIdCaptureError(lastFailure ?? {
            code: "Capture.Failed",
            message: "The capture failed.",
            recoverable: true,
          }));
        } else {
          reject(new VideoIdCaptureError({
            code: "User.Cancelled",
            message: "The capture was cancelled.",
            recoverable: true,
          }));
        }
      };
      const abort = (error) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(error);
      };
      for (const [name, fn] of Object.entries(listeners)) this.addEventListener(name, fn);
      this.#pendingStarts.add(abort);

      this.#whenMounted().then(
        (handle) => {
          if (settled) return;
          try {
            handle.start();
          } catch (error) {
            abort(error instanceof VideoIdCaptureError ? error : unsupported("The capture could not start.", error));
          }
        },
        abort,
      );
    });
  }

  /** Cancels the running capture (or a start() still waiting for the wasm). */
  cancel() {
    if (this.#handle) {
      this.#handle.cancel();
      return;
    }
    this.#abortPendingStarts("The capture was cancelled.");
  }

  /** The current state, reflected from the `state` attribute. */
  get state() {
    return this.getAttribute("state") ?? "idle";
  }

  /** The native capture step (`front`, `back`, `selfie`, `video`, `upload`), or null. */
  get step() {
    return this.getAttribute("step");
  }

  /** The host's overrides of single strings (text key → string), or null. */
  get texts() {
    return this.#texts;
  }

  set texts(value) {
    this.#texts = value ?? null;
    // Checked in the wasm: unknown keys and bad values are ignored with one warning.
    this.#handle?.setTexts(plainTexts(this.#texts));
  }

  #props() {
    const props = {};
    for (const name of Object.keys(ATTRIBUTES)) props[name] = this.getAttribute(name);
    props.loadStrings = loadStrings;
    props.loadChunk = loadChunk;
    props.texts = plainTexts(this.#texts);
    return props;
  }

  #whenMounted() {
    if (this.#handle) return Promise.resolve(this.#handle);
    const mounted = new Promise((resolve, reject) => this.#mountWaiters.push({ resolve, reject }));
    // A connected element without a handle or a mount under way failed to
    // load the wasm: start() loads it again (a failed load is not kept).
    this.#mountOnce();
    return mounted;
  }

  // Ends with #mounting cleared before the waiters and listeners hear how it
  // went, so that one of them may start the next mount at once.
  async #mountHandle() {
    let module;
    try {
      module = await loadWasm();
    } catch (error) {
      this.#failMount(error instanceof VideoIdCaptureError
        ? error
        : unsupported("The capture component could not be loaded.", error));
      return;
    }
    if (!this.isConnected || this.#handle) {
      this.#mounting = null;
      return;
    }

    const root = this.shadowRoot;
    if (!this.#mount) {
      adoptStyles(root);
      this.#mount = root.ownerDocument.createElement("div");
      root.append(this.#mount);
    }
    try {
      this.#handle = new module.CaptureHandle(this, this.#mount, this.#props());
    } catch (error) {
      this.#failMount(unsupported("The capture component could not start.", error));
      return;
    }
    // Fetch and compile the chunk this capture will need, once the base is
    // up (earlier, it would compete with the base for the network and the
    // compiler): the start button then rarely waits on the network.
    const chunk = this.getAttribute("handoff") === "always" ? "handoff" : this.getAttribute("mode");
    if (own(CHUNKS, chunk)) prefetchChunk(chunk);
    this.#mounting = null;
    const waiters = this.#mountWaiters.splice(0);
    for (const w of waiters) w.resolve(this.#handle);
  }

  // Without wasm there is no handle to report: the shell reports for it.
  #failMount(error) {
    this.#mounting = null;
    const waiters = this.#mountWaiters.splice(0);
    for (const w of waiters) w.reject(error);
    if (!this.isConnected) return;
    const previous = this.state;
    this.setAttribute("state", "failed");
    this.#emit("videoid-failed", {
      code: error.code,
      message: error.message,
      recoverable: error.recoverable,
      detail: error.detail,
    });
    this.#emit("videoid-state", { state: "failed", previous });
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
    const target = this.getAttribute("parent-origin");
    if (target && typeof window !== "undefined" && window.parent !== window) {
      try {
        window.parent.postMessage({ source: SOURCE, v: 1, type: "event", name, detail }, target);
      } catch {
        // An invalid parent-origin: the handle reports Config.Invalid for it.
      }
    }
  }

  #destroy() {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = null;
    try {
      handle.destroy();
    } finally {
      handle.free();
      this.#mount?.replaceChildren();
    }
    this.#abortPendingStarts("The element was removed from the page.");
  }

  #abortPendingStarts(message) {
    for (const abort of [...this.#pendingStarts]) {
      abort(new VideoIdCaptureError({ code: "User.Cancelled", message, recoverable: true }));
    }
  }
}

// camelCase properties reflecting the attributes; `lang` is HTMLElement's own.
for (const [attribute, property] of Object.entries(ATTRIBUTES)) {
  if (property === "lang") continue;
  Object.defineProperty(VideoIdCaptureElement.prototype, property, {
    configurable: true,
    enumerable: true,
    get() {
      return this.getAttribute(attribute);
    },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, Array.isArray(value) ? value.join(" ") : String(value));
    },
  });
}

let ownTag = null;

/**
 * Registers the element under `tagName` (default `videoid-capture`) unless
 * that name is taken; returns the class registered for it.
 */
export function defineVideoIdCapture(tagName = "videoid-capture") {
  if (typeof customElements === "undefined") return VideoIdCaptureElement;
  const existing = customElements.get(tagName);
  if (existing) return existing;
  // A class can be defined once only: another name gets a subclass.
  const cls = ownTag === null ? VideoIdCaptureElement : class extends VideoIdCaptureElement {};
  customElements.define(tagName, cls);
  if (ownTag === null) ownTag = tagName;
  return cls;
}

const CAPTURE_OPTIONS = Object.entries(ATTRIBUTES);

/**
 * Mounts an element into `options.container` (default `document.body`),
 * starts it and removes it when settled unless `options.keep`.
 * @returns {Promise<object>} the Completion
 */
export function capture(options = {}) {
  if (typeof document === "undefined" || typeof customElements === "undefined") {
    return Promise.reject(unsupported("capture() needs a browser."));
  }
  defineVideoIdCapture();
  const el = document.createElement(ownTag ?? "videoid-capture");
  for (const [attribute, property] of CAPTURE_OPTIONS) {
    const value = options[property];
    if (value === null || value === undefined) continue;
    el.setAttribute(attribute, Array.isArray(value) ? value.join(" ") : String(value));
  }
  if (options.texts) el.texts = options.texts;
  const container = options.container ?? document.body;
  container.append(el);
  const settled = el.start();
  if (options.keep) return settled;
  const remove = () => el.remove();
  return settled.then(
    (completion) => { remove(); return completion; },
    (error) => { remove(); throw error; },
  );
}

if (typeof customElements !== "undefined") {
  defineVideoIdCapture();
  // In a browser, start fetching and compiling the wasm now, in parallel with
  // the rest of the page, instead of on the first connect.
  loadWasm().catch(() => {});
}
