// scripts/split-wasm.mjs on a small hand-written module: which function goes
// where, that the base and its chunks link and run (a call into a chunk traps
// until the chunk is instantiated, then works), and that the build fails when
// a chunk is empty or its entry is reached directly from the base.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import binaryen from 'binaryen';

const script = fileURLToPath(new URL('../../scripts/split-wasm.mjs', import.meta.url));
const FEATURES = ['--enable-bulk-memory', '--enable-mutable-globals', '--enable-reference-types'];

// Slot 1: a base callback; 2: native's entry; 3: sdk's entry; 4: a QR
// encoder that an export also calls directly. Both entries call `shared`;
// only native's calls `native_only`; both call `helper` (from the base).
const WAT = String.raw`(module
 (type $ii (func (param i32) (result i32)))
 (import "wbg" "log" (func $log (param i32)))
 (memory $mem 1)
 (data (i32.const 16) "\2a\00\00\00")
 (table $tbl 8 funcref)
 (global $sp (mut i32) (i32.const 1024))
 (elem (i32.const 1) func $"videoid_capture[0a1b]::web::handle::callback"
   $"videoid_capture[0a1b]::web::native::entry" $"videoid_capture[0a1b]::web::sdk::entry"
   $"<videoid_capture[0a1b]::core::qr::QrCode>::encode")
 (func $helper (param i32) (result i32) (i32.add (local.get 0) (i32.load (i32.const 16))))
 (func $shared (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
 (func $native_only (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
 (func $"videoid_capture[0a1b]::web::handle::callback" (param i32) (result i32) (call $helper (local.get 0)))
 (func $"videoid_capture[0a1b]::web::native::entry" (param i32) (result i32)
  (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
  (call $shared (call $native_only (call $helper (local.get 0)))))
 (func $"videoid_capture[0a1b]::web::sdk::entry" (param i32) (result i32)
  (call $log (call $"videoid_capture[0a1b]::web::sdk::util" (local.get 0)))
  (call $shared (call $helper (local.get 0))))
 (func $"<videoid_capture[0a1b]::core::qr::QrCode>::encode" (param i32) (result i32) (i32.const 7))
 (func $run (export "run") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0)))
 (func $qr (export "qr") (result i32) (call $"<videoid_capture[0a1b]::core::qr::QrCode>::encode" (i32.const 0)))
 (func $sp (export "sp") (result i32) (global.get $sp))
 (func $"videoid_capture[0a1b]::web::sdk::util" (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
 (func $util (export "util") (param i32) (result i32) (call $"videoid_capture[0a1b]::web::sdk::util" (local.get 0)))
 (export "memory" (memory $mem)))`;

function build() {
  const dir = mkdtempSync(path.join(tmpdir(), 'split-wasm-'));
  const module = binaryen.parseText(WAT);
  module.setFeatures(binaryen.Features.BulkMemory | binaryen.Features.MutableGlobals | binaryen.Features.ReferenceTypes);
  binaryen.setDebugInfo(true);
  writeFileSync(path.join(dir, 'in.wasm'), module.emitBinary());
  binaryen.setDebugInfo(false);
  module.dispose();
  return dir;
}

function split(dir, chunks) {
  writeFileSync(path.join(dir, 'chunks.json'), JSON.stringify({ chunks }));
  return execFileSync(process.execPath, [script, path.join(dir, 'chunks.json'), path.join(dir, 'in.wasm'), dir, ...FEATURES], {
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

const NATIVE = { patterns: ['videoid_capture::web::native::'], entries: ['videoid_capture::web::native::entry'] };
// The base uses sdk's `util` too (the export `util` calls it).
const SDK = {
  patterns: ['videoid_capture::web::sdk::'],
  entries: ['videoid_capture::web::sdk::entry'],
  shared: ['videoid_capture::web::sdk::util'],
};

test('split-wasm: each chunk gets what only its entries reach; what two reach stays in the base; the pieces run', () => {
  const dir = build();
  split(dir, { native: NATIVE, sdk: SDK });
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('videoid_capture_')).sort(),
    ['videoid_capture_bg.wasm', 'videoid_capture_native.wasm', 'videoid_capture_sdk.wasm']);
  const read = (name) => new WebAssembly.Module(readFileSync(path.join(dir, `videoid_capture_${name}.wasm`)));
  const [baseModule, native, sdk] = [read('bg'), read('native'), read('sdk')];
  for (const m of [baseModule, native, sdk]) {
    assert.deepEqual(WebAssembly.Module.customSections(m, 'name'), [], 'no name section');
  }
  // native imports helper and shared (from the base), memory, table, the stack pointer; defines native_only.
  const imports = (m) => WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.kind}`).sort();
  assert.deepEqual(imports(native), ['a.function', 'a.function', 'a.global', 'a.memory', 'a.table']);
  assert.deepEqual(imports(sdk), ['a.function', 'a.function', 'a.function', 'a.function', 'a.memory', 'a.table']);
  const shared = (m) => WebAssembly.Module.imports(m).filter((i) => i.kind === 'function').map((i) => i.name);
  assert.equal(shared(native).filter((n) => shared(sdk).includes(n)).length, 2, 'helper and shared come from the base for both');

  const logged = [];
  const base = new WebAssembly.Instance(baseModule, { wbg: { log: (x) => logged.push(x) } });
  const { run, qr, sp } = base.exports;
  assert.equal(run(1, 5), 47, 'a base callback through the table');
  assert.equal(qr(), 7, 'the QR encoder stays in the base (matches no chunk)');
  assert.throws(() => run(2, 5), WebAssembly.RuntimeError, 'native is not loaded: its slot is empty');
  new WebAssembly.Instance(native, { a: base.exports });
  assert.equal(run(2, 5), (5 + 42 - 1) * 2, 'native, once instantiated');
  assert.equal(sp(), 1008, 'the chunk wrote the base\'s stack pointer');
  assert.throws(() => run(3, 5), WebAssembly.RuntimeError);
  new WebAssembly.Instance(sdk, { a: base.exports });
  assert.equal(run(3, 5), (5 + 42) * 2);
  assert.deepEqual(logged, [6], 'the chunk calls the base\'s imports through it');
});

test('split-wasm fails when a chunk is empty, its entry or other code of its modules stays in the base, or two chunks claim a function', () => {
  const dir = build();
  const qr = { patterns: ['videoid_capture::core::qr::'], entries: ['<videoid_capture::core::qr::QrCode>::encode'] };
  assert.throws(() => split(dir, { handoff: qr }), (e) => /chunk handoff is empty/.test(e.stderr));
  const entryless = { patterns: ['videoid_capture::web::native::'], entries: ['<videoid_capture::core::qr::QrCode>::encode'] };
  assert.throws(() => split(dir, { native: entryless }),
    (e) => /entry <videoid_capture::core::qr::QrCode>::encode is not in it: it is in the base/.test(e.stderr));
  // sdk's entry calls its own module's `util`, which the base calls directly.
  const { shared, ...leaky } = SDK;
  assert.throws(() => split(dir, { sdk: leaky }),
    (e) => /chunk sdk calls 1 function\(s\) of its own modules that stay in the base.*web::sdk::util/.test(e.stderr));
  assert.throws(() => split(dir, { native: NATIVE, other: { patterns: ['web::native'], entries: ['x'] } }),
    (e) => /matches the patterns of native and other/.test(e.stderr));
});
