// One release, one version number: the npm package (pkg-config/package.json),
// every crate of the Cargo workspace and the newest release in CHANGELOG.md
// say the same. The crates besides videoid-capture (the demo site, the
// reference backend, the code they share and the Assure simulator) are not
// published on their own: they come from this repository at the release the
// changelog names, and its 0.1.0 lists them, so they carry that version too.
// CHANGELOG.md keeps the Keep a Changelog 1.1.0 layout, and the package
// ships it as it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, repo, requirePkg } from "./pack.mjs";

const read = (file) => readFileSync(join(repo, file), "utf8");
const SECTIONS = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"];
const RELEASE = /^## \[(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - (\d{4}-\d{2}-\d{2})( \[YANKED\])?$/;

/** The lines of one TOML table (`[name]` up to the next table header). */
function tomlTable(text, name, file) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  assert.ok(start >= 0, `${file} has no [${name}] table`);
  const end = lines.findIndex((l, i) => i > start && /^\s*\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** A crate's version: `version = "…"`, or the workspace's for `version.workspace = true`. */
function crateVersion(file, workspaceVersion) {
  const table = tomlTable(read(file), "package", file);
  for (const line of table) {
    const own = /^version\s*=\s*"([^"]+)"/.exec(line);
    if (own) return own[1];
    if (/^version\.workspace\s*=\s*true/.test(line)) {
      assert.ok(workspaceVersion, `${file} takes the workspace's version, which Cargo.toml's [workspace.package] does not set`);
      return workspaceVersion;
    }
  }
  assert.fail(`${file} has no version in [package]`);
}

/** Every `## ` heading of CHANGELOG.md, with the `### ` headings under it. */
function changelogSections(text) {
  const sections = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("## ")) sections.push({ heading: line, subsections: [] });
    else if (line.startsWith("### ")) sections.at(-1)?.subsections.push(line.slice(4).trim());
  }
  return sections;
}

/** Semantic Versioning precedence: negative when a comes before b. */
function compareVersions(a, b) {
  const split = (v) => {
    const [core, pre] = v.split(/-(.*)/s);
    return { core: core.split(".").map(Number), pre: pre === undefined ? null : pre.split(".") };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] - y.core[i];
  if (x.pre === null || y.pre === null) return (x.pre === null) - (y.pre === null);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const [p, q] = [x.pre[i], y.pre[i]];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

function releases() {
  return changelogSections(read("CHANGELOG.md"))
    .map((s) => RELEASE.exec(s.heading))
    .filter(Boolean)
    .map(([, version, date]) => ({ version, date }));
}

test("pkg-config/package.json, every workspace crate and CHANGELOG.md's newest release have one version", () => {
  const version = JSON.parse(read("pkg-config/package.json")).version;
  assert.match(version ?? "", /^\d+\.\d+\.\d+/, "pkg-config/package.json has a version");

  const root = read("Cargo.toml");
  const membersLine = /^members\s*=\s*\[([^\]]*)\]/m.exec(tomlTable(root, "workspace", "Cargo.toml").join("\n"));
  assert.ok(membersLine, "Cargo.toml's [workspace] lists its members");
  const members = [...membersLine[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(members.includes("."), "the videoid-capture crate (Cargo.toml's own [package]) is a member");
  const workspaceVersion = tomlTable(root, "workspace.package", "Cargo.toml")
    .map((l) => /^version\s*=\s*"([^"]+)"/.exec(l)?.[1])
    .find(Boolean);
  const claims = members.map((dir) => {
    const file = dir === "." ? "Cargo.toml" : `${dir}/Cargo.toml`;
    return [file, crateVersion(file, workspaceVersion)];
  });

  const [newest] = releases();
  assert.ok(newest, "CHANGELOG.md has a release heading: ## [x.y.z] - YYYY-MM-DD");
  claims.push(["CHANGELOG.md (its newest release)", newest.version]);

  const differ = claims.filter(([, v]) => v !== version).map(([file, v]) => `${file} says ${v}`);
  assert.deepEqual(differ, [], `not the version of pkg-config/package.json (${version}): ${differ.join("; ")}`);
  assert.equal(claims.length, members.length + 1);
});

test("CHANGELOG.md keeps the Keep a Changelog layout: [Unreleased] first, then releases newest first with ISO dates", () => {
  const text = read("CHANGELOG.md");
  assert.equal(text.split("\n")[0], "# Changelog", "the first line");
  assert.ok(text.includes("https://keepachangelog.com/en/1.1.0/"), "the header names the format it follows");
  const sections = changelogSections(text);
  assert.equal(sections[0]?.heading, "## [Unreleased]", "the first ## heading");
  const rest = sections.slice(1);
  assert.ok(rest.length > 0, "at least one release");
  for (const [i, { heading, subsections }] of sections.entries()) {
    assert.ok(i === 0 || RELEASE.test(heading), `"${heading}": a release heading is "## [x.y.z] - YYYY-MM-DD" ([Unreleased] comes once, first)`);
    const unknown = subsections.filter((s) => !SECTIONS.includes(s));
    assert.deepEqual(unknown, [], `"${heading}": the kinds of change are ${SECTIONS.join(", ")}`);
  }
  const list = releases();
  assert.equal(list.length, rest.length);
  for (const { version, date } of list) {
    const day = new Date(`${date}T00:00:00Z`);
    assert.ok(!Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date, `${version}: ${date} is not a calendar date`);
  }
  for (let i = 1; i < list.length; i++) {
    const [newer, older] = [list[i - 1], list[i]];
    assert.ok(compareVersions(newer.version, older.version) > 0, `${newer.version} is listed above ${older.version}: newest first, each version once`);
    assert.ok(newer.date >= older.date, `${newer.version} (${newer.date}) is dated before ${older.version} (${older.date})`);
  }
});

test("the package ships CHANGELOG.md as it is at the repository's root", () => {
  requirePkg();
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.ok(manifest.files.includes("CHANGELOG.md"), "package.json \"files\" lists CHANGELOG.md");
  let shipped = null;
  try {
    shipped = readFileSync(join(pkgDir, "CHANGELOG.md"), "utf8");
  } catch {
    assert.fail(`${pkgDir}/CHANGELOG.md is missing: scripts/build.sh copies it from the root`);
  }
  assert.equal(shipped, read("CHANGELOG.md"), `${pkgDir}/CHANGELOG.md differs from the root's: rebuild the package`);
});
