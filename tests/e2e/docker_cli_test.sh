#!/usr/bin/env bash
# The stock docker CLI drives container VMs through attachd's Docker API
# in its default mode, TLS with client certificates generated on first
# start: version/info/images, run with exit codes, stdout and stderr kept
# apart, stdin half-closed over TLS, a failing command's docker codes,
# detached containers with logs, exec, inspect, kill, stop, wait, rm, ps,
# and the errors the CLI prints for what does not exist.
source "$(dirname "$0")/docker_lib.sh"

start_api_attachd verify

# The generated set: VIC's and docker-machine's file names and modes.
expect_eq "certs dir mode" 700 "$(mode_of "$STATE/certs")"
for f in ca-key.pem server-key.pem client/key.pem; do
  expect_eq "$f mode" 600 "$(mode_of "$STATE/certs/$f")"
done
for f in ca.pem server-cert.pem client/ca.pem client/cert.pem client/env; do
  [ -s "$STATE/certs/$f" ] || fail "no $f"
done
grep -qx "export DOCKER_HOST=tcp://127.0.0.1:$API_PORT" "$STATE/certs/client/env" ||
  grep -q "DOCKER_HOST=tcp://127.0.0.1:$API_PORT" "$STATE/certs/client/env" ||
  fail "env file: $(cat "$STATE/certs/client/env")"
pass "client bundle and env file"

expect_eq "server API version" 1.41 "$(dk version --format '{{.Server.APIVersion}}')"
dk info >"$WORK/info" 2>"$WORK/info.err" || fail "docker info: $(cat "$WORK/info.err")"
grep -q "Server Version: " "$WORK/info" || fail "info: $(cat "$WORK/info")"
expect_eq "docker info warns about nothing" "" "$(cat "$WORK/info.err")"
expect_eq "images" "busybox latest" \
  "$(dk images --format '{{.Repository}} {{.Tag}}')"

rc=0; dk run --rm busybox sh -c 'exit 7' || rc=$?
expect_eq "docker run --rm busybox sh -c 'exit 7'" 7 "$rc"
dk run --rm busybox sh -c 'echo to-out; echo to-err >&2' \
  >"$WORK/out" 2>"$WORK/err" || fail "run: $(cat "$WORK/err")"
expect_eq "stdout" to-out "$(cat "$WORK/out")"
expect_eq "stderr" to-err "$(cat "$WORK/err")"
expect_eq "echo x | docker run -i --rm busybox cat" x \
  "$(echo x | dk run -i --rm busybox cat)"
rc=0; dk run --rm busybox nosuchcmd 2>"$WORK/err" || rc=$?
expect_eq "a missing command exits 127" 127 "$rc"
grep -q nosuchcmd "$WORK/err" || fail "no error about nosuchcmd: $(cat "$WORK/err")"
# docker's default capabilities in the VM, all of them with --privileged.
expect_eq "default capability set" "CapBnd:	00000000a80425fb" \
  "$(dk run --rm busybox grep CapBnd /proc/self/status)"
dk run --rm --privileged busybox grep CapBnd /proc/self/status |
  grep -q 'CapBnd:	000001ffffffffff' || fail "--privileged keeps every capability"
pass "--privileged gives them all back"
rc=0; dk run --rm busybox /etc/passwd 2>/dev/null || rc=$?
expect_eq "a file that is not executable exits 126" 126 "$rc"
rc=0; dk run --rm busybox true || rc=$?
expect_eq "true, at once and silent" 0 "$rc"

id=$(dk run -d --name web -e GREETING=hello busybox \
  sh -c 'trap "echo got-usr1" USR1; echo "$GREETING started"; while true; do sleep 0.2; done')
expect_eq "run -d prints the id" 64 "${#id}"
expect_eq "ps shows it by name" "web" "$(dk ps --format '{{.Names}}')"
wait_for logs_have web 'hello started'
pass "logs of a detached container"
expect_eq "exec" 3 "$(dk exec web sh -c 'echo $((1+2))')"
rc=0; dk exec web sh -c 'exit 3' || rc=$?
expect_eq "exec exit code" 3 "$rc"
rc=0; dk exec web nosuchcmd 2>/dev/null || rc=$?
expect_eq "exec of a missing command" 127 "$rc"
expect_eq "exec -i with stdin" hi "$(echo hi | dk exec -i web cat)"
expect_eq "exec -e -w -u" "bar /tmp 65534" \
  "$(dk exec -e FOO=bar -w /tmp -u nobody web sh -c 'echo $FOO $(pwd) $(id -u)')"
