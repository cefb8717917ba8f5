// esbuild bundles main.js into dist/ as ES modules, splitting the chunk the
// package imports dynamically. esbuild leaves `new URL("./…", import.meta.url)`
// as it is, so one plugin emits the package's wasm, wasm chunks and language
// files: metaUrlPlugin().
import { copyFile, rm } from "node:fs/promises";
import * as esbuild from "esbuild";
import metaUrlPlugin from "@chialab/esbuild-plugin-meta-url";

await rm("dist", { recursive: true, force: true });
await esbuild.build({
  entryPoints: ["main.js"],
  bundle: true,
  format: "esm",
  splitting: true,
  minify: true,
  outdir: "dist",
  plugins: [metaUrlPlugin()],
});
await copyFile("index.html", "dist/index.html");
