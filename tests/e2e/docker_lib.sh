# Helpers for the Docker API end-to-end tests: the stock docker CLI of
# Debian 12 (/usr/bin/docker, package docker.io, 20.10) against an attachd
# that serves the API on a loopback port and runs real container VMs.
# Builds on run_lib.sh (its cleanup stops attachd and the VMs by PID).
source "$(dirname "${BASH_SOURCE[0]}")/run_lib.sh"

DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || fail "no $DOCKER (make deps installs docker.io)"
# The CLI's own config and credentials stay in this test's directory.
export DOCKER_CONFIG=$WORK/docker-config HOME=$WORK
unset DOCKER_HOST DOCKER_TLS DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
# A CA bundle from the environment would override the one a client is
# given (python-requests prefers it), hiding attachd's CA.
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
mkdir -p "$DOCKER_CONFIG"

# start_api_attachd MODE [ARGS...]: attachd with the Docker API on a free
# loopback port in TLS mode MODE; sets API_PORT.
start_api_attachd() {
  local mode=$1
  shift
  API_PORT=$(free_port)
  start_attachd 0 --api "127.0.0.1:$API_PORT" --api-tls "$mode" "$@"
}

# dk ARGS...: the CLI with the environment the client bundle's env file
# sets (DOCKER_HOST, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY or DOCKER_TLS),
# killed after 150 s (a TCG boot under a loaded ctest takes 10-30 s).
dk() {
  (
    # shellcheck disable=SC1091
    [ -f "$STATE/certs/client/env" ] && [ -z "${NO_ENV:-}" ] &&
      source "$STATE/certs/client/env"
    exec timeout -s KILL 150 "$DOCKER" "$@"
  )
}

# dk_plain ARGS...: the CLI against a plain-HTTP API.
dk_plain() { timeout -s KILL 150 "$DOCKER" -H "tcp://127.0.0.1:$API_PORT" "$@"; }

mode_of() { stat -c %a "$1"; }

# logs_have CONTAINER PATTERN: its logs so far match PATTERN (for wait_for).
logs_have() { dk logs "$1" 2>&1 | grep -q "$2"; }
