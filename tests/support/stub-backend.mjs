// A minimal host backend for the wasm-bindgen-test suites, on loopback: the
// element's native contract (session, uploads, complete, result) with CORS
// for the test runner's page. Real HTTP; it keeps what it receives so tests
// can ask for it back (GET /received). Under /hostile/ it misbehaves the ways
// a broken or hostile host backend can (see `hostile` below).
//   node tests/support/stub-backend.mjs PORT
import { createServer } from 'node:http';

const port = Number(process.argv[2] || 18090);
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
  garbage: (res) => send(res, 200, 'application/json', '{"url": "http://127.0.0.1/", "dossierId": '),
  html: (res) => send(res, 200, 'text/html', '<!doctype html><title>Sign in</title><p>Please sign in'),
  'wrong-shape': (res) => json(res, 200, { url: 42, dossierId: ['d1'] }),
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
    json(res, 404, { error: 'not found' });
  });
}).listen(port, '127.0.0.1', () => console.log(`stub backend on http://127.0.0.1:${port}`));
