// Starts the standalone Assure simulator (`videoid-www simulator`) on a free
// port and wraps its control API. The binary comes from `cargo install --path
// www` (on PATH), or from $VIDEOID_WWW_BIN.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const START_TIMEOUT_MS = 20_000;

/**
 * Spawns the simulator and resolves once it printed its banner:
 * `{ url, clientId, clientSecret, control, stop() }`.
 */
export async function startSimulator({ pkgDir, env = {} } = {}) {
  const bin = process.env.VIDEOID_WWW_BIN || "videoid-www";
  const args = ["simulator", "--port", "0", "--final-delay", "200ms"];
  if (pkgDir) args.push("--pkg-dir", pkgDir);
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const banner = {};
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} simulator printed no banner in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${bin} (cargo install --path www, or set VIDEOID_WWW_BIN): ${error.message}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${bin} simulator exited with ${code} before it was ready`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /^\s+([a-zA-Z ]+):\s+(.*)$/.exec(line);
      if (m) banner[m[1]] = m[2];
      if (m?.[1] === "data") {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve();
      }
    });
  });
  const url = banner["base URL"];
  const clientId = banner["client id"];
  const clientSecret = banner["client secret"];
  const auth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;

  /** A control API call; resolves with the JSON answer (null for 204). */
  async function control(method, path, body) {
    const response = await fetch(`${url}/simulator${path}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /simulator${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  }

  return {
    url,
    clientId,
    clientSecret,
    control: {
      /** The outcome of the next process any backend creates. */
      next: (scenario) => control("POST", "/outcomes/next", { scenario }),
      /** The outcome of every process in dossiers with this `externalReference`. */
      forReference: (reference, scenario) =>
        control("PUT", `/outcomes/external-references/${encodeURIComponent(reference)}`, { scenario }),
      requests: (query = "") => control("GET", `/requests${query}`),
      processes: () => control("GET", "/processes"),
      uploads: () => control("GET", "/uploads"),
      reset: () => control("POST", "/reset"),
    },
    /** SIGTERM, then the exit code. */
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}
