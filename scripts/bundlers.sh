#!/usr/bin/env bash
# The bundler and framework apps (examples/react and vue on Vite, webpack, rollup,
# esbuild, parcel, angular, sveltekit, nextjs) against the packed package, as a user's app
# gets it from the registry: packs pkg/ once (npm pack), installs each app's
# npm packages from its lockfile (only when that changed), unpacks the tarball
# into the app's node_modules/videoid-capture/ (the package has no
# dependencies; it is not in the bundler apps' package.json, whose lockfiles would
# change with every build; the Vite apps name it as file:../../pkg, which npm
# links and this replaces with the unpacked tarball before their type-check) and builds the app with its own tool, printing how
# long each install and build took. Their e2e: tests/e2e/examples.test.mjs (the
# Vite apps), tests/e2e/bundlers.test.mjs (the other static apps) and
# tests/e2e/ssr.test.mjs (SvelteKit, Next.js).
source "$(dirname "$0")/lib.sh"
[ -f pkg/package.json ] || { echo "bundlers: pkg/ is not built (npm run build)" >&2; exit 1; }
APPS=(react vue webpack rollup esbuild parcel angular sveltekit nextjs)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$work/$(npm pack ./pkg --pack-destination "$work" --silent | tail -n 1)"
[ -f "$tarball" ] || { echo "bundlers: npm pack made no tarball" >&2; exit 1; }
export NG_CLI_ANALYTICS=false NEXT_TELEMETRY_DISABLED=1
for app in "${APPS[@]}"; do
  dir="examples/$app"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "bundlers: installing $dir"
    start=$SECONDS
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    say "bundlers: installed $dir in $((SECONDS - start)) s"
  fi
  rm -rf "$dir/node_modules/videoid-capture"
  mkdir -p "$dir/node_modules/videoid-capture"
  tar xzf "$tarball" -C "$dir/node_modules/videoid-capture" --strip-components=1
  say "bundlers: building $dir"
  start=$SECONDS
  (cd "$dir" && npm run --silent build)
  say "bundlers: built $dir in $((SECONDS - start)) s"
done
