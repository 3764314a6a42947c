#!/usr/bin/env bash
# The stock docker CLI brings images in and publishes ports: docker load
# of a `docker save` archive, images/inspect, run -p with `docker port`,
# ps's PORTS and curl through the forward, -P, rmi refused while a
# container uses the image, import from stdin with --change, tag, rmi's
# Untagged/Deleted lines, and the clear errors of pull, a broken archive
# and a name no image has.
source "$(dirname "$0")/docker_lib.sh"

start_api_attachd verify
python3 "$(dirname "$0")/make_image.py" save "$WORK/web.tar" e2e/web:1 --config \
  '{"Env":["PATH=/bin"],"Cmd":["httpd","-f","-p","80","-h","/www"],"ExposedPorts":{"80/tcp":{}}}'

out=$(dk load -i "$WORK/web.tar") || fail "docker load: $out"
expect_eq "docker load" "Loaded image: e2e/web:1" "$out"
dk images --format '{{.Repository}}:{{.Tag}}' | grep -qx e2e/web:1 ||
  fail "images: $(dk images)"
expect_eq "image inspect" "[httpd -f -p 80 -h /www]" \
  "$(dk image inspect -f '{{.Config.Cmd}}' e2e/web:1)"

port=$(free_port)
id=$(dk run -d --name web -p "127.0.0.1:$port:80" e2e/web:1) ||
  fail "run -d -p: $id"
[[ "$id" =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed [$id]"
expect_eq "docker port" "80/tcp -> 127.0.0.1:$port" "$(dk port web)"
expect_eq "ps PORTS" "127.0.0.1:$port->80/tcp" \
  "$(dk ps --filter name=web --format '{{.Ports}}')"
wait_for curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html"
expect_eq "curl through the forward" "hello from a container VM" \
  "$(curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html")"

rc=0; err=$(dk rmi e2e/web:1 2>&1) || rc=$?
[ $rc -eq 1 ] && [[ "$err" == *"conflict"*"${id:0:12}"* ]] ||
  fail "rmi of a used image: rc $rc [$err]"
pass "rmi refused while a container uses the image"
dk rm -f web >/dev/null

# -P: the image's exposed port on a free host port.
dk run -d --name web2 -P e2e/web:1 >/dev/null || fail "run -P"
mapping=$(dk port web2 80/tcp)
[[ "$mapping" =~ ^0\.0\.0\.0:([0-9]+)$ ]] || fail "port -P: [$mapping]"
wait_for curl -fsS --max-time 5 "http://127.0.0.1:${BASH_REMATCH[1]}/index.html"
pass "-P publishes the exposed port"
dk rm -f web2 >/dev/null

python3 "$(dirname "$0")/make_image.py" rootfs "$WORK/rootfs.tgz"
imp=$(dk import -c 'ENV GREETING=imported' -c 'CMD ["sh", "-c", "echo $GREETING"]' \
  - e2e/imp:2 <"$WORK/rootfs.tgz") || fail "import: $imp"
[[ "$imp" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "import printed [$imp]"
expect_eq "run the imported image" imported "$(dk run --rm e2e/imp:2)"

dk tag e2e/imp:2 e2e/imp:other || fail "tag"
expect_eq "tagged" "e2e/imp:2 e2e/imp:other" \
  "$(dk images e2e/imp --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "rmi of one tag" "Untagged: e2e/imp:other" "$(dk rmi e2e/imp:other)"
out=$(dk rmi e2e/imp:2)
[[ "$out" == "Untagged: e2e/imp:2"*"Deleted: $imp" ]] || fail "rmi: [$out]"
pass "rmi untags, then deletes"

rc=0; err=$(dk pull alpine 2>&1) || rc=$?
[ $rc -eq 1 ] && [[ "$err" == *"docker load"* ]] || fail "pull: rc $rc [$err]"
rc=0; err=$(dk run --rm alpine true 2>&1) || rc=$?
[ $rc -eq 125 ] && [[ "$err" == *"Unable to find image 'alpine:latest'"* ]] ||
  fail "run of an absent image: rc $rc [$err]"
pass "pull and run of an absent image say how to bring it in"
head -c 5000 /dev/urandom >"$WORK/junk.tar"
rc=0; err=$(dk load -i "$WORK/junk.tar" 2>&1) || rc=$?
[ $rc -eq 1 ] && [ -n "$err" ] || fail "load of junk: rc $rc [$err]"
pass "a broken archive: an error, rc 1 ($err)"
wait_for no_qemus
