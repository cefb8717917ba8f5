// The files in deploy/ against what they describe: the env-file template names every
// variable the binary reads, the nginx site's header documents exactly the placeholders its
// directives use, and the systemd unit reads the env files the template and README name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('deploy/systemd/videoid-www@.service reads the env files the template and README name', () => {
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
  assert.match(read('README.md'), /deploy\/systemd\/videoid-www@\.service/);
});
