#!/usr/bin/env bash
# mTLS inside the cell, end to end (issue #17): the five services on private servers and ports (deploy/test/stack.sh)
# with DEVLOOP_MTLS=1 — each on HTTPS only, with its own certificate from a local CA and exactly the mTLS environment
# the chart renders for its pod (deploy/lib/mtls.sh) — then:
#   - a run through the gateway with a model call (agent -> provider-gateway) and a tool call that writes a fact
#     (agent -> tool-service -> knowledge-service), every hop over mutual TLS;
#   - a direct call to a service refused without a client certificate, with another service's certificate than the
#     token names, with a certificate of another CA, and over plain HTTP; answered with the token's own certificate;
#     /q/health needs none (kubelet);
#   - a certificate renewed on disk (new key and serial, as cert-manager renews a Secret) is served after the reload
#     period without a restart, and the cell keeps working with it.
# Usage: deploy/test/mtls-stack.sh   (services built first; KEEP_STACK=1 leaves everything running)
set -euo pipefail
export DEVLOOP_STATE_DIR="${DEVLOOP_STATE_DIR:-${TMPDIR:-/tmp}/devloop-mtls-stack}"
export DEVLOOP_MTLS=1 DEVLOOP_MTLS_RELOAD_PERIOD=${DEVLOOP_MTLS_RELOAD_PERIOD:-3s}
# shellcheck source=deploy/test/stack.sh
source "$(dirname "$0")/stack.sh"
# the certificate helpers `up` uses, and the class path of contracts' IdentityCli (service tokens)
DEPLOY_DIR="$ROOT/deploy"
# shellcheck source=deploy/lib/common.sh
source "$DEPLOY_DIR/lib/common.sh"
# shellcheck source=deploy/lib/mtls.sh
source "$DEPLOY_DIR/lib/mtls.sh"
# shellcheck source=deploy/lib/identity.sh
source "$DEPLOY_DIR/lib/identity.sh"
# the helm the Maven run's chart check fetched, when there is one (else mtls.sh fetches its own)
for h in "$ROOT"/.devloop/tools/helm-*/helm; do [[ -x $h ]] && export DEVLOOP_HELM=$h && break; done
trap stack_teardown EXIT
rm -rf "$STATE/mtls" # a fresh CA and certificates for every run
STUB_DELAY_MS=${STUB_DELAY_MS:-20} stack_up

MTLS="$STATE/mtls"
GW="https://127.0.0.1:$DEVLOOP_GATEWAY_PORT"
KS="https://127.0.0.1:$DEVLOOP_KNOWLEDGE_SERVICE_PORT"
body() { sed '$d' <<<"$1"; }
code() { tail -n1 <<<"$1"; }
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n1 | cut -d: -f2- | tr -d '"'; }
gws() {
  local method=$1 path=$2 token=$3
  shift 3
  curl -sS --max-time 60 --cacert "$MTLS/ca/ca.crt" -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}' \
    "$@" "$GW$path"
}
# a token <signer> signs for knowledge-service, acting for <tenant>
service_token_as() {
  java -cp "$IDENTITY_CP" dev.devloop.contracts.identity.IdentityCli token "$STATE/identity" "$1" knowledge-service "$2" 300 \
    2>/dev/null
}
# knowledge <cert-dir|-> <token> [curl args]: GET /facts/mtls-1 on knowledge-service; prints the HTTP status, or
# "tls" when the TLS handshake itself was refused
knowledge() {
  local certs=$1 token=$2 out rc=0
  shift 2
  local client=()
  [[ $certs != - ]] && client=(--cert "$certs/tls.crt" --key "$certs/tls.key")
  out=$(curl -sS --max-time 20 --cacert "$MTLS/ca/ca.crt" "${client[@]}" -H "Authorization: Bearer $token" \
    -o /dev/null -w '%{http_code}' "$@" "$KS/facts/mtls-1/status" 2>/dev/null) || rc=$?
  # a refused client certificate surfaces as whichever error the client meets first: at the handshake (35), on
  # sending the request (55: TLS 1.3 checks the certificate after the client's Finished) or on reading (56, 16)
  if ((rc == 35 || rc == 55 || rc == 56 || rc == 16)); then
    printf tls
  elif ((rc != 0)); then
    printf 'curl-%s' "$rc"
  else
    printf '%s' "$out"
  fi
}
# The serial of the certificate served on a port; empty (and the s_client error on stderr) after 5 failed probes.
# A probe may fail on its own (seen once beside Maven's tests): under `set -e -o pipefail` that ended the script
# silently, so each is retried and a failure is the caller's to report.
serial() {
  local s err i
  for i in 1 2 3 4 5; do
    err=$(mktemp)
    s=$(openssl s_client -connect "127.0.0.1:$1" -servername localhost -CAfile "$MTLS/ca/ca.crt" </dev/null 2>"$err" |
      openssl x509 -noout -serial 2>/dev/null | cut -d= -f2) || s=""
    [[ -n $s ]] && { rm -f "$err"; break; }
    ((i < 5)) && sleep 0.5 || { say "no certificate read on port $1: $(tail -n 3 "$err" | tr '\n' ' ')" >&2; }
    rm -f "$err"
  done
  printf '%s' "$s"
}

TENANT=mtls-$RANDOM
TOKEN=$("$DEVLOOP" token --tenant "$TENANT" --roles operator)

