# shellcheck shell=bash
# DEVLOOP_MTLS=1: the local stack with the chart's mutual TLS (k8s/README.md "mTLS between services"), so the
# production wiring runs on one machine and deploy/test/mtls-stack.sh can try it end to end. A local CA under
# $STATE_DIR/mtls issues each service a certificate (CN = the service id, SAN localhost and 127.0.0.1, server and
# client auth) in its own directory, laid out as cert-manager's Secret (tls.crt, tls.key, ca.crt); each service gets
# exactly the mTLS environment the chart renders for its pod (deploy/chart-check/mtls-env.mjs over
# k8s/devloop/ci/mtls-selfsigned-values.yaml), with the mount path pointed at its directory; sibling URLs are https.
# DEVLOOP_MTLS_RELOAD_PERIOD overrides the chart's certificate reload period (the test rotates a certificate).

MTLS_DIR="$STATE_DIR/mtls"
MTLS_VALUES="$ROOT/k8s/devloop/ci/mtls-selfsigned-values.yaml"

mtls_on() { [[ ${DEVLOOP_MTLS:-0} == 1 ]]; }
service_scheme() { if mtls_on; then printf https; else printf http; fi; }
# curl options for reaching a service of this stack (the cell's CA when mTLS is on)
service_curl_opts() { if mtls_on; then printf -- '--cacert\n%s\n' "$MTLS_DIR/ca/ca.crt"; fi; }

# mtls_issue <service> <dir> [ca-dir]: a fresh key and certificate for <service> signed by the CA in ca-dir
mtls_issue() {
  local svc=$1 dir=$2 ca=${3:-$MTLS_DIR/ca}
  mkdir -p "$dir"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/tls.key.new" \
    -subj "/CN=$svc" -out "$dir/tls.csr" 2>/dev/null || return 1
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' \
    "$svc" >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/tls.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
    -days 30 -sha256 -extfile "$dir/ext.cnf" -out "$dir/tls.crt.new" 2>/dev/null || return 1
  cp "$ca/ca.crt" "$dir/ca.crt"
  # key and certificate replaced together, each by a rename, as a Secret update reaches a pod
  mv -f "$dir/tls.key.new" "$dir/tls.key"
  mv -f "$dir/tls.crt.new" "$dir/tls.crt"
  rm -f "$dir/tls.csr" "$dir/ext.cnf"
}

# mtls_ca <dir>: a CA key and self-signed certificate (kept when present)
mtls_ca() {
  local dir=$1
  [[ -s $dir/ca.crt && -s $dir/ca.key ]] && return 0
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -subj "/CN=devloop-local-cell-ca" -days 90 -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# The CA, each service's certificate and each service's mTLS environment, once per state directory.
mtls_prepare() {
  mtls_on || return 0
  require openssl node
  mtls_ca "$MTLS_DIR/ca" || die "mtls: could not create the local CA"
  local svc rendered="$MTLS_DIR/chart.yaml" helm
  for svc in "${SERVICES[@]}"; do
    [[ -s $MTLS_DIR/$svc/tls.crt ]] || mtls_issue "$svc" "$MTLS_DIR/$svc" || die "mtls: could not issue $svc's certificate"
  done
  if [[ ! -s $rendered ]]; then
    chart_check_deps
    helm=${DEVLOOP_HELM:-$(helm_bin)}
    "$helm" template devloop-mtls "$CHART_DIR" -f "$MTLS_VALUES" --namespace devloop-mtls >"$rendered.tmp" ||
      die "mtls: helm template failed for $(rel "$MTLS_VALUES")"
    mv "$rendered.tmp" "$rendered"
  fi
  for svc in "${SERVICES[@]}"; do
    node "$CHART_CHECK_DIR/mtls-env.mjs" "$rendered" "$svc" >"$MTLS_DIR/$svc.env" || die "mtls: no mTLS settings for $svc"
  done
  log "mTLS on: the chart's settings, certificates from the local CA $(rel "$MTLS_DIR/ca/ca.crt")"
}

# The environment words (NAME=value) of one service's start: the chart's, on its own certificate directory.
mtls_service_env() {
  mtls_on || return 0
  local svc=$1 port=$2 line
  while IFS= read -r line; do
    line=${line//\/etc\/devloop\/mtls/$MTLS_DIR/$svc}
    if [[ -n ${DEVLOOP_MTLS_RELOAD_PERIOD:-} && $line == QUARKUS_TLS__CELL__RELOAD_PERIOD=* ]]; then
      line="QUARKUS_TLS__CELL__RELOAD_PERIOD=$DEVLOOP_MTLS_RELOAD_PERIOD"
    fi
    printf '%s\n' "$line"
  done <"$MTLS_DIR/$svc.env"
  printf 'QUARKUS_HTTP_SSL_PORT=%s\n' "$port"
}
