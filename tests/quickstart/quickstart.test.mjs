// The quick start at the top of README.md and the package README, run as a
// reader would: the page, the Node backend and the Python backend are taken
// from the README (between the `<!-- quickstart:… -->` markers), written into
// an empty folder beside the packed package (node_modules/videoid-capture),
// and run against the standalone Assure simulator; real Chromium then goes
// through an embed flow to an accepted result. A change that breaks a snippet
// breaks this test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pack, repo, run } from "../package/pack.mjs";
import { launchBrowser } from "../e2e/helpers.mjs";
import { watchContract } from "../e2e/contract.mjs";
import { freePort } from "../e2e/server.mjs";
import { startSimulator } from "../../examples/playwright/tests/simulator.mjs";

const STEP_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 20_000;
const opts = { timeout: 90_000 };
process.env.VIDEOID_WWW_BIN ??= join(repo, "target", "debug", "videoid-www");

/** The quick start's code blocks in `file`: `{ name: { lang, code } }`, every marker pair matched. */
export function quickstart(file) {
  const text = readFileSync(join(repo, file), "utf8");
  const found = {};
  const block = /<!-- quickstart:([a-z]+) -->\n+```([a-z]+)\n([\s\S]*?)\n```\n+<!-- \/quickstart:\1 -->/g;
  for (const [, name, lang, code] of text.matchAll(block)) {
    assert.equal(found[name], undefined, `${file}: the quick start's ${name} block is there twice`);
    found[name] = { lang, code: `${code}\n` };
  }
  const markers = [...text.matchAll(/<!-- quickstart:([a-z]+) -->/g)].map((m) => m[1]);
  assert.deepEqual(markers.sort(), Object.keys(found).sort(), `${file}: a quickstart marker without its code block`);
  return found;
}

const readme = quickstart("README.md");
let dir;
let sim;
let browser;
const children = new Set();

test("both READMEs carry the quick start: the same page and Node backend, and the Python one in README.md", () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(readme).map(([name, { lang }]) => [name, lang])),
    { html: "html", node: "js", python: "python" },
  );
  const npmReadme = quickstart("pkg-config/README.md");
  assert.equal(npmReadme.html?.code, readme.html.code, "the npm README's page is README.md's");
  assert.equal(npmReadme.node?.code, readme.node.code, "the npm README's Node backend is README.md's");
  // What the snippets promise: the element's endpoints and events, no phone handoff, the
  // reference backend's variable names for the real API, the secrets only on the server.
  assert.match(readme.html.code, /session-endpoint="\/api\/session" result-endpoint="\/api\/result"/);
  assert.match(readme.html.code, /handoff="off"/);
  assert.match(readme.html.code, /"videoid-result"/);
  assert.match(readme.html.code, /"videoid-failed"/);
  assert.doesNotMatch(readme.html.code, /SIGNICAT|SECRET/);
  for (const backend of [readme.node.code, readme.python.code]) {
    for (const name of ["ASSURE_BASE_URL", "SIGNICAT_CLIENT_ID", "SIGNICAT_CLIENT_SECRET", "PUBLIC_URL"]) {
      assert.ok(backend.includes(name), `a backend reads ${name}`);
    }
    assert.doesNotMatch(backend, /ASSURE_CLIENT_/, "the reference backend's names, not others");
  }
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "videoid-quickstart-"));
  const installed = join(dir, "node_modules", "videoid-capture");
  mkdirSync(installed, { recursive: true });
  const { tarball } = await pack();
  await run("tar", ["xzf", tarball, "-C", installed, "--strip-components=1"]);
  writeFileSync(join(dir, "index.html"), readme.html.code);
  writeFileSync(join(dir, "server.mjs"), readme.node.code);
  writeFileSync(join(dir, "server.py"), readme.python.code);
  sim = await startSimulator({ pkgDir: installed });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  for (const child of children) await stop(child);
  if (sim) assert.equal(await sim.stop(), 0, "the simulator stops cleanly");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts a quick-start backend on a free port; resolves with `{ child, url, log }` once it printed its URL. */
async function startBackend(command, args) {
  const port = await freePort();
  const log = [];
  const child = spawn(command, args, {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      ASSURE_BASE_URL: sim.url,
      SIGNICAT_CLIENT_ID: sim.clientId,
      SIGNICAT_CLIENT_SECRET: sim.clientSecret,
    },
  });
  children.add(child);
  createInterface({ input: child.stderr }).on("line", (line) => log.push(line));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} printed no URL in ${START_TIMEOUT_MS} ms: ${log.join("\n")}`)), START_TIMEOUT_MS);
    child.once("error", (error) => (clearTimeout(timer), reject(error)));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${command} exited with ${code}: ${log.join("\n")}`))));
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve(line.trim());
    });
  });
  return { child, url, log };
}

