#!/usr/bin/env bash
# Env values never leave the tether (DESIGN §3, review F14): at the highest
# debug level, with sessions that start, fail to exec and fail to resolve
# their user, and with pprof serving /debug/pprof/cmdline, a unique value
# in their env appears nowhere in the tether's output (its log, which is
# the VM's console) nor in the cmdline endpoint.
source "$(dirname "$0")/lib.sh"

SECRET="envsecret$RANDOM$RANDOM$RANDOM"
ID=$(printf 'f%.0s' $(seq 64))
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT/debug/pprof/cmdline"
ENV='"PATH=/usr/bin:/bin", "TOKEN='$SECRET'", "OTHER=x'$SECRET'y"'
cat > "$WORK/cfg.json" <<JSON
{ "version": 1, "id": "$ID", "name": "env", "debug": 3,
  "pprof": { "listen": "127.0.0.1:$PORT" },
  "sessions": [
    { "id": "main", "primary": true, "path": "/bin/sh",
      "args": ["sh", "-c", "for i in \$(seq 50); do curl -sf '$URL?debug=1' > $WORK/cmdline1 && break; sleep 0.1; done; curl -sf '$URL' > $WORK/cmdline0; sleep 0.5; exit 3"],
      "env": [$ENV] },
    { "id": "noexec", "path": "/nonexistent/cmd", "env": [$ENV] },
    { "id": "nouser", "path": "/bin/true", "user": "nosuchuser", "env": [$ENV] },
    { "id": "side", "path": "/bin/sh", "args": ["sh", "-c", "exit 0"],
      "env": [$ENV], "restart": "on-failure" } ] }
JSON
rc=0
in_ns "$TETHER" -v -v -v --config "$WORK/cfg.json" > "$WORK/out" 2>&1 || rc=$?
expect_eq "the primary's exit code" 3 "$rc"
grep -q "session main: started pid" "$WORK/out" ||
  fail "no debug output: $(cat "$WORK/out")"
grep -q '"env"' "$WORK/cmdline1" || fail "cmdline?debug=1: $(cat "$WORK/cmdline1")"
[ -s "$WORK/cmdline0" ] || fail "no cmdline"
for f in out cmdline1 cmdline0; do
  if grep -q "$SECRET" "$WORK/$f"; then
    fail "an env value in $f: $(grep "$SECRET" "$WORK/$f" | head -3)"
  fi
done
pass "no env value in the debug log or pprof cmdline"

# tini-like: the command's env is the tether's own.
out=$(TOKEN=$SECRET in_ns "$TETHER" -v -v -v -- sh -c 'exit 0' 2>&1)
grep -q "started pid" <<<"$out" || fail "no debug output: $out"
grep -q "$SECRET" <<<"$out" && fail "an env value in tini-like output: $out"
out=$(TOKEN=$SECRET in_ns "$TETHER" -v -v -v -- /nonexistent 2>&1 || true)
grep -q "$SECRET" <<<"$out" && fail "an env value in an exec failure: $out"
pass "none in tini-like use either"
