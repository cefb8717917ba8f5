#!/usr/bin/env bash
# The framework typings and the example apps, against the built package
# (pkg/, from scripts/build.sh): installs each project's npm packages from
# its lockfile (only when that changed), checks the React, Vue and Svelte
# template typings (tests/types: good templates pass, wrong values fail), imports
# the packed package in the unit-test runners (tests/runners), then type-checks
# and builds the Vite apps (examples/react, examples/vue: their e2e runs in
# tests/e2e/examples.test.mjs) and the bundler apps from the packed package
# (scripts/bundlers.sh).
source "$(dirname "$0")/lib.sh"
[ -f pkg/videoid-capture.d.ts ] || { echo "examples: pkg/ is not built (npm run build)" >&2; exit 1; }
for dir in tests/types tests/runners; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "examples: installing $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
bash scripts/node-test.sh types 4 tests/types/
# The packed package in Vitest (jsdom, happy-dom) and Jest (ESM: node, jsdom).
bash scripts/node-test.sh runners 2 tests/runners/runners.test.mjs
bash scripts/bundlers.sh
