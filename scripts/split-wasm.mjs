// Cuts lazily loaded chunks out of the release wasm: the base
// (videoid_capture_bg.wasm) keeps what a page needs at start, and each chunk
// of scripts/chunks.json becomes videoid_capture_<name>.wasm, instantiated
// by the element shell against the base instance's exports.
//
//   node scripts/split-wasm.mjs MANIFEST IN.wasm OUT_DIR [wasm-opt feature flags…]
//
// IN.wasm must still carry its name section (the build keeps it up to here);
// every file written has none. Chunks import from the base under the module
// name "a" (what the shell passes: `{ a: baseInstance.exports }`), with
// exports the base gets here for them (short names that no export has).
//
// Which function goes where (names with their crate hashes, `[…]`, removed):
// - base roots: every export, and every function in the table whose name
//   matches no chunk's patterns;
// - a chunk's roots: the functions in the table whose names match one of its
//   patterns (a substring: `videoid_capture::web::native::` matches the
//   module's functions and every generic instance over its types, such as
//   closure shims, which the v0 symbol mangling names with their types);
// - base = everything the base roots reach through direct calls and
//   `ref.func`; a chunk = what its roots reach, less the base; a function two
//   chunks reach goes to the base (with all it reaches), until nothing moves.
// The base reaches a chunk only through the table: until the chunk is
// instantiated its slots there are empty (a call traps), then it fills them.
//
// The build fails (exit 1) when a chunk is empty, when a chunk's declared
// entry is not in it, or when the chunk calls a function of its own patterns
// that stayed in the base (either way the code that should be cut out is
// reached directly from the base again; a chunk's optional "shared"
// patterns name such functions that the base rightly uses too), or when the
// pieces do not link.
//
// binaryen's own wasm-split is not in the npm `binaryen` package (132 ships
// wasm-opt, wasm-dis, wasm-merge, wasm-metadce… but no wasm-split), and
// Debian's binaryen (108) cannot read current rustc output; so the same cut
// is made here through binaryen.js's API, from that same package.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import binaryen from 'binaryen';

const IMPORT_MODULE = 'a';
const [manifestPath, inPath, outDir, ...featureFlags] = process.argv.slice(2);
const fail = (message) => {
  console.error(`split-wasm: ${message}`);
  process.exit(1);
};
if (!manifestPath || !inPath || !outDir) fail('usage: split-wasm.mjs MANIFEST IN.wasm OUT_DIR [feature flags…]');

// --- the manifest -----------------------------------------------------------
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const chunks = Object.entries(manifest.chunks ?? {}).map(([name, c]) => {
  if (!/^[a-z]+$/.test(name)) fail(`chunk name "${name}" is not lowercase letters`);
  if (!Array.isArray(c.patterns) || c.patterns.length === 0) fail(`chunk ${name} has no patterns`);
  if (!Array.isArray(c.entries) || c.entries.length === 0) fail(`chunk ${name} declares no entries`);
  if (c.shared !== undefined && !Array.isArray(c.shared)) fail(`chunk ${name}: "shared" is not a list`);
  return { name, patterns: c.patterns, entries: c.entries, shared: c.shared ?? [], functions: new Set() };
});

// --- the module ---------------------------------------------------------------
const FEATURES = {
  '--enable-bulk-memory': binaryen.Features.BulkMemory | (binaryen.Features.BulkMemoryOpt ?? 0),
  '--enable-nontrapping-float-to-int': binaryen.Features.NontrappingFPToInt,
  '--enable-sign-ext': binaryen.Features.SignExt,
  '--enable-mutable-globals': binaryen.Features.MutableGlobals,
  '--enable-reference-types': binaryen.Features.ReferenceTypes,
  '--enable-multivalue': binaryen.Features.Multivalue,
};
let features = binaryen.Features.MVP;
for (const flag of featureFlags) {
  if (!(flag in FEATURES)) fail(`unknown feature flag ${flag}`);
  features |= FEATURES[flag];
}
const bytes = readFileSync(inPath);
const read = () => {
  const m = binaryen.readBinary(bytes);
  m.setFeatures(features);
  return m;
};
const module = read();

