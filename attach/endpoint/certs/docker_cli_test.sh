#!/usr/bin/env bash
# The stock docker CLI (Debian's 20.10, Go 1.19 crypto/tls) against the
# generated TLS set and attachd's server context, through
# docker_probe_server: the env file works as written, verify mode admits
# the client bundle and refuses a client without certificate, server mode
# works with DOCKER_TLS alone. Skipped (77) without /usr/bin/docker
# (package docker.io).
set -euo pipefail
probe=${PROBE:?PROBE=path of docker_probe_server}
docker=${DOCKER:-/usr/bin/docker}
[ -x "$docker" ] || { echo "SKIP: $docker not installed (docker.io)"; exit 77; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
chmod 700 "$work"

start_probe() {  # MODE
  rm -rf "$work/state" && mkdir -m 700 "$work/state"
  "$probe" "$work/state" "$1" >"$work/probe.out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^port ' "$work/probe.out" && break
    sleep 0.1
  done
  port=$(sed -n 's/^port //p' "$work/probe.out")
  [ -n "$port" ] || { cat "$work/probe.out"; exit 1; }
  env_file="$work/state/certs/client/env"
}

stop_probe() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
}

# Runs COMMAND... after sourcing ENV_FILE, with nothing else from our
# environment and a private config dir (no contexts, no ~/.docker).
# COMMAND may start with VAR=VALUE words (it runs through env).
with_env() {  # ENV_FILE COMMAND...
  env -i PATH=/usr/bin:/bin HOME="$work" DOCKER_CONFIG="$work/config" \
    timeout 30 bash -c '. "$0" && exec env "$@"' "$@" 2>&1 || true
}

check() {  # NAME EXPECTED-SUBSTRING OUTPUT
  if [[ "$3" != *"$2"* ]]; then
    echo "FAIL $1: expected '$2' in:"
    echo "$3"
    exit 1
  fi
  echo "ok   $1"
}

fmt=(version --format '{{.Server.Version}}')

start_probe verify
check "verify: source env, docker version" probe \
  "$(with_env "$env_file" "$docker" "${fmt[@]}")"
check "verify: the server saw the client certificate" \
  "peer CN=client,O=Tether attachd" "$(cat "$work/probe.out")"
check "verify: DNS name localhost" probe \
  "$(with_env "$env_file" "$docker" -H "tcp://localhost:$port" "${fmt[@]}")"
# The CLI presents no certificate when cert.pem and key.pem are missing.
mkdir "$work/noclient"
cp "$work/state/certs/client/ca.pem" "$work/noclient/"
# TLS 1.3: the client may have sent its request before the server's
# alert arrives, so it sees either the alert or a reset.
out=$(with_env "$env_file" DOCKER_CERT_PATH="$work/noclient" "$docker" \
        "${fmt[@]}")
check "verify: no client certificate is refused (client)" \
  "error during connect" "$out"
check "verify: no client certificate is refused (server)" \
  "handshake failed" "$(cat "$work/probe.out")"
# Go does check the server: another CA in ca.pem fails.
mkdir "$work/otherca"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj /CN=other -days 1 -keyout "$work/otherca/key.pem" \
  -out "$work/otherca/ca.pem" 2>/dev/null
check "verify: a server from another CA is refused" \
  "x509: certificate signed by unknown authority" \
  "$(with_env "$env_file" DOCKER_CERT_PATH="$work/otherca" "$docker" \
       "${fmt[@]}")"
stop_probe

start_probe server
check "server: env file sets DOCKER_TLS, not DOCKER_TLS_VERIFY" \
  "verify=unset tls=1" \
  "$(with_env "$env_file" bash -c \
       'echo "verify=${DOCKER_TLS_VERIFY-unset} tls=$DOCKER_TLS"')"
check "server: source env, docker version" probe \
  "$(with_env "$env_file" "$docker" "${fmt[@]}")"
# Go sends no certificate when not asked: --tlsverify works too.
cp "$work/state/certs/client/ca.pem" "$work/noclient/"
check "server: --tlsverify with only ca.pem" probe \
  "$(with_env "$env_file" DOCKER_CERT_PATH="$work/noclient" \
       DOCKER_TLS_VERIFY=1 "$docker" "${fmt[@]}")"
stop_probe
echo "docker CLI TLS: all passed"
