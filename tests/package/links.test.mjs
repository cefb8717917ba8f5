// The READMEs' relative links (and those of the pages they lead to) lead
// somewhere: a link to a file or folder names one in the repository, and a
// link to `#anchor` (in the same file or in another Markdown file) names a
// heading there, as GitHub makes anchors from headings, or an explicit
// `<a id>`/`<a name>`. Paths in these pages that leave the repository fail too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repo } from "./pack.mjs";

const DOCS = [
  "README.md",
  "pkg-config/README.md",
  "CONTRIBUTING.md",
  "docs/backend.md",
  "docs/deploy.md",
  "docs/integrate.md",
  "docs/contracts.md",
  "www/README.md",
  "tests/README.md",
];

/** The text outside fenced code blocks, line by line (a `#` in a shell block is no heading). */
function prose(text) {
  let fence = null;
  return text.split("\n").map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m && (fence === null || m[1].startsWith(fence))) {
      fence = fence === null ? m[1][0].repeat(m[1].length) : null;
      return "";
    }
    return fence === null ? line : "";
  });
}

/** GitHub's anchor for a heading's text (github-slugger): lower case, punctuation dropped, spaces to `-`. */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link: its text
    .replace(/<[^>]+>/g, "") // inline HTML
    .replace(/[`*]/g, "") // code and emphasis marks
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a Markdown file has: its headings' (with `-1`, `-2` for repeats) and explicit ids. */
function anchorsOf(file) {
  return anchorsIn(readFileSync(file, "utf8"));
}

function anchorsIn(text) {
  const lines = prose(text);
  const anchors = new Set();
  const seen = new Map();
  for (const line of lines) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Relative link targets in a Markdown file's prose: `[text](target)` and `<a href="target">`. */
function linksOf(file) {
  const links = [];
  prose(readFileSync(file, "utf8")).forEach((line, i) => {
    const inline = line.replace(/`[^`]*`/g, "``"); // code spans hold no links
    for (const m of inline.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<a\s[^>]*href="([^"]+)"/g)) {
      const target = m[1] ?? m[2];
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ target, line: i + 1 });
    }
  });
  return links;
}

test("GitHub's anchors are made as GitHub makes them", () => {
  assert.equal(slug("Test helpers (`videoid-capture/testing`)"), "test-helpers-videoid-capturetesting");
  assert.equal(slug("VideoID's web SDK in your page (UC2, `mode: \"sdk\"`)"), "videoids-web-sdk-in-your-page-uc2-mode-sdk");
  assert.equal(slug("React 19"), "react-19");
  assert.equal(slug("The return page"), "the-return-page");
});

for (const doc of DOCS) {
  test(`${doc}: every relative link leads to a file or an anchor that exists, inside the repository`, () => {
    const file = join(repo, doc);
    const links = linksOf(file);
    const broken = [];
    for (const { target, line } of links) {
      const [path, anchor] = target.split("#");
      const dest = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
      const where = `${doc}:${line}: ${target}`;
      if (relative(repo, dest).startsWith("..")) broken.push(`${where} leaves the repository`);
      else if (!existsSync(dest)) broken.push(`${where}: no such file`);
      else if (anchor !== undefined) {
        if (!statSync(dest).isFile() || !dest.endsWith(".md")) broken.push(`${where}: an anchor in what is no Markdown file`);
        else if (!anchorsOf(dest).has(anchor)) broken.push(`${where}: no heading makes #${anchor}`);
      }
    }
    assert.deepEqual(broken, []);
    // Paths written as code that climb out of the page's folder name something in the repository.
    const climbing = prose(readFileSync(file, "utf8")).flatMap((line, i) =>
      [...line.matchAll(/`((?:\.\.\/)+[\w.\/-]*)`/g)]
        .map((m) => [m[1], resolve(dirname(file), m[1])])
        .filter(([, dest]) => relative(repo, dest).startsWith("..") || !existsSync(dest))
        .map(([path]) => `${doc}:${i + 1}: ${path} is nothing in the repository`),
    );
    assert.deepEqual(climbing, []);
  });
}

test("the checks find what they look for", () => {
  // The root README links the npm README's Frameworks and API sections, its own sections and the guides.
  const root = linksOf(join(repo, "README.md")).map((l) => l.target);
  assert.ok(root.includes("pkg-config/README.md#frameworks"));
  assert.ok(root.includes("pkg-config/README.md#api"));
  assert.ok(root.includes("#backend-integration"));
  for (const doc of ["docs/backend.md", "docs/deploy.md", "docs/integrate.md", "CONTRIBUTING.md"]) assert.ok(root.includes(doc), `README.md links ${doc}`);
  assert.ok(anchorsOf(join(repo, "pkg-config/README.md")).has("frameworks"));
  assert.ok(!anchorsOf(join(repo, "README.md")).has("no-such-heading"));
  // A `# comment` in a code block is no heading; a repeated heading gets `-1`.
  const sample = "## A heading\n\n```sh\n# not a heading\n```\n\n## A heading\n<a id=\"kept\"></a>\n";
  assert.deepEqual([...anchorsIn(sample)].sort(), ["a-heading", "a-heading-1", "kept"]);
});
