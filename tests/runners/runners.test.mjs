// The packed package (npm pack of pkg/, or $VIDEOID_PKG_DIR) imported in the
// unit-test runners front-end teams use, each with its ordinary set-up:
// Vitest 4 with jsdom and with happy-dom, and Jest 30 with native ES modules
// in its node and jsdom environments (dom-tests.js, jest/node.test.js).
// The tarball is unpacked into this folder's node_modules, as npm installs a
// package without dependencies.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pack, run } from "../package/pack.mjs";

const here = dirname(fileURLToPath(import.meta.url));
let work;

before(async () => {
  assert.ok(existsSync(join(here, "node_modules", "vitest")), "tests/runners has no node_modules: scripts/examples.sh installs them");
  const packed = await pack();
  work = packed.work;
  const target = join(here, "node_modules", "videoid-capture");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await run("tar", ["xzf", packed.tarball, "-C", target, "--strip-components=1"]);
});

/** Runs a runner that writes a JSON report; returns the report, with its output on failure. */
async function report(args, file, env = {}) {
  const out = join(work, file);
  let failure = null;
  try {
    await run(process.execPath, args(out), { cwd: here, env: { ...process.env, ...env, CI: "true" }, maxBuffer: 16 << 20 });
  } catch (error) {
    failure = `${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`;
  }
  assert.ok(existsSync(out), `no report: ${failure}`);
  const json = JSON.parse(readFileSync(out, "utf8"));
  return { json, failure };
}

test("Vitest, with jsdom and with happy-dom: the element imports, defines itself, reflects, and fails typed", async () => {
  const { json, failure } = await report(
    (out) => ["node_modules/vitest/vitest.mjs", "run", "--reporter=json", `--outputFile=${out}`],
    "vitest.json",
  );
  const files = json.testResults.map((r) => [r.name.slice(here.length + 1), r.assertionResults.filter((a) => a.status === "passed").length]);
  assert.equal(json.numFailedTests, 0, failure ?? "");
  assert.equal(failure, null);
  assert.deepEqual(files.sort(), [["vitest/happy-dom.test.js", 3], ["vitest/jsdom.test.js", 3]]);
});

test("Jest (ESM), in its node and jsdom environments: imports without crashing; typed failures", async () => {
  const { json, failure } = await report(
    (out) => ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--json", `--outputFile=${out}`],
    "jest.json",
  );
  const files = json.testResults.map((r) => [r.name.slice(here.length + 1), r.assertionResults.filter((a) => a.status === "passed").length]);
  assert.equal(json.numFailedTests, 0, failure ?? "");
  assert.equal(failure, null);
  assert.deepEqual(files.sort(), [["jest/jsdom.test.js", 3], ["jest/node.test.js", 1]]);
});
