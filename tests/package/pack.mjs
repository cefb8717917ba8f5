// What the package tests share: where the built package is, and the tarball
// `npm pack` makes of it (what npm would publish), packed once per test file
// into a temporary directory that is removed when the process exits.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const pkgDir = resolve(process.env.VIDEOID_PKG_DIR ?? join(repo, "pkg"));

export function requirePkg() {
  if (!existsSync(join(pkgDir, "package.json"))) {
    assert.fail(
      `The built package is missing: ${pkgDir}/package.json does not exist. ` +
        "Build it first (npm run build), or point VIDEOID_PKG_DIR at it.",
    );
  }
}

export const npm = (args, cwd) =>
  run("npm", args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, npm_config_update_notifier: "false" } });

let packing = null;
/** `npm pack` of pkg/, once: `{ work, packed, tarball }` (`packed`: npm's JSON report). */
export function pack() {
  requirePkg();
  packing ??= (async () => {
    const work = mkdtempSync(join(tmpdir(), "videoid-pkg-"));
    process.on("exit", () => rmSync(work, { recursive: true, force: true }));
    const packDir = join(work, "pack");
    mkdirSync(packDir);
    const { stdout } = await npm(["pack", "--json", "--pack-destination", packDir], pkgDir);
    const [packed] = JSON.parse(stdout);
    return { work, packed, tarball: join(packDir, packed.filename) };
  })();
  return packing;
}
