# shellcheck shell=bash
# Development JWTs: an RSA-2048 key pair under $STATE_DIR/keys and RS256 tokens made with bash + openssl.

KEYS_DIR="$STATE_DIR/keys"
JWT_ISSUER="${DEVLOOP_JWT_ISSUER:-https://devloop.local/issuer}"
JWT_AUDIENCE="${DEVLOOP_JWT_AUDIENCE:-devloop}"
JWT_KID="devloop-dev"

# RSA-2048: PKCS#8 private key (BEGIN PRIVATE KEY), SubjectPublicKeyInfo public key (BEGIN PUBLIC KEY).
ensure_keys() {
  local priv="$KEYS_DIR/jwt-private.pem" pub="$KEYS_DIR/jwt-public.pem"
  [[ -s $priv && -s $pub ]] && return 0
  require openssl
  mkdir -p "$KEYS_DIR"
  chmod 700 "$KEYS_DIR"
  if [[ ! -s $priv ]]; then
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$priv.tmp" 2>/dev/null) ||
      die "openssl could not generate an RSA key"
    mv "$priv.tmp" "$priv"
  fi
  openssl pkey -in "$priv" -pubout -out "$pub" 2>/dev/null || die "openssl could not write the public key"
  chmod 644 "$pub"
  log "generated a JWT signing key pair in $(rel "$KEYS_DIR") (kid $JWT_KID)" >&2
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A JSON string literal.
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

new_uuid() {
  if [[ -r /proc/sys/kernel/random/uuid ]]; then
    cat /proc/sys/kernel/random/uuid
  else
    local h
    h=$(openssl rand -hex 16)
    printf '%s-%s-4%s-a%s-%s\n' "${h:0:8}" "${h:8:4}" "${h:13:3}" "${h:17:3}" "${h:20:12}"
  fi
}

token_usage() {
  cat >&2 <<'EOF'
usage: deploy/devloop token --tenant TENANT --roles ROLE[,ROLE...] [--sub NAME] [--ttl SECONDS]
       deploy/devloop token --public-key     (prints the public key's path)
EOF
}

# deploy/devloop token ...
devloop_token() {
  local tenant="" roles="" roles_set=0 sub="dev-user" ttl=3600
  while (($# > 0)); do
    case $1 in
      --tenant) tenant=${2-}; [[ $# -ge 2 ]] || { token_usage; die "--tenant needs a value"; }; shift 2 ;;
      --tenant=*) tenant=${1#*=}; shift ;;
      --roles) roles=${2-}; roles_set=1; [[ $# -ge 2 ]] || { token_usage; die "--roles needs a value"; }; shift 2 ;;
      --roles=*) roles=${1#*=}; roles_set=1; shift ;;
      --sub) sub=${2-}; [[ $# -ge 2 ]] || { token_usage; die "--sub needs a value"; }; shift 2 ;;
      --sub=*) sub=${1#*=}; shift ;;
      --ttl) ttl=${2-}; [[ $# -ge 2 ]] || { token_usage; die "--ttl needs a value"; }; shift 2 ;;
      --ttl=*) ttl=${1#*=}; shift ;;
      --public-key)
        ensure_keys
        printf '%s\n' "$KEYS_DIR/jwt-public.pem"
        return 0
        ;;
      -h | --help) token_usage; return 0 ;;
      *) token_usage; die "unknown token option: $1" ;;
    esac
  done
  if [[ -z $tenant ]]; then
    token_usage
    die "missing --tenant (the tenant the token is for, e.g. --tenant acme)"
  fi
  if ((roles_set == 0)); then
    token_usage
    die "missing --roles (comma-separated, e.g. --roles operator or --roles admin,operator)"
  fi
  [[ -n $sub ]] || die "--sub must not be empty"
  [[ $ttl =~ ^[0-9]+$ && $ttl -gt 0 ]] || die "--ttl must be a positive number of seconds (got '$ttl')"
  require openssl
  ensure_keys

  local groups="" r first=1 role_list=()
  IFS=, read -r -a role_list <<<"$roles"
  for r in "${role_list[@]}"; do
    r="${r#"${r%%[![:space:]]*}"}"
    r="${r%"${r##*[![:space:]]}"}"
    [[ -n $r ]] || continue
    ((first)) || groups+=","
    groups+=$(json_str "$r")
    first=0
  done

  local now header payload signing sig
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":%s}' "$(json_str "$JWT_KID")")
  payload=$(printf '{"iss":%s,"aud":%s,"sub":%s,"upn":%s,"groups":[%s],"tenant":%s,"iat":%d,"nbf":%d,"exp":%d,"jti":%s}' \
    "$(json_str "$JWT_ISSUER")" "$(json_str "$JWT_AUDIENCE")" "$(json_str "$sub")" "$(json_str "$sub")" \
    "$groups" "$(json_str "$tenant")" "$now" "$now" "$((now + ttl))" "$(json_str "$(new_uuid)")")
  signing="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  sig=$(printf '%s' "$signing" | openssl dgst -sha256 -sign "$KEYS_DIR/jwt-private.pem" -binary | b64url)
  [[ -n $sig ]] || die "openssl could not sign the token"
  printf '%s.%s\n' "$signing" "$sig"
}
