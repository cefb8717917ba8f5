// The backend contract itself (docs/backend.openapi.yaml): a valid OpenAPI 3.1 document with
// the element's operations, every schema compiling, and the checker that every e2e test runs
// (contract.mjs) refusing answers and requests outside it. Needs no server or browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { CONTRACT_FILE, Contract } from './contract.mjs';

const doc = YAML.parse(readFileSync(CONTRACT_FILE, 'utf8'));
const contract = new Contract(doc);

/** Every operation the element calls on the host backend. */
const OPERATIONS = [
  'POST /api/videoid/session',
  'GET /api/videoid/result',
  'PUT /api/videoid/upload/{step}',
  'POST /api/videoid/upload/complete',
  'POST /api/videoid/handoff',
  'GET /api/videoid/handoff/{id}/events',
  'POST /api/videoid/handoff/{id}/confirm',
  'DELETE /api/videoid/handoff/{id}',
];

const JSON_TYPE = { 'content-type': 'application/json' };
const NO_STORE = { ...JSON_TYPE, 'cache-control': 'no-store' };

/** An exchange with the session endpoint: `mode` asked, `answer` given. */
function session(mode, status, body, headers = NO_STORE) {
  return {
    method: 'POST',
    url: 'http://localhost:8080/api/videoid/session?scenario=accepted',
    requestHeaders: JSON_TYPE,
    requestBody: JSON.stringify({ mode, lang: 'en' }),
    status,
    responseHeaders: headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

test('the document is OpenAPI 3.1 with exactly the element\'s operations, each with its ids and error answers', () => {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
  assert.ok(doc.info?.title && doc.info?.version, 'info.title and info.version');
  const found = contract.operations.map((o) => `${o.method} ${o.template}`).sort();
  assert.deepEqual(found, [...OPERATIONS].sort());
  const ids = contract.operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length, `operationIds are unique: ${ids}`);
  for (const o of contract.operations) {
    const where = `${o.method} ${o.template}`;
    const statuses = Object.keys(o.op.responses);
    assert.ok(statuses.some((s) => /^2\d\d$/.test(s)), `${where} has a success answer`);
    assert.ok(!statuses.includes('default'), `${where} lists its statuses (no default)`);
    for (const s of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
      const schema = contract.resolve(o.op.responses[s]).content?.['application/json']?.schema;
      assert.ok(schema, `${where} ${s} is JSON`);
      assert.equal(contract.errors(schema, { error: 'x' }), null, `${where} ${s} is { error }`);
      assert.notEqual(contract.errors(schema, { message: 'x' }), null, `${where} ${s} requires error`);
    }
    const limited = contract.resolve(o.op.responses['429']);
    assert.equal(contract.resolve(limited.headers['Retry-After']).required, true, `${where} 429 has Retry-After`);
    // Every path parameter of the template is declared.
    for (const name of o.names) {
      assert.ok(o.parameters.some((p) => p.in === 'path' && p.name === name && p.required), `${where} declares {${name}}`);
    }
  }
  assert.deepEqual(
    Object.keys(contract.match('POST', '/api/videoid/session').op['x-videoid-answer-by-mode']).sort(),
    ['auto', 'embed', 'native', 'sdk'],
  );
});

test('every schema of the document compiles, and its examples of the element\'s answers conform', () => {
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    assert.doesNotThrow(() => contract.validator(schema), name);
  }
  const ok = (name, value) => assert.equal(contract.errors(doc.components.schemas[name], value), null, `${name} ${JSON.stringify(value)}`);
  // The answers the element's own tests accept (src/core/contract.rs).
  ok('EmbedSession', { url: 'http://127.0.0.1:8081/capture/#/artifact=abc', dossierId: 'd-1', expiresAt: '2030-01-01T00:00:00Z', framing: 'denied', extra: 1 });
  ok('NativeSession', { dossierId: 'd1', processId: 'p1', uploadUrl: '/api/videoid/upload', uploadToken: 'tok_0123456789abcdef', steps: ['front', 'selfie'], fileFallback: true });
  ok('SdkSession', { dossierId: 'd1', processId: 'p1', authorization: 'a', sdkUrl: 'http://127.0.0.1:8081/provider/js/videoid.js', idType: 2, expiresAt: '2025-01-01T12:10:00.000Z' });
  ok('HandoffLink', { id: 'h1', url: ' http://localhost:8080/videoid/handoff?t=abc ', expiresIn: 90 });
  ok('HandoffState', { id: 'h1', status: 'uploading', dossierId: 'd', processId: 'p', expiresAt: '2030-01-01T00:00:00Z' });
  ok('HandoffState', { id: 'h1', status: 'pairing', code: '0482' });
  ok('Process', { status: 'failed', failReason: { type: null, message: null, id: null } });
  ok('Process', { status: 'something-new' });
});

test('the checker passes answers of the contract', () => {
  assert.deepEqual(contract.check(session('embed', 200, { url: 'http://127.0.0.1:8081/capture/', dossierId: 'd1', framing: 'allowed' })), []);
  assert.deepEqual(contract.check(session('native', 200, {
    dossierId: 'd1', processId: 'p1', uploadUrl: '/api/videoid/upload', uploadToken: 't', steps: ['front'], fileFallback: true,
  })), []);
  assert.deepEqual(contract.check(session('auto', 429, { error: 'too many requests' }, { ...JSON_TYPE, 'retry-after': '3' })), []);
  assert.deepEqual(contract.check({
    method: 'DELETE', url: 'http://localhost:8080/api/videoid/handoff/h1', requestHeaders: {}, requestBody: null,
    status: 204, responseHeaders: {}, body: '',
  }), []);
  assert.deepEqual(contract.check({
    method: 'PUT', url: 'http://localhost:8080/api/videoid/upload/front',
    requestHeaders: { authorization: 'Bearer t', 'content-type': 'image/jpeg', 'x-videoid-quality': '{"verdict":"good"}' },
    requestBody: Buffer.from([0xff, 0xd8, 0xff]), status: 201, responseHeaders: JSON_TYPE, body: '{"step":"front","bytes":3}',
  }), []);
});

