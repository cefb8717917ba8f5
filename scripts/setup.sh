#!/usr/bin/env bash
# Installs what a fresh machine lacks, and nothing else. Safe to run again.
#   scripts/setup.sh          toolchain + npm packages (enough for npm start)
#   scripts/setup.sh --bench  as --test, and Debian's tesseract-ocr (the MRZ bench's baseline)
#   scripts/setup.sh --test   also the browsers and drivers of the browser tests:
#                             Debian's chromium + chromium-driver, firefox-esr,
#                             webkit2gtk-driver (WebKitWebDriver, MiniBrowser) and
#                             xvfb; geckodriver from crates.io; Debian's postgresql
#                             for the backend's database tests; Debian's nginx for
#                             the topology test (which runs its own nginx with its own
#                             prefix and configuration, never the system service);
#                             Debian's ffmpeg (ffprobe reads the recorded calls),
#                             util-linux's unshare and iproute2's ip (the calls run in
#                             a loopback-only network namespace); Debian's fonts-ocr-b
#                             (the MRZ reader's tests render zones in OCR-B)
source "$(dirname "$0")/lib.sh"
want_browser=false
want_bench=false
[ "${1:-}" = "--test" ] && want_browser=true
[ "${1:-}" = "--bench" ] && want_browser=true && want_bench=true

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
   || [ ! -d node_modules/selenium-webdriver ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

$want_browser || exit 0

# Debian packages, by the command each one provides; only the missing ones.
missing=()
for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr \
            WebKitWebDriver:webkit2gtk-driver Xvfb:xvfb ffprobe:ffmpeg unshare:util-linux ip:iproute2; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
# nginx lives in /usr/sbin, which a user's PATH may lack.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
[ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || missing+=(fonts-ocr-b)
# npm run bench only: Tesseract, the MRZ reader's baseline.
$want_bench && ! command -v tesseract >/dev/null && missing+=(tesseract-ocr)
if [ ${#missing[@]} -gt 0 ]; then
  say "setup: installing Debian's ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

have="$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)"
if [ "$have" != "$GECKODRIVER_VERSION" ]; then
  say "setup: installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
  cargo install geckodriver --version "=$GECKODRIVER_VERSION"
fi

# The tests start their own throwaway server from these binaries (scripts/postgres.sh);
# npm test fails without them (or a server in VIDEOID_TEST_DATABASE_URL), naming PostgreSQL.
source scripts/postgres.sh
if [ -z "${VIDEOID_TEST_DATABASE_URL:-}" ] && ! pg_bin_dir >/dev/null; then
  say "setup: installing Debian's postgresql (the backend's database tests)"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  { $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; } || true
  if ! pg_bin_dir >/dev/null; then
    say "setup: PostgreSQL is still missing (Debian's postgresql could not be installed): npm test will fail"
  fi
fi
exit 0
