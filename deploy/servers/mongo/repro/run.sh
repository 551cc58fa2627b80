#!/usr/bin/env bash
# Reproduces the stand-in store's breakage under collection drops (docs/verification.md, stops 35 and 36). A private
# stand-in on 127.0.0.1:$PORT (27117) over a fresh H2 file in a temporary directory; CYCLES (4) times: start it, ROUNDS
# (40) rounds of DropChurn (its first request a countDocuments of `usage`: a long read right after the restart, while
# the background writer compacts what the drops left), SIGTERM; then a final open that counts `usage` and reads every
# document back by _id. PASS/FAIL and exit 0/1. MODE=delete deletes instead of dropping; READERS=n adds n threads
# that repeat the long read during the rounds (slow). LIB (.devloop/servers/mongo/lib) picks the launcher's jars,
# HEAP (384m, as deploy/devloop runs it) the stand-in's -Xmx, NICE a prefix for both JVMs (e.g. "nice -n 10"),
# KEEP=1 keeps the logs and the store. Stops what it started by pid.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
lib="${LIB:-$root/.devloop/servers/mongo/lib}"
[ -d "$lib" ] || { echo "no $lib: run deploy/devloop servers up first" >&2; exit 1; }
port="${PORT:-27117}"
work="$(mktemp -d)"
javac -d "$work" -cp "$lib/*" "$here/DropChurn.java" || exit 1
pid=""
start() {
  : > "$work/mongo-$1.log"
  (cd "$work" && exec ${NICE:-} java -Xmx"${HEAP:-384m}" -cp "$lib/*" dev.devloop.deploy.mongo.MongoLauncher 127.0.0.1 "$port" \
    "$work/devloop.mv.db") > "$work/mongo-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    grep -q "listening on" "$work/mongo-$1.log" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "$1: the store did not open:" >&2; grep -m2 -E "Exception|Error" "$work/mongo-$1.log" >&2; return 1
}
stop() { kill "$pid" 2>/dev/null; for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done; kill -9 "$pid"; }
churn() { # DropChurn's last line, or its first exception's
  local out
  out="$(${NICE:-} java -cp "$lib/*:$work" DropChurn "mongodb://127.0.0.1:$port" "$@" 2>&1)" &&
    { grep "a reader failed" <<<"$out"; tail -1 <<<"$out"; return 0; }
  grep -m1 -E "Exception|Error" <<<"$out" || tail -1 <<<"$out"
}
store_failed() { # log label → reports and returns 0 when the stand-in's log shows a store error
  grep -q -E "Unable to read|OutOfMemoryError|MVStoreException" "$1" || return 1
  echo "$2: the store failed: $(grep -m1 -o -E 'Unable to read[^,]*|OutOfMemoryError|MVStoreException[^[]*' "$1")"
}
trap 'stop; if [ -n "${KEEP:-}" ]; then echo "logs and store kept in $work"; else rm -rf "$work"; fi' EXIT
rounds="${ROUNDS:-40}" cycles="${CYCLES:-4}" failed=0
for cycle in $(seq 1 "$cycles"); do
  start "cycle$cycle" || exit 1
  churn "$rounds" run
  store_failed "$work/mongo-cycle$cycle.log" "cycle $cycle" && failed=1
  stop
  echo "cycle $cycle stopped; store $(du -m "$work/devloop.mv.db" | cut -f1) MB"
done
start final || exit 1
count="$(churn 0 check)"
echo "$count"
store_failed "$work/mongo-final.log" "final open" && failed=1
expected=$((cycles * rounds * 4000))
if [ "$failed" = 0 ] && [ "$count" = "usage documents: $expected, readable: $expected" ]; then
  echo "PASS: $cycles cycles, every usage document kept and readable ($expected)"
else
  echo "FAIL: expected $expected usage documents, all readable, and no store errors"
  exit 1
fi
