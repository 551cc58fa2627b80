#!/usr/bin/env bash
# Redis keeps its data across restarts (issue #18: the gateway's Idempotency-Key records live 24 h in Redis).
# On a PRIVATE Redis (DEVLOOP_STATE_DIR, DEVLOOP_REDIS_PORT; defaults in deploy/test/lib.sh), started and
# stopped through deploy/devloop:
#   1. an idempotency-style key with a 24 h TTL, a hash and a counter survive a graceful restart
#      (servers down redis / servers up redis: SIGTERM, Redis fsyncs the AOF and saves an RDB);
#   2. a key written 2 s before a kill -9 survives it (appendfsync everysec: at most ~1 s is lost);
#   3. the TTL keeps counting down across the restarts instead of being dropped.
# Usage: deploy/test/redis-persistence.sh   (KEEP_SERVERS=1 leaves the private Redis running)
set -euo pipefail
# shellcheck source=deploy/test/lib.sh
source "$(dirname "$0")/lib.sh"
trap private_servers_down EXIT

private_servers_up redis
check "appendonly is on" yes "$(rcli config get appendonly | tail -n1)"
check "appendfsync is everysec" everysec "$(rcli config get appendfsync | tail -n1)"
check "RDB snapshots are scheduled" "3600 1 300 100 60 10000" "$(rcli config get save | tail -n1)"

key="gw:idem:{acme}:{ci}:$(printf 'retry-42' | sha256sum | cut -c1-64)"
rcli set "$key" '{"status":201,"runId":"r-1"}' EX 86400 >/dev/null
rcli hset "devloop:provider:settings:{acme}:cache" enabled false >/dev/null
rcli del "devloop:test:counter" >/dev/null
rcli incrby "devloop:test:counter" 41 >/dev/null
rcli incr "devloop:test:counter" >/dev/null

restart_gracefully() {
  "$DEVLOOP" servers down redis
  "$DEVLOOP" servers up redis
}
restart_gracefully
check "idempotency record after a graceful restart" '{"status":201,"runId":"r-1"}' "$(rcli get "$key")"
check "hash after a graceful restart" false "$(rcli hget "devloop:provider:settings:{acme}:cache" enabled)"
check "counter after a graceful restart" 42 "$(rcli get devloop:test:counter)"
ttl=$(rcli ttl "$key")
if ((ttl > 86000 && ttl <= 86400)); then ok "TTL kept (${ttl} s left of 86400)"; else fail "TTL after restart: $ttl"; fi

# kill -9: only what the AOF fsynced (every second) survives
rcli set "devloop:test:before-kill" survived EX 86400 >/dev/null
sleep 2
pid=$(tr -dc '0-9' <"$DEVLOOP_STATE_DIR/servers/redis/redis.pid")
[[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == redis-server* ]] || { fail "pid $pid is not our redis-server"; finish; }
kill -KILL "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
"$DEVLOOP" servers up redis
check "key written 2 s before kill -9" survived "$(rcli get devloop:test:before-kill)"
check "idempotency record after kill -9" '{"status":201,"runId":"r-1"}' "$(rcli get "$key")"
ttl=$(rcli ttl "$key")
if ((ttl > 0 && ttl <= 86400)); then ok "TTL still counting after kill -9 ($ttl s)"; else fail "TTL after kill -9: $ttl"; fi
finish
