// PostgreSQL over TLS: a throwaway server (scripts/postgres.sh) started with ssl=on and a
// certificate for `localhost` from a throwaway CA; videoid-www instances honour `sslmode`
// and `sslrootcert` in DATABASE_URL: verify-full connects over TLS (the server's own view
// says so) and refuses a certificate that does not name the host or does not chain to the
// roots; verify-ca checks the chain only; require encrypts without checking.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../e2e/server.mjs';
import {
  REPO_ROOT, OUTPUT_DIR, makeCertificates, launch, stopProcess, httpStatus, waitUntil, psqlBin,
} from './topology.mjs';

const opts = { timeout: 60_000 };
let dir;
let pg;
let ca;
const procs = [];
const logDir = path.join(OUTPUT_DIR, 'postgres-tls');

/** Runs scripts/postgres.sh's functions in bash; returns what they print. */
function pgScript(script, env = {}) {
  return execFileSync('bash', ['-c', `source scripts/postgres.sh && ${script}`], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
}

before(async () => {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'videoid-pgtls-'));
  chmodSync(dir, 0o755);
  makeCertificates(dir, ['localhost']);
  ca = path.join(dir, 'ca.crt');
  // The server reads its key as the user it runs as (postgres, when this runs as root),
  // and only from a file no one else may read.
  const key = path.join(dir, 'server.key');
  copyFileSync(path.join(dir, 'localhost.key'), key);
  chmodSync(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(key, uid, gid);
  }
  const out = pgScript('pg_start && echo "URL=$VIDEOID_TEST_DATABASE_URL" && echo "PG_DIR=$PG_DIR" && echo "PG_BIN=$PG_BIN"', {
    VIDEOID_PG_OPTIONS: `-c ssl=on -c ssl_cert_file=${path.join(dir, 'localhost.chain.crt')} -c ssl_key_file=${key}`,
  });
  pg = Object.fromEntries(out.trim().split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.match(pg.URL ?? '', /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/, out);
  pg.port = new URL(pg.URL).port;
});

after(async () => {
  for (const proc of procs) await stopProcess(proc);
  if (pg?.PG_DIR) pgScript(`PG_DIR='${pg.PG_DIR}' PG_BIN='${pg.PG_BIN}' pg_stop`);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bin = () => path.resolve(REPO_ROOT, process.env.VIDEOID_WWW_BIN || 'target/debug/videoid-www');

/** Starts an instance on `databaseUrl`; resolves with it once ready, or with its exit. */
async function instance(name, databaseUrl) {
  const port = await freePort();
  const env = { ...process.env };
  for (const v of ['SIGNICAT_CLIENT_ID', 'SIGNICAT_CLIENT_SECRET', 'ASSURE_BASE_URL', 'PUBLIC_URL', 'TRUSTED_PROXIES']) delete env[v];
  Object.assign(env, {
    VIDEOID_ASSURE: 'simulator',
    BIND_ADDR: `127.0.0.1:${port}`,
    SIM_PORT: '0',
    INSTANCE_ID: name,
    DATABASE_URL: databaseUrl,
    VIDEOID_DATA_DIR: path.join(dir, name),
    VIDEOID_PKG_DIR: path.join(dir, 'pkg'),
  });
  const proc = launch(name, bin(), [], { env, logDir });
  procs.push(proc);
  proc.direct = `http://127.0.0.1:${port}`;
  const outcome = await waitUntil(`${name} is ready or has exited`, async () => {
    if (proc.exit) return 'exited';
    return (await httpStatus(`${proc.direct}/readyz`)) === 200 ? 'ready' : null;
  }, { timeout: 30_000 });
  return { proc, outcome };
}

const url = (host, query) => `postgres://postgres@${host}:${pg.port}/postgres?${query}`;

/** The server's own view: how many of the backend's connections use TLS, of how many. */
function serverView(name) {
  const out = execFileSync(psqlBin(), [pg.URL, '-At', '-c',
    `SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
     WHERE a.application_name = 'videoid-www' AND a.backend_type = 'client backend'`]).toString().trim();
  const [tls, all] = out.split('|').map(Number);
  return { tls, all, name };
}

test('verify-full with the CA: the instance serves, and every connection it holds is TLS', opts, async () => {
  const { proc, outcome } = await instance('full', url('localhost', `sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`));
  assert.equal(outcome, 'ready', proc.output());
  // A write and a read through the store.
  const r = await fetch(`${proc.direct}/api/videoid/handoff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'native' }),
  });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('set-cookie') ?? '', /^videoid_user=/);
  const view = serverView('full');
  assert.ok(view.all >= 1, `the backend holds connections: ${JSON.stringify(view)}`);
  assert.equal(view.tls, view.all, `all of them TLS: ${JSON.stringify(view)}`);
  await stopProcess(proc);
});

test('verify-full refuses a certificate that does not name the host, or that chains to no trusted root', opts, async () => {
  // The certificate names localhost, not 127.0.0.1.
  const wrongName = await instance('wrong-name', url('127.0.0.1', `sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`));
  assert.equal(wrongName.outcome, 'exited');
  assert.notEqual(wrongName.proc.exit.code, 0);
  assert.match(wrongName.proc.output(), /certificate not valid for name "127\.0\.0\.1"/i);
  // Without sslrootcert only the public roots are trusted: not the test CA.
  const unknownCa = await instance('unknown-ca', url('localhost', 'sslmode=verify-full'));
  assert.equal(unknownCa.outcome, 'exited');
  assert.notEqual(unknownCa.proc.exit.code, 0);
  assert.match(unknownCa.proc.output(), /invalid peer certificate: UnknownIssuer/i);
});

test('verify-ca checks the chain only; require encrypts without checking', opts, async () => {
  const chain = await instance('chain', url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`));
  assert.equal(chain.outcome, 'ready', chain.proc.output());
  await stopProcess(chain.proc);
  const unchecked = await instance('unchecked', url('127.0.0.1', 'sslmode=require'));
  assert.equal(unchecked.outcome, 'ready', unchecked.proc.output());
  const view = serverView('unchecked');
  assert.ok(view.all >= 1 && view.tls === view.all, JSON.stringify(view));
  await stopProcess(unchecked.proc);
  // A CA that is not the server's: verify-ca refuses it too.
  const other = path.join(dir, 'other');
  mkdirSync(other);
  makeCertificates(other, ['localhost']);
  assert.ok(existsSync(path.join(other, 'ca.crt')));
  const wrongCa = await instance('wrong-ca', url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${encodeURIComponent(path.join(other, 'ca.crt'))}`));
  assert.equal(wrongCa.outcome, 'exited');
  assert.notEqual(wrongCa.proc.exit.code, 0);
  assert.match(wrongCa.proc.output(), /invalid peer certificate/i);
});
