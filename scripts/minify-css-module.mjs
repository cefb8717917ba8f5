// Minifies the CSS text of a module that exports it as one template literal
// (pkg-config/styles.js): esbuild's JavaScript minifier leaves string contents
// as they are, comments and indentation included, so the CSS goes through its
// CSS minifier first. Writes the module, CSS minified, to OUT.
//
//   node scripts/minify-css-module.mjs IN.js OUT.js
import { readFileSync, writeFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: minify-css-module.mjs IN.js OUT.js');
  process.exit(1);
}
const source = readFileSync(input, 'utf8');
const literals = [...source.matchAll(/`([^`]*)`/g)];
if (literals.length !== 1 || literals[0][1].includes('${')) {
  console.error(`minify-css-module: ${input} must hold exactly one template literal, without interpolation`);
  process.exit(1);
}
const [whole, css] = literals[0];
const { code } = transformSync(css, { loader: 'css', minify: true, logLevel: 'error' });
writeFileSync(output, source.replace(whole, () => JSON.stringify(code.trim())));
