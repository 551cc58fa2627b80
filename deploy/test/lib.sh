# shellcheck shell=bash
# Shared by the deploy/test/*.sh scripts: a PRIVATE set of servers (own state dir, own ports), never the
# stack on the default ports. Every setting can be overridden with the usual DEVLOOP_* variable.

TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$TEST_DIR/../.." && pwd)"
DEVLOOP="$ROOT/deploy/devloop"

export DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-${TMPDIR:-/tmp}/devloop-deploy-test}"
export DEVLOOP_REDIS_PORT="${DEVLOOP_REDIS_PORT:-16379}"
export DEVLOOP_KAFKA_PORT="${DEVLOOP_KAFKA_PORT:-19092}"
export DEVLOOP_KAFKA_CONTROLLER_PORT="${DEVLOOP_KAFKA_CONTROLLER_PORT:-19093}"
export DEVLOOP_NEO4J_BOLT_PORT="${DEVLOOP_NEO4J_BOLT_PORT:-17687}"
export DEVLOOP_NEO4J_HTTP_PORT="${DEVLOOP_NEO4J_HTTP_PORT:-17474}"
export DEVLOOP_MONGO_PORT="${DEVLOOP_MONGO_PORT:-27018}"
export DEVLOOP_NEO4J_PASSWORD="${DEVLOOP_NEO4J_PASSWORD:-devloop-dev}"
NEO4J_PASSWORD=$DEVLOOP_NEO4J_PASSWORD

FAILS=0
CHECKS=0
STARTED_HERE=()

# each line carries the seconds since the script started: the lane's logs then show where a test's minutes go
say() { printf '[%s +%ss] %s\n' "$(basename "$0" .sh)" "$SECONDS" "$*"; }
# the scripts run under set -e: a failing command ends one without a word, unless it says which command it was
trap 'say "stopped at line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
ok() {
  CHECKS=$((CHECKS + 1))
  say "ok   $*"
}
fail() {
  CHECKS=$((CHECKS + 1))
  FAILS=$((FAILS + 1))
  say "FAIL $*"
}
# check <description> <expected> <actual>
check() {
  if [[ $2 == "$3" ]]; then ok "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

rcli() { redis-cli -h 127.0.0.1 -p "$DEVLOOP_REDIS_PORT" "$@"; }

# test_tool <Source.java> <class path> [java options...] -- [args...]: runs deploy/test's one-file tool, compiled once
# per source and class path (javac, under $DEVLOOP_STATE_DIR/test-tools): the source launcher (java Source.java)
# compiled it again on every call, 1-2 CPU s each, and backup-restore.sh calls its two tools 13 times.
test_tool() {
  local src=$1 cp=$2 name dir stamp entry entries=() opts=()
  shift 2
  while (($#)) && [[ $1 != -- ]]; do opts+=("$1") && shift; done
  (($#)) && shift
  name=$(basename "$src" .java)
  dir="$DEVLOOP_STATE_DIR/test-tools/$name"
  IFS=: read -ra entries <<<"$cp"
  stamp=$({
    sha256sum "$src"
    for entry in "${entries[@]}"; do ls -l --time-style=+%s "${entry%/\*}"; done
  } 2>&1 | sha256sum | cut -c1-16)
  if [[ ! -f $dir/.stamp || $(<"$dir/.stamp") != "$stamp" ]]; then
    rm -rf "$dir" && mkdir -p "$dir"
    javac -nowarn -d "$dir" -cp "$cp" "$src" || return 1
    printf '%s' "$stamp" >"$dir/.stamp"
  fi
  java "${opts[@]}" -cp "$dir:$cp" "$name" "$@"
}

# One Cypher statement over HTTP; prints the rows' first column, one per line.
cypher() {
  local body
  body=$(curl -sS --max-time 20 -u "neo4j:$NEO4J_PASSWORD" -H 'Content-Type: application/json' \
    -H 'Accept: application/json' -d "{\"statements\":[{\"statement\":\"$1\"}]}" \
    "http://127.0.0.1:$DEVLOOP_NEO4J_HTTP_PORT/db/neo4j/tx/commit")
  [[ $body == *'"errors":[]'* ]] || {
    say "cypher error: $body" >&2
    return 1
  }
  { grep -o '"row":\[[^]]*\]' <<<"$body" || true; } | sed 's/"row":\[\(.*\)\]/\1/' | tr -d '"'
}

# A port of ours is free, or held by a server of OUR state dir; anything else (the shared stack, another
# checkout) stops the test before it could touch it.
guard_ports() {
  local s port pidfile
  for s in "$@"; do
    case $s in
      redis) port=$DEVLOOP_REDIS_PORT ;;
      kafka) port=$DEVLOOP_KAFKA_PORT ;;
      neo4j) port=$DEVLOOP_NEO4J_BOLT_PORT ;;
      mongo) port=$DEVLOOP_MONGO_PORT ;;
    esac
    pidfile="$DEVLOOP_STATE_DIR/servers/$s/$s.pid"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ ! -s $pidfile ]]; then
      say "port $port ($s) is held by a process that is not this test's (state dir $DEVLOOP_STATE_DIR): refusing to run; set DEVLOOP_${s^^}_PORT / DEVLOOP_STATE_DIR" >&2
      exit 1
    fi
  done
}

# servers up for the named servers; remembers the ones that were not running (stopped again at exit).
private_servers_up() {
  local s
  guard_ports "$@"
  for s in "$@"; do
    [[ -s $DEVLOOP_STATE_DIR/servers/$s/$s.pid ]] || STARTED_HERE+=("$s")
  done
  "$DEVLOOP" servers up "$@"
}

private_servers_down() {
  if ((${#STARTED_HERE[@]})) && [[ ${KEEP_SERVERS:-0} != 1 ]]; then
    "$DEVLOOP" servers down "${STARTED_HERE[@]}" || true
  fi
}

finish() {
  if ((FAILS > 0)); then
    say "$FAILS of $CHECKS checks FAILED"
    exit 1
  fi
  say "all $CHECKS checks passed"
}
