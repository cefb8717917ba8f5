#!/usr/bin/env bash
# Runs the live-call browser tests (tests/calls/*.test.mjs) in a network namespace that has
# only the loopback interface: the WebRTC calls between the browser pages then offer
# 127.0.0.1 host candidates only, and nothing leaves the machine. As root, `unshare -n`;
# otherwise `unshare -rn` (a user namespace mapping the user to root, where the kernel
# allows unprivileged user namespaces). Needs the built www binary (cargo build -p
# videoid-www, or VIDEOID_WWW_BIN) and package (npm run build).
#   bash tests/calls/run.sh [MIN]        MIN: the least number of passed tests (default 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
min="${1:-1}"
if [ "$(id -u)" = 0 ]; then flags=(-n); else flags=(-r -n); fi
if ! unshare "${flags[@]}" true 2>/dev/null; then
  echo "tests/calls/run.sh: cannot make a network namespace (unshare ${flags[*]} failed): run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)" >&2
  exit 1
fi
exec unshare "${flags[@]}" bash -c 'ip link set lo up && exec bash scripts/node-test.sh calls "$0" --test-concurrency=1 tests/calls/' "$min"
