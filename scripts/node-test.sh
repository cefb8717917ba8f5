#!/usr/bin/env bash
# Runs one `node --test` layer and fails when it passed fewer tests than it should, so a
# layer whose files were not found, whose tests were all skipped or that stopped early
# cannot pass quietly (the wasm layer's counterpart is in scripts/test-wasm.sh).
#   bash scripts/node-test.sh NAME MIN [node --test options and files…]
# NAME labels the counts; MIN is the least number of passed tests expected (keep it beside
# the call, and raise it when the layer gains tests). The spec report goes to the terminal
# as usual; a TAP copy is parsed for its summary (# tests, # pass, # fail, # skipped…).
# Runs in the current directory (examples/playwright runs from its own).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: node-test.sh NAME MIN [node --test args…]" >&2; exit 2; }
name="$1" min="$2"
shift 2
[[ "$min" =~ ^[1-9][0-9]*$ ]] || { echo "node-test: MIN must be a number above 0 (got $min)" >&2; exit 2; }
tap="$(mktemp "${TMPDIR:-/tmp}/node-test.XXXXXX")"
trap 'rm -f "$tap"' EXIT
status=0
start=$SECONDS
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "$@" || status=$?
count() { awk -v key="# $1" '$1 " " $2 == key && NF == 3 { n = $3 } END { print n + 0 }' "$tap"; }
if ! grep -q '^# tests ' "$tap"; then
  printf '\033[1m%s\033[0m\n' "node-test $name: node --test printed no summary (exit $status)" >&2
  exit $(( status ? status : 1 ))
fi
tests=$(count tests) pass=$(count pass) fail=$(count fail)
skipped=$(count skipped) todo=$(count todo) cancelled=$(count cancelled)
printf '\033[1m%s\033[0m\n' "node-test $name: $tests tests, $pass passed, $fail failed, $skipped skipped, $todo todo, $cancelled cancelled, in $((SECONDS - start)) s (at least $min must pass)" >&2
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$fail" -ne 0 ] || [ "$cancelled" -ne 0 ]; then
  echo "node-test $name: $fail failed, $cancelled cancelled" >&2; exit 1
fi
if [ "$tests" -eq 0 ] || [ "$pass" -lt "$min" ]; then
  echo "node-test $name: $pass tests passed, fewer than the $min expected: a file missing, tests skipped, or the layer stopped early" >&2
  exit 1
fi
