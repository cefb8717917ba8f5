#!/usr/bin/env bash
# wasm-bindgen-test suites in headless Chromium, and those that make sense
# there in headless Firefox ESR (geckodriver). Each suite names its own
# profile (tests/webdriver/*.json; Firefox's are firefox-*.json): media
# scenarios need one each. Fails when a suite runs no test, or runs in
# another browser than asked, so a misconfigured runner cannot pass quietly.
source "$(dirname "$0")/lib.sh"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# The runner prefers geckodriver whenever GECKODRIVER is set: set it per suite only.
geckodriver_bin="${GECKODRIVER:-$(command -v geckodriver || true)}"
unset GECKODRIVER
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
run_suite() { # chromium|firefox suite-name webdriver-json (a path, or a name in tests/webdriver/) [test-filter]
  local browser="$1" log profile="$3" filter="${4:-}" name driver=()
  [ -f "$profile" ] || profile="$ROOT/tests/webdriver/$3.json"
  case "$browser" in
    chromium) name=Chrome ;;
    firefox) name=Firefox; driver=(GECKODRIVER="$geckodriver_bin") ;;
  esac
  log="$(mktemp)"
  env "${driver[@]}" WASM_BINDGEN_TEST_WEBDRIVER_JSON="$profile" \
    cargo test --target wasm32-unknown-unknown --test "$2" -- $filter 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then rm -f "$log"; return "$status"; fi
  if ! grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$log"; then
    echo "wasm suite $2 ran no test in the browser" >&2; rm -f "$log"; return 1
  fi
  if ! grep -q "Running headless tests in $name" "$log"; then
    echo "wasm suite $2 did not run in $browser" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
}
# The native suites talk to a stub backend on loopback (real HTTP, CORS for the runner's page),
# on the first free port from 18090: the suites are built with its origin, so a port that
# stays the same between runs costs no rebuild, and a second test run beside this one
# takes the next port instead of failing.
stub=""
trap '[ -n "$stub" ] && kill $stub 2>/dev/null' EXIT
for port in $(seq 18090 18189); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && continue # taken
  node tests/support/stub-backend.mjs "$port" >/dev/null 2>&1 &
  stub=$!
  for _ in $(seq 50); do
    kill -0 $stub 2>/dev/null || break # lost the race for this port
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break 2
    sleep 0.1
  done
  kill $stub 2>/dev/null; stub=""
done
[ -n "$stub" ] || { echo "test-wasm: no free port for the stub backend" >&2; exit 1; }
export VIDEOID_STUB_ORIGIN="http://127.0.0.1:$port"

run_suite chromium web chromium
run_suite chromium ui chromium
run_suite chromium native_fake fake-camera
run_suite firefox web firefox
run_suite firefox ui firefox
run_suite firefox native_fake firefox-fake-camera

# One profile per media scenario; the suite reads which one at build time, so
# both browsers run each build before the next scenario rebuilds it.
for profile in camera-denied mic-denied no-device; do
  VIDEOID_PROFILE=$profile run_suite chromium native_profiles "$profile" profile_
  VIDEOID_PROFILE=$profile run_suite firefox native_profiles "firefox-$profile" profile_
done
# A generated document video as the camera.
y4m_dir="$ROOT/target/fixtures"
mkdir -p "$y4m_dir"
[ -f "$y4m_dir/document-1280x720.y4m" ] || python3 scripts/make-y4m.py "$y4m_dir/document-1280x720.y4m" 1280 720 sharp 10
sed -e 's|"--use-fake-device-for-media-stream",|"--use-fake-device-for-media-stream", "--use-file-for-fake-video-capture='"$y4m_dir"'/document-1280x720.y4m",|' \
  tests/webdriver/fake-camera.json > "$y4m_dir/y4m.json"
# Chromium only: Firefox has no file for a camera.
VIDEOID_PROFILE=y4m VIDEOID_Y4M_WIDTH=1280 VIDEOID_Y4M_HEIGHT=720 run_suite chromium native_profiles "$y4m_dir/y4m.json" y4m_
