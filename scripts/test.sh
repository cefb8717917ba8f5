#!/usr/bin/env bash
# npm test: every layer — native cargo tests, wasm tests in headless Chromium,
# the package checks, and e2e on the built package with playwright-core.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

say "test 1/4: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo test --workspace --quiet

say "test 2/4: wasm-bindgen-test in headless Chromium"
bash scripts/test-wasm.sh

say "test 3/4: the npm package"
bash scripts/build.sh
node --test tests/package/

say "test 4/4: e2e (playwright-core on $(command -v chromium))"
cargo build --quiet -p videoid-www
node --test --test-concurrency=1 tests/e2e/

say "test 4/4: the Playwright example (examples/playwright: its own Node backend, the standalone simulator)"
npm ci --prefix examples/playwright --no-audit --no-fund --prefer-offline --loglevel=error
VIDEOID_WWW_BIN="$ROOT/target/debug/videoid-www" npm test --prefix examples/playwright
