// A tiny host site with its own backend, in plain Node (no framework, no
// dependencies besides the element's package): the page with
// <videoid-capture>, and the endpoints the element calls, which talk to the
// Assure API with the site's client credentials. Any language works the same
// way; nothing here knows about the simulator.
//
//   ASSURE_BASE_URL=http://127.0.0.1:8081 SIGNICAT_CLIENT_ID=videoid-sim-client \
//   SIGNICAT_CLIENT_SECRET=videoid-sim-secret PORT=3000 node server.mjs
//
// Endpoints (the element's contract, see the package README):
//   POST /api/session?user=…   native: a process that takes direct uploads and an upload session;
//                              embed: Assure's "Start capture flow" and its capture URL
//   PUT  /api/upload/{step}    a JPEG still, passed on to Assure's "Set images"
//   POST /api/upload/complete  starts the verification
//   GET  /api/result?dossierId=&processId=   the Assure process

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = path.dirname(fileURLToPath(import.meta.resolve("videoid-capture/package.json")));
const STEPS = ["front", "back", "selfie"];
const MAX_STILL_BYTES = 10 << 20;
const SESSION_LIFETIME_MS = 10 * 60_000;
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };

/** An Assure call that did not answer 2xx. */
class AssureError extends Error {
  constructor(status, body) {
    super(`Assure answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The Assure API with client credentials: a cached token, a fresh one after a 401. */
function assureClient({ baseUrl, clientId, clientSecret }) {
  let token = null;
  async function fetchToken() {
    const response = await fetch(`${baseUrl}/auth/open/connect/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials&scope=signicat-api",
    });
    if (!response.ok) throw new AssureError(response.status, null);
    const body = await response.json();
    token = { value: body.access_token, until: Date.now() + (body.expires_in - 30) * 1000 };
    return token.value;
  }
  return async function call(method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const bearer = token && token.until > Date.now() ? token.value : await fetchToken();
      const response = await fetch(`${baseUrl}/assure${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status === 401 && attempt === 0) {
        token = null;
        continue;
      }
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : null;
      if (!response.ok) throw new AssureError(response.status, parsed);
      return parsed;
    }
  };
}

/** Starts the site; `port: 0` takes a free one. Resolves with `{ url, close() }`. */
export async function startSite({ port = 3000, assure, captureOrigins }) {
  const call = assureClient(assure);
  const page = (await readFile(path.join(HERE, "public", "index.html"), "utf8")).replace(
    "{{CAPTURE_ORIGINS}}",
    captureOrigins,
  );
  const uploads = new Map(); // upload token → { dossierId, processId, expires, received }
  const processes = new Map(); // processId → dossierId, for the processes this site started

  async function session(req, res, url) {
    const user = url.searchParams.get("user") ?? "";
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) return send(res, 400, { error: "user is missing or not an id" });
    const request = await readJson(req);
    const dossier = await call("POST", "/dossiers", { externalReference: user });
    if (request.mode === "native") {
      // VideoID takes no direct uploads; a provider that does gets the stills.
      const process = await call("POST", `/dossiers/${dossier.dossierId}/processes`, { provider: "signicatpaper" });
      const uploadToken = randomBytes(32).toString("base64url");
      const expires = Date.now() + SESSION_LIFETIME_MS;
      uploads.set(uploadToken, { dossierId: dossier.dossierId, processId: process.processId, expires, received: new Set() });
      processes.set(process.processId, dossier.dossierId);
      return send(res, 200, {
        dossierId: dossier.dossierId,
        processId: process.processId,
        expiresAt: new Date(expires).toISOString(),
        uploadUrl: "/api/upload",
        uploadToken,
        steps: STEPS,
      });
    }
    const { url: captureUrl } = await call("POST", `/dossiers/${dossier.dossierId}/capture`, {
      providers: [{ provider: "signicatvideoid", processType: "substantialFullyAuto" }],
      sdk: "capture",
      redirectUrl: `http://${req.headers.host}/return.html`,
      captureParameters: { uiLanguage: request.lang || "en" },
    });
    const created = await call("GET", `/dossiers/${dossier.dossierId}`);
    for (const p of created.processes) processes.set(p.processId, dossier.dossierId);
    return send(res, 200, { url: captureUrl, dossierId: dossier.dossierId });
  }

  function uploadSession(req) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const upload = token && uploads.get(token);
    return upload && upload.expires > Date.now() ? upload : null;
  }

  async function upload(req, res, step) {
    const upload = uploadSession(req);
    if (!upload) return send(res, 401, { error: "unknown or expired upload token" });
    if (!STEPS.includes(step)) return send(res, 404, { error: "unknown step" });
    if (req.headers["content-type"] !== "image/jpeg") return send(res, 415, { error: "a still is image/jpeg" });
    const bytes = await readBody(req, MAX_STILL_BYTES);
    if (!bytes) return send(res, 413, { error: "too large" });
    if (upload.received.has(step)) return send(res, 200, { step, bytes: bytes.length });
    const dataUrl = `data:image/jpeg;base64,${bytes.toString("base64")}`;
    await call("POST", `/dossiers/${upload.dossierId}/processes/${upload.processId}/images`, { [step]: dataUrl });
    upload.received.add(step);
    return send(res, 201, { step, bytes: bytes.length });
  }

  async function complete(req, res) {
    const upload = uploadSession(req);
    if (!upload) return send(res, 401, { error: "unknown or expired upload token" });
    const missing = STEPS.filter((s) => !upload.received.has(s));
    if (missing.length) return send(res, 409, { error: "steps are missing", missing });
    await call("POST", `/dossiers/${upload.dossierId}/processes/${upload.processId}`);
    return send(res, 200, { dossierId: upload.dossierId, processId: upload.processId, status: "processing" });
  }

  async function result(res, url) {
    const dossierId = url.searchParams.get("dossierId");
    const processId = url.searchParams.get("processId");
    // A real site also checks that the process belongs to the logged-in user.
    if (!processId || processes.get(processId) !== dossierId) return send(res, 404, { error: "unknown process" });
    return send(res, 200, await call("GET", `/dossiers/${dossierId}/processes/${processId}`));
  }

  async function route(req, res) {
    const url = new URL(req.url, "http://site");
    const { pathname } = url;
    if (req.method === "GET" && pathname === "/") return sendFile(res, ".html", page);
    if (req.method === "GET" && (pathname === "/app.js" || pathname === "/return.html")) {
      return sendFile(res, path.extname(pathname), await readFile(path.join(HERE, "public", pathname)));
    }
    const pkgFile = /^\/pkg\/([A-Za-z0-9_-]+\.(?:js|wasm))$/.exec(pathname)?.[1];
    if (req.method === "GET" && pkgFile) {
      const body = await readFile(path.join(PACKAGE_DIR, pkgFile)).catch(() => null);
      return body ? sendFile(res, path.extname(pkgFile), body) : send(res, 404, { error: "not found" });
    }
    if (req.method === "POST" && pathname === "/api/session") return session(req, res, url);
    if (req.method === "POST" && pathname === "/api/upload/complete") return complete(req, res);
    const step = /^\/api\/upload\/([a-z]+)$/.exec(pathname)?.[1];
    if (req.method === "PUT" && step) return upload(req, res, step);
    if (req.method === "GET" && pathname === "/api/result") return result(res, url);
    return send(res, 404, { error: "not found" });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      // Upstream details stay in the server's log, never in the browser.
      console.error(`${req.method} ${req.url}: ${error.message}`);
      if (res.headersSent) return;
      if (error instanceof AssureError) send(res, 502, { error: "the verification service failed" });
      else send(res, 400, { error: "bad request" });
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://localhost:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function sendFile(res, ext, body) {
  res.writeHead(200, { "content-type": TYPES[ext] ?? "application/octet-stream" });
  res.end(body);
}

/** The body, or null when it is longer than `limit` bytes. */
async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(req) {
  const body = await readBody(req, 64 << 10);
  if (!body || body.length === 0) return {};
  return JSON.parse(body.toString("utf8"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = (name, fallback) => process.env[name] || fallback;
  const baseUrl = env("ASSURE_BASE_URL", "https://api.signicat.com").replace(/\/$/, "");
  const site = await startSite({
    port: Number(env("PORT", "3000")),
    assure: { baseUrl, clientId: env("SIGNICAT_CLIENT_ID"), clientSecret: env("SIGNICAT_CLIENT_SECRET") },
    // Signicat's hosted capture page, or the simulator's (it serves it on its own origin).
    captureOrigins: env("CAPTURE_ORIGINS", baseUrl.includes("signicat.com") ? "https://*.signicat.com" : baseUrl),
  });
  console.log(`example site: ${site.url}/?user=alice`);
}