function stop(child) {
  children.delete(child);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The page from the README, served by `backend`: start, "Accepted" in the simulator's capture page, the result. */
async function acceptedFlow(backend) {
  const { child, url, log } = backend;
  const context = await browser.newContext();
  // The quick start's two endpoints answer as docs/backend.openapi.yaml says, at their own paths.
  const contractChecked = watchContract(context, new URL(url).origin, {
    paths: { "/api/session": "/api/videoid/session", "/api/result": "/api/videoid/result" },
  });
  try {
    assert.match(url, /^http:\/\/localhost:\d+\/$/, "the backend names the page's address");
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.videoidEvents = [];
      for (const type of ["videoid-result", "videoid-failed", "videoid-complete"]) {
        document.addEventListener(type, (e) => window.videoidEvents.push({ type, detail: e.detail }), true);
      }
    });
    const secretSeen = [];
    const answered = [];
    page.on("response", async (response) => {
      answered.push(`${response.status()} ${new URL(response.url()).pathname}`);
      const body = await response.body().catch(() => Buffer.alloc(0));
      if (body.includes(sim.clientSecret)) secretSeen.push(response.url());
    });
    await page.goto(url);
    const element = page.locator("videoid-capture#verify");
    await element.waitFor({ state: "visible", timeout: STEP_TIMEOUT_MS });
    const start = page.locator('#verify [part~="start-button"]');
    await start.waitFor({ state: "visible", timeout: STEP_TIMEOUT_MS });
    assert.equal(await element.getAttribute("state"), "idle");
    assert.equal(await element.getAttribute("handoff"), "off");
    assert.equal(await page.locator('#verify [part~="handoff-button"]').count(), 0, "no phone handoff offered");

    await start.click();
    // The simulator's capture page, from the session the backend made, in the element's frame.
    const frame = page.frameLocator('#verify [part~="frame"]');
    await frame.locator('button[data-outcome="accepted"]').click({ timeout: STEP_TIMEOUT_MS });

    const handle = await page.waitForFunction(
      () => window.videoidEvents.find((e) => e.type === "videoid-result" || e.type === "videoid-failed"),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    const first = await handle.jsonValue();
    assert.equal(first.type, "videoid-result", `the flow ended in ${JSON.stringify(first)}; backend log:\n${log.join("\n")}`);
    assert.equal(first.detail.status, "accepted");
    assert.equal(first.detail.process.status, "accepted", "the result endpoint answered Assure's process");
    assert.ok(first.detail.process.processId, "the process has its id");
    await page.locator("#outcome", { hasText: "Verification finished: accepted" }).waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await element.getAttribute("state"), "complete");

    // The process is in a dossier the backend created through the Assure API.
    const process = (await sim.control.processes()).find((p) => p.processId === first.detail.process.processId);
    assert.ok(process, "the simulator holds the process");
    assert.equal(process.status, "accepted");
    assert.equal(first.detail.dossierId, process.dossierId);
    assert.deepEqual(secretSeen, [], "the client secret never reaches the browser");
    // The capture flow came back to the return page, which loaded the package's return helper.
    assert.ok(answered.includes("200 /return"), `the return page was served: ${answered.join(", ")}`);
    assert.ok(answered.includes("200 /pkg/return.js"), `the return helper was served: ${answered.join(", ")}`);

    // The session endpoint refuses a request from another site.
    const foreign = await fetch(new URL("/api/session", url), {
      method: "POST",
      headers: { origin: "https://elsewhere.example", "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();

    const contract = await contractChecked();
    assert.deepEqual(contract.mismatches, [], "the backend's answers keep the contract");
    assert.ok(contract.validated >= 2, `the session and result answers were checked (${contract.validated})`);
  } finally {
    await context.close();
    await stop(child);
  }
}

test("the Node backend from the README: the page, the simulator's capture page in the frame, accepted", opts, async () => {
  await acceptedFlow(await startBackend(process.execPath, ["server.mjs"]));
});

test("the Python backend from the README: the same page and flow, accepted", opts, async () => {
  await acceptedFlow(await startBackend("python3", ["server.py"]));
});
