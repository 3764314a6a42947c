#!/usr/bin/env bash
# Malicious tarballs are refused with a clear message and leave nothing
# behind (no image, an empty images/tmp, nothing outside the state
# directory): a ../ path, a write through an absolute symlink, a million
# empty files, a huge sparse file (GNU tar -S). docker pull answers that
# no registry is reachable. No VM boots.
source "$(dirname "$0")/run_lib.sh"
MAKE_IMAGE="$(dirname "$0")/make_image.py"

start_attachd 0
refused() {  # refused NAME FILE EXPECTED-TEXT
  local rc=0 err
  err=$(ctl load -i "$2" 2>&1) || rc=$?
  [ $rc -ne 0 ] && [[ "$err" == *"$3"* ]] || fail "$1: rc $rc [$err]"
  [ -z "$(ls -A "$STATE/images/tmp")" ] || fail "$1: images/tmp not empty"
  [ "$(ctl images -q | wc -l)" == 1 ] || fail "$1: images: $(ctl images)"
  pass "$1 refused: ${err#Error response from daemon: }"
}
rm -f /tmp/tether-escaped
python3 "$MAKE_IMAGE" escape "$WORK/escape.tar"
refused "../ path" "$WORK/escape.tar" "path escapes the image root"
python3 "$MAKE_IMAGE" symlink "$WORK/symlink.tar"
refused "write through a symlink" "$WORK/symlink.tar" "is a symlink"
[ ! -e /tmp/tether-escaped ] && [ ! -e /etc/tether-escaped ] || fail "a file escaped"
python3 "$MAKE_IMAGE" bomb "$WORK/bomb.tar" 1000000
refused "a million files" "$WORK/bomb.tar" "entries (a file bomb?)"
mkdir "$WORK/sparse"
truncate -s 1T "$WORK/sparse/huge"
tar -C "$WORK/sparse" -S -cf "$WORK/sparse-layer.tar" huge
python3 - "$WORK/sparse-layer.tar" "$WORK/sparse.tar" <<'PY'
import hashlib, io, json, sys, tarfile
layer = open(sys.argv[1], "rb").read()
cfg = json.dumps({"rootfs": {"type": "layers", "diff_ids": [
    "sha256:" + hashlib.sha256(layer).hexdigest()]}}).encode()
with tarfile.open(sys.argv[2], "w") as t:
    for name, data in [("l/layer.tar", layer), ("c.json", cfg), ("manifest.json",
        json.dumps([{"Config": "c.json", "RepoTags": ["evil:sparse"],
                     "Layers": ["l/layer.tar"]}]).encode())]:
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
PY
refused "a 1 TiB sparse file" "$WORK/sparse.tar" "sparse files are not supported"
rc=0
err=$(ctl load -i /etc/hostname 2>&1) || rc=$?
[ $rc -ne 0 ] || fail "a text file loaded"
pass "not a tar: ${err#Error response from daemon: }"
