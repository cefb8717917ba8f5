// A minimal host backend for the wasm-bindgen-test suites, on loopback: the
// element's native contract (session, uploads, complete, result) with CORS
// for the test runner's page. Real HTTP; it keeps what it receives so tests
// can ask for it back (GET /received). Under /hostile/ it misbehaves the ways
// a broken or hostile host backend can (see `hostile` below). Given the built
// package's directory it also serves it (`/pkg/`) and a host page
// (`/host.html?steps=…`) that runs the element natively against this backend,
// for the browsers the wasm runner cannot drive.
//   node tests/support/stub-backend.mjs PORT [PKG_DIR]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const port = Number(process.argv[2] || 18090);
const pkgDir = process.argv[3] ? path.resolve(process.argv[3]) : null;
const HOST_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>videoid-capture on the stub backend</title><link rel="icon" href="data:,"></head>
<body>
<videoid-capture id="capture" mode="native" result-endpoint="/result" inactivity-timeout="60"></videoid-capture>
<script type="module">
  window.videoidEvents = [];
  const capture = document.getElementById('capture');
  capture.setAttribute('session-endpoint', '/session' + location.search);
  for (const type of ['ready', 'state', 'complete', 'result', 'failed', 'cancel', 'step']) {
    capture.addEventListener('videoid-' + type, (e) => window.videoidEvents.push({ type: e.type, detail: e.detail }));
  }
  await import('/pkg/videoid-capture.js');
</script>
</body>
</html>
`;
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const TOKEN = 'stub-upload-token-0123456789';
let received = {};
let completed = 0;

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, x-videoid-quality',
  'access-control-max-age': '600',
};
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', ...cors });
  res.end(JSON.stringify(body));
};

// A session answer the element would accept, but for what each case changes.
const session = { url: `http://127.0.0.1:${port}/capture/`, dossierId: 'd-hostile' };
const big = (bytes) => JSON.stringify({ ...session, padding: 'x'.repeat(bytes) });

/** Answers for /hostile/{case}: each a fault the element must turn into a typed failure. */
const hostile = {
  'server-error': (res) => json(res, 500, { error: 'internal' }),
  // A rate limit, its Retry-After exposed to the page as a cross-origin backend must.
  'rate-limited': (res) => {
    res.writeHead(429, {
      'content-type': 'application/json', 'retry-after': '7', 'access-control-expose-headers': 'Retry-After', ...cors,
    });
    res.end(JSON.stringify({ error: 'too many requests: try again in 7 s' }));
  },
  garbage: (res) => send(res, 200, 'application/json', '{"url": "http://127.0.0.1/", "dossierId": '),
  html: (res) => send(res, 200, 'text/html', '<!doctype html><title>Sign in</title><p>Please sign in'),
  'wrong-shape': (res) => json(res, 200, { url: 42, dossierId: ['d1'] }),
  'empty-object': (res) => json(res, 200, {}),
  'null-id': (res) => json(res, 200, { ...session, dossierId: null }),
  'json-null': (res) => send(res, 200, 'application/json', 'null'),
  'json-string': (res) => json(res, 200, 'd-hostile'),
  'not-an-object': (res) => json(res, 200, ['http://127.0.0.1/capture/', 'd1']),
  oversized: (res) => send(res, 200, 'application/json', big(2 << 20)),
  // The same, without a Content-Length: only reading the body shows its size.
  'oversized-chunked': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...cors });
    const body = big(2 << 20);
    for (let i = 0; i < body.length; i += 65536) res.write(body.slice(i, i + 65536));
    res.end();
  },
  'javascript-url': (res) => json(res, 200, { ...session, url: 'javascript:alert(document.domain)' }),
  'foreign-url': (res) => json(res, 200, { ...session, url: 'https://capture.evil.example/capture/' }),
  reset: (res, req) => req.socket.destroy(),
  redirect: (res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${port}/hostile/javascript-url`, ...cors });
    res.end();
  },
  // Never answers: the element's own deadline has to end the wait.
  silent: () => {},
  // Starts an answer and never finishes it.
  stalled: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...cors });
    res.write('{"url": "http://127.0.0.1/capture/", ');
  },
};

const send = (res, status, type, body) => {
  res.writeHead(status, { 'content-type': type, ...cors });
  res.end(body);
};

createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    return res.end();
  }
  const fault = url.pathname.startsWith('/hostile/') && hostile[url.pathname.slice('/hostile/'.length)];
  if (fault) {
    req.resume();
    return fault(res, req);
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && url.pathname === '/session') {
      received = {};
      completed = 0;
      const steps = (url.searchParams.get('steps') || 'front,back,selfie,video').split(',');
      return json(res, 200, {
        dossierId: 'd-stub',
        processId: 'p-stub',
        uploadUrl: `http://127.0.0.1:${port}/upload`,
        uploadToken: TOKEN,
        steps,
        fileFallback: url.searchParams.get('file') === '1',
      });
    }
    if (url.pathname.startsWith('/upload/')) {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'bad token' });
      const step = url.pathname.slice('/upload/'.length);
      if (req.method === 'POST' && step === 'complete') {
        completed += 1;
        return json(res, 200, { dossierId: 'd-stub', processId: 'p-stub', status: 'processing' });
      }
      if (req.method === 'PUT') {
        if (received[step]) return json(res, 200, { step, bytes: received[step].bytes });
        received[step] = { bytes: body.length, type: req.headers['content-type'], head: body.subarray(0, 4).toString('hex') };
        return json(res, 201, { step, bytes: body.length });
      }
    }
    if (req.method === 'GET' && url.pathname === '/result') {
      return json(res, 200, { processId: 'p-stub', status: 'accepted' });
    }
    if (req.method === 'GET' && url.pathname === '/received') {
      return json(res, 200, { received, completed });
    }
    if (pkgDir && req.method === 'GET' && url.pathname === '/host.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(HOST_PAGE);
    }
    const file = url.pathname.match(/^\/pkg\/([A-Za-z0-9_.-]+)$/)?.[1];
    if (pkgDir && req.method === 'GET' && file && TYPES[path.extname(file)]) {
      return readFile(path.join(pkgDir, file)).then(
        (body) => {
          res.writeHead(200, { 'content-type': TYPES[path.extname(file)] });
          res.end(body);
        },
        () => json(res, 404, { error: 'not found' }),
      );
    }
    json(res, 404, { error: 'not found' });
  });
}).listen(port, '127.0.0.1', () => console.log(`stub backend on http://127.0.0.1:${port}`));