// A demangled name without the crates' hashes: `videoid_capture[0a1b…]::core`
// → `videoid_capture::core`.
const plain = (name) => name.replace(/\[[0-9a-f]{1,16}\]/g, '');

const functions = new Map(); // name → { imported, params, results }
for (let i = 0; i < module.getNumFunctions(); i += 1) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
  functions.set(info.name, { imported: Boolean(info.module), params: info.params, results: info.results });
}
const defined = [...functions].filter(([, f]) => !f.imported).map(([name]) => name);
if (defined.every((name) => /^\d+$/.test(name) || /^fimport\$/.test(name))) {
  fail(`${inPath} has no function names: keep the name section until this step`);
}

const exports = [];
for (let i = 0; i < module.getNumExports(); i += 1) {
  exports.push(binaryen.getExportInfo(module.getExportByIndex(i)));
}
const exportNames = new Set(exports.map((e) => e.name));

const tables = [];
for (let i = 0; i < module.getNumTables(); i += 1) tables.push(binaryen.getTableInfo(module.getTableByIndex(i)));

const segments = [];
for (let i = 0; i < module.getNumElementSegments(); i += 1) {
  const info = binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i));
  if (!info.offset) fail(`element segment ${info.name} is passive`);
  const offset = binaryen.getExpressionInfo(info.offset);
  if (offset.id !== binaryen.ConstId) fail(`element segment ${info.name} has a computed offset`);
  segments.push({ name: info.name, table: info.table, offset: offset.value, data: info.data });
}

