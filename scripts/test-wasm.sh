#!/usr/bin/env bash
# wasm-bindgen-test suites in headless Chromium. Each suite names its own
# Chromium profile (tests/webdriver/*.json): media scenarios need one each.
# Fails when a suite runs no test, so a misconfigured runner cannot pass quietly.
source "$(dirname "$0")/lib.sh"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
run_suite() { # suite-name webdriver-json
  local log
  log="$(mktemp)"
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver/$2.json" \
    cargo test --target wasm32-unknown-unknown --test "$1" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then rm -f "$log"; return "$status"; fi
  if ! grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$log"; then
    echo "wasm suite $1 ran no test in the browser" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
}
# The native suites talk to a stub backend on loopback (real HTTP, CORS for the runner's page).
node tests/support/stub-backend.mjs 18090 >/dev/null &
stub=$!
trap 'kill $stub 2>/dev/null' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null http://127.0.0.1:18090/received && break; sleep 0.1; done

run_suite web chromium
run_suite native_fake fake-camera
