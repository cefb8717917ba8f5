// The package linters on the tarball `npm pack` makes of pkg/ (what npm would
// publish, not the folder): publint (package.json against the files it names)
// and arethetypeswrong (every subpath export, resolved as TypeScript and
// bundlers resolve it, reaches types and JavaScript). Either one's complaint,
// even a suggestion, fails the test with the tool's own report.
//
// attw runs with `--profile esm-only`: the package is ESM only ("type":
// "module", no "require" condition), so the CommonJS resolutions (node10 and
// node16 from CJS) are not checked. Every other subpath export is checked,
// none excluded: the package exports no wasm file. The element fetches its
// wasm with new URL("./videoid_capture_bg.wasm", import.meta.url), relative to
// its own file, which bundlers follow and browsers fetch without the exports
// map (as for the chunks and the language files); an export of the .wasm
// promised an import nobody makes and no resolver can type, so it was removed
// rather than typed with a made-up .d.ts or left out of the check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pack, pkgDir, repo, run } from "./pack.mjs";

const bin = (name) => join(repo, "node_modules", ".bin", name);

/** Runs a linter in `cwd`; never throws for a non-zero exit: returns `{ code, out }`. */
async function lint(name, args, cwd) {
  try {
    const { stdout, stderr } = await run(bin(name), args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, stdout, out: stdout + stderr };
  } catch (error) {
    if (typeof error.code !== "number") throw error; // not started at all (e.g. not installed)
    return { code: error.code, stdout: error.stdout, out: `${error.stdout}${error.stderr}` };
  }
}

test("publint finds nothing to report in the packed tarball", async () => {
  const { work, tarball } = await pack();
  // --strict makes warnings errors; a suggestion alone still exits 0, so the
  // report must also be publint's "All good!".
  const { code, out } = await lint("publint", ["run", "--strict", tarball], work);
  assert.ok(code === 0 && out.includes("All good!"), `publint on ${tarball} (exit ${code}):\n${out}`);
});

test("arethetypeswrong (esm-only) resolves every subpath export of the packed tarball", async () => {
  const { work, tarball } = await pack();
  // Run from the temporary directory, so no .attw.json of the checkout applies.
  const json = await lint("attw", ["--profile", "esm-only", "--format", "json", tarball], work);
  if (json.code !== 0) {
    const { out } = await lint("attw", ["--profile", "esm-only", "--format", "ascii", "--no-color", "--no-emoji", tarball], work);
    assert.fail(`attw --profile esm-only on ${tarball} (exit ${json.code}):\n${out}`);
  }
  // It checked what the package exports, every entry of the exports map.
  const { analysis } = JSON.parse(json.stdout);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(analysis.packageName, manifest.name);
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(), Object.keys(manifest.exports).sort(), "the entry points attw checked");
  assert.ok(Object.keys(manifest.exports).length > 1);
});
