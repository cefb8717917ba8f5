// The built npm package (pkg/, or $VIDEOID_PKG_DIR): what `npm pack` ships,
// that it installs and imports in Node (SSR), that its exports map resolves,
// and that the README's API table and the .d.ts name the same things.
// Run after the build: `node --test tests/package/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { npm, pack, pkgDir, requirePkg, run } from "./pack.mjs";

const NAME = "videoid-capture";

// ---------------------------------------------------------------- set-up

let prepared = null;
/** Packs pkg/ and installs the tarball into an empty project, once. */
function prepare() {
  requirePkg();
  prepared ??= (async () => {
    const { work, packed, tarball } = await pack();
    const project = join(work, "project");
    mkdirSync(project);
    await npm(["init", "-y"], project);
    await npm(["install", tarball, "--no-audit", "--no-fund", "--offline", "--ignore-scripts"], project);
    return { packed, tarball, project, installed: join(project, "node_modules", NAME) };
  })();
  return prepared;
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** Runs an ES module snippet with Node inside the temp project; returns its JSON output. */
async function nodeEval(project, source) {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", source], { cwd: project });
  return JSON.parse(stdout);
}

// ---------------------------------------------------------------- parsers

const sorted = (xs) => [...new Set(xs)].sort();

function block(text, start, what) {
  const i = text.indexOf(start);
  assert.ok(i >= 0, `${what}: "${start}" not found`);
  return text.slice(i + start.length);
}

/** The string literals of `export type NAME = "a" | "b";`. */
function dtsUnion(dts, name) {
  const body = block(dts, `export type ${name} =`, "d.ts").split(";")[0];
  return sorted([...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]));
}

