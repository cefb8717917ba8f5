// The host backend's element-facing contract (docs/backend.openapi.yaml), checked on every
// exchange a test's browser makes with it: the request the element sends (method, query,
// headers, JSON body) and the answer (status, headers, body), by Ajv against the document's
// schemas. Passive: it listens to the context's `response` events and intercepts nothing.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

export const CONTRACT_FILE = fileURLToPath(new URL('../../docs/backend.openapi.yaml', import.meta.url));

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * Paths under the documented ones that other callers than the element use (the demo's phone
 * page polls its own handoff status): not part of the element's contract, so not checked.
 */
const NOT_THE_ELEMENTS = new Set(['/api/videoid/handoff/phone']);

const BODY_SHOWN = 300;

/** The document, its operations and their compiled validators, built once per document. */
export class Contract {
  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false });
    // OpenAPI's own annotations in schemas.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    this.ajv.addSchema({ $id: 'https://videoid-capture.invalid/backend.openapi.json', $defs: rewriteRefs(doc.components?.schemas ?? {}) });
    this.validators = new Map();
    this.operations = [];
    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      const names = [];
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          if (!/^\{.+\}$/.test(part)) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(part.slice(1, -1));
          return '([^/]+)';
        })
        .join('');
      const regex = new RegExp(`^${source}$`);
      for (const method of METHODS) {
        if (!item[method]) continue;
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex,
          names,
          op: item[method],
          parameters: [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map((p) => this.resolve(p)),
        });
      }
    }
    // A literal path wins over a template (OpenAPI): fewer parameters first.
    this.operations.sort((a, b) => a.names.length - b.names.length);
  }

  static load(file = CONTRACT_FILE) {
    return new Contract(YAML.parse(readFileSync(file, 'utf8')));
  }

  /** Follows a local `$ref` (`#/components/…`) to its object. */
  resolve(node) {
    let seen = 0;
    while (node && typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/') || ++seen > 16) throw new Error(`unresolvable $ref ${node.$ref}`);
      node = node.$ref.slice(2).split('/').reduce((at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
      if (node === undefined) throw new Error(`dangling $ref`);
    }
    return node;
  }

  /** The validator of a schema of the document (compiled once). */
  validator(schema) {
    let v = this.validators.get(schema);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema));
      this.validators.set(schema, v);
    }
    return v;
  }

  /** Ajv's errors for `value` against `schema`, or null when it conforms. */
  errors(schema, value) {
    const v = this.validator(schema);
    return v(value) ? null : v.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  /** Whether `pathname` is one of the document's paths (any method). */
  covers(pathname) {
    return !NOT_THE_ELEMENTS.has(pathname) && this.operations.some((o) => o.regex.test(pathname));
  }

  /** The operation of `method` on `pathname` with its path parameters, or null. */
  match(method, pathname) {
    if (NOT_THE_ELEMENTS.has(pathname)) return null;
    for (const o of this.operations) {
      if (o.method !== method) continue;
      const m = o.regex.exec(pathname);
      if (!m) continue;
      const params = Object.fromEntries(o.names.map((n, i) => [n, safeDecode(m[i + 1])]));
      return { ...o, params };
    }
    return null;
  }

  /**
   * The problems of one exchange, as strings (empty when it conforms):
   * `{ method, url, requestHeaders, requestBody, status, responseHeaders, body }`, header
   * names in lower case, bodies as Buffer or string (`body` null when it could not be read).
   */
  check(x) {
    const url = new URL(x.url);
    const problems = [];
    const found = this.match(x.method, url.pathname);
    if (!found) {
      problems.push(`${x.method} is not documented for ${url.pathname}`);
      return problems;
    }
    problems.push(...this.checkRequest(found, url, x));
    problems.push(...this.checkResponse(found, x));
    return problems;
  }

  checkRequest(found, url, x) {
    const problems = [];
    const headers = x.requestHeaders ?? {};
    for (const p of found.parameters) {
      const value = p.in === 'path' ? found.params[p.name]
        : p.in === 'query' ? url.searchParams.get(p.name) ?? undefined
          : p.in === 'header' ? headers[p.name.toLowerCase()] : undefined;
      if (value === undefined) {
        if (p.required) problems.push(`request: the ${p.in} parameter ${p.name} is missing`);
        continue;
      }
      const errors = p.schema && this.errors(p.schema, value);
      if (errors) problems.push(`request: ${p.in} parameter ${p.name}: ${errors.join('; ')}`);
    }
    for (const requirement of found.op.security ?? this.doc.security ?? []) {
      for (const name of Object.keys(requirement)) {
        const scheme = this.resolve(this.doc.components.securitySchemes[name]);
        if (scheme.type === 'http' && scheme.scheme === 'bearer' && !/^Bearer \S+$/.test(headers.authorization ?? '')) {
          problems.push(`request: no bearer token (${name})`);
        }
      }
    }
    const body = x.requestBody == null ? '' : x.requestBody.toString();
    const declared = essence(headers['content-type']);
    const spec = found.op.requestBody && this.resolve(found.op.requestBody);
    if (!spec) {
      if (body.length) problems.push('request: a body where the operation takes none');
      return problems;
    }
    if (!body.length && !declared) {
      if (spec.required) problems.push('request: no body where one is required');
      return problems;
    }
    const media = spec.content?.[declared];
    if (!media) {
      problems.push(`request: Content-Type ${JSON.stringify(headers['content-type'] ?? null)} is not one of ${Object.keys(spec.content ?? {}).join(', ')}`);
      return problems;
    }
    if (declared === 'application/json') {
      let value;
      try {
        value = JSON.parse(body);
      } catch {
        problems.push(`request: the body is not JSON: ${body.slice(0, BODY_SHOWN)}`);
        return problems;
      }
      const errors = media.schema && this.errors(media.schema, value);
      if (errors) problems.push(`request: body: ${errors.join('; ')}; body ${body.slice(0, BODY_SHOWN)}`);
    }
    return problems;
  }

  checkResponse(found, x) {
    const problems = [];
    const spec = found.op.responses?.[String(x.status)];
    const text = x.body == null ? null : x.body.toString();
    const shown = text === null ? '(unread)' : text.slice(0, BODY_SHOWN);
    if (!spec) {
      problems.push(`status ${x.status} is not documented; body ${shown}`);
      return problems;
    }
    const response = this.resolve(spec);
    const headers = x.responseHeaders ?? {};
    for (const [name, h] of Object.entries(response.headers ?? {})) {
      const header = this.resolve(h);
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`the header ${name} is missing`);
        continue;
      }
      const errors = header.schema && this.errors(header.schema, value);
      if (errors) problems.push(`header ${name}: ${errors.join('; ')}`);
    }
    const content = response.content ?? {};
    if (!Object.keys(content).length) {
      if (text) problems.push(`a body where none is documented: ${shown}`);
      return problems;
    }
    const declared = essence(headers['content-type']);
    const media = content[declared];
    if (!media) {
      problems.push(`Content-Type ${JSON.stringify(headers['content-type'] ?? null)} is not one of ${Object.keys(content).join(', ')}; body ${shown}`);
      return problems;
    }
    if (text === null) return problems;
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push(`the body is not JSON: ${shown}`);
      return problems;
    }
    const errors = media.schema && this.errors(media.schema, value);
    if (errors) problems.push(`body: ${errors.join('; ')}; body ${shown}`);
    // An answer that depends on the request's mode: the mode's own schema too.
    const byMode = found.op['x-videoid-answer-by-mode'];
    if (byMode && x.status >= 200 && x.status < 300) {
      let mode = 'embed';
      try {
        mode = JSON.parse(x.requestBody?.toString() || '{}').mode || 'embed';
      } catch {
        // The request's own problem, reported above.
      }
      const name = byMode[mode];
      if (!name) {
        problems.push(`no answer is documented for mode ${JSON.stringify(mode)}`);
      } else {
        const modeErrors = this.errors(this.doc.components.schemas[name], value);
        if (modeErrors) problems.push(`body (mode ${mode}, ${name}): ${modeErrors.join('; ')}; body ${shown}`);
      }
    }
    return problems;
  }
}

