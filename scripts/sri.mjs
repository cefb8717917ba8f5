// Writes the Subresource Integrity hashes (SHA-384) of every file of the
// package that a browser loads (the scripts, the wasm files, the language
// files) into the package's README, between its `<!-- sri -->` markers:
//   node scripts/sri.mjs <package dir>
// scripts/build.sh runs it on the assembled package; tests/package/sri.test.mjs
// checks the table against the packed files.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The files a browser loads, relative to the package root, sorted. */
export function browserFiles(dir) {
  const top = readdirSync(dir).filter((f) => /\.(js|wasm)$/.test(f) && f !== "testing.js");
  const langs = readdirSync(join(dir, "i18n")).filter((f) => f.endsWith(".json")).map((f) => `i18n/${f}`);
  return [...top, ...langs].sort();
}

export const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

export const START = "<!-- sri -->";
export const END = "<!-- /sri -->";

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/sri.mjs <package dir>");
    process.exit(2);
  }
  const readme = join(dir, "README.md");
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`sri: ${readme} has no ${START} … ${END} markers`);
    process.exit(1);
  }
  const rows = browserFiles(dir).map((f) => `| \`${f}\` | \`${sri(readFileSync(join(dir, f)))}\` |`);
  const table = ["", "", "| file | integrity |", "|---|---|", ...rows, "", ""].join("\n");
  writeFileSync(readme, text.slice(0, start + START.length) + table + text.slice(end));
}