test('the checker refuses answers and requests outside the contract', () => {
  const refused = (exchange, pattern) => {
    const problems = contract.check(exchange);
    assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
  };
  // An embed answer without `url` fits no mode's answer, least of all embed's.
  refused(session('embed', 200, { dossierId: 'd1', expiresAt: '2030-01-01T00:00:00Z' }), /mode embed, EmbedSession\): \(root\) must have required property 'url'/);
  // A native answer given to an sdk request.
  refused(session('sdk', 200, { dossierId: 'd1', processId: 'p1', uploadUrl: '/u', uploadToken: 't', steps: ['front'] }), /mode sdk, SdkSession/);
  refused(session('embed', 200, { url: 'javascript:alert(1)', dossierId: '../etc' }), /dossierId must match pattern/);
  // An error that is not JSON, or not `{ error }`.
  refused(session('embed', 500, 'Internal Server Error', { 'content-type': 'text/plain' }), /Content-Type "text\/plain" is not one of application\/json/);
  refused(session('embed', 502, '<html>bad gateway</html>', JSON_TYPE), /the body is not JSON: <html>/);
  refused(session('embed', 500, { message: 'x' }, JSON_TYPE), /must have required property 'error'/);
  // A status the document does not list, a 429 without Retry-After, a success without no-store.
  refused(session('embed', 418, { error: 'teapot' }, JSON_TYPE), /status 418 is not documented/);
  refused(session('embed', 429, { error: 'slow down' }, JSON_TYPE), /Retry-After is missing/);
  refused(session('embed', 200, { url: 'http://127.0.0.1:8081/c', dossierId: 'd1' }, JSON_TYPE), /Cache-Control is missing/);
  // Handoff answers: pairing without its code, a status outside the list, no link lifetime.
  const poll = (body) => ({
    method: 'GET', url: 'http://localhost:8080/api/videoid/handoff/h1/events', requestHeaders: {},
    status: 200, responseHeaders: NO_STORE, body: JSON.stringify(body),
  });
  refused(poll({ id: 'h1', status: 'pairing' }), /must have required property 'code'/);
  refused(poll({ id: 'h1', status: 'Waiting' }), /status must be equal to one of the allowed values/);
  refused({
    method: 'POST', url: 'http://localhost:8080/api/videoid/handoff', requestHeaders: JSON_TYPE,
    requestBody: '{"mode":"auto","lang":"en"}', status: 201, responseHeaders: NO_STORE,
    body: '{"id":"h1","url":"http://localhost:8080/videoid/handoff?t=a"}',
  }, /must have required property 'expiresIn'/);
  // A revoke that answers a body; a route or method the document does not list.
  refused({
    method: 'DELETE', url: 'http://localhost:8080/api/videoid/handoff/h1', requestHeaders: {},
    status: 204, responseHeaders: JSON_TYPE, body: '{}',
  }, /a body where none is documented/);
  refused({
    method: 'GET', url: 'http://localhost:8080/api/videoid/session', requestHeaders: {},
    status: 405, responseHeaders: JSON_TYPE, body: '{"error":"method not allowed"}',
  }, /GET is not documented for \/api\/videoid\/session/);
  // Requests: a session body not declared JSON or of the wrong shape, a result without its
  // ids, an upload without its token or of another type, a completion with a body.
  refused({ ...session('embed', 200, {}), requestHeaders: { 'content-type': 'text/plain' } }, /request: Content-Type "text\/plain"/);
  refused({ ...session('embed', 200, {}), requestBody: '{"mode":"hosted"}' }, /request: body: \/mode/);
  refused({
    method: 'GET', url: 'http://localhost:8080/api/videoid/result?dossierId=d1', requestHeaders: {},
    status: 400, responseHeaders: JSON_TYPE, body: '{"error":"dossierId and processId are required"}',
  }, /request: the query parameter processId is missing/);
  const upload = {
    method: 'PUT', url: 'http://localhost:8080/api/videoid/upload/front', requestHeaders: { 'content-type': 'image/png' },
    requestBody: Buffer.from('x'), status: 401, responseHeaders: JSON_TYPE, body: '{"error":"an upload token is required"}',
  };
  refused(upload, /request: no bearer token/);
  refused(upload, /request: Content-Type "image\/png" is not one of image\/jpeg/);
  refused({
    method: 'POST', url: 'http://localhost:8080/api/videoid/upload/complete', requestHeaders: { authorization: 'Bearer t', ...JSON_TYPE },
    requestBody: '{}', status: 200, responseHeaders: JSON_TYPE, body: '{"dossierId":"d","processId":"p","status":"processing"}',
  }, /request: a body where the operation takes none/);
  // Paths other callers use are not the element's: not matched.
  assert.equal(contract.covers('/api/videoid/handoff/phone'), false);
  assert.equal(contract.covers('/api/videoid/dossier'), false);
  assert.equal(contract.match('POST', '/api/videoid/upload/complete').template, '/api/videoid/upload/complete');
});
