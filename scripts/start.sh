#!/usr/bin/env bash
# npm start: set up, build, then serve the demo host site and the Assure simulator.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh
bash scripts/build.sh
# The demo server shares the test build (debug): no second compile of the server.
cargo build --quiet -p videoid-www
exec "$ROOT/target/debug/videoid-www"
