// The repository README repeats the package README's API section; both must
// say the same (the package test checks that one against the .d.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const apiSection = (text, where) => {
  const start = text.indexOf("\n## API\n");
  assert.ok(start >= 0, `${where} has no "## API" section`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n## (?!#)/);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
};

test("the repository README's API section is the package README's", () => {
  const repo = apiSection(readFileSync(root + "README.md", "utf8"), "README.md");
  const pkg = apiSection(readFileSync(root + "pkg-config/README.md", "utf8"), "pkg-config/README.md");
  assert.ok(pkg.includes("| `session-endpoint` |"), "the API section has its tables");
  assert.equal(repo, pkg);
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
