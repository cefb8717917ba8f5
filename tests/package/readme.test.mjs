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