dk exec -t web tty | tr -d '\r' | grep -q '^/dev/pts/[0-9]*$' ||
  fail "exec -t: $(dk exec -t web tty)"
pass "exec -t gets a terminal"
expect_eq "inspect -f" "true web" "$(dk inspect -f '{{.State.Running}} {{.Name}}' web | sed 's#/##')"
dk kill -s USR1 web >/dev/null
wait_for logs_have web got-usr1
pass "kill -s USR1 reaches the container and it keeps running"
expect_eq "still running" running "$(dk inspect -f '{{.State.Status}}' web)"
dk stop -t 1 web >/dev/null || fail "stop"
expect_eq "wait after stop" 143 "$(dk wait web)"
dk ps -a --format '{{.Names}} {{.Status}}' | grep -q '^web Exited (143)' ||
  fail "ps -a: $(dk ps -a)"
pass "ps -a shows the exit"
dk rm web >/dev/null
expect_eq "rm" "" "$(dk ps -a -q)"

# kill is 137; rm -f takes a running container with it.
dk run -d --name k busybox sleep 600 >/dev/null
dk kill k >/dev/null
expect_eq "wait after kill" 137 "$(dk wait k)"
dk start k >/dev/null
rc=0; dk rm k 2>"$WORK/err" || rc=$?
expect_eq "rm of a running container fails" 1 "$rc"
grep -q "You cannot remove a running container" "$WORK/err" || fail "rm: $(cat "$WORK/err")"
dk rm -f k >/dev/null
expect_eq "rm -f" "" "$(dk ps -a -q)"

# create + start -a, with the flags that shape the process.
dk create --name c2 -e X=1 -u nobody -w /tmp --entrypoint sh busybox \
  -c 'echo "$X $(id -u) $(pwd)"; echo line2; echo line3' >/dev/null
expect_eq "create then start -a: -e -u -w --entrypoint" "1 65534 /tmp
line2
line3" "$(dk start -a c2)"
expect_eq "ps --format, inspect -f" "c2 exited 0" \
  "$(dk ps -a --filter name=c2 --format '{{.Names}} {{.State}}') $(dk inspect -f '{{.State.ExitCode}}' c2)"
expect_eq "logs --tail 1" line3 "$(dk logs --tail 1 c2)"
# Whole, then the first line: `| head -1` would end the CLI with SIGPIPE
# when its later lines come in later writes, and pipefail reports that.
out=$(dk logs -t c2)
head -1 <<<"$out" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{18}Z 1 65534 /tmp$' ||
  fail "logs -t: $out"
pass "logs -t"
expect_eq "restart runs it again" "1 65534 /tmp" \
  "$(dk restart c2 >/dev/null && dk wait c2 >/dev/null && dk logs --tail 3 c2 | head -1)"
dk rm c2 >/dev/null
# logs -f follows a running container to its end.
dk run -d --name f busybox sh -c 'for i in 1 2 3; do echo tick$i; sleep 0.3; done' >/dev/null
expect_eq "logs -f to the end" "tick1 tick2 tick3" "$(dk logs -f f | tr '\n' ' ' | sed 's/ $//')"
dk rm f >/dev/null

rc=0; dk rm nosuch 2>"$WORK/err" || rc=$?
expect_eq "rm of nothing fails" 1 "$rc"
expect_eq "its message" "Error: No such container: nosuch" "$(cat "$WORK/err")"
rc=0; dk run --rm alpine true 2>"$WORK/err" || rc=$?
expect_eq "an image attachd does not have" 125 "$rc"
grep -q "Unable to find image 'alpine:latest' locally" "$WORK/err" ||
  fail "run alpine: $(cat "$WORK/err")"
grep -q "has no registry access" "$WORK/err" || fail "pull: $(cat "$WORK/err")"
pass "pull says there is no registry"

grep -q 'CN=client' "$STATE/api.log" || fail "api.log: $(tail -3 "$STATE/api.log")"
grep -q '"POST /v1.41/containers/create' "$STATE/api.log" || fail "api.log has no create"
pass "api.log names the client and the request"

wait_for no_qemus
pass "the VMs are gone"
