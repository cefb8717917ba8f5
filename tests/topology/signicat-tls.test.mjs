// The production mode over TLS: videoid-www with VIDEOID_ASSURE=signicat against the
// simulator posing as Signicat behind nginx at https://localhost:{port} (the simulator's
// certificate names assure.videoid.test and localhost; a backend cannot use the browser's
// host-resolver rules, and localhost resolves everywhere). The certificate chains to the
// topology's throwaway CA, which the instance trusts through ASSURE_CA_FILE only: with it the
// instance gets a token and is ready, without it the handshake is refused, /readyz says so
// and the log names the certificate. No simulator route is mounted, `?scenario=` never
// reaches the API, and a partial credential set or an unreadable ASSURE_CA_FILE stops the
// start, naming what is wrong.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { freePort } from '../e2e/server.mjs';
import { startTopology, launch, stopProcess, httpStatus, waitUntil } from './topology.mjs';

const opts = { timeout: 60_000 };
// The simulator's client (its defaults; the topology's simulator takes no other).
const CLIENT_ID = 'videoid-sim-client';
const CLIENT_SECRET = 'videoid-sim-secret';
const WEBHOOK_SECRET = 'topology-webhook-secret-0123456789';

let topo;
let ready;
const procs = [];

before(async () => {
  topo = await startTopology('signicat-tls');
});

after(async () => {
  for (const proc of procs) await stopProcess(proc);
  await topo?.stop();
});

/** Starts videoid-www in signicat mode against the simulator over TLS (`env` changes it). */
async function signicat(name, env = {}) {
  const port = await freePort();
  const direct = `http://127.0.0.1:${port}`;
  const all = {
    ...topo.baseEnv,
    VIDEOID_ASSURE: 'signicat',
    SIGNICAT_CLIENT_ID: CLIENT_ID,
    SIGNICAT_CLIENT_SECRET: CLIENT_SECRET,
    ASSURE_BASE_URL: topo.assureLocalUrl,
    ASSURE_CA_FILE: topo.caFile,
    VIDEOID_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BIND_ADDR: `127.0.0.1:${port}`,
    PUBLIC_URL: direct,
    INSTANCE_ID: name,
    VIDEOID_DATA_DIR: topo.tempDir(name),
    VIDEOID_PKG_DIR: topo.pkgDir,
    ...env,
  };
  for (const [key, value] of Object.entries(all)) if (value === undefined) delete all[key];
  const proc = launch(name, topo.bin, [], { env: all, logDir: topo.logDir });
  proc.direct = direct;
  procs.push(proc);
  return proc;
}

/** Waits for the process to end and its output to be read to the end (30 s at most). */
async function ended(proc) {
  let timer;
  const exit = await Promise.race([proc.exited, new Promise((r) => { timer = setTimeout(r, 30_000, null); })]);
  clearTimeout(timer);
  assert.ok(exit, `${proc.name} still runs. Its output:\n${proc.output()}`);
  for (const stream of [proc.child.stdout, proc.child.stderr]) {
    if (!stream.closed) await new Promise((r) => stream.once('close', r));
  }
  return exit;
}

/** GET on loopback with a long timeout (/readyz may take its whole budget); status and JSON. */
async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

