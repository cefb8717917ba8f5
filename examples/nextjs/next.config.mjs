// Not for the package (Turbopack ships its wasm, wasm chunks and language files
// by itself): this app sits inside a repository with its own lockfile, so
// Turbopack is told that the app's folder is its root.
export default { turbopack: { root: import.meta.dirname } };
