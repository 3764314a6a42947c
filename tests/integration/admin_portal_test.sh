#!/usr/bin/env bash
# The admin portal through curl (docs/admin.md): nothing without a client
# certificate or a login, the client certificate, the password login with
# its cookie, wrong passwords and their rate limit, logout, every
# download, the bundle, path traversal, and no secret in any log.
source "$(dirname "$0")/admin_lib.sh"

start_admin_attachd
start_container web
ID=$(ctl inspect web | sed -n 's/.*"Id": *"\([0-9a-f]*\)".*/\1/p' | head -1)
expect_eq "container id" 64 "${#ID}"
PASSWORD=$(head -1 "$CERTS/admin-password")
expect_eq "generated password is 0600" 600 "$(stat -c %a "$CERTS/admin-password")"

# 1. Nothing without credentials.
for p in / /health /containers.json /logs/attachd.log /logs/api.log \
         /logs/security /logs/bundle.tar.gz "/containers/web/logs"; do
  expect_eq "401 without credentials: $p" 401 "$(status_of "$ADMIN$p")"
done
expect_match "401 page offers the login form" 'name="password"' "$(acurl "$ADMIN/")"
expect_eq "static assets are public" 200 "$(status_of "$ADMIN/static/admin.css")"
expect_eq "plain HTTP is refused" "" \
  "$(curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/health" | grep -o '"status"' || true)"

# 2. The client certificate of the Docker API.
health=$(ccurl "$ADMIN/health")
expect_match "health with the client certificate" '"status":"(ok|degraded)"' "$health"
expect_match "health names its checks" '"name":"state_dir".*"name":"listener:admin"' "$health"
expect_match "health counts containers" '"running":1' "$health"
expect_match "containers.json lists the container" '"name":"web"' "$(ccurl "$ADMIN/containers.json")"
# A certificate of another CA is refused in the handshake.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=intruder -keyout "$WORK/other.key" -out "$WORK/other.pem" 2>/dev/null
rc=$(rc_of acurl -o /dev/null --cert "$WORK/other.pem" --key "$WORK/other.key" "$ADMIN/health")
[ "$rc" != 0 ] || fail "a certificate of another CA got in"
pass "a certificate of another CA is refused (curl exit $rc)"

# 3. The password login.
hdrs=$(acurl -o /dev/null -D - -H "Origin: $ADMIN" --data-urlencode "password=wrong-one" "$ADMIN/login")
expect_match "wrong password: 401" '^HTTP/1.1 401' "$hdrs"
hdrs=$(acurl -o /dev/null -D - -c "$WORK/jar" --data-urlencode "password=$PASSWORD" "$ADMIN/login")
expect_match "login: 303 to /" $'HTTP/1.1 303.*\r\nLocation: /\r' "$hdrs"
cookie=$(grep -i '^set-cookie:' <<<"$hdrs" | tr -d '\r')
expect_match "cookie is Secure" '; Secure' "$cookie"
expect_match "cookie is HttpOnly" '; HttpOnly' "$cookie"
expect_match "cookie is SameSite=Strict" '; SameSite=Strict' "$cookie"
expect_match "cookie expires" '; Max-Age=[1-9][0-9]*' "$cookie"
TOKEN=$(sed -n 's/.*tether_admin=\([0-9a-f]*\);.*/\1/p' <<<"$cookie")
expect_eq "session token is 256 bits" 64 "${#TOKEN}"
page=$(acurl -b "$WORK/jar" "$ADMIN/")
expect_match "dashboard after login" 'Containers' "$page"
expect_match "dashboard shows the container" ">web<" "$page"
expect_match "dashboard links its log" "/containers/$ID/logs" "$page"
expect_eq "cross-site login refused" 403 \
  "$(status_of -H 'Origin: https://evil.example' --data 'password=x' "$ADMIN/login")"
hdrs=$(acurl -o /dev/null -D - -b "$WORK/jar" -X POST "$ADMIN/logout")
expect_match "logout expires the cookie" 'tether_admin=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict' "$hdrs"
expect_eq "the old cookie is dead after logout" 401 \
  "$(status_of -H "Cookie: tether_admin=$TOKEN" "$ADMIN/health")"

# 4. Wrong passwords are rate-limited per address (5 a minute).
for i in 1 2 3 4 5; do
  expect_eq "wrong password $i: 401" 401 "$(status_of --data 'password=nope' "$ADMIN/login")"
done
hdrs=$(acurl -o /dev/null -D - --data-urlencode "password=$PASSWORD" "$ADMIN/login")
expect_match "6th try: 429" '^HTTP/1.1 429' "$hdrs"
expect_match "429 says when" $'Retry-After: [0-9]+\r' "$hdrs"

# 5. What tethers do wrong shows in attachd's log as security lines: a
# tether that refuses attachd's host key, and one presenting another
# container's key (attach_auth_test.sh has the tether's side of both).
ctl config web > "$WORK/web.json"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/other" >/dev/null
other_fp=$(ssh-keygen -lf "$WORK/other.pub" | awk '{print $2}')
sed "s|\"host_key_sha256\": *\"[^\"]*\"|\"host_key_sha256\": \"$other_fp\"|" \
  "$WORK/web.json" > "$WORK/pinned.json"
