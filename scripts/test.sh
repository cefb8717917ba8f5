#!/usr/bin/env bash
# npm test: every layer — native cargo tests (the www crates once on SQLite and once on
# PostgreSQL, the load test), wasm tests in headless Chromium and Firefox, the package
# checks, the framework typings and example apps, e2e on the built package with
# playwright-core in Chromium and the READMEs' quick start run as written, the deployed
# topology (nginx over TLS in front of two instances on one PostgreSQL), and the core e2e
# flows in Firefox and WebKitGTK
# (selenium-webdriver), and the live calls of attended VideoID (WebRTC on loopback, in a
# network namespace with only lo). No layer passes by running nothing: PostgreSQL is required, each
# cargo run and `node --test` layer prints how many tests ran and fails below the minimum
# kept beside it (raise a minimum when a layer gains tests). tests/README.md lists the layers.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}"

# PostgreSQL, required: the server in VIDEOID_TEST_DATABASE_URL, or a throwaway one.
source scripts/postgres.sh
if [ -n "${VIDEOID_TEST_DATABASE_URL:-}" ]; then
  say "PostgreSQL: the server in VIDEOID_TEST_DATABASE_URL"
elif ! pg_bin_dir >/dev/null; then
  say "npm test needs PostgreSQL, and there is none: Debian's postgresql is not installed \
(no initdb in ${VIDEOID_PG_BIN_DIR:-/usr/lib/postgresql/*/bin}) and scripts/setup.sh --test \
could not install it. Install it (apt-get install postgresql), or set VIDEOID_TEST_DATABASE_URL \
to a server the tests may create databases on."
  exit 1
else
  pg_start || { say "npm test needs PostgreSQL: the throwaway PostgreSQL did not start (above)"; exit 1; }
  trap pg_stop EXIT
fi

# cargo_test LABEL MIN [cargo test args…]: runs `cargo test`, prints how many tests ran
# (every "test result:" line summed: unit, integration and doc tests) and how long it
# took, and fails when fewer than MIN passed.
cargo_test() {
  local label="$1" min="$2" log start status counts
  shift 2
  log="$(mktemp)"
  start=$SECONDS
  status=0
  cargo test "$@" 2>&1 | tee "$log" || status=$?
  counts="$(awk '/^test result:/ {
      for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i
        if ($(i+1) ~ /^ignored/) g += $i; if ($(i+1) == "filtered") x += $i
      }
      t++
    } END { printf "%d %d %d %d %d", p, f, g, x, t }' "$log")"
  rm -f "$log"
  read -r passed failed ignored filtered targets <<<"$counts"
  say "cargo test, $label: $passed passed, $failed failed, $ignored ignored, $filtered filtered out \
(left to the other store), in $targets test binaries, $((SECONDS - start)) s (at least $min must pass)"
  [ "$status" -eq 0 ] || return "$status"
  if [ "$passed" -lt "$min" ]; then
    say "cargo test, $label: $passed passed, fewer than the $min expected"
    return 1
  fi
}

say "test 1/9: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
# The document reader's module (reader/, outside the workspace: its modules are core's files).
cargo fmt --manifest-path reader/Cargo.toml -- --check
cargo clippy --quiet --release --target wasm32-unknown-unknown --manifest-path reader/Cargo.toml \
  --target-dir "${CARGO_TARGET_DIR:-$ROOT/target}" -- -D warnings
# Twice, through one parameter of the www test harness (VIDEOID_TEST_STORE, see
# www/backend/tests/common/db.rs): every test of the workspace on the default SQLite store,
# then every test of the www crates with their servers on PostgreSQL. A test bound to one
# store names it (`…postgres…`, `…sqlite…`) and runs only in that store's pass.
cargo_test "SQLite store" 658 --workspace --quiet -- --skip postgres
say "test 1/9: the www crates again, their servers on PostgreSQL"
VIDEOID_TEST_STORE=postgres cargo_test "PostgreSQL store" 334 \
  -p videoid-www -p videoid-backend --quiet -- --skip sqlite

say "test 1/9: load test (one backend on SQLite beside two on one PostgreSQL, round-robin)"
loadtest_log="$(mktemp)"
cargo run --quiet -p videoid-www --bin loadtest -- --postgres "$VIDEOID_TEST_DATABASE_URL" \
  | tee "$loadtest_log"
if ! grep -q '^2 instances, PostgreSQL' "$loadtest_log"; then
  say "load test: the two-instance run on PostgreSQL did not run"
  exit 1
fi
rm -f "$loadtest_log"
cargo run --quiet -p videoid-www --bin loadtest -- --single --faults

say "test 2/9: wasm-bindgen-test in headless Chromium and Firefox ESR"
bash scripts/test-wasm.sh

say "test 3/9: the npm package"
bash scripts/build.sh
bash scripts/node-test.sh package 66 tests/package/

say "test 4/9: framework typings (React, Vue, Svelte) and the example apps (type-check, build)"
bash scripts/examples.sh

say "test 5/9: e2e (playwright-core on $(command -v chromium))"
cargo build --quiet -p videoid-www
export VIDEOID_WWW_BIN="${VIDEOID_WWW_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/videoid-www}"
bash scripts/node-test.sh e2e 127 --test-concurrency=1 tests/e2e/
# The READMEs' quick start, taken from the READMEs and run as written (both backends).
bash scripts/node-test.sh quickstart 3 tests/quickstart/

say "test 6/9: topology (Debian's nginx with deploy/nginx/videoid.conf over TLS, two instances on one PostgreSQL, the simulator behind it; Chromium)"
topology_start=$SECONDS
bash scripts/node-test.sh topology 22 --test-concurrency=1 tests/topology/
say "test 6/9: topology passed in $((SECONDS - topology_start)) s"

say "test 7/9: the core e2e flows in Firefox ESR and WebKitGTK (selenium-webdriver; one server per engine)"
bash scripts/node-test.sh engines 18 --test-concurrency=1 tests/engines/

say "test 8/9: the Playwright example (examples/playwright: its own Node backend, the standalone simulator)"
npm ci --prefix examples/playwright --no-audit --no-fund --prefer-offline --loglevel=error
# What its `npm test` runs (node --test), counted.
(cd examples/playwright && bash "$ROOT/scripts/node-test.sh" playwright-example 5 --test-concurrency=1 tests/)

say "test 9/9: live calls (attended VideoID: the element and the simulator's attended SDK with an agent in the RA console, WebRTC on loopback in a network namespace with only lo; Chromium, and a Firefox ESR user calling a Chromium agent)"
calls_start=$SECONDS
bash tests/calls/run.sh 15
say "test 9/9: live calls passed in $((SECONDS - calls_start)) s"
