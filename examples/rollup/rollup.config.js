// Rollup 4 with its ordinary resolver for node_modules. Rollup leaves
// `new URL("./…", import.meta.url)` alone, so one plugin emits the package's
// wasm, wasm chunks and language files as assets: importMetaAssets().
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";

export default {
  input: "main.js",
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve(), importMetaAssets()],
};