# ---- 1. the whole cell over mutual TLS ---------------------------------------------------------------------------
for pair in api-gateway:$DEVLOOP_GATEWAY_PORT agent-service:$DEVLOOP_AGENT_SERVICE_PORT \
  knowledge-service:$DEVLOOP_KNOWLEDGE_SERVICE_PORT tool-service:$DEVLOOP_TOOL_SERVICE_PORT \
  provider-gateway:$DEVLOOP_PROVIDER_GATEWAY_PORT; do
  svc=${pair%%:*} port=${pair##*:}
  check "$svc serves HTTPS with its own certificate (CN)" "CN = $svc" \
    "$(openssl s_client -connect "127.0.0.1:$port" -CAfile "$MTLS/ca/ca.crt" </dev/null 2>/dev/null |
      openssl x509 -noout -subject 2>/dev/null | sed 's/^subject=//; s/^ *//')"
done
r=$(gws POST '/api/v1/agents/assistant/runs?wait=true' "$TOKEN" -H 'Content-Type: application/json' \
  -d '{"input":"Remember fact mtls-1"}')
check "a run through the gateway completes (model and tool calls over mTLS)" "200 COMPLETED" \
  "$(code "$r") $(field status "$(body "$r")")"
r=$(gws GET /api/v1/facts/mtls-1/status "$TOKEN")
check "its tool call wrote the fact (agent -> tool-service -> knowledge-service)" 200 "$(code "$r")"

# ---- 2. a direct call needs the certificate of the service its token names ---------------------------------------
IDENTITY_CP=$(identity_classpath 2>/dev/null)
AS_AGENT=$(service_token_as agent-service "$TENANT")
[[ -n $AS_AGENT ]] || fail "no agent-service token could be made"
check "agent-service's token with agent-service's certificate: served" 200 "$(knowledge "$MTLS/agent-service" "$AS_AGENT")"
check "the same token without a client certificate: refused" 401 "$(knowledge - "$AS_AGENT")"
check "the same token with tool-service's certificate: refused" 401 "$(knowledge "$MTLS/tool-service" "$AS_AGENT")"
refusal=$(curl -sS --max-time 20 --cacert "$MTLS/ca/ca.crt" --cert "$MTLS/tool-service/tls.crt" \
  --key "$MTLS/tool-service/tls.key" -H "Authorization: Bearer $AS_AGENT" "$KS/facts/mtls-1/status")
detail=$(grep -o '"detail":"[^"]*"' <<<"$refusal" | cut -d'"' -f4)
[[ $detail == *certificate* ]] && ok "the refusal says why: $detail" || fail "the refusal does not name the certificate: $detail"
mtls_ca "$STATE/other-ca"
mtls_issue agent-service "$STATE/other-ca/agent-service" "$STATE/other-ca"
r=$(knowledge "$STATE/other-ca/agent-service" "$AS_AGENT")
[[ $r == tls || $r == 401 ]] && ok "agent-service's name on another CA's certificate: refused ($r)" ||
  fail "another CA's certificate: expected a refused handshake or 401, got $r"
r=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $AS_AGENT" \
  "http://127.0.0.1:$DEVLOOP_KNOWLEDGE_SERVICE_PORT/facts/mtls-1/status" 2>/dev/null) || true
[[ $r != 200 ]] && ok "plain HTTP on the service port: not served ($r)" || fail "plain HTTP answered 200"
check "health needs no client certificate" 200 \
  "$(curl -sS --max-time 10 --cacert "$MTLS/ca/ca.crt" -o /dev/null -w '%{http_code}' "$KS/q/health/live")"

# ---- 3. a renewed certificate is served without a restart ----------------------------------------------------------
KPORT=$DEVLOOP_KNOWLEDGE_SERVICE_PORT
before=$(serial "$KPORT")
[[ -n $before ]] || fail "knowledge-service's certificate could not be read before the renewal"
pid_before=$(read_pid "$STATE/services/knowledge-service.pid")
mtls_issue knowledge-service "$MTLS/knowledge-service"
renewed=$(openssl x509 -in "$MTLS/knowledge-service/tls.crt" -noout -serial | cut -d= -f2)
after=$before
for _ in $(seq 60); do
  after=$(serial "$KPORT")
  [[ $after == "$renewed" ]] && break
  sleep 0.5
done
check "knowledge-service serves its renewed certificate (reload period $DEVLOOP_MTLS_RELOAD_PERIOD)" "$renewed" "$after"
[[ $before != "$renewed" ]] || fail "the renewed certificate has the old serial"
check "without a restart" "$pid_before" "$(read_pid "$STATE/services/knowledge-service.pid")"
mtls_issue agent-service "$MTLS/agent-service"
sleep "${DEVLOOP_MTLS_RELOAD_PERIOD%s}"
sleep 2
r=$(gws POST '/api/v1/agents/assistant/runs?wait=true' "$TOKEN" -H 'Content-Type: application/json' \
  -d '{"input":"Remember fact mtls-2"}')
check "after renewing knowledge-service's and agent-service's certificates a run still completes" "200 COMPLETED" \
  "$(code "$r") $(field status "$(body "$r")")"
check "agent-service's renewed certificate is accepted as agent-service" 200 \
  "$(knowledge "$MTLS/agent-service" "$AS_AGENT")"

finish
