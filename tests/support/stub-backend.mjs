// A minimal host backend for the wasm-bindgen-test suites, on loopback: the
// element's native contract (session, uploads, complete, result) with CORS
// for the test runner's page. Real HTTP; it keeps what it receives so tests
// can ask for it back (GET /received).
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

createServer((req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    return res.end();
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
