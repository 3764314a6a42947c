#!/usr/bin/env bash
# -p: busybox httpd in a container VM, fetched from the host with curl
# through QEMU's user-network host forward on loopback. port shows the
# mapping; a second container on the same host port fails at start with
# docker's message, before its VM boots.
source "$(dirname "$0")/run_lib.sh"

start_attachd 0
python3 "$(dirname "$0")/make_image.py" save "$WORK/web.tar" e2e/web:1 --config \
  '{"Env":["PATH=/bin"],"Cmd":["httpd","-f","-p","80","-h","/www"],"ExposedPorts":{"80/tcp":{}}}'
ctl load -q -i "$WORK/web.tar" >/dev/null
port=$(free_port)
id=$(ctl run -d --name web -p "127.0.0.1:$port:80" e2e/web:1)
[[ "$id" =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed [$id]"
expect_eq "port" "80/tcp -> 127.0.0.1:$port" "$(ctl port web)"
wait_for curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html"
expect_eq "curl through the forward" "hello from a container VM" \
  "$(curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html")"

rc=0
err=$(ctl run -d --name clash -p "127.0.0.1:$port:80" e2e/web:1 2>&1) || rc=$?
[ $rc -ne 0 ] && [[ "$err" == *"port is already allocated"* ]] ||
  fail "same port again: rc $rc [$err]"
pass "a taken host port is refused at start"

# -P: the exposed port on a free host port.
ctl rm -f web >/dev/null
id=$(ctl run -d --name web2 -P e2e/web:1)
mapping=$(ctl port web2)
[[ "$mapping" =~ ^80/tcp\ -\>\ 0\.0\.0\.0:([0-9]+)$ ]] || fail "port -P: [$mapping]"
pass "-P publishes the exposed port"
ctl rm -f web2 clash >/dev/null
wait_for no_qemus