/** Everything the .d.ts declares, by kind. */
function parseDts(dts) {
  const failures = block(dts, "export type Failure =", "d.ts").split(";")[0];
  const events = block(dts, "export interface VideoIdCaptureEventMap {", "d.ts").split("\n}")[0];
  const cls = block(dts, "export declare class VideoIdCaptureElement extends HTMLElement {", "d.ts").split("\n}")[0];
  const members = cls
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("static "));
  const properties = [];
  const methods = [];
  for (const line of members) {
    const m = /^(?:readonly\s+)?(get\s+|set\s+)?([A-Za-z_]\w*)\s*(\(|:|\?)/.exec(line);
    if (!m) continue;
    if (m[1] || m[3] !== "(") properties.push(m[2]);
    else methods.push(m[2]);
  }
  return {
    attributes: dtsUnion(dts, "VideoIdCaptureAttribute"),
    properties: sorted(properties),
    methods: sorted(methods),
    events: sorted([...events.matchAll(/"(videoid-[a-z-]+)"\s*:/g)].map((m) => m[1])),
    failureCodes: sorted([...failures.matchAll(/FailureOf<"([^"]+)"/g)].map((m) => m[1])),
    cssParts: dtsUnion(dts, "VideoIdCapturePart"),
    cssProperties: dtsUnion(dts, "VideoIdCaptureCssProperty"),
    exports: sorted([...dts.matchAll(/^export declare (?:class|function) (\w+)/gm)].map((m) => m[1])),
    textKeys: sorted([...block(dts, "export interface VideoIdTexts {", "d.ts").split("\n}")[0].matchAll(/^\s+(\w+)\?: string;/gm)].map((m) => m[1])),
    langs: dtsUnion(dts, "VideoIdLang"),
  };
}

/** The first-column names of every table under `## API`, by `###` heading. */
function parseReadmeApi(readme) {
  const api = block(readme, "\n## API\n", "README").split(/\n## /)[0];
  const tables = {};
  for (const section of api.split(/\n### /).slice(1)) {
    const heading = section.split("\n")[0].trim();
    const names = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1].replace(/\(.*\)$/, ""));
    tables[heading] = sorted(names);
  }
  return tables;
}

const README_SECTIONS = {
  attributes: "Attributes",
  properties: "Properties",
  methods: "Methods",
  events: "Events",
  failureCodes: "Failure codes",
  cssParts: "CSS parts",
  cssProperties: "CSS custom properties",
  exports: "Module exports",
  textKeys: "Text keys",
};

// ---------------------------------------------------------------- tests

test("npm pack ships exactly the files listed in package.json", async () => {
  const { packed } = await prepare();
  const manifest = readJson(join(pkgDir, "package.json"));
  assert.equal(manifest.name, NAME);
  const shipped = sorted(packed.files.map((f) => f.path));
  // npm always adds package.json itself; a directory entry ships its files.
  const listed = manifest.files.flatMap((f) => (f.endsWith("/") ? readdirSync(join(pkgDir, f)).map((n) => f + n) : [f]));
  assert.deepEqual(shipped, sorted([...listed, "package.json"]));
  assert.equal(manifest.dependencies, undefined, "the package has no dependencies");
  for (const file of manifest.sideEffects ?? []) {
    assert.ok(manifest.files.includes(file.replace(/^\.\//, "")), `sideEffects names ${file}, which does not ship`);
  }
});

test("the installed package imports in Node (SSR) without throwing", async () => {
  const { project } = await prepare();
  const out = await nodeEval(project, `
    const m = await import("${NAME}");
    const r = await import("${NAME}/return");
    const e = new m.VideoIdCaptureError({ code: "User.Cancelled", message: "gone", recoverable: true });
    let rejected = null;
    await m.capture({}).catch((err) => { rejected = { name: err.name, code: err.code }; });
    console.log(JSON.stringify({
      exports: Object.keys(m).sort(),
      types: { capture: typeof m.capture, error: typeof m.VideoIdCaptureError, define: typeof m.defineVideoIdCapture },
      observed: m.VideoIdCaptureElement.observedAttributes,
      error: { isError: e instanceof Error, name: e.name, code: e.code, recoverable: e.recoverable, message: e.message },
      defined: m.defineVideoIdCapture() === m.VideoIdCaptureElement,
      rejected,
      returnExports: Object.keys(r).sort(),
      touchedWindow: typeof globalThis.window !== "undefined",
    }));
  `);
  assert.deepEqual(out.types, { capture: "function", error: "function", define: "function" });
  assert.deepEqual(out.exports, ["VideoIdCaptureElement", "VideoIdCaptureError", "capture", "defineVideoIdCapture"]);
  assert.deepEqual(out.error, { isError: true, name: "VideoIdCaptureError", code: "User.Cancelled", recoverable: true, message: "gone" });
  assert.ok(out.defined, "without customElements, defineVideoIdCapture() returns the class");
  assert.deepEqual(out.rejected, { name: "VideoIdCaptureError", code: "Browser.Unsupported" }, "capture() without a DOM rejects, typed");
  assert.deepEqual(out.returnExports, ["handleReturn", "parseReturn"]);
  assert.equal(out.touchedWindow, false);

  const dts = parseDts(readFileSync(join(pkgDir, "videoid-capture.d.ts"), "utf8"));
  assert.deepEqual(sorted([...out.observed, "state", "step"]), dts.attributes, "observedAttributes + the reflected state and step = the attributes in the .d.ts");
  assert.deepEqual(out.exports, dts.exports, "runtime exports = the .d.ts exports");
});

test("the exports map resolves, types first, to files that exist", async () => {
  const { installed, project } = await prepare();
  const manifest = readJson(join(installed, "package.json"));
  assert.ok(existsSync(join(installed, manifest.types)), `types: ${manifest.types} is missing`);
  assert.ok(existsSync(join(installed, manifest.module)), `module: ${manifest.module} is missing`);
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") {
      assert.ok(existsSync(join(installed, target)), `exports["${subpath}"] → ${target} is missing`);
      continue;
    }
    assert.equal(Object.keys(target)[0], "types", `exports["${subpath}"]: "types" must come first`);
    for (const [condition, file] of Object.entries(target)) {
      assert.ok(existsSync(join(installed, file)), `exports["${subpath}"].${condition} → ${file} is missing`);
    }
  }
  for (const sub of ["", "/return"]) {
    assert.ok(manifest.exports[`.${sub}`].types.endsWith(".d.ts"));
  }
  // Node's own resolver agrees.
  const specifiers = Object.keys(manifest.exports).map((s) => NAME + s.slice(1));
  const resolved = await nodeEval(project, `
    import { fileURLToPath } from "node:url";
    import { existsSync } from "node:fs";
    console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => {
      const url = import.meta.resolve(s);
      return [s, existsSync(fileURLToPath(url))];
    })));
  `);
  for (const [specifier, exists] of resolved) assert.ok(exists, `${specifier} does not resolve to a file`);
});

test("the README's API table names exactly what the .d.ts declares", async () => {
  requirePkg();
  const dts = parseDts(readFileSync(join(pkgDir, "videoid-capture.d.ts"), "utf8"));
  const readme = parseReadmeApi(readFileSync(join(pkgDir, "README.md"), "utf8"));
  for (const [kind, heading] of Object.entries(README_SECTIONS)) {
    assert.ok(readme[heading], `README has no "### ${heading}" table under "## API"`);
    assert.ok(dts[kind].length > 0, `the .d.ts declares no ${kind}`);
    assert.deepEqual(readme[heading], dts[kind], `README "${heading}" vs the .d.ts`);
  }
  assert.deepEqual(Object.keys(readme).sort(), Object.values(README_SECTIONS).sort(), "no other API tables");
});

test("the stylesheet reads exactly the CSS custom properties the .d.ts declares", async () => {
  requirePkg();
  const dts = parseDts(readFileSync(join(pkgDir, "videoid-capture.d.ts"), "utf8"));
  const css = readFileSync(join(pkgDir, "styles.js"), "utf8");
  const used = sorted([...css.matchAll(/var\((--[a-z-]+)/g)].map((m) => m[1]));
  assert.deepEqual(used, dts.cssProperties);
});

test("every language ships as i18n/<lang>.json with exactly the keys the .d.ts types", async () => {
  requirePkg();
  const dts = parseDts(readFileSync(join(pkgDir, "videoid-capture.d.ts"), "utf8"));
  const files = sorted(readdirSync(join(pkgDir, "i18n")));
  assert.deepEqual(files, sorted(dts.langs.map((l) => `${l}.json`)), "one file per VideoIdLang");
  assert.equal(dts.langs.length, 13);
  for (const file of files) {
    const strings = JSON.parse(readFileSync(join(pkgDir, "i18n", file), "utf8"));
    assert.deepEqual(sorted(Object.keys(strings)), dts.textKeys, `i18n/${file} vs VideoIdTexts`);
  }
  assert.ok(dts.textKeys.includes("start"), "the start button's key is start");
  // The shell names a file for every language but English (compiled in), in
  // the literal form bundlers follow (the shipped file is minified).
  const shell = readFileSync(join(pkgDir, "videoid-capture.js"), "utf8");
  const named = sorted([...shell.matchAll(/new URL\("\.\/i18n\/([a-z]+)\.json",\s*import\.meta\.url\)/g)].map((m) => m[1]));
  assert.deepEqual(named, dts.langs.filter((l) => l !== "en").sort());
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  const langRow = readme.split("\n").find((l) => l.startsWith("| `lang` | `en`"));
  assert.ok(langRow, "the README's lang row");
  assert.deepEqual(sorted([...langRow.slice(langRow.indexOf("| `en`"), langRow.indexOf("(right to left)")).matchAll(/`([a-z]{2})`/g)].map((m) => m[1])), dts.langs, "README lang values = VideoIdLang");
});
