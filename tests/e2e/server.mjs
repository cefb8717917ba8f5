// Starts the `videoid-www` binary (demo host site, host backend, Assure
// simulator) for one test file and stops it afterwards.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUTPUT_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'output');

/** A port the OS has free now (each test file runs in its own process, so
 * two test runs on one machine never share a server). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export const HOST_PORT = Number(process.env.VIDEOID_E2E_HOST_PORT) || (await freePort());
export const SIM_PORT = Number(process.env.VIDEOID_E2E_SIM_PORT) || (await freePort());
/** The demo host site and host backend, as the browser sees it. */
export const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
/** The Assure simulator: a different origin from the host. */
export const SIM_ORIGIN = `http://127.0.0.1:${SIM_PORT}`;

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_TAIL_CHARS = 8_000;

/** Answers whether anything speaks HTTP at `url` right now. */
async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000), redirect: 'manual' });
    await res.arrayBuffer().catch(() => {});
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns the www binary and resolves once the host origin answers.
 * `name` labels the log file in tests/e2e/output/; `pkgDir` is what the
 * site serves at /pkg/ (default: the built package); `env` sets variables
 * over the test defaults (say, `VIDEOID_SIM_FINAL_DELAY_MS`).
 */
export async function startServer(name = 'server', { pkgDir: servedDir, env: extraEnv = {} } = {}) {
  const pkgDir = servedDir ?? path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
  if (!existsSync(path.join(pkgDir, 'videoid-capture.js'))) {
    throw new Error(`${path.join(pkgDir, 'videoid-capture.js')} is missing: run npm run build first`);
  }
  const bin = path.resolve(REPO_ROOT, process.env.VIDEOID_WWW_BIN || 'target/debug/videoid-www');
  if (!existsSync(bin)) {
    throw new Error(`the www binary ${bin} is missing: build it (cargo build -p videoid-www) or set VIDEOID_WWW_BIN`);
  }
  // A server left over from an earlier run would answer instead of ours.
  for (const origin of [`http://127.0.0.1:${HOST_PORT}`, `http://127.0.0.1:${SIM_PORT}`]) {
    if (await answers(`${origin}/`)) {
      throw new Error(`${origin} already answers: stop whatever listens on ports ${HOST_PORT}/${SIM_PORT} first`);
    }
  }

  const env = { ...process.env };
  // Simulator mode: never talk to the real Signicat API from the tests.
  delete env.SIGNICAT_CLIENT_ID;
  delete env.SIGNICAT_CLIENT_SECRET;
  delete env.ASSURE_BASE_URL;
  delete env.VIDEOID_ASSURE;
  Object.assign(env, {
    HOST_PORT: String(HOST_PORT),
    SIM_PORT: String(SIM_PORT),
    VIDEOID_SIM_FINAL_DELAY_MS: '200',
    // Every test of a file comes from this one loopback address, many more sessions in a
    // minute than a person starts: the limits per address are tested over real HTTP in
    // www/tests/attacks.rs, not met here by accident.
    VIDEOID_RATE_LIMITS: 'off',
    VIDEOID_PKG_DIR: pkgDir,
  }, extraEnv);
  // Each file's server keeps its data apart from `npm start`'s and is removed after.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'videoid-e2e-'));
  env.VIDEOID_DATA_DIR = dataDir;
  // The contract's default allowlist names port 8080; the tests host elsewhere.
  env.VIDEOID_SIM_FRAME_ANCESTORS ??=
    `'self' http://localhost:${HOST_PORT} http://127.0.0.1:${HOST_PORT}`;

  mkdirSync(OUTPUT_DIR, { recursive: true });
  const logFile = path.join(OUTPUT_DIR, `${name}.server.log`);
  const logStream = createWriteStream(logFile);
  let tail = '';
  const keep = (chunk) => {
    logStream.write(chunk);
    tail = (tail + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };

  const child = spawn(bin, [], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitedPromise, sleep(STOP_TIMEOUT_MS).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    await new Promise((r) => logStream.end(r));
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      const how = exited.error ? exited.error.message : `code ${exited.code}, signal ${exited.signal}`;
      throw new Error(`videoid-www exited before it answered (${how}). Its output:\n${tail}`);
    }
    if ((await answers(`http://127.0.0.1:${HOST_PORT}/`)) && (await answers(`${SIM_ORIGIN}/`))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `videoid-www did not answer on ${HOST_ORIGIN}/ and ${SIM_ORIGIN}/ within ${START_TIMEOUT_MS / 1000} s. Its output:\n${tail}`,
      );
    }
    await sleep(200);
  }

  return { stop, logFile, output: () => tail };
}
