// The element's API, written from its one definition, api/videoid-capture.json
// (text keys from i18n/en.json): the typings (pkg-config/videoid-capture.d.ts,
// react.d.ts, vue.d.ts, svelte.d.ts), the shell's attribute list in
// pkg-config/videoid-capture.js (between `// <api:attributes>` markers), the
// test helpers' EVENT_NAMES and STATES in pkg-config/testing.js, the
// Custom Elements Manifest (pkg-config/custom-elements.json), VS Code's HTML
// custom data (pkg-config/vscode.html-custom-data.json), the API tables of the
// npm README, pkg-config/README.md (between `<!-- api:NAME -->` markers; they exist
// only there: the repository's README.md links them), and the troubleshooting
// table of docs/integrate.md (`<!-- api:troubleshooting -->`).
//
//   node scripts/api.mjs          writes every file that differs
//   node scripts/api.mjs --check  writes nothing; exits 1 naming each stale file
//   --root DIR                    works on DIR instead of this checkout
//
// scripts/build.sh runs it first, so `npm run build` regenerates.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const SOURCE = "api/videoid-capture.json";

// ---------------------------------------------------------------- helpers

const lines = (text) => (Array.isArray(text) ? text : [text]);
const code = (text) => `\`${text}\``;
/** A markdown table cell: pipes escaped (also inside code spans). */
const cell = (text) => text.replace(/(?<!\\)\|/g, "\\|");
/** A JSDoc comment at `indent`: one line when the text is one line. */
function jsdoc(text, indent = "") {
  const ls = lines(text);
  if (ls.length === 1) return `${indent}/** ${ls[0]} */`;
  return [`${indent}/**`, ...ls.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`].join("\n");
}
/** An object key as TypeScript and JavaScript write it: quoted unless an identifier. */
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const union = (values) => values.map((v) => JSON.stringify(v)).join(" | ");
/** A union of string literals, one per line (as the .d.ts writes the longer ones). */
const unionLines = (values) => values.map((v) => `  | ${JSON.stringify(v)}`).join("\n");
/** Markdown without its escapes and code marks, for plain-text descriptions. */
const unescape = (text) => text.replace(/\\\|/g, "|");
/** `videoid-ready` → `VideoidReady`. */
const pascal = (name) => name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());

const writable = (api) => api.attributes.filter((a) => !a.readonly);
/** The attributes whose values the .d.ts declares as a type of their own (CaptureMode, VideoIdLang, …). */
const valueTypes = (api) =>
  api.attributes
    .filter((a) => a.values && a.typeDoc)
    .map((a) => ({ name: a.valuesType ?? a.type, values: a.values, doc: a.typeDoc }));

/** The property's type as its getter returns it. */
function getType(a) {
  if (a.propertyType) return a.propertyType;
  return a.type === "string" || a.type === "number | string" ? "string | null" : `${a.type} | null`;
}

/** The doc of an attribute's property, led by the attribute's name. */
function propertyDoc(a) {
  const doc = lines(a.propertyDoc);
  return [`${code(a.name)}${doc[0].startsWith("(") ? " " : ": "}${doc[0]}`, ...doc.slice(1)];
}

/** An attribute's doc as plain text (the README's values column), with its default. */
function withDefault(a) {
  return `${describe(a.doc)}${a.default && a.default !== "—" ? ` (default: ${unescape(a.default)})` : ""}`;
}

/** `CaptureMode | null` → `"embed" | "auto" | "native" | "sdk" | null`. */
function expandTypes(api, type) {
  let out = type;
  for (const t of valueTypes(api)) out = out.replace(new RegExp(`\\b${t.name}\\b`, "g"), union(t.values));
  return out;
}

function optionNames(api) {
  return writable(api).map((a) => (a.setType?.includes("[]") ? `${code(a.property)} (string or array)` : code(a.property)));
}

// ---------------------------------------------------------------- the .d.ts

function dtsElementClass(api) {
  const out = [
    `/** The \`<${api.tagName}>\` element. */`,
    `export declare class ${api.className} extends HTMLElement {`,
    `  static readonly observedAttributes: ReadonlyArray<Exclude<VideoIdCaptureAttribute, ${union(api.attributes.filter((a) => a.readonly).map((a) => a.name))}>>;`,
    "",
  ];
  for (const a of api.attributes) {
    out.push(jsdoc(propertyDoc(a), "  "));
    if (a.readonly) out.push(`  readonly ${a.property}: ${getType(a)};`);
    else if (a.setType) out.push(`  get ${a.property}(): ${getType(a)};`, `  set ${a.property}(value: ${a.setType});`);
    else out.push(`  ${a.property}: ${getType(a)};`);
  }
  for (const p of api.properties) out.push(jsdoc(p.doc, "  "), `  ${p.name}: ${p.type};`);
  out.push("");
  for (const m of api.methods) out.push(jsdoc(m.doc, "  "), `  ${m.signature};`);
  out.push("}");
  return out.join("\n");
}

export function renderDts(api, en) {
  const parts = [lines(api.header).join("\n")];
  parts.push(`${jsdoc(api.states.doc)}\nexport type ${api.states.type} =\n${unionLines(api.states.values)};`);
  for (const t of valueTypes(api)) parts.push(`${jsdoc(t.doc)}\nexport type ${t.name} = ${union(t.values)};`);
  const texts = Object.entries(en).map(([k, english]) => `  /** ${JSON.stringify(english)} */\n  ${k}?: string;`);
  parts.push(`${jsdoc(api.texts.doc)}\nexport interface ${api.texts.type} {\n${texts.join("\n")}\n}`);
  parts.push(`${jsdoc(api.texts.keyDoc)}\nexport type ${api.texts.keyType} = keyof ${api.texts.type};`);
  parts.push(`${jsdoc(api.steps.doc)}\nexport type ${api.steps.type} = ${union(api.steps.values)};`);
  const readonly = api.attributes.filter((a) => a.readonly).map((a) => code(a.name));
  parts.push(
    `/** Every attribute of the element; all but ${readonly.join(" and ")} are observed, ${readonly.join(" and ")} ${readonly.length > 1 ? "are" : "is"} read-only. */\n` +
      `export type VideoIdCaptureAttribute =\n${unionLines(api.attributes.map((a) => a.name))};`,
  );
  parts.push(`/** Every \`::part()\` of the element's shadow root. */\nexport type VideoIdCapturePart =\n${unionLines(api.cssParts.map((p) => p.name))};`);
  parts.push(`/** Every CSS custom property the element reads. */\nexport type VideoIdCaptureCssProperty =\n${unionLines(api.cssProperties.map((p) => p.name))};`);
  parts.push(lines(api.types).join("\n"));
  parts.push(
    `${jsdoc(api.failureDoc)}\nexport type Failure =\n` +
      api.failures.map((f) => `  | FailureOf<${JSON.stringify(f.code)}, ${f.detail ?? "null"}>`).join("\n") +
      ";",
  );
  parts.push(`/** Every failure code. */\nexport type FailureCode = Failure["code"];`);
  for (const e of api.events) parts.push(lines(e.ts).join("\n"));
  parts.push(
    `/** Every event the element dispatches (bubbling, composed). */\nexport interface VideoIdCaptureEventMap {\n` +
      api.events.map((e) => `  ${JSON.stringify(e.name)}: CustomEvent<${e.detailType}>;`).join("\n") +
      "\n}",
  );
  for (const x of api.exports.filter((x) => x.kind === "class" && x.ts)) parts.push(lines(x.ts).join("\n"));
  parts.push(dtsElementClass(api));
  parts.push(
    [
      "/**",
      " * The element's attributes as a framework template writes them (what the",
      " * React, Vue and Svelte typings build on). Numbers become strings.",
      " */",
      "export interface VideoIdCaptureAttributes {",
      ...writable(api).flatMap((a) => [jsdoc(withDefault(a), "  "), `  ${key(a.name)}?: ${a.type};`]),
      "}",
    ].join("\n"),
  );
  parts.push(
    [
      "/** Options of `capture()`: the attributes in camelCase, plus where to mount. */",
      "export interface CaptureOptions {",
      ...writable(api).map((a) => `  ${a.property}?: ${a.optionType ?? a.type};`),
      ...api.properties.filter((p) => p.optionType).flatMap((p) => [jsdoc(p.optionDoc, "  "), `  ${p.name}?: ${p.optionType};`]),
      ...api.captureOptions.flatMap((o) => [jsdoc(o.doc, "  "), `  ${o.name}?: ${o.type};`]),
      "}",
    ].join("\n"),
  );
  for (const x of api.exports.filter((x) => x.kind === "function")) parts.push(lines(x.ts).join("\n"));
  parts.push(
    [
      "declare global {",
      "  interface HTMLElementTagNameMap {",
      `    ${JSON.stringify(api.tagName)}: ${api.className};`,
      "  }",
      "  interface HTMLElementEventMap extends VideoIdCaptureEventMap {}",
      "}",
    ].join("\n"),
  );
  return parts.join("\n\n") + "\n";
}

// ---------------------------------------------------------------- the framework typings

/** The names a framework typing imports from the main one, sorted. */
function imports(names) {
  return `import type {\n${[...new Set(names)].sort().map((n) => `  ${n},`).join("\n")}\n} from "./videoid-capture.js";`;
}

function renderReact(api) {
  const [first, last] = [api.events[0].name, api.events.at(-1).name];
  const texts = api.properties.map((p) => `${jsdoc(p.templateDoc, "    ")}\n    ${p.name}?: ${p.type};`).join("\n");
  return `/**
 * \`<${api.tagName}>\` in React 19 JSX. Import this entry once instead of the
 * main one (\`import "videoid-capture/react";\`): it registers the element as
 * the main entry does and declares it in React's \`JSX.IntrinsicElements\`.
 * React 19 sets a prop as a property when the element has one (\`texts\`), as
 * an attribute otherwise (\`session-endpoint\`), and listens to
 * \`onvideoid-result={…}\` as the \`videoid-result\` event.
 */
import type { DetailedHTMLProps, HTMLAttributes } from "react";
${imports(["VideoIdCaptureAttributes", api.className, "VideoIdCaptureEventMap", api.texts.type])}

export * from "./videoid-capture.js";

/** \`on${first}\` … \`on${last}\`: one handler per event, typed by its detail. */
export type VideoIdCaptureReactHandlers = {
  [K in keyof VideoIdCaptureEventMap as \`on\${K}\`]?: (event: VideoIdCaptureEventMap[K]) => void;
};

/** The props of \`<${api.tagName}>\` in React. */
export type VideoIdCaptureReactProps = Omit<
  DetailedHTMLProps<HTMLAttributes<${api.className}>, ${api.className}>,
  "lang"
> &
  VideoIdCaptureAttributes &
  VideoIdCaptureReactHandlers & {
${texts}
  };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      ${JSON.stringify(api.tagName)}: VideoIdCaptureReactProps;
    }
  }
}
`;
}

function renderVue(api) {
  const aliases = writable(api).flatMap((a) => a.type.match(/\b[A-Z]\w*/g) ?? []);
  const props = [
    ...writable(api).map((a) => `  ${a.property}?: ${a.type};`),
    ...api.properties.map((p) => `  ${p.name}?: ${p.type};`),
    ...api.events.map((e) => `  on${pascal(e.name)}?: (event: VideoIdCaptureEventMap[${JSON.stringify(e.name)}]) => void;`),
  ];
  return `/**
 * \`<${api.tagName}>\` in Vue 3 templates. Import this entry once instead of
 * the main one (\`import "videoid-capture/vue";\`): it registers the element as
 * the main entry does and declares it in Vue's \`GlobalComponents\`, so
 * \`vue-tsc\` checks its attributes and \`@videoid-*\` handlers. Tell Vue's
 * compiler it is a custom element: \`isCustomElement: (tag) => tag ===
 * "${api.tagName}"\`. Vue sets \`:texts\` as a property (the element has one).
 */
import type { DefineComponent } from "vue";
${imports([...aliases, api.className, "VideoIdCaptureEventMap", api.texts.type])}

export * from "./videoid-capture.js";

/** The props of \`<${api.tagName}>\` in a Vue template (kebab-case there, camelCase here). */
export interface VideoIdCaptureVueProps {
${props.join("\n")}
}

/** The element as Vue's type checker sees it (a template ref holds the \`${api.className}\`). */
export type VideoIdCaptureVueComponent = DefineComponent<VideoIdCaptureVueProps> & {
  new (): { $el: ${api.className} };
};

declare module "vue" {
  interface GlobalComponents {
    ${JSON.stringify(api.tagName)}: VideoIdCaptureVueComponent;
  }
}
`;
}

function renderSvelte(api) {
  const texts = api.properties.map((p) => `    ${p.name}?: ${p.type};`).join("\n");
  return `/**
 * \`<${api.tagName}>\` in Svelte templates. Import this entry once instead of
 * the main one (\`import "videoid-capture/svelte";\`): it registers the element
 * as the main entry does and declares it in \`svelte/elements\`, so
 * \`svelte-check\` checks its attributes and event handlers (\`onvideoid-result\`
 * in Svelte 5, \`on:videoid-result\` in Svelte 4). Svelte sets \`texts\` as a
 * property (the element has one).
 */
import type { HTMLAttributes } from "svelte/elements";
${imports(["VideoIdCaptureAttributes", api.className, "VideoIdCaptureEventMap", api.texts.type])}

export * from "./videoid-capture.js";

/** \`onvideoid-result\` (Svelte 5) and \`on:videoid-result\` (Svelte 4), for every event. */
export type VideoIdCaptureSvelteHandlers = {
  [K in keyof VideoIdCaptureEventMap as \`on\${K}\` | \`on:\${K}\`]?: (event: VideoIdCaptureEventMap[K]) => void;
};

/** The attributes of \`<${api.tagName}>\` in Svelte. */
export type VideoIdCaptureSvelteAttributes = Omit<HTMLAttributes<${api.className}>, "lang"> &
  VideoIdCaptureAttributes &
  VideoIdCaptureSvelteHandlers & {
${texts}
  };

declare module "svelte/elements" {
  interface SvelteHTMLElements {
    ${JSON.stringify(api.tagName)}: VideoIdCaptureSvelteAttributes;
  }
}
`;
}

// ---------------------------------------------------------------- the shell

/** Replaces what lies between `open` and `close` (each on a line of its own) in `text`. */
function between(text, open, close, body, where) {
  const start = text.indexOf(open);
  const end = text.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`${where}: the markers ${open} … ${close} are missing`);
  const from = text.indexOf("\n", start) + 1;
  const to = text.lastIndexOf("\n", end) + 1;
  return text.slice(0, from) + body + text.slice(to);
}

function renderShell(api, current) {
  const entries = writable(api).map((a) => `  ${key(a.name)}: ${JSON.stringify(a.property)},\n`).join("");
  return between(current, "// <api:attributes>", "// </api:attributes>", entries, "pkg-config/videoid-capture.js");
}

function renderTesting(api, current) {
  const list = (values) => values.map((v) => `  ${JSON.stringify(v)},\n`).join("");
  const where = "pkg-config/testing.js";
  const events = between(current, "// <api:events>", "// </api:events>", list(api.events.map((e) => e.name)), where);
  return between(events, "// <api:states>", "// </api:states>", list(api.states.values), where);
}

// ---------------------------------------------------------------- the manifests

function describe(text) {
  return unescape(lines(text).join(" "));
}

export function renderManifest(api) {
  // An attribute's value is a string: one of `values` where they are listed (any string
  // besides where the type admits one, as `lang` does), else any string.
  const attrType = (a) => {
    if (a.readonly) return getType(a).replace(/\s*\|\s*null$/, "");
    if (!a.values) return "string";
    return a.type.includes("string") ? `${union(a.values)} | string` : union(a.values);
  };
  // The description with the README's default, in words; `default` is the value itself
  // (an attribute is a string), where there is one.
  const attributes = api.attributes.map((a) => {
    const out = { name: a.name, fieldName: a.property, description: withDefault(a), type: { text: attrType(a) } };
    if (a.defaultValue !== undefined) out.default = a.defaultValue;
    return out;
  });
  const members = [
    ...api.attributes.map((a) => {
      const out = { kind: "field", name: a.property, type: { text: getType(a) }, description: describe(propertyDoc(a)), attribute: a.name, reflects: true };
      if (a.readonly) out.readonly = true;
      return out;
    }),
    ...api.properties.map((p) => ({ kind: "field", name: p.name, type: { text: p.type }, description: describe(p.doc), default: "null" })),
    ...api.methods.map((m) => ({
      kind: "method",
      name: m.name,
      description: describe(m.doc),
      return: { type: { text: /\):\s*(.+)$/.exec(m.signature)[1] } },
    })),
  ];
  const element = {
    kind: "class",
    name: api.className,
    customElement: true,
    tagName: api.tagName,
    summary: api.summary,
    description: `${api.summary} ${describe(api.exports.find((x) => x.name === api.className).doc)}`,
    superclass: { name: "HTMLElement", package: "global:" },
    attributes,
    members,
    events: api.events.map((e) => ({ name: e.name, type: { text: `CustomEvent<${e.detailType}>` }, description: `${unescape(e.detail)}: ${describe(e.when)}` })),
    cssParts: api.cssParts.map((p) => ({ name: p.name, description: describe(p.doc) })),
    cssProperties: api.cssProperties.map((p) => ({ name: p.name, description: describe(p.doc), default: unescape(p.default).replace(/`/g, "") })),
  };
  const others = api.exports
    .filter((x) => x.name !== api.className)
    .map((x) =>
      x.kind === "class"
        ? { kind: "class", name: x.name, description: describe(exportDoc(api, x)), superclass: { name: "Error", package: "global:" } }
        : { kind: "function", name: x.name, description: describe(exportDoc(api, x)) },
    );
  const declarations = [element, ...others];
  const manifest = {
    schemaVersion: "2.1.0",
    readme: "README.md",
    modules: [
      {
        kind: "javascript-module",
        path: api.module,
        declarations,
        exports: [
          ...declarations.map((d) => ({ kind: "js", name: d.name, declaration: { name: d.name, module: api.module } })),
          { kind: "custom-element-definition", name: api.tagName, declaration: { name: api.className, module: api.module } },
        ],
      },
    ],
  };
  return JSON.stringify(manifest, null, 2) + "\n";
}

export function renderVscode(api) {
  const data = {
    version: 1.1,
    tags: [
      {
        name: api.tagName,
        description: { kind: "markdown", value: api.summary },
        attributes: api.attributes.map((a) => {
          const value = `${unescape(lines(a.doc).join(" "))}${a.default && a.default !== "—" ? `\n\nDefault: ${unescape(a.default)}` : ""}`;
          const out = { name: a.name, description: { kind: "markdown", value } };
          if (a.values) out.values = a.values.map((name) => ({ name }));
          return out;
        }),
        references: [{ name: "README", url: "https://www.npmjs.com/package/videoid-capture#api" }],
      },
    ],
  };
  return JSON.stringify(data, null, 2) + "\n";
}

// ---------------------------------------------------------------- the README tables

function exportDoc(api, x) {
  return x.doc.replace("{options}", optionNames(api).join(", "));
}

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n") + "\n";
}

export function readmeTables(api, en) {
  return {
    attributes: table(
      ["attribute", "values", "default"],
      api.attributes.map((a) => [code(a.name), lines(a.doc).join(" "), a.default]),
    ),
    properties: table(["property", "attribute", "type"], [
      ...api.attributes.map((a) => [code(a.property), code(a.name), `${cell(code(expandTypes(api, getType(a))))}${a.propertyNote ?? ""}`]),
      ...api.properties.map((p) => [code(p.name), "—", p.readme]),
    ]),
    methods: table(["method", "what it does"], api.methods.map((m) => [code(`${m.name}()`), m.readme])),
    exports: table(["export", "what it is"], api.exports.map((x) => [code(x.readme ?? x.name), exportDoc(api, x)])),
    events: table(["event", "`detail`", "when"], api.events.map((e) => [code(e.name), e.detail, e.when])),
    failures: table(["code", "when", "`detail`"], api.failures.map((f) => [code(f.code), f.when, f.detailDoc ?? (f.detail === null ? "—" : cell(code(f.detail)))])),
    "text-keys": table(["key", "English"], Object.entries(en).map(([k, english]) => [code(k), cell(english)])),
    "css-parts": table(["part", "element"], api.cssParts.map((p) => [code(p.name), p.doc])),
    "css-properties": table(["property", "what", "default"], api.cssProperties.map((p) => [code(p.name), p.doc, p.default])),
  };
}

/** The troubleshooting table of docs/integrate.md: each failure, what the user read, why, what to change. */
export function troubleshootingTable(api, en) {
  return table(
    ["code", "what the user saw", "likely cause", "what to change"],
    api.failures.map((f) => {
      if (!Object.hasOwn(en, f.text)) throw new Error(`${f.code}: the text key ${f.text} is not in i18n/en.json`);
      return [code(f.code), cell(`“${en[f.text]}”`), f.cause, f.fix];
    }),
  );
}

function renderReadme(api, en, current, where) {
  let out = current;
  for (const [name, body] of Object.entries(readmeTables(api, en))) {
    out = between(out, `<!-- api:${name} -->`, `<!-- /api:${name} -->`, body, where);
  }
  return out;
}

// ---------------------------------------------------------------- all of it

/**
 * Every generated file, path (from the repository root) → content. `api` is the
 * parsed source, `en` the parsed i18n/en.json, `read(path)` the current text of a
 * file whose generated regions sit among hand-written text.
 */
export function render(api, en, read) {
  return {
    "pkg-config/videoid-capture.d.ts": renderDts(api, en),
    "pkg-config/react.d.ts": renderReact(api),
    "pkg-config/vue.d.ts": renderVue(api),
    "pkg-config/svelte.d.ts": renderSvelte(api),
    "pkg-config/videoid-capture.js": renderShell(api, read("pkg-config/videoid-capture.js")),
    "pkg-config/testing.js": renderTesting(api, read("pkg-config/testing.js")),
    "pkg-config/custom-elements.json": renderManifest(api),
    "pkg-config/vscode.html-custom-data.json": renderVscode(api),
    "pkg-config/README.md": renderReadme(api, en, read("pkg-config/README.md"), "pkg-config/README.md"),
    "docs/integrate.md": between(read("docs/integrate.md"), "<!-- api:troubleshooting -->", "<!-- /api:troubleshooting -->",
      troubleshootingTable(api, en), "docs/integrate.md"),
  };
}

export function loadSource(root = ROOT) {
  return {
    api: JSON.parse(readFileSync(join(root, SOURCE), "utf8")),
    en: JSON.parse(readFileSync(join(root, "i18n/en.json"), "utf8")),
  };
}

function main(args) {
  const check = args.includes("--check");
  // --root DIR: another tree laid out as this one (the tests run on a copy).
  const at = args.indexOf("--root");
  const root = at >= 0 ? args[at + 1] : ROOT;
  const { api, en } = loadSource(root);
  const read = (path) => readFileSync(join(root, path), "utf8");
  const stale = [];
  for (const [path, text] of Object.entries(render(api, en, read))) {
    let current = null;
    try {
      current = read(path);
    } catch {
      // missing: stale
    }
    if (current === text) continue;
    stale.push(path);
    if (!check) writeFileSync(join(root, path), text);
  }
  if (check && stale.length) {
    for (const path of stale) console.error(`api: ${path} is stale (run node scripts/api.mjs)`);
    process.exit(1);
  }
  if (!check && stale.length) console.log(`api: wrote ${stale.join(", ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
