#!/usr/bin/env bash
# npm test: every layer — native cargo tests, wasm tests in headless Chromium,
# the package checks, the framework typings and example apps, and e2e on the
# built package (and the example apps) with playwright-core.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

# A throwaway PostgreSQL for the backend's database tests and the load test.
source scripts/postgres.sh
if pg_bin_dir >/dev/null; then
  pg_start || { say "could not start the test PostgreSQL"; exit 1; }
  trap pg_stop EXIT
else
  export VIDEOID_TEST_POSTGRES_SKIP="Debian's postgresql package is not installed and scripts/setup.sh --test could not install it"
  say "PostgreSQL tests skipped: $VIDEOID_TEST_POSTGRES_SKIP"
fi

say "test 1/5: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo test --workspace --quiet
if [ -n "${VIDEOID_TEST_DATABASE_URL:-}" ]; then
  say "test 1/5: the backend's HTTP tests again, on PostgreSQL"
  VIDEOID_TEST_STORE=postgres cargo test -p videoid-www --quiet --test endusers --test backend \
    --test native --test events --test durability --test sdk --test capture_page
fi
say "test 1/5: load test (one backend on SQLite beside two on one PostgreSQL, round-robin)"
cargo run --quiet -p videoid-www --bin loadtest

say "test 2/5: wasm-bindgen-test in headless Chromium"
bash scripts/test-wasm.sh

say "test 3/5: the npm package"
bash scripts/build.sh
node --test tests/package/

say "test 4/5: framework typings (React, Vue, Svelte) and the example apps (type-check, build)"
bash scripts/examples.sh

say "test 5/5: e2e (playwright-core on $(command -v chromium))"
cargo build --quiet -p videoid-www
node --test --test-concurrency=1 tests/e2e/
