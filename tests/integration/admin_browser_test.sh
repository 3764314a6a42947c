#!/usr/bin/env bash
# A real browser against the admin portal: Debian's headless chromium,
# driven through the DevTools protocol by admin_browser.py (python3 and
# python3-websocket, both from `make deps`). Screenshots of the dashboard
# go to $ADMIN_TEST_OUT (ctest: build/tests/admin_browser/).
source "$(dirname "$0")/admin_lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "$CHROMIUM not found: install it with 'make deps' (package chromium)"
/usr/bin/python3 -c 'import websocket' 2>/dev/null ||
  fail "python3-websocket not installed: 'make deps'"
OUT=${ADMIN_TEST_OUT:-$WORK/out}

start_admin_attachd
start_container web
# chromium trusts the server's key alone, not a CA it would have to learn.
SPKI=$(openssl x509 -in "$CERTS/server-cert.pem" -pubkey -noout |
  openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
timeout -s KILL 150 /usr/bin/python3 "$(dirname "$0")/admin_browser.py" \
  "$CHROMIUM" "$ADMIN" "$SPKI" "$(head -1 "$CERTS/admin-password")" web "$OUT" \
  "$TETHERCTL" --state-dir "$STATE" create --name late-one -- true ||
  { tail -n 20 "$STATE/attachd.log" >&2; fail "the browser test failed"; }
[ -s "$OUT/dashboard.png" ] || fail "no screenshot in $OUT"
pass "screenshot: $OUT/dashboard.png"
