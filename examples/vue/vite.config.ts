import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// The element is a custom element, not a Vue component.
// `base: "./"`: the built app works from any path (the e2e serves it under /pkg/).
// `npm run dev` proxies the backend of `npm start` (the demo site on :8080).
export default defineConfig({
  base: "./",
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "videoid-capture" } } })],
  server: { proxy: { "/api": "http://localhost:8080" } },
});
