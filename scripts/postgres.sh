# A throwaway PostgreSQL for the tests (sourced by scripts/test.sh): Debian's postgresql
# binaries, a temporary data directory, a free port on 127.0.0.1, trust authentication
# (it listens on loopback only and lives as long as the test run). initdb and postgres
# refuse to run as root, so as root they run as the `postgres` user.
#   pg_bin_dir prints the directory of the PostgreSQL programs; fails when there is none
#   pg_start   starts it; exports VIDEOID_TEST_DATABASE_URL (its `postgres` database)
#   pg_stop    stops it and removes its directory
# VIDEOID_PG_BIN_DIR, when set, is the only directory looked in (another installation, or
# an empty directory to see what happens on a machine without PostgreSQL).
# VIDEOID_PG_OPTIONS, when set, is added to the server's options (e.g. `-c ssl=on
# -c ssl_cert_file=… -c ssl_key_file=…`, as the topology test's TLS server does).

pg_bin_dir() {
  local dir
  if [ -n "${VIDEOID_PG_BIN_DIR:-}" ]; then
    dir="$VIDEOID_PG_BIN_DIR"
  else
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  fi
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

pg_as() {
  # Runs a PostgreSQL program as an unprivileged user, from a directory it may read.
  if [ "$(id -u)" = 0 ]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

pg_free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

pg_start() {
  PG_BIN="$(pg_bin_dir)" || return 1
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/videoid-pg.XXXXXX")"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi
  if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
      --no-instructions >"$PG_DIR/initdb.log" 2>&1; then
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi
  local attempt
  for attempt in 1 2 3; do
    PG_PORT="$(pg_free_port)"
    if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 ${VIDEOID_PG_OPTIONS:-}" start >/dev/null; then
      export VIDEOID_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
      return 0
    fi
  done
  tail -20 "$PG_DIR/server.log" >&2 || true
  return 1
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
