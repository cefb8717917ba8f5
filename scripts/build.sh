#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen, wasm-opt, package files.
source "$(dirname "$0")/lib.sh"
out="$ROOT/pkg"
stage="$ROOT/target/pkg-stage"
# The typings, manifests, the shell's attribute list and the README tables, from api/videoid-capture.json.
node scripts/api.mjs

# v0 symbol mangling: a generic instance's name carries its type parameters
# (`<… as FnOnce>::call_once::<videoid_capture::web::native::…>`), so the
# closure shims and trait-object methods of a chunk's code match its patterns
# in scripts/chunks.json (legacy names say only `call_once{{vtable.shim}}`).
RUSTFLAGS="${RUSTFLAGS:-} -Csymbol-mangling-version=v0" \
  cargo build --quiet --release --lib --target wasm32-unknown-unknown
# The document reader, a wasm module of its own (reader/Cargo.toml): no imports,
# its own memory, loaded by the native run when a document step begins.
cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path reader/Cargo.toml \
  --target-dir "${CARGO_TARGET_DIR:-$ROOT/target}"
rm -rf "$stage" && mkdir -p "$stage"
# The name section stays (and wasm-opt keeps it with -g) until
# scripts/split-wasm.mjs has cut the chunks out by name; it writes none.
wasm-bindgen --target web --remove-producers-section \
  --out-dir "$stage" "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/videoid_capture.wasm"
# -Oz plus the features current rustc emits by default.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# --low-memory-unused: the linker puts the stack first (data starts at 1 MiB),
# so the low 1 KiB is only ever the bottom of a nearly overflowed stack; this
# lets wasm-opt fold constant offsets into loads and stores (about 1 KB gzipped).
# --one-caller-inline-max-function-size=20: by default wasm-opt inlines every
# function that has one caller, whatever its size, which welds the flow, its
# effects and the QR encoder into one 30 KB function whose repeated patterns
# no longer line up for gzip; kept apart they compress better (-6.7 KB
# gzipped, for +1.8% raw). -Oz after --flatten --rereloop, twice,
# restructures the control flow (-0.75 KB gzipped, then -0.2 KB).
# --merge-similar-functions then -Oz: functions that differ only in constants become one
# with a parameter (-0.1 KB gzipped).
node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz --flatten --rereloop -Oz --converge --low-memory-unused \
  --one-caller-inline-max-function-size=20 --merge-similar-functions -Oz "${features[@]}" -g \
  "$stage/videoid_capture_bg.wasm" -o "$stage/videoid_capture_bg.wasm"
# Short names for the imports and exports between the wasm and its glue.
node scripts/minify-names.mjs node_modules/.bin/wasm-opt "$stage/videoid_capture_bg.wasm" \
  "$stage/videoid_capture.js" "${features[@]}" -g >/dev/null
# The lazily loaded chunks (scripts/chunks.json) out of the base wasm, after
# the names between wasm and glue are final: the exports the base gets for
# the chunks are named here, and nothing renames them later.
# (The named input stays in the stage for a look: SPLIT_WASM_LIST=1 node scripts/split-wasm.mjs …)
cp "$stage/videoid_capture_bg.wasm" "$stage/named.wasm"
node scripts/split-wasm.mjs scripts/chunks.json "$stage/videoid_capture_bg.wasm" "$stage" "${features[@]}"
# A chunk alone optimises a little further (its calls into the base are now
# imports; -60 B gzipped on the QR encoder's). The base does not: -Oz again
# would undo the inlining limits above (+5.6 KB gzipped).
for chunk in "$stage"/videoid_capture_*.wasm; do
  [ "$chunk" = "$stage/videoid_capture_bg.wasm" ] && continue
  node_modules/.bin/wasm-opt -Oz --low-memory-unused --one-caller-inline-max-function-size=20 \
    --merge-similar-functions -Oz "${features[@]}" "$chunk" -o "$chunk"
done
node_modules/.bin/wasm-opt -Oz --converge "${features[@]}" \
  "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/videoid_capture_reader.wasm" \
  -o "$stage/videoid_capture_mrz.wasm"
# The glue wasm-bindgen writes is generated code: ship it minified (its
# exports, what the element class imports, keep their names). The package's
# own files stay readable.
node_modules/.bin/esbuild "$stage/videoid_capture.js" --minify --format=esm --log-level=warning \
  --outfile="$stage/videoid_capture.min.js"
mv "$stage/videoid_capture.min.js" "$stage/videoid_capture.js"

# Assemble beside pkg/, then swap: a server reading pkg/ never sees it half-built.
next="$ROOT/target/pkg-next"
rm -rf "$next" && mkdir -p "$next"
cp "$ROOT"/pkg-config/* "$next/"
# The repository's changelog ships in the package too ("files" lists it).
cp "$ROOT/CHANGELOG.md" "$next/"
# What a page loads (the element, its styles, the return helper) ships
# minified, with a source map that carries the readable source from
# pkg-config/; testing.js runs in Node and stays as written.
# The stylesheet's CSS text is minified as CSS first (the JavaScript minifier keeps string
# contents as written); its source map then carries that CSS, the readable one is
# pkg-config/styles.js.
node scripts/minify-css-module.mjs "$ROOT/pkg-config/styles.js" "$stage/styles.js"
for page_file in videoid-capture.js styles.js return.js; do
  source_file="$ROOT/pkg-config/$page_file"
  [ "$page_file" = styles.js ] && source_file="$stage/styles.js"
  node_modules/.bin/esbuild "$source_file" --minify --format=esm --log-level=warning \
    --sourcemap --sources-content=true --outfile="$next/$page_file"
done
# One file per language, fetched on demand (English is compiled into the wasm).
mkdir "$next/i18n" && cp "$ROOT"/i18n/*.json "$next/i18n/"
cp "$stage/videoid_capture.js" "$stage"/videoid_capture_*.wasm "$next/"
# The README's table of Subresource Integrity hashes, of the files as shipped.
node scripts/sri.mjs "$next"
rm -rf "$ROOT/target/pkg-old"
[ -d "$out" ] && mv "$out" "$ROOT/target/pkg-old"
mv "$next" "$out"
rm -rf "$ROOT/target/pkg-old"

wasm_gz=$(gzip -9c "$out/videoid_capture_bg.wasm" | wc -c)
js_gz=$(cat "$out"/*.js | gzip -9c | wc -c)
lang_gz=$(for f in "$out"/i18n/*.json; do gzip -9c "$f" | wc -c; done | sort -n | tail -1)
chunks_gz=$(for f in "$out"/videoid_capture_*.wasm; do
  [ "$f" = "$out/videoid_capture_bg.wasm" ] || printf ', %s %s B gz' "$(basename "$f" .wasm | sed 's/^videoid_capture_//')" "$(gzip -9c "$f" | wc -c)"
done)
say "build: pkg/ ready — wasm $(wc -c <"$out/videoid_capture_bg.wasm") B ($wasm_gz B gz)$chunks_gz, js $js_gz B gz, largest language file $lang_gz B gz"