function essence(contentType) {
  return contentType ? contentType.split(';')[0].trim().toLowerCase() : '';
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A deep copy of `schema` whose `#/components/schemas/X` refs point into the registered defs. */
function rewriteRefs(schema) {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
      return [k, `https://videoid-capture.invalid/backend.openapi.json#/$defs/${v.slice('#/components/schemas/'.length)}`];
    }
    return [k, rewriteRefs(v)];
  }));
}

let shared;
/** The document, loaded and compiled once per process. */
export function contract() {
  shared ??= Contract.load();
  return shared;
}

/** Counts of the whole process, for its last diagnostic. */
export const totals = { validated: 0, unreadable: 0 };

/**
 * Listens to `context`'s answers from `origin`'s documented paths and checks each (`paths`
 * maps a backend's own paths to the document's, as `{ "/api/session": "/api/videoid/session" }`); returns
 * `finish()`, which waits for the checks under way and returns `{ mismatches, validated,
 * unreadable, fulfilled }`. Answers a test made up itself (`route.fulfill`: no server address)
 * are the test's, not the backend's, and are only counted.
 */
export function watchContract(context, origin, { paths = {} } = {}) {
  const c = contract();
  const result = { mismatches: [], validated: 0, unreadable: 0, fulfilled: 0 };
  const pending = new Set();
  const onResponse = (response) => {
    const request = response.request();
    let url;
    try {
      url = new URL(response.url());
    } catch {
      return;
    }
    // A backend of its own may serve the contract's operations at other paths.
    if (Object.hasOwn(paths, url.pathname)) url.pathname = paths[url.pathname];
    // A CORS preflight is the browser's, not the element's.
    if (url.origin !== origin || !c.covers(url.pathname) || request.method() === 'OPTIONS') return;
    const work = examine(c, response, request, url, result).catch((err) => {
      result.mismatches.push(`${request.method()} ${url.pathname}${url.search}: the check itself failed: ${err.stack || err}`);
    });
    pending.add(work);
    work.finally(() => pending.delete(work));
  };
  context.on('response', onResponse);
  let finished;
  // Once: a second call gets the same result.
  return function finish() {
    finished ??= (async () => {
      while (pending.size) await Promise.all([...pending]);
      context.off('response', onResponse);
      totals.validated += result.validated;
      totals.unreadable += result.unreadable;
      return result;
    })();
    return finished;
  };
}

/** Messages of a body that is gone with its document (a navigation, a closed page or context). */
const GONE = /No resource with given identifier|No data found for resource|Target page, context or browser has been closed|Target closed|has been closed|frame was detached|Response body is unavailable/i;

async function examine(c, response, request, url, result) {
  if ((await response.serverAddr().catch(() => null)) === null) {
    result.fulfilled += 1;
    return;
  }
  let body = null;
  try {
    body = await response.body();
  } catch (err) {
    if (!GONE.test(String(err?.message))) throw err;
    result.unreadable += 1;
  }
  const problems = c.check({
    method: request.method(),
    url: url.href,
    requestHeaders: await request.allHeaders().catch(() => request.headers()),
    requestBody: request.postDataBuffer(),
    status: response.status(),
    responseHeaders: await response.allHeaders().catch(() => response.headers()),
    body,
  });
  if (body !== null) result.validated += 1;
  for (const p of problems) result.mismatches.push(`${request.method()} ${url.pathname}${url.search} → ${response.status()}: ${p}`);
}