/** `POST /api/videoid/session{query}` as the site's own page sends it (the CSRF guard's view). */
async function session(base, origin, query) {
  const response = await fetch(`${base}/api/videoid/session${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' },
    body: '{}',
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, body: await response.json() };
}

/** The simulator's view of a capture session (what the capture page reads). */
async function artifact(url) {
  const id = url.split('#/artifact=')[1];
  assert.ok(id, `an artifact in ${url}`);
  const r = await get(`${topo.simApi}/capture/api/artifact/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('signicat mode with ASSURE_CA_FILE: ready, the token fetched from the simulator through nginx over TLS', opts, async () => {
  const before_ = topo.frontAccessLog().split('\n').filter((l) => l.includes('/auth/open/connect/token')).length;
  ready = await signicat('signicat');
  await waitUntil('the signicat instance is healthy', async () => (await httpStatus(`${ready.direct}/healthz`)) === 200, { proc: ready });
  const r = await get(`${ready.direct}/readyz`);
  assert.equal(r.status, 200, `${JSON.stringify(r.body)}\n${ready.output()}`);
  assert.deepEqual(r.body, { status: 'ready' });
  assert.match(ready.output(), new RegExp(`backend: real Assure API at ${topo.assureLocalUrl.replaceAll('.', '\\.')} \\(no simulator runs\\)`));
  // The token request went through nginx's TLS server of the simulator (the simulator-mode
  // instances call it directly, so this line is the signicat instance's).
  const tokens = topo.frontAccessLog().split('\n').filter((l) => /"POST \/auth\/open\/connect\/token HTTP\/[\d.]+" 200 /.test(l));
  assert.ok(tokens.length > before_, `a token request through nginx:\n${topo.frontAccessLog()}`);
});

test('signicat mode without ASSURE_CA_FILE: the certificate is verified, /readyz is 503 naming Assure, the process runs on', opts, async () => {
  const unknownCa = () => topo.frontErrorLog().split('\n').filter((l) => /SSL_do_handshake\(\) failed .*alert unknown ca/.test(l)).length;
  const refusedBefore = unknownCa();
  const proc = await signicat('signicat-no-ca', { ASSURE_CA_FILE: undefined });
  await waitUntil('the instance without the CA is healthy', async () => (await httpStatus(`${proc.direct}/healthz`)) === 200, { proc });
  const r = await get(`${proc.direct}/readyz`);
  assert.equal(r.status, 503, JSON.stringify(r.body));
  assert.equal(r.body.error, 'not ready: assure unavailable');
  assert.equal(r.headers.get('retry-after'), '5');
  assert.match(proc.output(), /not ready: Assure token/, 'the upstream failure is logged');
  assert.match(proc.output(), /TLS certificate was refused.*"cause":"invalid peer certificate: UnknownIssuer"/, 'with its cause');
  // The handshake reached nginx and the backend refused the certificate (TLS alert 48).
  assert.ok(unknownCa() > refusedBefore, `nginx saw an "unknown ca" alert:\n${topo.frontErrorLog().slice(-3000)}`);
  assert.equal(proc.exit, null, `it did not crash: ${proc.output()}`);
  assert.equal(await httpStatus(`${proc.direct}/healthz`), 200, 'still alive');
  await stopProcess(proc);
});

test('signicat mode: a session is created through the API over TLS, and ?scenario= does not reach it', opts, async () => {
  assert.ok(ready && !ready.exit, 'the ready signicat instance runs');
  const s = await session(ready.direct, ready.direct, '?scenario=rejected&auto=1');
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.ok(s.body.dossierId, JSON.stringify(s.body));
  assert.ok(s.body.url.startsWith(`${topo.assureUrl}/capture/`), s.body.url);
  const art = await artifact(s.body.url);
  assert.equal(art.scenario, undefined, `no scenario: ${JSON.stringify(art)}`);
  assert.equal(art.auto, false, JSON.stringify(art));
  // The same request to a simulator-mode instance does carry the scenario: the check above
  // looks where a scenario would show.
  const a = topo.instances.a;
  const sim = await session(a.direct, topo.siteUrl, '?scenario=rejected&auto=1');
  assert.equal(sim.status, 200, JSON.stringify(sim.body));
  const simArt = await artifact(sim.body.url);
  assert.equal(simArt.scenario, 'rejected', JSON.stringify(simArt));
});

test('signicat mode: no control, scenario or fault route is mounted', opts, async () => {
  assert.ok(ready && !ready.exit, 'the ready signicat instance runs');
  const requests = [
    ['GET', '/simulator'],
    ['GET', '/simulator/requests'],
    ['GET', '/simulator/outcomes'],
    ['PUT', '/simulator/outcomes/default'],
    ['POST', '/simulator/outcomes/next'],
    ['GET', '/simulator/faults'],
    ['PUT', '/simulator/faults'],
    ['POST', '/simulator/reset'],
    ['GET', '/capture/'],
    ['GET', '/provider/js/videoid.js'],
    ['POST', '/auth/open/connect/token'],
  ];
  for (const [method, route] of requests) {
    const response = await fetch(`${ready.direct}${route}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' ? undefined : '{"outcome":"rejected"}',
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    assert.equal(response.status, 404, `${method} ${route}`);
    assert.equal(response.headers.get('x-videoid-assure'), null, `${method} ${route}: no simulator header`);
  }
  // The simulator itself answers the control API with these credentials: the 404s above are
  // the instance's.
  const control = await fetch(`${topo.simApi}/simulator/requests`, {
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
  });
  await control.arrayBuffer();
  assert.equal(control.status, 200);
});

test('signicat mode: a partial credential set stops the start, naming the missing variable', opts, async () => {
  const proc = await signicat('signicat-partial', { SIGNICAT_CLIENT_SECRET: undefined });
  const exit = await ended(proc);
  assert.notEqual(exit.code, 0, JSON.stringify(exit));
  assert.equal(exit.signal, null, JSON.stringify(exit));
  assert.match(proc.output(), /SIGNICAT_CLIENT_SECRET not set/);
  assert.equal(await httpStatus(`${proc.direct}/healthz`), null, 'nothing listens');
});

test('signicat mode: an unreadable or empty ASSURE_CA_FILE stops the start, naming the variable and the path', opts, async () => {
  const missing = path.join(topo.tempDir('ca-files'), 'missing.pem');
  const proc = await signicat('signicat-bad-ca', { ASSURE_CA_FILE: missing });
  const exit = await ended(proc);
  assert.notEqual(exit.code, 0, JSON.stringify(exit));
  assert.equal(exit.signal, null, JSON.stringify(exit));
  assert.ok(proc.output().includes(`ASSURE_CA_FILE: cannot read ${missing}`), proc.output());
  // A file that holds no certificate (the CA's private key would be a mistake of this kind).
  const key = path.join(path.dirname(topo.caFile), 'ca.key');
  const keyed = await signicat('signicat-key-as-ca', { ASSURE_CA_FILE: key });
  const keyedExit = await ended(keyed);
  assert.notEqual(keyedExit.code, 0, JSON.stringify(keyedExit));
  assert.ok(keyed.output().includes(`ASSURE_CA_FILE: ${key}: no PEM certificate`), keyed.output());
  assert.doesNotMatch(keyed.output(), /PRIVATE KEY/, 'nothing of the file is printed');
});
