#!/bin/sh
# Runs the live-call browser tests (tests/calls/*.test.mjs) in a network namespace that has
# only the loopback interface: the WebRTC calls between the two browser contexts then offer
# 127.0.0.1 host candidates only, and nothing leaves the machine. Needs root (as CI runs)
# and the built www binary (cargo build -p videoid-www) and package (npm run build).
set -eu
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
  echo "tests/calls/run.sh: run as root (unshare -n needs it)" >&2
  exit 1
fi
exec unshare -n sh -c 'ip link set lo up && node --test --test-concurrency=1 tests/calls/*.test.mjs'
