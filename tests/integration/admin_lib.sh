# Helpers for the admin portal's tests: an attachd with --admin (and the
# Docker API, so api.log exists) on free loopback ports, curl against it
# with the generated CA, and a container with output from a real tether in
# a PID namespace. Everything started is stopped by PID (lib.sh's cleanup).
source "$(dirname "${BASH_SOURCE[0]}")/attach_lib.sh"

free_port() {
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/../free_port.py"
}

ADMIN_PORT=$(free_port)
API_PORT=$(free_port)
ADMIN=https://127.0.0.1:$ADMIN_PORT
CERTS=$STATE/certs

# start_admin_attachd [ARGS...]: attachd with the portal; waits for it.
start_admin_attachd() {
  rm -f "$STATE/attachd.sock"
  "$ATTACHD" --state-dir "$STATE" --listen 127.0.0.1:0 \
    --api "127.0.0.1:$API_PORT" --admin "127.0.0.1:$ADMIN_PORT" "$@" \
    >>"$WORK/attachd.stderr" 2>&1 &
  ATTACHD_PID=$!
  BG_PIDS+=("$ATTACHD_PID")
  local i
  for i in $(seq 1 400); do
    [ -S "$STATE/attachd.sock" ] && [ -s "$CERTS/admin-password" ] &&
      curl -s -o /dev/null --max-time 2 --cacert "$CERTS/ca.pem" "$ADMIN/login" &&
      return 0
    kill -0 "$ATTACHD_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/attachd.stderr" "$STATE/attachd.log" >&2 2>/dev/null || true
  fail "attachd with --admin did not start"
}

# acurl ARGS...: curl against the portal, checking its certificate.
acurl() { curl -s --max-time 20 --cacert "$CERTS/ca.pem" "$@"; }
# ccurl ARGS...: the same with the client certificate.
ccurl() {
  acurl --cert "$CERTS/client/cert.pem" --key "$CERTS/client/key.pem" "$@"
}
# status_of ARGS...: the HTTP status acurl gets.
status_of() { acurl -o /dev/null -w '%{http_code}' "$@" || true; }

# start_container NAME: a container that prints to both streams and stays
# up; waits until its output is in attachd's log.
start_container() {
  ctl create --name "$1" -- sh -c \
    "echo $1-stdout-line; echo $1-stderr-line >&2; exec sleep 600" >/dev/null
  start_tether "$1"
  local i
  for i in $(seq 1 200); do
    ctl logs "$1" 2>&1 | grep -q "$1-stderr-line" && return 0
    sleep 0.05
  done
  fail "no output from container $1"
}
