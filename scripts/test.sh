#!/usr/bin/env bash
# npm test: every layer — native cargo tests, wasm tests in headless Chromium,
# the package checks, the framework typings and example apps, and e2e on the
# built package (and the example apps) with playwright-core.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

say "test 1/5: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo test --workspace --quiet

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
