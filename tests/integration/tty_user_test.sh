#!/usr/bin/env bash
# A tty session sees a pty; user switching takes effect.
source "$(dirname "$0")/lib.sh"

out=$(in_ns "$TETHER" -t -- tty </dev/null | tr -d '\r')
expect_match "tty reports a pty" '^/dev/pts/[0-9]+$' "$out"
out=$(in_ns "$TETHER" -t -- sh -c 'test -t 0 && test -t 1 && echo both' \
      </dev/null | tr -d '\r')
expect_eq "stdin and stdout are the tty" "both" "$out"
out=$(in_ns "$TETHER" -- sh -c 'test -t 1 || echo no-tty' </dev/null)
expect_eq "no tty without -t" "no-tty" "$out"

expect_eq "id -u as 1000" "1000" "$(in_ns "$TETHER" -u 1000:1000 -- id -u)"
expect_eq "id -g as 1000" "1000" "$(in_ns "$TETHER" -u 1000:1000 -- id -g)"
expect_eq "named user from /etc/passwd" "0" "$(in_ns "$TETHER" -u root -- id -u)"

cat > "$WORK/user.json" <<JSON
{ "version": 1, "id": "$(printf 'a%.0s' $(seq 64))",
  "sessions": [ { "id": "main", "primary": true, "path": "/bin/sh",
                  "args": ["sh", "-c", "id -u; id -g; echo \$HOME; pwd"],
                  "env": ["PATH=/usr/bin:/bin"], "workdir": "/tmp",
                  "user": "1234:4321" } ] }
JSON
out=$(in_ns "$TETHER" --config "$WORK/user.json" | tr '\n' ' ')
expect_eq "config user, home and workdir" "1234 4321 / /tmp " "$out"
