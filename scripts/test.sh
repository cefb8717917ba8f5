#!/usr/bin/env bash
# npm test: every layer — native cargo tests, wasm tests in headless Chromium
# and Firefox, the package checks, e2e on the built package with playwright-core
# in Chromium, and the core e2e flows in Firefox and WebKitGTK (selenium-webdriver).
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh --test
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver)}"

say "test 1/5: native (cargo fmt, clippy on both targets, cargo test: core and the www servers)"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo test --workspace --quiet

say "test 2/5: wasm-bindgen-test in headless Chromium and Firefox ESR"
bash scripts/test-wasm.sh

say "test 3/5: the npm package"
bash scripts/build.sh
node --test tests/package/

say "test 4/5: e2e (playwright-core on $(command -v chromium))"
cargo build --quiet -p videoid-www
node --test --test-concurrency=1 tests/e2e/

say "test 5/5: the core e2e flows in Firefox ESR and WebKitGTK (selenium-webdriver; one server per engine)"
node --test --test-concurrency=1 tests/engines/
