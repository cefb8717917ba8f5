// Stock browsers through their own WebDriver servers, driven by
// selenium-webdriver (classic WebDriver): Firefox ESR through geckodriver
// (headless, fake media by prefs) and WebKitGTK through WebKitWebDriver
// (MiniBrowser with mock capture devices, under its own Xvfb). Each engine
// run starts one driver server on a free port; each test gets a new session.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WebDriver } from 'selenium-webdriver';
import { HttpClient, Executor } from 'selenium-webdriver/http/index.js';
import { freePort, REPO_ROOT } from '../e2e/server.mjs';

const PROFILES = path.join(REPO_ROOT, 'tests', 'webdriver');
const START_TIMEOUT_MS = 30_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Reads a capabilities file from tests/webdriver/. */
function profile(name) {
  return JSON.parse(readFileSync(path.join(PROFILES, `${name}.json`), 'utf8'));
}

/** Starts a process and resolves once `ready()` says so; rejects if it exits first. */
async function startProcess(label, command, args, env, ready) {
  let output = '';
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve((exited = { code, signal })));
    child.on('error', (error) => resolve((exited = { error })));
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    if (!(await Promise.race([exit, sleep(5_000).then(() => null)]))) {
      child.kill('SIGKILL');
      await exit;
    }
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      throw new Error(`${label} exited before it was ready (${exited.error?.message ?? `code ${exited.code}`}):\n${output}`);
    }
    const value = await ready().catch(() => null);
    if (value) return { value, stop, output: () => output };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${label} was not ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(100);
  }
}

/** An X server of its own for MiniBrowser: `-displayfd` makes Xvfb pick a free display. */
async function startXvfb() {
  let display = null;
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdio[3].on('data', (chunk) => {
    buffer += chunk;
    if (buffer.includes('\n')) display = `:${buffer.trim()}`;
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  child.on('error', () => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!display) {
    if (exited) throw new Error('Xvfb exited before it named its display (is the xvfb package installed?)');
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Xvfb named no display within 30 s');
    }
    await sleep(50);
  }
  return {
    display,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5_000)]);
    },
  };
}

/** Starts a WebDriver server on a free port; resolves when `/status` says it is ready. */
export async function startDriverServer(label, command, args, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ready = async () => {
    const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(1_000) });
    const body = await res.json();
    return res.ok && body?.value?.ready !== false ? true : null;
  };
  const started = await startProcess(label, command, args(port), env, ready);
  return { url, stop: started.stop, output: started.output };
}

/** A new session on the driver server at `url` (no file detector: the files are local). */
export async function newSession(url, capabilities) {
  const executor = new Executor(new HttpClient(url));
  const driver = WebDriver.createSession(executor, capabilities);
  await driver.getSession();
  return driver;
}

const geckodriver = process.env.GECKODRIVER || path.join(process.env.HOME || '', '.cargo', 'bin', 'geckodriver');

/** The engines, each with the profiles the flows need. */
export const ENGINES = {
  firefox: {
    id: 'firefox',
    name: 'Firefox ESR',
    /** Profiles: tests/webdriver/firefox-*.json (the same prefs the wasm suites use). */
    profiles: { camera: 'firefox-fake-camera', noCamera: 'firefox-camera-denied' },
    /** What the element reports at the selfie when the camera cannot be used. */
    noCameraFailure: 'Permission.CameraDenied',
    /** Firefox's MediaRecorder records the fake camera. */
    recorderWorks: true,
    async start() {
      const server = await startDriverServer('geckodriver', geckodriver, (port) => ['--host', '127.0.0.1', '--port', String(port)], process.env);
      return {
        stop: server.stop,
        output: server.output,
        session: (name) => {
          const capabilities = profile(name);
          capabilities.browserName = 'firefox';
          const options = capabilities['moz:firefoxOptions'];
          options.args = [...(options.args || []), '-headless'];
          return newSession(server.url, capabilities);
        },
      };
    },
  },
  webkit: {
    id: 'webkit',
    name: 'WebKitGTK',
    /** Profiles: tests/webdriver/webkitgtk-*.json (MiniBrowser and its flags). */
    profiles: { camera: 'webkitgtk-mock-camera', noCamera: 'webkitgtk-no-camera' },
    /**
     * WebKitWebDriver has no Set Permissions command and MiniBrowser grants
     * mock devices in automation: no denial to script. Without mock devices
     * there is no camera at all (WebKit answers OverconstrainedError).
     */
    noCameraFailure: 'Device.NotFound',
    /** MediaRecorder hands back 0 bytes for the mock camera (mp4, with or without audio). */
    recorderWorks: false,
    async start() {
      const xvfb = await startXvfb();
      try {
        const server = await startDriverServer('WebKitWebDriver', 'WebKitWebDriver', (port) => [`--port=${port}`], {
          ...process.env,
          DISPLAY: xvfb.display,
          // No accessibility bus or desktop session here: keep GTK from looking for one.
          NO_AT_BRIDGE: '1',
          GTK_A11Y: 'none',
        });
        return {
          stop: async () => {
            await server.stop();
            await xvfb.stop();
          },
          output: server.output,
          session: (name) => newSession(server.url, profile(name)),
        };
      } catch (err) {
        await xvfb.stop();
        throw err;
      }
    },
  },
};
