#!/usr/bin/env bash
# The backend's load test: one instance on SQLite beside two instances on one PostgreSQL
# (a throwaway server unless VIDEOID_TEST_DATABASE_URL names one).
#   bash scripts/loadtest.sh [--release] [--sessions 200] [--final-delay-ms 800] [--native]
# The bad-input sweep in full (www/tests/sweep.rs: 10,000 generated bad requests to every
# route, seeded; npm test sends 1,500), VIDEOID_SWEEP_SEED for another sequence:
#   bash scripts/loadtest.sh --bad-input [requests]
source "$(dirname "$0")/lib.sh"
if [ "${1:-}" = "--bad-input" ]; then
  VIDEOID_SWEEP_REQUESTS="${2:-10000}" exec cargo test --quiet -p videoid-www --test sweep -- --nocapture
fi
source scripts/postgres.sh
profile=()
if [ "${1:-}" = "--release" ]; then profile=(--release); shift; fi
if [ -z "${VIDEOID_TEST_DATABASE_URL:-}" ]; then
  pg_start || { say "could not start a PostgreSQL (is Debian's postgresql installed? scripts/setup.sh --test)"; exit 1; }
  trap pg_stop EXIT
fi
cargo run --quiet "${profile[@]}" -p videoid-www --bin loadtest -- "$@"
