// A production-shaped topology on loopback, for one test file: a throwaway CA and
// certificates (openssl) for videoid.test and assure.videoid.test, Debian's nginx running
// deploy/nginx/videoid.conf (rendered with its placeholders) in front of two videoid-www
// instances on one PostgreSQL database over TLS (a throwaway server of its own, ssl=on with
// a certificate for localhost from the same CA, the instances on sslmode=verify-full), and
// the standalone simulator behind the same nginx at https://assure.videoid.test. Everything
// listens on 127.0.0.1; the browser reaches the names through --host-resolver-rules and
// trusts the certificates by their public keys.
//
// Needs Debian's postgresql (scripts/postgres.sh), the built package in pkg/ and the
// videoid-www binary.

import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream, chmodSync, chownSync, copyFileSync,
} from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, freePort } from '../e2e/server.mjs';

export { REPO_ROOT };
export const OUTPUT_DIR = path.join(REPO_ROOT, 'tests', 'topology', 'output');
export const SITE_NAME = 'videoid.test';
export const ASSURE_NAME = 'assure.videoid.test';
// A second name of the simulator behind nginx, one this machine resolves without a browser's
// host-resolver rules: a backend process reaches the simulator, posing as Signicat, over TLS
// at https://localhost:{port} (its certificate names both).
export const ASSURE_LOCAL_NAME = 'localhost';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function nginxBin() {
  for (const bin of [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (bin && existsSync(bin)) return bin;
  }
  throw new Error('nginx is missing: run scripts/setup.sh --test (Debian\'s nginx), or set NGINX_BIN');
}

export function psqlBin() {
  if (process.env.VIDEOID_PG_BIN_DIR) return path.join(process.env.VIDEOID_PG_BIN_DIR, 'psql');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? execFileSync('ls', [root]).toString().split(/\s+/).filter(Boolean) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin', 'psql');
    if (existsSync(bin)) return bin;
  }
  return 'psql';
}

/** base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo (Chromium's SPKI pin). */
function spkiHash(certFile) {
  const der = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-pubkey']);
  const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: der });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * A throwaway CA and one certificate per name, signed by it, in `dir`; `altNames[name]`: more
 * DNS names that certificate carries.
 */
export function makeCertificates(dir, names, altNames = {}) {
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=videoid topology test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const certs = {};
  for (const name of names) {
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    writeFileSync(path.join(dir, `${name}.ext`), [
      `subjectAltName=${[name, ...(altNames[name] ?? [])].map((n) => `DNS:${n}`).join(',')}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'));
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`]);
    // nginx sends the chain: the certificate, then the CA.
    writeFileSync(path.join(dir, `${name}.chain.crt`),
      readFileSync(path.join(dir, `${name}.crt`), 'utf8') + readFileSync(path.join(dir, 'ca.crt'), 'utf8'));
    certs[name] = {
      cert: path.join(dir, `${name}.chain.crt`),
      key: path.join(dir, `${name}.key`),
      spki: spkiHash(path.join(dir, `${name}.crt`)),
    };
  }
  return { ca: readFileSync(path.join(dir, 'ca.crt')), certs };
}

/** deploy/nginx/videoid.conf with its placeholders filled in; fails on any left over. */
export function renderSite(values) {
  const source = readFileSync(path.join(REPO_ROOT, 'deploy', 'nginx', 'videoid.conf'), 'utf8');
  // Directives only: the comments name the placeholders and stay as they are.
  const text = source.split('\n').map((line) => {
    if (line.trim().startsWith('#')) return line;
    for (const [key, value] of Object.entries(values)) line = line.replaceAll(`@${key}@`, value);
    return line;
  }).join('\n');
  const left = text.split('\n').filter((l) => !l.trim().startsWith('#') && /@[A-Z_]+@/.test(l));
  if (left.length) throw new Error(`placeholders left in deploy/nginx/videoid.conf: ${left.join(' | ')}`);
  return text;
}

/** A spawned process with its output kept in a log file and a tail in memory. */
export function launch(name, bin, args, { env, cwd = REPO_ROOT, logDir }) {
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  let tail = '';
  const keep = (chunk) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-8000);
  };
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const proc = { name, child, logFile, exit: null, output: () => tail };
  proc.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      proc.exit = { code, signal };
      log.end();
      resolve(proc.exit);
    });
    child.on('error', (error) => {
      proc.exit = { code: null, signal: null, error };
      log.end();
      resolve(proc.exit);
    });
  });
  return proc;
}

