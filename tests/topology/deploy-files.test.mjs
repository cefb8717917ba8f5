// The files in deploy/ against what they describe: the env-file template names every
// variable the binary reads, the nginx site's header documents exactly the placeholders its
// directives use, and the systemd unit reads the env files the template and the deployment guide name and
// passes `systemd-analyze verify`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, renderSite } from './topology.mjs';

const read = (file) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

test('deploy/videoid.env.example names every variable videoid-www reads', () => {
  const sources = ['www/src/config.rs', 'www/simulator/src/env.rs'].map(read).join('\n');
  const read_ = new Set([...sources.matchAll(/\bvalue\("([A-Z][A-Z0-9_]+)"\)/g)].map((m) => m[1]));
  assert.ok(read_.size >= 30, `the settings were found in the sources: ${[...read_]}`);
  const template = read('deploy/videoid.env.example');
  const listed = new Set([...template.matchAll(/^#?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  const missing = [...read_].filter((v) => !listed.has(v));
  assert.deepEqual(missing, [], 'every variable has a line (commented out when it keeps its default)');
  const unknown = [...listed].filter((v) => !read_.has(v));
  assert.deepEqual(unknown, [], 'the template names no variable the binary ignores');
});

test('deploy/nginx/videoid.conf: its header documents exactly the placeholders it uses, and a full rendering leaves none', () => {
  const site = read('deploy/nginx/videoid.conf');
  const lines = site.split('\n');
  const used = new Set(lines.filter((l) => !l.trim().startsWith('#')).flatMap((l) => [...l.matchAll(/@([A-Z_]+)@/g)].map((m) => m[1])));
  const documented = new Set(lines.filter((l) => /^#\s+@[A-Z_]+@/.test(l)).flatMap((l) => [...l.matchAll(/@([A-Z_]+)@/g)].map((m) => m[1])));
  assert.deepEqual([...used].sort(), [...documented].sort());
  const values = Object.fromEntries([...used].map((k) => [k, `value-of-${k.toLowerCase()}`]));
  assert.doesNotMatch(renderSite(values).split('\n').filter((l) => !l.trim().startsWith('#')).join('\n'), /@[A-Z_]+@/);
  const { UPSTREAMS: _, ...partial } = values;
  assert.throws(() => renderSite(partial), /placeholders left/, 'a placeholder left over is an error');
});

test('deploy/systemd/videoid-www@.service reads the env files the template and the deployment guide name', () => {
  const unit = read('deploy/systemd/videoid-www@.service');
  assert.match(unit, /^EnvironmentFile=\/etc\/videoid\/videoid\.env$/m);
  assert.match(unit, /^EnvironmentFile=-\/etc\/videoid\/videoid-%i\.env$/m);
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/videoid-www$/m);
  // The stop timeout outlasts the binary's default grace (20 s).
  const stop = Number(unit.match(/^TimeoutStopSec=(\d+)s$/m)?.[1]);
  assert.ok(stop > 20, `TimeoutStopSec ${stop}`);
  for (const option of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'DynamicUser=yes', 'CapabilityBoundingSet=']) {
    assert.match(unit, new RegExp(`^${option}$`, 'm'), option);
  }
  assert.match(read('deploy/videoid.env.example'), /\/etc\/videoid\/videoid\.env/);
  assert.match(read('docs/deploy.md'), /deploy\/systemd\/videoid-www@\.service/);
});

/** `systemd-analyze verify` of a unit file: its exit status and what it said. */
function verifyUnit(file) {
  const r = spawnSync('systemd-analyze', ['verify', file], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_LOG_LEVEL: 'info' },
    timeout: 30_000,
  });
  return { status: r.status, said: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

test('deploy/systemd/videoid-www@.service passes systemd-analyze verify', (t) => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
    t.skip('systemd-analyze is not installed');
    return;
  }
  // verify checks that ExecStart= is an executable: a copy of the unit, instance `a`, runs
  // the built binary instead of /usr/local/bin/videoid-www (not installed on a build machine;
  // node's own executable when no binary is built: only its being executable is checked).
  // Nothing is installed or started: verify reads the files it is given.
  const built = path.resolve(REPO_ROOT, process.env.VIDEOID_WWW_BIN || 'target/debug/videoid-www');
  const exec = existsSync(built) ? built : process.execPath;
  const unit = read('deploy/systemd/videoid-www@.service');
  const copy = unit.replace(/^ExecStart=\/usr\/local\/bin\/videoid-www$/m, `ExecStart=${exec}`);
  assert.notEqual(copy, unit, 'ExecStart was rewritten');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'videoid-unit-'));
  try {
    const file = path.join(dir, 'videoid-www@a.service');
    writeFileSync(file, copy);
    const ok = verifyUnit(file);
    assert.equal(ok.error, undefined, String(ok.error));
    // verify exits 0 on what it only warns about (an unknown key, a bad value): any line
    // naming the unit is a failure too.
    assert.equal(ok.status, 0, ok.said);
    const aboutIt = ok.said.split('\n').filter((l) => l.includes('videoid-www@'));
    assert.deepEqual(aboutIt, [], ok.said);
    // The check sees a mistake: an unknown key and a bad value in the same unit.
    const broken = path.join(dir, 'videoid-www@b.service');
    writeFileSync(broken, copy.replace(/^ProtectSystem=strict$/m, 'ProtectSystem=stricter\nNoSuchOption=yes'));
    const bad = verifyUnit(broken);
    assert.match(bad.said, /videoid-www@b\.service:\d+: .*stricter/, bad.said);
    assert.match(bad.said, /Unknown key 'NoSuchOption'/, bad.said);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
