#!/usr/bin/env bash
# The other TLS modes with the stock CLI, one VM each: `server` (TLS, no
# client certificates: the env file sets DOCKER_TLS, and ca.pem is still
# handed out), `off` (plain HTTP, warned about in attachd's log and in
# docker info), and custom certificates from the operator's own CA, whose
# mismatch is a clear error at start.
source "$(dirname "$0")/docker_lib.sh"

stop_attachd() {
  local p
  p=$(attachd_pid)
  kill -TERM "$p"
  wait_for sh -c "! kill -0 $p 2>/dev/null"
  rm -f "$STATE/attachd.pid"
}

start_api_attachd server
grep -q DOCKER_TLS=1 "$STATE/certs/client/env" || fail "env: no DOCKER_TLS"
grep -q DOCKER_TLS_VERIFY "$STATE/certs/client/env" &&
  ! grep -q 'unset DOCKER_TLS_VERIFY' "$STATE/certs/client/env" &&
  fail "server mode must not set DOCKER_TLS_VERIFY"
[ -s "$STATE/certs/client/ca.pem" ] || fail "no ca.pem in server mode"
expect_eq "server mode: docker run" hi "$(dk run --rm busybox echo hi)"
stop_attachd

start_api_attachd off
grep -q "WARNING: API is accessible on http://127.0.0.1:$API_PORT without encryption" \
  "$STATE/attachd.log" || fail "no loud warning: $(tail -5 "$STATE/attachd.log")"
dk_plain info >/dev/null 2>"$WORK/err"
grep -q "without encryption" "$WORK/err" || fail "docker info: $(cat "$WORK/err")"
pass "docker info warns about plain HTTP"
expect_eq "off mode: docker run" hi "$(dk_plain run --rm busybox echo hi)"
rc=0; NO_ENV=1 dk --tlsverify -H "tcp://127.0.0.1:$API_PORT" version \
  >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "TLS to a plain port worked"
stop_attachd

# The operator's own CA, server and client certificates.
P=$WORK/pki
mkdir -p "$P"
ec() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
ec "$P/ca-key.pem"; ec "$P/server-key.pem"; ec "$P/key.pem"; ec "$P/wrong-key.pem"
openssl req -x509 -new -key "$P/ca-key.pem" -subj /CN=operator-ca -days 2 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign \
  -out "$P/ca.pem" 2>/dev/null
issue() {  # issue KEY CN EXT OUT
  openssl req -new -key "$1" -subj "/CN=$2" 2>/dev/null |
    openssl x509 -req -CA "$P/ca.pem" -CAkey "$P/ca-key.pem" -CAcreateserial \
      -days 2 -sha256 -extfile <(printf '%s\n' "$3") -out "$4" 2>/dev/null
}
issue "$P/server-key.pem" server \
  "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth" "$P/server-cert.pem"
issue "$P/key.pem" client "extendedKeyUsage=clientAuth" "$P/cert.pem"

API_PORT=$(free_port)
rc=0
timeout 30 "$ATTACHD" --state-dir "$STATE" --listen 127.0.0.1:0 \
  --api "127.0.0.1:$API_PORT" --tlscacert "$P/ca.pem" \
  --tlscert "$P/server-cert.pem" --tlskey "$P/wrong-key.pem" \
  >"$WORK/bad.log" 2>&1 || rc=$?
expect_eq "a key that does not match: attachd exits 1" 1 "$rc"
grep -q "wrong-key.pem" "$WORK/bad.log" || fail "the error: $(cat "$WORK/bad.log")"
pass "the error names the file: $(grep -o '[^:]*wrong-key.pem[^"]*' "$WORK/bad.log" | head -1)"

start_attachd 0 --api "127.0.0.1:$API_PORT" --tlscacert "$P/ca.pem" \
  --tlscert "$P/server-cert.pem" --tlskey "$P/server-key.pem"
cp "$P/ca.pem" "$P/cert.pem" "$P/key.pem" "$WORK/" 2>/dev/null
expect_eq "custom certificates: docker --tlsverify" 1.41 \
  "$(NO_ENV=1 DOCKER_CERT_PATH=$WORK dk --tlsverify -H "tcp://127.0.0.1:$API_PORT" \
     version --format '{{.Server.APIVersion}}')"
rc=0; NO_ENV=1 dk --tlsverify -H "tcp://127.0.0.1:$API_PORT" \
  --tlscacert "$P/ca.pem" --tlscert "$STATE/certs/client/cert.pem" \
  --tlskey "$STATE/certs/client/key.pem" version >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a certificate from the generated CA got in"
pass "clients are checked against --tlscacert only"

wait_for no_qemus
pass "the VMs are gone"
