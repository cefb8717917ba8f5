// The framework typings of the built package, checked by each framework's own
// type checker: typed templates that must pass, and wrong attribute values,
// text keys and event details that must fail. Needs `npm ci` here and pkg/
// built (scripts/examples.sh does both).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const bin = (name) => `${here}node_modules/.bin/${name}`;
const check = (tool, args) =>
  run(bin(tool), args, { cwd: here, maxBuffer: 16 << 20 }).then(
    ({ stdout }) => ({ ok: true, out: stdout }),
    (e) => ({ ok: false, out: `${e.stdout}${e.stderr}` }),
  );

test("React 19 JSX and the plain DOM typings: tsc accepts the good, flags every wrong value", async () => {
  const { ok, out } = await check("tsc", ["-p", "tsconfig.json"]);
  assert.ok(ok, out);
  // Each wrong value carries @ts-expect-error: an unused one would fail tsc above.
});

test("Vue 3 templates: vue-tsc accepts the good, flags every wrong value", async () => {
  const { ok, out } = await check("vue-tsc", ["-p", "vue/tsconfig.json"]);
  assert.ok(ok, out);
});

test("Svelte 5 templates: svelte-check accepts the good", async () => {
  const { ok, out } = await check("svelte-check", ["--workspace", `${here}svelte`, "--tsconfig", `${here}svelte/tsconfig.json`, "--fail-on-warnings"]);
  assert.ok(ok, out);
});

test("Svelte 5 templates: svelte-check flags a wrong mode, a wrong text key and a wrong event detail", async () => {
  const { ok, out } = await check("svelte-check", ["--workspace", `${here}svelte-bad`, "--tsconfig", `${here}svelte-bad/tsconfig.json`, "--output", "machine"]);
  assert.equal(ok, false, out);
  assert.match(out, /bogus/, out);
  assert.match(out, /strat/, out);
  assert.match(out, /nope/, out);
  assert.match(out, / 3 ERRORS /, out);
});
