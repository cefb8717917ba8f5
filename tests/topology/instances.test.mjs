// Losing an instance behind nginx: SIGTERM lets the request in flight on it finish while
// nginx sends everything new to the other; SIGKILL in the middle of a native capture and
// the capture still completes, through the other instance; the killed one restarts on the
// same database and serves again.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, waitForEvent, waitForState } from '../e2e/helpers.mjs';
import { execFileSync } from 'node:child_process';
import { startTopology, httpStatus, psqlBin } from './topology.mjs';
import { captureStep, SIM_AUTH, watchSite } from './flows.mjs';

const opts = { timeout: 120_000 };
let topo;
let browser;

before(async () => {
  topo = await startTopology('instances');
  browser = await launchBrowser([
    ...topo.browserArgs,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await topo?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it is truthy; fails with `what` after `timeout`. */
async function until(what, check, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout / 1000} s`);
    await sleep(100);
  }
}

function simulator(path, { method = 'GET', body } = {}) {
  return topo.request(`${topo.simApi}${path}`, {
    method,
    headers: { authorization: SIM_AUTH, 'content-type': 'application/json' },
    body,
  });
}

async function record() {
  const r = await simulator('/simulator/requests');
  assert.equal(r.status, 200);
  return r.json();
}

/** Waits for the exit of an instance's process; fails after `timeout`. */
async function exitOf(proc, timeout = 20_000) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${proc.name} did not exit within ${timeout / 1000} s`)), timeout);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('SIGTERM: the request in flight on the stopping instance completes; new ones go to the other', opts, async () => {
  // Start capture flow answers 3 s late, so both sessions below are in flight that long.
  const put = await simulator('/simulator/faults', { method: 'PUT', body: { spec: 'POST /assure/dossiers/*/capture: latency 3s' } });
  assert.equal(put.status, 200, put.text());
  try {
    const seq = Math.max(0, ...(await record()).map((r) => r.seq));
    const session = () => topo.request(`${topo.siteUrl}/api/videoid/session?scenario=accepted`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: { mode: 'embed' },
    });
    // Round robin: one to each instance.
    const sessions = [session(), session()];
    // Both are in flight once both end-users' dossiers exist upstream (each request then
    // waits for its Start capture flow).
    await until('both sessions reached Assure', async () => (await record())
      .filter((r) => r.seq > seq && r.method === 'POST' && r.path === '/assure/dossiers').length >= 2);

    const a = topo.instances.a;
    a.child.kill('SIGTERM');
    await until('instance a stops accepting connections', async () => (await httpStatus(`${a.direct}/healthz`, 500)) === null, 5_000);
    assert.equal(a.exit, null, 'a still runs: its request is in flight');
    // Meanwhile nginx sends everything new to b.
    for (let i = 0; i < 4; i++) {
      const r = await topo.request(`${topo.siteUrl}/healthz`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-videoid-instance'], 'b', 'the stopping instance takes nothing new');
    }

    const answers = await Promise.all(sessions);
    for (const r of answers) {
      assert.equal(r.status, 200, r.text());
      assert.ok(r.json().url.startsWith(`${topo.assureUrl}/capture/`), r.json().url);
    }
    assert.deepEqual(answers.map((r) => r.headers['x-videoid-instance']).sort(), ['a', 'b'],
      'one session was in flight on the instance that stopped, and it was answered');
    const exit = await exitOf(a);
    assert.deepEqual(exit, { code: 0, signal: null }, `a drained and exited 0: ${a.output().slice(-500)}`);
  } finally {
    await simulator('/simulator/faults', { method: 'DELETE' });
    if (topo.instances.a.exit) await topo.startInstance('a');
  }
});

test('SIGKILL mid native capture: the capture completes through the other instance; the killed one restarts and serves', opts, async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  try {
    const page = await context.newPage();
    const site = watchSite(context, topo.siteUrl);
    await page.goto(`${topo.siteUrl}/?mode=native&scenario=accepted&auto=1`);
    const front = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/videoid/upload/front', { timeout: 20_000 });
    await captureStep(page, 'front');
    assert.equal((await front).status(), 201, 'the front still was stored');

    const a = topo.instances.a;
    a.child.kill('SIGKILL');
    assert.equal((await exitOf(a, 5_000)).signal, 'SIGKILL');
    await site.check();
    const killedAt = site.responses.length;

    await captureStep(page, 'back');
    await captureStep(page, 'selfie');
    const complete = await waitForEvent(page, 'videoid-complete');
    const result = await waitForEvent(page, 'videoid-result');
    assert.equal(result.status, 'accepted');
    await waitForState(page, 'complete');
    await site.check();
    const after = site.responses.slice(killedAt);
    assert.ok(after.some((r) => r.path === '/api/videoid/upload/complete' && r.status === 200),
      `completion went through: ${after.map((r) => `${r.path} ${r.status}`)}`);
    for (const r of after) {
      assert.equal(r.instance, 'b', `${r.path}: only b answers while a is dead`);
      assert.ok(r.status < 500, `${r.path} answered ${r.status}`);
    }

    // a comes back on the same database: nginx uses it again, and it knows the end-user.
    await topo.startInstance('a');
    const seen = await until('nginx sends requests to a again', async () => {
      const answers = [];
      for (let i = 0; i < 2; i++) {
        answers.push(await page.evaluate(async () => {
          const res = await fetch('/api/videoid/dossier');
          return { status: res.status, instance: res.headers.get('x-videoid-instance'), body: await res.json() };
        }));
      }
      return answers.some((r) => r.instance === 'a') ? answers : null;
    });
    for (const r of seen) {
      assert.equal(r.status, 200);
      const ids = (r.body.processes ?? []).map((p) => p.processId);
      assert.ok(ids.includes(complete.processId), `${r.instance} lists the process: ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  } finally {
    await context.close().catch(() => {});
    if (topo.instances.a.exit) await topo.startInstance('a');
  }
});

test('both instances hold only TLS connections to their PostgreSQL, verified against the CA', opts, async () => {
  // Each instance has answered a readiness probe, so each holds a connection.
  for (const name of ['a', 'b']) {
    assert.equal(await httpStatus(`${topo.instances[name].direct}/readyz`), 200, `${name} is ready`);
  }
  const out = execFileSync(psqlBin(), [topo.databaseUrl, '-At', '-c',
    `SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
     WHERE a.application_name = 'videoid-www' AND a.backend_type = 'client backend'`]).toString().trim();
  const [tls, all] = out.split('|').map(Number);
  assert.ok(all >= 2, `both instances hold connections: ${out}`);
  assert.equal(tls, all, `every one of them TLS: ${out}`);
});
