# shellcheck shell=bash
# deploy/devloop identity-keys: the cell's service-to-service key set for a cluster (one machine needs none: every
# service started by `up` creates its key in $STATE_DIR/identity). Keys are made by contracts' ServiceKeys, run
# from source with the contracts classes and their runtime class path (Maven, offline once it has them).
# deploy/devloop service-token: a token for calling one service of the local stack directly (curl, benchmarks).

# the contracts classes and their runtime class path, for IdentityCli
identity_classpath() {
  local mvn cp
  mvn=$(mvn_cmd)
  cp=$(mktemp)
  (cd "$ROOT" && "$mvn" -B -q -pl contracts compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp" >&2) || { rm -f "$cp"; die "could not build contracts (see the Maven output above)"; }
  printf '%s:%s' "$ROOT/contracts/target/classes" "$(<"$cp")"
  rm -f "$cp"
}

# prints a token for <audience> acting for [tenant], signed as the local cell member devloop-operator (its key is
# created in $DEVLOOP_IDENTITY_DIR on first use and published to that key set; a cluster's key set does not hold it)
service_token() {
  local audience=${1:-} tenant=${2:-} seconds=${DEVLOOP_TOKEN_SECONDS:-300}
  [[ -n $audience && $audience != -* ]] || die "usage: deploy/devloop service-token <service> [tenant]   (DEVLOOP_TOKEN_SECONDS, 5..300)"
  require java
  local cp
  cp=$(identity_classpath) || exit 1
  java -cp "$cp" dev.devloop.contracts.identity.IdentityCli token "${DEVLOOP_IDENTITY_DIR:-$STATE_DIR/identity}" devloop-operator "$audience" "$tenant" "$seconds" 2>/dev/null
}

identity_keys() {
  local dir=${1:-} secret=${DEVLOOP_IDENTITY_SECRET:-devloop-identity}
  [[ -n $dir && $dir != -* ]] || die "usage: deploy/devloop identity-keys <dir>   (an empty or new directory)"
  require java
  local cp
  log "identity-keys: compiling contracts and resolving its class path" >&2
  cp=$(identity_classpath) || exit 1
  mkdir -p "$dir"
  local rc=0
  java -cp "$cp" dev.devloop.contracts.identity.IdentityCli keys "$dir" "${SERVICES[@]}" || rc=$?
  ((rc == 0)) || die "identity-keys: no key set written to $dir"
  dir=$(cd "$dir" && pwd)
  local svc files=()
  for svc in "${SERVICES[@]}"; do files+=("--from-file=$dir/$svc.jwk.json"); done
  files+=("--from-file=$dir/jwks.json")
  cat <<EOT

The private keys are secrets: keep $dir safe (or delete it once the Secret exists). Create the Secret the chart
mounts (values: identity.existingSecret=$secret) in the release's namespace:

  kubectl -n <namespace> create secret generic $secret ${files[*]}
EOT
}
