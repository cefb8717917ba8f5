#!/usr/bin/env bash
# Installs what a fresh machine lacks, and nothing else. Safe to run again.
#   scripts/setup.sh          toolchain + npm packages (enough for npm start)
#   scripts/setup.sh --test   also Chromium and ChromeDriver for the browser tests, and
#                             PostgreSQL for the backend's database tests
source "$(dirname "$0")/lib.sh"
want_browser=false
[ "${1:-}" = "--test" ] && want_browser=true

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

pinned="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$pinned" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "setup: installing wasm-bindgen-cli $pinned (about 10 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$pinned"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if $want_browser && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  say "setup: installing Debian's chromium and chromium-driver"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The tests start their own throwaway server from these binaries (scripts/postgres.sh).
if $want_browser && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "setup: installing Debian's postgresql (the backend's database tests)"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  if ! { $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; }; then
    say "setup: postgresql could not be installed: the PostgreSQL tests will be skipped"
  fi
fi
exit 0
