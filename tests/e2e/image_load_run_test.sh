#!/usr/bin/env bash
# docker load, then run: a docker-save (v1.2) tarball and an OCI layout,
# both made here with busybox-static inside, load through tetherctl; a
# container VM boots each image from a qcow2 overlay on its base disk and
# runs with the image's Env, Cmd, WorkingDir and User. A second layer's
# whiteout hides a file of the first. A container's writes stay in its
# overlay: a second container of the image sees the pristine file; rm
# deletes the overlay; rmi is refused while a container uses the image.
source "$(dirname "$0")/run_lib.sh"
MAKE_IMAGE="$(dirname "$0")/make_image.py"

start_attachd 0
python3 "$MAKE_IMAGE" save "$WORK/app.tar" e2e/app:1 --layer2 --config \
  '{"Env":["PATH=/bin","GREETING=hello from the image"],"Cmd":["sh","-c","echo $GREETING; pwd; id -u; id -g; test -e /etc/marker || echo whiteout ok; cat /etc/layer2"],"WorkingDir":"/srv","User":"app"}'
expect_eq "load prints the tag" "Loaded image: e2e/app:1" "$(ctl load -i "$WORK/app.tar")"
ctl images | grep -q "^e2e/app  *1  " || fail "images: $(ctl images)"
pass "images lists it"

out=$(ctl run --rm e2e/app:1)
expect_eq "run: Env, Cmd, WorkingDir, User, whiteout, layer 2" \
  $'hello from the image\n/srv\n1000\n1000\nwhiteout ok\nsecond layer' "$out"

python3 "$MAKE_IMAGE" oci "$WORK/oci.tar" docker.io/e2e/oci:2
expect_eq "OCI layout loads" "Loaded image: e2e/oci:2" "$(ctl load < "$WORK/oci.tar")"
out=$(ctl run --rm e2e/oci:2 cat /etc/marker)
expect_eq "OCI image runs, command given" "marker from the image" "$out"

# Writes stay in the container's overlay.
out=$(ctl run --name writer e2e/oci:2 sh -c 'echo changed > /srv/file; cat /srv/file')
expect_eq "the writer sees its write" "changed" "$out"
out=$(ctl run --rm e2e/oci:2 cat /srv/file)
expect_eq "a second container sees the pristine image" "pristine" "$out"
writer=$(ctl inspect writer | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])')
[ -f "$STATE/containers/$writer/rootfs.qcow2" ] || fail "no overlay for the writer"
rc=0
err=$(ctl rmi e2e/oci:2 2>&1) || rc=$?
[ $rc -ne 0 ] && [[ "$err" == *"is using its referenced image"* ]] ||
  fail "rmi while used: rc $rc [$err]"
pass "rmi refused while a container uses the image"
ctl rm writer >/dev/null
[ ! -e "$STATE/containers/$writer" ] || fail "rm left the overlay"
pass "rm deleted the overlay"
out=$(ctl rmi e2e/oci:2)
[[ "$out" == *"Untagged: e2e/oci:2"*"Deleted: sha256:"* ]] || fail "rmi: [$out]"
pass "rmi untags and deletes"
wait_for no_qemus