bg_ns 60 "$TETHER" --config "$WORK/pinned.json" >"$WORK/pinned.log" 2>&1 &
BG_PIDS+=($!)
ctl create --name victim -- true >/dev/null
victim=$(ctl inspect victim | sed -n 's/.*"Id": *"\([0-9a-f]*\)".*/\1/p' | head -1)
sed "s/$ID/$victim/g" "$WORK/web.json" > "$WORK/claim.json"
bg_ns 60 "$TETHER" --config "$WORK/claim.json" >"$WORK/claim.log" 2>&1 &
BG_PIDS+=($!)
wait_for_output "$STATE/attachd.log" "connection closed before login" 20
wait_for_output "$STATE/attachd.log" "login refused for user \"$victim\"" 20
sec=$(ccurl "$ADMIN/logs/security")
expect_match "security: host-key mismatch, with the peer" \
  'security: tether 127\.0\.0\.1:[0-9]+: connection closed before login' "$sec"
expect_match "security: refused tether key, with the peer" \
  "tether 127\\.0\\.0\\.1:[0-9]+: login refused for user \"$victim\"" "$sec"

# 6. Downloads (with the certificate).
log=$(ccurl "$ADMIN/logs/attachd.log")
expect_match "attachd.log" 'admin portal on https://' "$log"
expect_match "attachd.log is time-stamped" '^20[0-9-]+T[0-9:.]+Z attachd: ' "$log"
expect_match "api.log" '.' "$(ccurl -o /dev/null -w '%{http_code}' "$ADMIN/logs/api.log")"
expect_match "admin.log has the requests" '"GET /health"' "$(ccurl "$ADMIN/logs/admin.log")"
sec=$(ccurl "$ADMIN/logs/security")
expect_match "security: failed login with the peer" 'security: admin: login from 127\.0\.0\.1:[0-9]+ failed: wrong password' "$sec"
expect_match "security: successful login" 'security: admin: login from 127\.0\.0\.1:[0-9]+ succeeded' "$sec"
expect_match "security: rate limit" 'too many failed logins' "$sec"
expect_match "security: refused handshake" 'security: admin: TLS handshake from 127\.0\.0\.1:[0-9]+ refused' "$sec"
expect_match "security: request without credentials" 'refused: no client certificate and no login session' "$sec"
[ -z "$(grep -v -e 'security:' -e 'refused' <<<"$sec")" ] || fail "non-security lines in /logs/security"
pass "security view has only security lines"
out=$(ccurl "$ADMIN/containers/web/logs")
expect_match "container log: stdout" 'web-stdout-line' "$out"
expect_match "container log: stderr" 'web-stderr-line' "$out"
expect_eq "container log without stderr" "web-stdout-line" "$(ccurl "$ADMIN/containers/web/logs?stderr=0")"
expect_match "container log by id, timestamps" '^20[0-9-]+T[0-9:.]+Z web-stdout-line' \
  "$(ccurl "$ADMIN/containers/$ID/logs?timestamps=1")"
expect_eq "console.log of a container without VM: 404" 404 \
  "$(status_of --cert "$CERTS/client/cert.pem" --key "$CERTS/client/key.pem" "$ADMIN/containers/web/console.log")"
printf 'kernel line\ntether line\n' > "$STATE/containers/$ID/console.log"
expect_eq "console.log" $'kernel line\ntether line' "$(ccurl "$ADMIN/containers/web/console.log")"
expect_eq "unknown container: 404" 404 \
  "$(status_of --cert "$CERTS/client/cert.pem" --key "$CERTS/client/key.pem" "$ADMIN/containers/nope/logs")"

ccurl -o "$WORK/bundle.tar.gz" "$ADMIN/logs/bundle.tar.gz"
list=$(tar -tzf "$WORK/bundle.tar.gz")
for f in health.json containers.json attachd.log api.log admin.log \
         "containers/web-${ID:0:12}/output.log" "containers/web-${ID:0:12}/console.log"; do
  expect_match "bundle has $f" "attachd-logs-[0-9TZ]+/$f" "$list"
done
mkdir "$WORK/x" && tar -xzf "$WORK/bundle.tar.gz" -C "$WORK/x"
expect_eq "bundle's output.log is the container's log" \
  "$(ccurl "$ADMIN/containers/web/logs")" "$(cat "$WORK"/x/*/containers/web-*/output.log)"

# 7. Path traversal and symlinks lead nowhere.
for p in /containers/../../etc/passwd /logs/../attachd.log /logs/%2e%2e/api.log \
         "/containers/%2e%2e/logs" "/containers/web%2f..%2f..%2fetc/logs" \
         /containers/web/../../../etc/passwd "/static/../../etc/passwd" \
         "/containers/web/qemu.pid" "/containers/web/config.json"; do
  expect_eq "traversal $p: 404" 404 \
    "$(status_of --path-as-is --cert "$CERTS/client/cert.pem" --key "$CERTS/client/key.pem" "$ADMIN$p")"
done
rm -f "$STATE/containers/$ID/console.log"
ln -s /etc/passwd "$STATE/containers/$ID/console.log"
body=$(ccurl "$ADMIN/containers/web/console.log")
[[ "$body" != *root:* ]] || fail "console.log followed a symlink out"
pass "a symlinked console.log is not followed"

# 8. No secret in any log: the password, the session token, env values.
for f in "$STATE/attachd.log" "$STATE/admin.log" "$STATE/api.log" "$WORK/attachd.stderr"; do
  ! grep -qF "$PASSWORD" "$f" || fail "the password is in $f"
  ! grep -qF "$TOKEN" "$f" || fail "the session token is in $f"
done
pass "no password or token in any log"
echo "admin_portal: all passed"
