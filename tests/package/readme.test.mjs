// The API tables exist once, in the package README that npm users read
// (scripts/api.mjs writes them; the package test checks them against the .d.ts).
// The repository README links that section and carries no copy of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SECTIONS = ["attributes", "properties", "methods", "module-exports", "events", "failure-codes", "text-keys", "css-parts", "css-custom-properties"];
const TABLES = ["attributes", "properties", "methods", "exports", "events", "failures", "text-keys", "css-parts", "css-properties"];

test("the package README holds the API tables; the repository README links them and has no copy", () => {
  const pkg = readFileSync(root + "pkg-config/README.md", "utf8");
  const repo = readFileSync(root + "README.md", "utf8");
  assert.ok(pkg.includes("\n## API\n"), "the package README has its API section");
  for (const name of TABLES) {
    assert.ok(pkg.includes(`<!-- api:${name} -->`) && pkg.includes(`<!-- /api:${name} -->`), `the package README has the ${name} table's markers`);
  }
  assert.ok(pkg.includes("| `session-endpoint` |"), "the API section has its tables");

  assert.ok(repo.includes("](pkg-config/README.md#api)"), "README.md links the package README's API section");
  for (const section of SECTIONS) {
    assert.ok(repo.includes(`](pkg-config/README.md#${section})`), `README.md links the package README's #${section}`);
  }
  assert.doesNotMatch(repo, /^<!-- \/?api:[\w-]+ -->$/m, "README.md has no generated API table's markers");
  // No row of any API table: not the attributes', the failures' nor the text keys'.
  for (const row of ["| `session-endpoint` |", "| `Backend.Error` |", "| `--videoid-accent` |", "| key | English |"]) {
    assert.ok(!repo.includes(row), `README.md has no copy of ${row}`);
  }
});

// The package README's CSP names what the element loads: native review shows the
// still and the recorded video from `blob:` URLs it makes (src/web/native.rs).
test("the package README's Content Security Policy allows the review's blob: image and video", () => {
  const readme = readFileSync(root + "pkg-config/README.md", "utf8");
  const section = readme.slice(readme.indexOf("\n## Content Security Policy\n"));
  const block = /```\n([\s\S]*?)\n```/.exec(section)?.[1];
  assert.ok(block, "the CSP section has its policy block");
  const directives = Object.fromEntries(
    block.split(/;\s*/).filter(Boolean).map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
  const native = readFileSync(root + "src/web/native.rs", "utf8");
  assert.match(native, /Url::create_object_url_with_blob/, "the review still makes object URLs");
  assert.match(native, /"video"/, "the review shows a video");
  assert.ok(directives["img-src"]?.includes("blob:"), `img-src allows blob: (${block})`);
  assert.ok(directives["media-src"]?.includes("blob:"), `media-src allows blob: (${block})`);
  for (const name of ["script-src", "connect-src", "frame-src"]) assert.ok(directives[name], `${name} is there`);
});

test("both READMEs say that native mode is not VideoID (a document-and-selfie check on signicatpaper)", () => {
  const pkg = readFileSync(root + "pkg-config/README.md", "utf8");
  const repo = readFileSync(root + "README.md", "utf8");
  const modeRow = pkg.split("\n").find((line) => line.startsWith("| `mode` |"));
  assert.ok(modeRow, "the package README's attributes table has the mode row");
  assert.match(modeRow, /`native`[^|]*not VideoID/, "the mode row says native is not VideoID");
  assert.match(modeRow, /signicatpaper/, "the mode row names the provider native uploads to");
  assert.match(repo, /not VideoID/, "README.md's modes say it too");
});
