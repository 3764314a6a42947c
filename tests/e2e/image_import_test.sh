#!/usr/bin/env bash
# docker import: a root file system tarball (gzip, busybox-static inside)
# with --change ENV, WORKDIR, USER, CMD becomes an image whose container
# VM runs with them.
source "$(dirname "$0")/run_lib.sh"

start_attachd 0
python3 "$(dirname "$0")/make_image.py" rootfs "$WORK/rootfs.tgz"
id=$(ctl import -c 'ENV X=1 Y="two words"' -c 'WORKDIR /srv' -c 'USER 1000' \
  -c 'CMD ["sh", "-c", "echo X=$X Y=$Y; pwd; id -u"]' "$WORK/rootfs.tgz" e2e/imported)
[[ "$id" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "import printed [$id]"
pass "import printed the id"
ctl images | grep -q "^e2e/imported  *latest  *${id:7:12} " || fail "images: $(ctl images)"
pass "images lists it"
out=$(ctl run --rm e2e/imported)
expect_eq "the changes apply" $'X=1 Y=two words\n/srv\n1000' "$out"
