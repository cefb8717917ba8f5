// The return helper (pkg-config/return.js) against fake windows: which way it
// hands the return back, and what it refuses.

import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { parseReturn, handleReturn } = await import(pathToFileURL(join(repo, "pkg-config", "return.js")).href);

const ORIGIN = "https://host.example";
const QUERY = "?dossierId=d-1&processId=p.2&status=processing";

function fakeWindow({ search = QUERY, framed = false, opener = null, storage = {} } = {}) {
  const appended = [];
  const win = {
    posted: [],
    replacedWith: null,
    closed: false,
    timers: [],
    location: {
      search,
      origin: ORIGIN,
      href: `${ORIGIN}/videoid/return${search}`,
      replace(url) { win.replacedWith = url; },
    },
    opener,
    setTimeout(fn, ms) { win.timers.push(ms); fn(); },
    close() { win.closed = true; },
    navigator: { language: "en" },
    sessionStorage: {
      getItem: (k) => (k in storage ? storage[k] : null),
      setItem: (k, v) => { storage[k] = v; },
    },
    storage,
    appended,
    document: {
      documentElement: { lang: "en" },
      querySelector: () => null,
      createElement: () => ({ attrs: {}, setAttribute(k, v) { this.attrs[k] = v; }, textContent: "" }),
      body: { append: (n) => appended.push(n) },
    },
  };
  win.parent = framed ? { postMessage: (m, o) => win.posted.push(["parent", m, o]) } : win;
  return win;
}

const message = { source: "videoid-capture", v: 1, type: "return", dossierId: "d-1", processId: "p.2", status: "processing" };

test("parseReturn accepts only well-formed ids and status", () => {
  assert.deepEqual(parseReturn(QUERY), { dossierId: "d-1", processId: "p.2", status: "processing" });
  assert.equal(parseReturn("?dossierId=d&processId=p"), null, "status is required");
  assert.equal(parseReturn("?dossierId=d%20x&processId=p&status=processing"), null);
  assert.equal(parseReturn("?dossierId=d&processId=p&status=Processing"), null);
  assert.equal(parseReturn(`?dossierId=${"a".repeat(128)}&processId=p&status=accepted`).dossierId.length, 128);
  assert.equal(parseReturn(`?dossierId=${"a".repeat(129)}&processId=p&status=accepted`), null);
  assert.equal(parseReturn(`?dossierId=d&processId=p&status=${"a".repeat(33)}`), null);
  assert.equal(parseReturn("?dossierId=%3Cscript%3E&processId=p&status=x"), null);
});

test("in a frame it posts to the parent with its own origin as target", () => {
  const win = fakeWindow({ framed: true });
  assert.equal(handleReturn(win), "parent");
  assert.deepEqual(win.posted, [["parent", message, ORIGIN]]);
  assert.equal(win.appended.length, 0);
});

test("in a popup it posts to the opener, then closes itself", () => {
  const posted = [];
  const win = fakeWindow({ opener: { closed: false, postMessage: (m, o) => posted.push([m, o]) } });
  assert.equal(handleReturn(win), "opener");
  assert.deepEqual(posted, [[message, ORIGIN]]);
  assert.equal(win.closed, true);
});

test("after a full-page redirect it stores the return and goes back, same origin only", () => {
  const resume = (returnTo, dossierId = "d-1") => ({
    "videoid-capture:resume": JSON.stringify({ v: 1, dossierId, returnTo }),
  });
  const win = fakeWindow({ storage: resume("/signup?step=3") });
  assert.equal(handleReturn(win), "redirect");
  assert.equal(win.replacedWith, `${ORIGIN}/signup?step=3`);
  assert.deepEqual(JSON.parse(win.storage["videoid-capture:return"]), {
    v: 1, dossierId: "d-1", processId: "p.2", status: "processing",
  });

  for (const storage of [
    resume("https://evil.example/x"),
    resume("javascript:alert(1)"),
    resume("/signup", "other-dossier"),
    { "videoid-capture:resume": JSON.stringify({ v: 2, dossierId: "d-1", returnTo: "/signup" }) },
    { "videoid-capture:resume": "{not json" },
    {},
  ]) {
    const w = fakeWindow({ storage });
    assert.equal(handleReturn(w), "none", JSON.stringify(storage));
    assert.equal(w.replacedWith, null);
    assert.equal(w.storage["videoid-capture:return"], undefined);
    assert.equal(w.appended[0].textContent, "You can close this window.");
  }
});

test("bad parameters post nothing anywhere", () => {
  const win = fakeWindow({ framed: true, search: "?dossierId=&processId=p&status=x" });
  assert.equal(handleReturn(win), "none");
  assert.deepEqual(win.posted, []);
});
