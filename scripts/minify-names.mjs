// Gives the wasm's imports, exports and import module one- and two-letter
// names, and the wasm-bindgen glue the same names. wasm-bindgen names each
// import `__wbg_<name>_<16 hex digits>`; the names stand in both files, and
// the hashes do not compress (about 9 KB gzipped of what a page downloads).
//   node scripts/minify-names.mjs WASM_OPT FILE.wasm GLUE.js [wasm-opt flags (features, -g)…]
// Run on the glue as wasm-bindgen wrote it (before minifying): it fails
// rather than leave a name the other file does not have.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmOpt, wasmPath, gluePath, ...features] = process.argv.slice(2);
const fail = (message) => {
  console.error(`minify-names: ${message}`);
  process.exit(1);
};

const before = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));
// wasm-opt prints what it renamed as JSON: { imports: [[module, base, new]…], exports: [[old, new]…] }.
const printed = execFileSync(
  wasmOpt,
  [...features, '--minify-imports-and-exports-and-modules', wasmPath, '-o', wasmPath],
  { encoding: 'utf8', maxBuffer: 16 << 20 },
);
const renamed = JSON.parse(printed.slice(printed.indexOf('{')));
const after = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));

const modules = [...new Set(before.map((i) => i.module))];
const newModules = [...new Set(after.map((i) => i.module))];
if (modules.length !== 1 || newModules.length !== 1) {
  fail(`expected one import module, found ${modules.join(', ')} → ${newModules.join(', ')}`);
}
const imports = new Map(renamed.imports.map(([, base, name]) => [base, name]));
const exports = new Map(renamed.exports.map(([old, name]) => [old, name]));
if (imports.size !== before.length) fail(`${before.length} imports, ${imports.size} renamed`);

let glue = readFileSync(gluePath, 'utf8');
// The import object: one `name: function(…)` entry per import.
let seen = 0;
glue = glue.replace(/^(\s+)([A-Za-z_$][\w$]*): function\b/gm, (whole, indent, name) => {
  if (!imports.has(name)) return whole;
  seen += 1;
  return `${indent}${JSON.stringify(imports.get(name))}: function`;
});
if (seen !== imports.size) fail(`the glue defines ${seen} of the wasm's ${imports.size} imports`);
const moduleKey = `${JSON.stringify(modules[0])}: import0`;
if (!glue.includes(moduleKey)) fail(`the glue has no ${moduleKey}`);
glue = glue.replace(moduleKey, `${JSON.stringify(newModules[0])}: import0`);
// Every use of an export: `wasm.<name>`.
glue = glue.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
  if (!exports.has(name)) fail(`the glue uses wasm.${name}, which the wasm does not export`);
  return `wasm.${exports.get(name)}`;
});
if (/\bwasm\[/.test(glue)) fail('the glue reads an export by computed name');
writeFileSync(gluePath, glue);
console.log(`minify-names: ${imports.size} imports, ${exports.size} exports and the module renamed`);
