#!/usr/bin/env bash
# npm test: every layer — native cargo tests (and the backend on PostgreSQL, the
# load test), wasm tests in headless Chromium and Firefox, the package checks, the
# framework typings and example apps, e2e on the built package with playwright-core
# in Chromium, and the core e2e flows in Firefox and WebKitGTK (selenium-webdriver).
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}"

# A throwaway PostgreSQL for the backend's database tests and the load test.
source scripts/postgres.sh
if pg_bin_dir >/dev/null; then
  pg_start || { say "could not start the test PostgreSQL"; exit 1; }
  trap pg_stop EXIT
else
  export VIDEOID_TEST_POSTGRES_SKIP="Debian's postgresql package is not installed and scripts/setup.sh --test could not install it"
  say "PostgreSQL tests skipped: $VIDEOID_TEST_POSTGRES_SKIP"
fi

say "test 1/7: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo test --workspace --quiet
if [ -n "${VIDEOID_TEST_DATABASE_URL:-}" ]; then
  say "test 1/7: the backend's HTTP tests again, on PostgreSQL"
  VIDEOID_TEST_STORE=postgres cargo test -p videoid-www --quiet --test endusers --test backend \
    --test native --test events --test durability --test sdk --test capture_page
fi
say "test 1/7: load test (one backend on SQLite beside two on one PostgreSQL, round-robin)"
cargo run --quiet -p videoid-www --bin loadtest
cargo run --quiet -p videoid-www --bin loadtest -- --single --faults

say "test 2/7: wasm-bindgen-test in headless Chromium and Firefox ESR"
bash scripts/test-wasm.sh

say "test 3/7: the npm package"
bash scripts/build.sh
node --test tests/package/

say "test 4/7: framework typings (React, Vue, Svelte) and the example apps (type-check, build)"
bash scripts/examples.sh

say "test 5/7: e2e (playwright-core on $(command -v chromium))"
cargo build --quiet -p videoid-www
node --test --test-concurrency=1 tests/e2e/

say "test 6/7: the core e2e flows in Firefox ESR and WebKitGTK (selenium-webdriver; one server per engine)"
node --test --test-concurrency=1 tests/engines/

say "test 7/7: the Playwright example (examples/playwright: its own Node backend, the standalone simulator)"
npm ci --prefix examples/playwright --no-audit --no-fund --prefer-offline --loglevel=error
VIDEOID_WWW_BIN="$ROOT/target/debug/videoid-www" npm test --prefix examples/playwright