/** Sends `signal`, waits for the exit (SIGKILL after `timeout`); returns how it ended. */
export async function stopProcess(proc, signal = 'SIGTERM', timeout = STOP_TIMEOUT_MS) {
  if (proc.exit) return proc.exit;
  proc.child.kill(signal);
  let timer;
  const done = await Promise.race([proc.exited, new Promise((r) => { timer = setTimeout(r, timeout, null); })]);
  clearTimeout(timer);
  if (done) return done;
  proc.child.kill('SIGKILL');
  return proc.exited;
}

/** Plain HTTP GET to loopback; resolves with the status, or null when nothing answers. */
export function httpStatus(url, timeout = 1_000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Polls `check` until it is truthy (or the process died, or the time is up). */
export async function waitUntil(what, check, { proc, timeout = START_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (proc?.exit) {
      throw new Error(`${proc.name} exited (${JSON.stringify(proc.exit)}) before ${what}. Its output:\n${proc.output()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeout / 1000} s${proc ? `. ${proc.name}'s output:\n${proc.output()}` : ''}`);
    }
    await sleep(150);
  }
}

/**
 * Starts the whole topology. Returns { siteUrl, assureUrl, instances, request, browserArgs,
 * startInstance(name), stop() … }.
 */
export async function startTopology(label) {
  const pkgDir = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
  if (!existsSync(path.join(pkgDir, 'videoid-capture.js'))) {
    throw new Error(`${pkgDir}/videoid-capture.js is missing: run scripts/build.sh first`);
  }
  const bin = path.resolve(REPO_ROOT, process.env.VIDEOID_WWW_BIN || 'target/debug/videoid-www');
  if (!existsSync(bin)) throw new Error(`the www binary ${bin} is missing: cargo build -p videoid-www, or set VIDEOID_WWW_BIN`);
  const nginx = nginxBin();

  mkdirSync(OUTPUT_DIR, { recursive: true });
  const logDir = path.join(OUTPUT_DIR, label);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'videoid-topology-'));
  // nginx's workers (not root) read its temporary directories under the prefix.
  chmodSync(dir, 0o755);
  const procs = [];
  const cleanups = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The front first (nothing new reaches the instances), then the instances, the simulator.
    for (const proc of [...procs].reverse()) await stopProcess(proc, proc.stopSignal ?? 'SIGTERM');
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        console.error(`topology cleanup: ${e.message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A failed start (or a test that throws) leaves nothing running behind.
  const onExit = () => {
    for (const proc of procs) if (!proc.exit) proc.child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  cleanups.push(() => process.removeListener('exit', onExit));

  try {
    const { ca, certs } = makeCertificates(dir, [SITE_NAME, ASSURE_NAME, 'localhost'],
      { [ASSURE_NAME]: [ASSURE_LOCAL_NAME] });
    const [tlsPort, httpPort, webhookPort, simPort, portA, portB] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const siteUrl = `https://${SITE_NAME}:${tlsPort}`;
    const assureUrl = `https://${ASSURE_NAME}:${tlsPort}`;

    // Both instances on one PostgreSQL of this run's own, over TLS: Debian's server with a
    // certificate for localhost from the same CA (scripts/postgres.sh, VIDEOID_PG_OPTIONS),
    // and the instances verify it (sslmode=verify-full).
    const pgKey = path.join(dir, 'pg-server.key');
    copyFileSync(certs.localhost.key, pgKey);
    chmodSync(pgKey, 0o600);
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(pgKey, uid, gid);
    }
    const pgOut = execFileSync('bash', ['-c',
      'source scripts/postgres.sh && pg_start >&2 && echo "URL=$VIDEOID_TEST_DATABASE_URL" && echo "PG_DIR=$PG_DIR" && echo "PG_BIN=$PG_BIN"'], {
      cwd: REPO_ROOT,
      env: { ...process.env, VIDEOID_PG_OPTIONS: `-c ssl=on -c ssl_cert_file=${certs.localhost.cert} -c ssl_key_file=${pgKey}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString();
    const pg = Object.fromEntries(pgOut.trim().split('\n').filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (!pg.URL) throw new Error(`the topology's PostgreSQL did not start: ${pgOut}`);
    cleanups.push(() => {
      execFileSync('bash', ['-c', `source scripts/postgres.sh && PG_DIR='${pg.PG_DIR}' PG_BIN='${pg.PG_BIN}' pg_stop`], {
        cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'],
      });
    });
    const databaseUrl = pg.URL;
    const database = 'videoid_topology';
    execFileSync(psqlBin(), [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${database}`]);
    const url = new URL(databaseUrl);
    url.hostname = 'localhost';
    url.pathname = `/${database}`;
    url.search = `?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(dir, 'ca.crt'))}`;
    const instanceDatabaseUrl = url.toString();

    const baseEnv = { ...process.env };
    for (const name of ['SIGNICAT_CLIENT_ID', 'SIGNICAT_CLIENT_SECRET', 'ASSURE_BASE_URL', 'ASSURE_CA_FILE', 'DATABASE_URL',
      'HOST_PORT', 'SIM_PORT', 'BIND_ADDR', 'PUBLIC_URL', 'TRUSTED_PROXIES', 'INSTANCE_ID']) {
      delete baseEnv[name];
    }

    // The simulator, alone (both instances use it, as both would use the real API), behind
    // nginx for browsers; its webhook goes through nginx's loopback listener to any instance.
    const sim = launch('simulator', bin, [
      'simulator', '--port', String(simPort), '--public-url', assureUrl,
      '--data-dir', path.join(dir, 'simulator'), '--pkg-dir', pkgDir,
      '--frame-ancestors', `'self' ${siteUrl}`,
      '--webhook', `http://127.0.0.1:${webhookPort}/api/videoid/events`,
      '--final-delay', '200ms',
    ], { env: baseEnv, logDir });
    procs.push(sim);
    const simApi = `http://127.0.0.1:${simPort}`;
    await waitUntil('the simulator answers', async () => (await httpStatus(`${simApi}/`)) !== null, { proc: sim });

    const ports = { a: portA, b: portB };
    const instances = {};
    const instanceEnv = (name) => ({
      ...baseEnv,
      VIDEOID_ASSURE: 'simulator',
      BIND_ADDR: `127.0.0.1:${ports[name]}`,
      PUBLIC_URL: siteUrl,
      TRUSTED_PROXIES: '127.0.0.1',
      INSTANCE_ID: name,
      DATABASE_URL: instanceDatabaseUrl,
      VIDEOID_DATA_DIR: path.join(dir, `instance-${name}`),
      VIDEOID_PKG_DIR: pkgDir,
      VIDEOID_SIM_URL: assureUrl,
      VIDEOID_SIM_API_URL: simApi,
      VIDEOID_SHUTDOWN_GRACE_S: '15',
    });
    const startInstance = async (name) => {
      const proc = launch(`instance-${name}`, bin, [], { env: instanceEnv(name), logDir });
      proc.port = ports[name];
      proc.direct = `http://127.0.0.1:${ports[name]}`;
      procs.splice(1, 0, proc);
      instances[name] = proc;
      await waitUntil(`instance ${name} is healthy`, async () => (await httpStatus(`${proc.direct}/healthz`)) === 200, { proc });
      await waitUntil(`instance ${name} is ready`, async () => (await httpStatus(`${proc.direct}/readyz`)) === 200, { proc });
      return proc;
    };
    await Promise.all(['a', 'b'].map(startInstance));

    // nginx: its own prefix, main configuration and pid; the site file from deploy/.
    const prefix = path.join(dir, 'nginx');
    mkdirSync(prefix, { recursive: true });
    chmodSync(prefix, 0o755);
    const site = renderSite({
      SERVER_NAME: SITE_NAME,
      PUBLIC_URL: siteUrl,
      LISTEN: `127.0.0.1:${tlsPort}`,
      HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      CERT: certs[SITE_NAME].cert,
      KEY: certs[SITE_NAME].key,
      LOG_DIR: prefix,
      // A short fail_timeout: an instance that comes back is tried again soon.
      UPSTREAMS: ['a', 'b'].map((n) => `server 127.0.0.1:${ports[n]} max_fails=1 fail_timeout=2s;`).join('\n    '),
    });
    writeFileSync(path.join(prefix, 'videoid.conf'), site);
    // Test-only servers, beside the deployed site: the simulator under its own name (a
    // stand-in for Signicat's own TLS endpoint; also as localhost, for backends in signicat
    // mode), and a loopback listener for its webhook.
    writeFileSync(path.join(prefix, 'simulator.conf'), `
server {
    listen 127.0.0.1:${tlsPort} ssl http2;
    server_name ${ASSURE_NAME} ${ASSURE_LOCAL_NAME};
    ssl_certificate ${certs[ASSURE_NAME].cert};
    ssl_certificate_key ${certs[ASSURE_NAME].key};
    client_max_body_size 64m;
    location / {
        proxy_pass ${simApi};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 60s;
    }
}
server {
    listen 127.0.0.1:${webhookPort};
    location / {
        proxy_pass http://videoid_backend;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
`);
    const temp = (name) => path.join(prefix, name);
    writeFileSync(path.join(prefix, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} info;
events { worker_connections 256; }
http {
    access_log ${temp('access.log')};
    client_body_temp_path ${temp('client_body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
    default_type application/octet-stream;
    include ${temp('videoid.conf')};
    include ${temp('simulator.conf')};
}
`);
    const nginxArgs = ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', temp('error.log')];
    try {
      execFileSync(nginx, [...nginxArgs, '-t', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new Error(`nginx -t refused the configuration: ${e.stderr?.toString() ?? e.message}`);
    }
    const front = launch('nginx', nginx, nginxArgs, { env: baseEnv, logDir });
    // SIGQUIT: nginx's graceful stop.
    front.stopSignal = 'SIGQUIT';
    procs.push(front);
    cleanups.push(() => {
      for (const f of ['error.log', 'access.log', 'videoid.access.log', 'videoid.conf']) {
        if (existsSync(temp(f))) writeFileSync(path.join(logDir, `nginx.${f}`), readFileSync(temp(f)));
      }
    });

    const request = makeRequester(ca);
    await waitUntil('nginx serves the site over TLS', async () => {
      const r = await request(`${siteUrl}/healthz`).catch(() => null);
      return r?.status === 200;
    }, { proc: front });
    await waitUntil('nginx serves the simulator over TLS', async () => {
      const r = await request(`${assureUrl}/provider/js/videoid.js`).catch(() => null);
      return r?.status === 200;
    }, { proc: front });

    const spki = [...new Set(Object.values(certs).map((c) => c.spki))].join(',');
    return {
      siteUrl,
      assureUrl,
      /** The simulator through nginx over TLS, at a name any process resolves. */
      assureLocalUrl: `https://${ASSURE_LOCAL_NAME}:${tlsPort}`,
      /** The throwaway CA's certificate (PEM), while the topology runs. */
      caFile: path.join(dir, 'ca.crt'),
      /** What nginx logged of the requests outside the deployed site (the simulator's). */
      frontAccessLog: () => readFileSync(temp('access.log'), 'utf8'),
      /** nginx's error log (level info: TLS handshakes that failed, with the alert). */
      frontErrorLog: () => readFileSync(temp('error.log'), 'utf8'),
      /** A fresh directory of this run, removed at stop. */
      tempDir: (name) => {
        const sub = path.join(dir, name);
        mkdirSync(sub, { recursive: true });
        return sub;
      },
      bin,
      pkgDir,
      /** The environment the instances start from (no Assure or deployment settings). */
      baseEnv,
      httpUrl: `http://${SITE_NAME}:${httpPort}`,
      accessLog: () => readFileSync(temp('videoid.access.log'), 'utf8'),
      simApi,
      instances,
      startInstance,
      request,
      ca,
      logDir,
      /** The instances' PostgreSQL, as its superuser sees it (for pg_stat_ssl). */
      databaseUrl,
      browserArgs: [
        `--host-resolver-rules=MAP ${SITE_NAME} 127.0.0.1, MAP *.${SITE_NAME} 127.0.0.1`,
        `--ignore-certificate-errors-spki-list=${spki}`,
      ],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * An HTTPS (or HTTP) client for the test names: they resolve to 127.0.0.1, and the
 * certificate must chain to the test CA and match the name. Resolves with
 * { status, headers, setCookies, body, json() }.
 */
function makeRequester(ca) {
  const lookup = (host, options, callback) => {
    if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  return (url, { method = 'GET', headers = {}, body, timeout = 30_000 } = {}) => new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method, headers, ca, lookup, timeout, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          setCookies: res.headers['set-cookie'] ?? [],
          body: text,
          text: () => text.toString(),
          json: () => JSON.parse(text.toString()),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeout} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    else req.end();
  });
}
