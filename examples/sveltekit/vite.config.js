// Vite follows the package's `new URL("./…", import.meta.url)` by itself: no
// configuration for its wasm, wasm chunks and language files.
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [sveltekit()] });
