#!/usr/bin/env bash
# The backend's load test: one instance on SQLite beside two instances on one PostgreSQL
# (a throwaway server unless VIDEOID_TEST_DATABASE_URL names one).
#   bash scripts/loadtest.sh [--release] [--sessions 200] [--final-delay-ms 800] [--native]
source "$(dirname "$0")/lib.sh"
source scripts/postgres.sh
profile=()
if [ "${1:-}" = "--release" ]; then profile=(--release); shift; fi
if [ -z "${VIDEOID_TEST_DATABASE_URL:-}" ]; then
  pg_start || { say "could not start a PostgreSQL (is Debian's postgresql installed? scripts/setup.sh --test)"; exit 1; }
  trap pg_stop EXIT
fi
cargo run --quiet "${profile[@]}" -p videoid-www --bin loadtest -- "$@"
