// The package README's table of Subresource Integrity hashes (written by
// scripts/sri.mjs during the build) against the files npm would publish:
// every file a browser loads is listed once, with the SHA-384 of its bytes
// in the packed tarball, and nothing else is listed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pack, run } from "./pack.mjs";
import { browserFiles, sri, START, END } from "../../scripts/sri.mjs";

test("the README's integrity hashes are those of the packed files a browser loads", async () => {
  const { work, tarball } = await pack();
  const unpacked = join(work, "sri");
  mkdirSync(unpacked, { recursive: true });
  await run("tar", ["xzf", tarball, "-C", unpacked, "--strip-components=1"]);
  const readme = readFileSync(join(unpacked, "README.md"), "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  assert.ok(start >= 0 && end > start, "the README has the integrity table's markers");
  const listed = new Map();
  for (const [, file, hash] of readme.slice(start, end).matchAll(/^\| `([^`]+)` \| `(sha384-[A-Za-z0-9+/=]+)` \|$/gm)) {
    assert.ok(!listed.has(file), `${file} is listed once`);
    listed.set(file, hash);
  }
  const files = browserFiles(unpacked);
  assert.ok(files.includes("videoid-capture.js") && files.includes("videoid_capture_bg.wasm") && files.includes("i18n/nb.json"),
    `the browser's files were found: ${files}`);
  assert.deepEqual([...listed.keys()].sort(), files, "the table lists exactly the files a browser loads");
  for (const file of files) {
    assert.equal(listed.get(file), sri(readFileSync(join(unpacked, file))), `${file}: the listed hash is its bytes'`);
  }
});