// --- the call graph, from the text binaryen prints ------------------------------
// A name as printed: `$name`, or `$"…"` with escapes (\", \\, \t, \n, \hh).
const NAME = String.raw`\$(?:"(?:[^"\\]|\\.)*"|[^\s()"]+)`;
const unescape = (token) => {
  if (token[1] !== '"') return token.slice(1);
  const raw = token.slice(2, -1);
  const out = [];
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] !== '\\') {
      out.push(...Buffer.from(raw[i], 'utf8'));
      continue;
    }
    const next = raw[i + 1];
    if (/[0-9a-fA-F]/.test(next)) {
      out.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...Buffer.from({ n: '\n', t: '\t', r: '\r' }[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(out).toString('utf8');
};

const text = module.emitText();
const bodies = new Map(); // function name → { calls: Set, globals: Set, memoryInit: bool }
const outsideRefs = new Set(); // functions named outside any body (a global's `ref.func`)
{
  const funcHead = new RegExp(`^ \\(func (${NAME})`);
  const refs = new RegExp(`\\((?:call|return_call|ref\\.func) (${NAME})`, 'g');
  const globalRefs = new RegExp(`\\(global\\.(?:get|set) (${NAME})`, 'g');
  let current = null;
  for (const line of text.split('\n')) {
    const head = funcHead.exec(line);
    if (head) {
      current = { calls: new Set(), globals: new Set(), memoryInit: false, lines: 0 };
      bodies.set(unescape(head[1]), current);
      continue;
    }
    if (!line.startsWith('  ')) current = null;
    if (!current) {
      if (!/^ \((?:elem|export|import|func)\b/.test(line)) {
        for (const [, token] of line.matchAll(refs)) outsideRefs.add(unescape(token));
      }
      continue;
    }
    current.lines += 1;
    for (const [, token] of line.matchAll(refs)) current.calls.add(unescape(token));
    for (const [, token] of line.matchAll(globalRefs)) current.globals.add(unescape(token));
    if (/\((?:memory\.init|data\.drop|table\.init|elem\.drop)\b/.test(line)) current.memoryInit = true;
  }
}
for (const name of defined) {
  if (!bodies.has(name)) fail(`the printed module has no function ${JSON.stringify(name)}`);
}
for (const [name, body] of bodies) {
  if (!functions.has(name)) fail(`the printed module names an unknown function ${JSON.stringify(name)}`);
  for (const callee of body.calls) {
    if (!functions.has(callee)) fail(`${JSON.stringify(name)} refers to an unknown function ${JSON.stringify(callee)}`);
  }
}

// --- the partition -------------------------------------------------------------------
const chunkOf = (name) => {
  const p = plain(name);
  const hits = chunks.filter((c) => c.patterns.some((pattern) => p.includes(pattern)));
  if (hits.length > 1) fail(`${p} matches the patterns of ${hits.map((c) => c.name).join(' and ')}`);
  return hits[0] ?? null;
};
const tableFunctions = new Set(segments.flatMap((s) => s.data));
const closure = (roots, stop) => {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name) || stop.has(name)) continue;
    seen.add(name);
    for (const callee of bodies.get(name)?.calls ?? []) todo.push(callee);
  }
  return seen;
};
// wasm-opt merges functions whose code is identical and keeps one of their
// names, so a tiny table entry named after a run's code (say, a method that
// returns a constant) may also be the one a base vtable points at (a Yew
// listener's `kind()` was): it must stay callable before any chunk is
// loaded. A tiny function that calls only code outside every chunk's
// patterns could be such a merge, so it stays in the base; one that calls
// the run's own code (a closure's shim) cannot, and goes with its chunk.
const TINY_ROOT_LINES = 12;
const entryNames = new Set(chunks.flatMap((c) => c.entries));
const mergeable = (name) => !entryNames.has(plain(name)) && (bodies.get(name)?.lines ?? 0) <= TINY_ROOT_LINES
  && [...(bodies.get(name)?.calls ?? [])].every((callee) => !chunkOf(callee));
const baseRoots = new Set(exports.filter((e) => e.kind === binaryen.ExternalFunction).map((e) => e.value));
for (const name of tableFunctions) if (!chunkOf(name) || mergeable(name)) baseRoots.add(name);
for (const name of functions.keys()) if (functions.get(name).imported) baseRoots.add(name);
for (const name of outsideRefs) baseRoots.add(name);
let base;
for (;;) {
  base = closure(baseRoots, new Set());
  const owner = new Map();
  let moved = 0;
  for (const chunk of chunks) {
    const roots = [...tableFunctions].filter((name) => chunkOf(name) === chunk && !mergeable(name));
    chunk.functions = closure(roots, base);
    for (const name of chunk.functions) {
      if (owner.has(name) && owner.get(name) !== chunk) {
        baseRoots.add(name);
        moved += 1;
      }
      owner.set(name, chunk);
    }
  }
  if (!moved) break;
}
const unplaced = defined.filter((name) => !base.has(name) && !chunks.some((c) => c.functions.has(name)));
if (unplaced.length) fail(`${unplaced.length} functions reached from nowhere, such as ${plain(unplaced[0])}`);
for (const chunk of chunks) {
  if (chunk.functions.size === 0) {
    fail(`chunk ${chunk.name} is empty: everything its patterns match is reached from the base directly`);
  }
  for (const entry of chunk.entries) {
    if (![...chunk.functions].some((name) => plain(name) === entry)) {
      const where = [...base].some((name) => plain(name) === entry) ? 'it is in the base (called directly?)' : 'no function has that name';
      fail(`chunk ${chunk.name}: its entry ${entry} is not in it: ${where}`);
    }
  }
  for (const name of chunk.functions) {
    if (bodies.get(name).memoryInit) fail(`${plain(name)} (chunk ${chunk.name}) uses a data or element segment`);
  }
  // A function of the run's own modules that the chunk calls in the base:
  // the base reaches it directly, so part of the run was pulled back (say, an
  // entry that is only a thin wrapper left in the chunk) — unless the
  // manifest says the base shares it ("shared" patterns). wasm-opt merges
  // functions whose code is identical and keeps one name, so a few tiny
  // generic helpers (an index, a drop, a one-line closure) carry a run's name
  // while the base calls them for its own types: a generic instance or a
  // closure that small is left alone; a plain function of the run never is.
  const TINY_LINES = 40;
  const merged = (p) => p.includes('{closure') || /^[<"]|::<|drop_in_place/.test(p);
  const leaks = new Set();
  let tiny = 0;
  for (const name of chunk.functions) {
    for (const callee of bodies.get(name).calls) {
      const p = plain(callee);
      if (base.has(callee) && chunk.patterns.some((x) => p.includes(x)) && !chunk.shared.some((x) => p.includes(x))) {
        if (!merged(p) || bodies.get(callee)?.lines > TINY_LINES) leaks.add(p);
        else tiny += 1;
      }
    }
  }
  if (process.env.SPLIT_WASM_LIST && tiny) console.log(`chunk ${chunk.name}: ${tiny} tiny shared helper(s) stay in the base`);
  if (leaks.size) {
    fail(`chunk ${chunk.name} calls ${leaks.size} function(s) of its own modules that stay in the base ` +
      `(reached directly from it), such as ${[...leaks].slice(0, 3).join('; ')}`);
  }
}
if (module.getStart()) fail('the module has a start function: each chunk would run it again');

// --- what the base exports for the chunks ---------------------------------------------
// Short export names no export has yet, in the order a, b, …, z, A, …, aa, ….
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let counter = 0;
const freshName = () => {
  for (;;) {
    let n = counter;
    counter += 1;
    let name = '';
    do {
      name = ALPHABET[n % ALPHABET.length] + name;
      n = Math.floor(n / ALPHABET.length) - 1;
    } while (n >= 0);
    if (!exportNames.has(name)) {
      exportNames.add(name);
      return name;
    }
  }
};
const exported = new Map(); // `${kind}:${internal name}` → export name
for (const e of exports) {
  const key = `${e.kind}:${e.value}`;
  if (!exported.has(key)) exported.set(key, e.name);
}
const newExports = [];
const exportFor = (kind, internal) => {
  const key = `${kind}:${internal}`;
  if (!exported.has(key)) {
    const name = freshName();
    exported.set(key, name);
    newExports.push({ kind, internal, name });
  }
  return exported.get(key);
};

let memoryName = null;
{
  const m = /^ \((?:import "[^"]*" "[^"]*" )?\(?memory (\$(?:"(?:[^"\\]|\\.)*"|[^\s()"]+))/m.exec(text);
  if (m) memoryName = unescape(m[1]);
}

// --- each chunk --------------------------------------------------------------------------
binaryen.setDebugInfo(Boolean(process.env.SPLIT_WASM_NAMES));
const outputs = [];
const slotsOf = (keep) => {
  // Runs of consecutive table slots holding functions in `keep`.
  const runs = [];
  for (const s of segments) {
    let run = null;
    s.data.forEach((name, i) => {
      if (keep(name)) {
        if (!run) runs.push((run = { table: s.table, offset: s.offset + i, names: [] }));
        run.names.push(name);
      } else {
        run = null;
      }
    });
  }
  return runs;
};

for (const chunk of chunks) {
  const m = read();
  const mine = chunk.functions;
  const needed = new Set();
  const globals = new Set();
  for (const name of mine) {
    for (const callee of bodies.get(name).calls) if (!mine.has(callee)) needed.add(callee);
    for (const g of bodies.get(name).globals) globals.add(g);
  }
  for (let i = m.getNumExports() - 1; i >= 0; i -= 1) m.removeExport(binaryen.getExportInfo(m.getExportByIndex(i)).name);
  for (const s of segments) m.removeElementSegment(s.name);
  slotsOf((name) => mine.has(name)).forEach((run, i) => {
    m.addActiveElementSegment(run.table, `chunk${i}`, run.names, m.i32.const(run.offset));
  });
  for (const [name, f] of functions) {
    if (mine.has(name)) continue;
    m.removeFunction(name);
    if (needed.has(name)) {
      m.addFunctionImport(name, IMPORT_MODULE, exportFor(binaryen.ExternalFunction, name), f.params, f.results);
    }
  }
  const allGlobals = [];
  for (let i = 0; i < m.getNumGlobals(); i += 1) allGlobals.push(binaryen.getGlobalInfo(m.getGlobalByIndex(i)));
  for (const g of allGlobals) {
    m.removeGlobal(g.name);
    if (globals.has(g.name)) {
      m.addGlobalImport(g.name, IMPORT_MODULE, exportFor(binaryen.ExternalGlobal, g.name), g.type, g.mutable);
    }
  }
  for (const t of tables) m.addTableImport(t.name, IMPORT_MODULE, exportFor(binaryen.ExternalTable, t.name));
  if (memoryName !== null) {
    const info = m.getMemoryInfo();
    // No data (the base wrote it), and the base's memory as an import.
    m.setMemory(info.initial, info.max ?? -1, null, [], info.shared, info.is64, memoryName);
    m.addMemoryImport(memoryName, IMPORT_MODULE, exportFor(binaryen.ExternalMemory, memoryName), info.shared);
  }
  if (!m.validate()) fail(`chunk ${chunk.name} does not validate`);
  outputs.push({ file: `videoid_capture_${chunk.name}.wasm`, binary: m.emitBinary(), count: mine.size });
  m.dispose();
}

// --- the base ----------------------------------------------------------------------------------
{
  const inChunk = new Set(chunks.flatMap((c) => [...c.functions]));
  for (const s of segments) module.removeElementSegment(s.name);
  slotsOf((name) => !inChunk.has(name)).forEach((run, i) => {
    module.addActiveElementSegment(run.table, `base${i}`, run.names, module.i32.const(run.offset));
  });
  for (const name of inChunk) module.removeFunction(name);
  for (const e of newExports) {
    if (e.kind === binaryen.ExternalFunction) module.addFunctionExport(e.internal, e.name);
    else if (e.kind === binaryen.ExternalGlobal) module.addGlobalExport(e.internal, e.name);
    else if (e.kind === binaryen.ExternalTable) module.addTableExport(e.internal, e.name);
    else module.addMemoryExport(e.internal, e.name);
  }
  if (!module.validate()) fail('the base does not validate');
  outputs.unshift({ file: 'videoid_capture_bg.wasm', binary: module.emitBinary(), count: base.size });
}

// --- do the pieces link? ------------------------------------------------------------------------------
{
  const [first, ...rest] = outputs;
  const baseModule = new WebAssembly.Module(first.binary);
  const stubs = {};
  for (const i of WebAssembly.Module.imports(baseModule)) {
    if (i.kind !== 'function') fail(`the base imports a ${i.kind}`);
    (stubs[i.module] ??= {})[i.name] = () => { throw new Error('stub'); };
  }
  const instance = new WebAssembly.Instance(baseModule, stubs);
  for (const out of rest) {
    try {
      new WebAssembly.Instance(new WebAssembly.Module(out.binary), { [IMPORT_MODULE]: instance.exports });
    } catch (error) {
      fail(`${out.file} does not link to the base: ${error.message}`);
    }
  }
}

// SPLIT_WASM_LIST=1 lists each chunk's functions (to see what a cut takes).
if (process.env.SPLIT_WASM_LIST) {
  for (const chunk of chunks) {
    console.log(`# chunk ${chunk.name}:\n${[...chunk.functions].map((n) => `  ${plain(n)}`).sort().join('\n')}`);
  }
  console.log(`# exports added to the base: ${newExports.map((e) => `${e.name} ${plain(e.internal)}`).join(', ')}`);
}
for (const out of outputs) writeFileSync(path.join(outDir, out.file), out.binary);
console.log(`split-wasm: ${outputs.map((o) => `${o.file} ${o.count} functions`).join(', ')}; ` +
  `${newExports.length} exports added to the base`);
