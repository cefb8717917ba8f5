#!/usr/bin/env bash
# Runs the live-call browser tests (tests/calls/*.test.mjs) in a network namespace that has
# only the loopback interface (with 127.0.0.1 and, for Firefox, 10.99.0.1 on it): the WebRTC
# calls between the browser pages offer host candidates on `lo` only, and nothing leaves the
# machine. As root, `unshare -n`;
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
# Firefox's ICE gathers no candidate with 127.0.0.1 alone: it starts only once there is a
# default route, and never offers 127.0.0.1 (firefox.test.mjs). So `lo` also gets 10.99.0.1/32
# and the default route goes through `lo`: both on `lo`, so no packet leaves the namespace.
exec unshare "${flags[@]}" bash -c 'ip link set lo up && ip addr add 10.99.0.1/32 dev lo && ip route add default dev lo && exec bash scripts/node-test.sh calls "$0" --test-concurrency=1 tests/calls/' "$min"
