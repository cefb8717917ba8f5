// The element's API has one source, api/videoid-capture.json (text keys:
// i18n/en.json), and scripts/api.mjs writes the typings, the shell's attribute
// list, the test helpers' event and state lists, custom-elements.json,
// vscode.html-custom-data.json and the npm README's API tables from it. These tests read pkg-config/ and the source, so they
// need no build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const readJson = (path) => JSON.parse(readFileSync(join(repo, path), "utf8"));
const generator = join(repo, "scripts", "api.mjs");
// Every file the generator writes, and what a copy of the tree needs for it to run.
const OUTPUTS = [
  "pkg-config/videoid-capture.d.ts",
  "pkg-config/react.d.ts",
  "pkg-config/vue.d.ts",
  "pkg-config/svelte.d.ts",
  "pkg-config/videoid-capture.js",
  "pkg-config/testing.js",
  "pkg-config/custom-elements.json",
  "pkg-config/vscode.html-custom-data.json",
  "pkg-config/README.md",
  "docs/integrate.md",
];
const INPUTS = ["api/videoid-capture.json", "i18n/en.json"];

/** `node scripts/api.mjs args…`: its exit code and output, failing or not. */
const generate = (args) =>
  run(process.execPath, [generator, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (e) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );

/** A copy of the inputs and outputs in a temp directory. */
function copyTree() {
  const dir = mkdtempSync(join(tmpdir(), "videoid-api-"));
  for (const path of [...INPUTS, ...OUTPUTS]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(repo, path), join(dir, path));
  }
  return dir;
}

test("the generated files are what the source says (node scripts/api.mjs --check)", async () => {
  const { code, out } = await generate(["--check"]);
  assert.equal(code, 0, `stale generated files; run node scripts/api.mjs\n${out}`);
  assert.equal(out, "", "a clean check prints nothing");
});

test("one doc string changed in the source changes the .d.ts, the manifests and the npm README, and --check names them", async () => {
  const dir = copyTree();
  try {
    const api = JSON.parse(readFileSync(join(dir, "api/videoid-capture.json"), "utf8"));
    const mode = api.attributes.find((a) => a.name === "mode");
    assert.ok(mode, "the source defines the mode attribute");
    const marker = "Changed in one place only";
    mode.doc = marker;
    writeFileSync(join(dir, "api/videoid-capture.json"), JSON.stringify(api, null, 2));

    const stale = await generate(["--check", "--root", dir]);
    assert.notEqual(stale.code, 0, "--check fails on a stale tree");
    for (const path of ["pkg-config/videoid-capture.d.ts", "pkg-config/custom-elements.json", "pkg-config/vscode.html-custom-data.json", "pkg-config/README.md"]) {
      assert.match(stale.out, new RegExp(`${path.replace(/[.]/g, "\\.")} is stale`), `--check names ${path}`);
      assert.ok(!readFileSync(join(dir, path), "utf8").includes(marker), `--check wrote ${path}`);
    }
    assert.doesNotMatch(stale.out, /react\.d\.ts|videoid-capture\.js /, "files the change does not touch are not stale");
    // The repository README holds no API table to go stale: it links the npm README's.
    assert.doesNotMatch(stale.out, /api: README\.md is stale/, "README.md is no output");

    const written = await generate(["--root", dir]);
    assert.equal(written.code, 0, written.out);
    const read = (path) => readFileSync(join(dir, path), "utf8");
    assert.match(read("pkg-config/videoid-capture.d.ts"), new RegExp(`/\\*\\* ${marker} \\(default: \`auto\`\\) \\*/\\n  mode\\?: CaptureMode;`));
    const manifest = JSON.parse(read("pkg-config/custom-elements.json"));
    const attr = manifest.modules[0].declarations[0].attributes.find((a) => a.name === "mode");
    assert.equal(attr.description, `${marker} (default: \`auto\`)`);
    const vscode = JSON.parse(read("pkg-config/vscode.html-custom-data.json"));
    assert.match(vscode.tags[0].attributes.find((a) => a.name === "mode").description.value, new RegExp(`^${marker}`));
    assert.ok(read("pkg-config/README.md").includes(`| \`mode\` | ${marker} | \`auto\` |`), "the npm README's attribute table");
    assert.equal((await generate(["--check", "--root", dir])).code, 0, "written, the tree is current");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("custom-elements.json is valid against the Custom Elements Manifest schema, and the package declares it", () => {
  const Ajv = require("ajv");
  const schema = require("custom-elements-manifest/schema.json");
  // The schema is draft-07 with keywords Ajv's strict mode refuses (its own `$comment`s,
  // unions without a `type`); strict off, every rule of the schema still applies.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const manifest = readJson("pkg-config/custom-elements.json");
  assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 2));
  // The validator does reject: an attribute without a name, a module of an unknown kind.
  const broken = structuredClone(manifest);
  delete broken.modules[0].declarations[0].attributes[0].name;
  broken.modules[0].kind = "python-module";
  assert.equal(validate(broken), false, "a broken manifest fails");

  const pkg = readJson("pkg-config/package.json");
  assert.equal(pkg.customElements, "custom-elements.json");
  assert.ok(pkg.files.includes("custom-elements.json"), "custom-elements.json ships");
  assert.ok(pkg.files.includes("vscode.html-custom-data.json"), "vscode.html-custom-data.json ships");
});

test("the manifest and the VS Code data name exactly the source's attributes, events, parts and properties", () => {
  const api = readJson("api/videoid-capture.json");
  const names = (xs) => xs.map((x) => x.name);
  const manifest = readJson("pkg-config/custom-elements.json");
  const [module] = manifest.modules;
  assert.equal(module.path, api.module);
  const element = module.declarations.find((d) => d.customElement);
  assert.equal(element.tagName, api.tagName);
  assert.equal(element.name, api.className);
  assert.deepEqual(names(element.attributes), names(api.attributes));
  assert.deepEqual(element.attributes.map((a) => a.fieldName), api.attributes.map((a) => a.property));
  assert.deepEqual(names(element.events), names(api.events));
  assert.deepEqual(names(element.cssParts), names(api.cssParts));
  assert.deepEqual(names(element.cssProperties), names(api.cssProperties));
  assert.deepEqual(
    names(element.members),
    [...api.attributes.map((a) => a.property), ...names(api.properties), ...names(api.methods)],
  );
  assert.deepEqual(
    module.exports.filter((x) => x.kind === "custom-element-definition").map((x) => [x.name, x.declaration.name]),
    [[api.tagName, api.className]],
  );
  assert.deepEqual(
    names(module.exports.filter((x) => x.kind === "js")).sort(),
    names(api.exports).sort(),
    "the module's exports are the source's",
  );

  const vscode = readJson("pkg-config/vscode.html-custom-data.json");
  assert.equal(vscode.version, 1.1);
  assert.deepEqual(names(vscode.tags), [api.tagName]);
  assert.deepEqual(names(vscode.tags[0].attributes), names(api.attributes));
  for (const a of api.attributes) {
    const values = vscode.tags[0].attributes.find((x) => x.name === a.name).values;
    assert.deepEqual(values && names(values), a.values, `${a.name}'s values`);
  }
});
