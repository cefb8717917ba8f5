#!/usr/bin/env bash
# npm start: set up, build, then serve the demo host site and the Assure simulator.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh
bash scripts/build.sh
cargo build --quiet --release -p videoid-www
exec "$ROOT/target/release/videoid-www"
