#!/usr/bin/env bash
# The default TLS mode refuses what it must, without booting a VM: a TLS
# client without a client certificate, one with a certificate of another
# CA, and plain HTTP on the TLS port; each refusal is logged with the
# peer's address. A second start reuses the generated certificates.
source "$(dirname "$0")/docker_lib.sh"
start_api_attachd verify
C=$STATE/certs/client
URL=https://127.0.0.1:$API_PORT/_ping

expect_eq "a client with the bundle" OK \
  "$(curl -sS --cacert "$C/ca.pem" --cert "$C/cert.pem" --key "$C/key.pem" "$URL")"
rc=0; curl -sS --cacert "$C/ca.pem" "$URL" >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a client without a certificate got in"
pass "no client certificate: refused"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$WORK/other.key" -out "$WORK/other.pem" -subj /CN=intruder \
  -days 1 2>/dev/null
rc=0; curl -sS --cacert "$C/ca.pem" --cert "$WORK/other.pem" \
  --key "$WORK/other.key" "$URL" >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "a certificate of another CA got in"
pass "another CA's certificate: refused"

body=$(curl -sS "http://127.0.0.1:$API_PORT/_ping" 2>&1 || true)
expect_eq "plain HTTP on the TLS port" \
  "Client sent an HTTP request to an HTTPS server." "$body"

rc=0; NO_ENV=1 dk --tls -H "tcp://127.0.0.1:$API_PORT" version \
  >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" -ne 0 ] || fail "docker --tls without a certificate got in"
pass "docker --tls without a client certificate: refused"

wait_for grep -q "127.0.0.1:[0-9]* - \"TLS handshake refused" "$STATE/api.log"
[ "$(grep -c 'TLS handshake refused' "$STATE/api.log")" -ge 3 ] ||
  fail "api.log: $(cat "$STATE/api.log")"
grep -q "TLS handshake from 127.0.0.1:[0-9]* refused" "$STATE/attachd.log" ||
  fail "attachd.log has no refusal"
pass "refusals logged with the peer's address"

# Restarting keeps the certificates: clients keep working.
sum=$(cat "$STATE/certs/ca.pem" "$C/cert.pem" | md5sum)
kill -TERM "$(attachd_pid)"
wait_for sh -c "! kill -0 $(attachd_pid) 2>/dev/null"
start_attachd 0 --api "127.0.0.1:$API_PORT"
expect_eq "the same certificates after a restart" "$sum" \
  "$(cat "$STATE/certs/ca.pem" "$C/cert.pem" | md5sum)"
expect_eq "and the bundle still works" 1.41 \
  "$(dk version --format '{{.Server.APIVersion}}')"
