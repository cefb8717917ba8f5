import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `base: "./"`: the built app works from any path (the e2e serves it under /pkg/).
// `npm run dev` proxies the backend of `npm start` (the demo site on :8080).
export default defineConfig({
  base: "./",
  plugins: [react()],
  server: { proxy: { "/api": "http://localhost:8080" } },
});
