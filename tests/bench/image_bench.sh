#!/usr/bin/env bash
# Images (docs/images.md), each figure against its peer in the same run:
#   run:  `tetherctl run --rm IMAGE true` and `docker run --rm IMAGE true`
#         for a 1 GiB image against a 1 MiB one (the same busybox root; the
#         big one has 1 GiB more in a second layer). Target: <= 1.1x (no
#         copy at start).
#   load: `tetherctl load` and `docker load` (the API, over TLS) of a
#         500 MiB image, MiB/s, against `tar -x` of the same tarball onto
#         the same disk.
#   disk: what 100 containers of the 500 MiB image cost on disk (their
#         overlays), against the image's base disk.
# Usage: image_bench.sh BUILD [RUNS]
set -euo pipefail
build=${1:?usage: image_bench.sh BUILD [RUNS]}
runs=${2:-3}
BIN=$build/bin
export TETHER_IMAGE_DIR=$build/share/tether
here=$(cd "$(dirname "$0")" && pwd)
MAKE_IMAGE=$here/../e2e/make_image.py
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/tether-image-bench.XXXXXX")
source "$here/bench_lib.sh"
API_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_bench_attachd --api "127.0.0.1:$API_PORT"
for _ in $(seq 1 200); do [ -s "$WORK/state/certs/client/env" ] && break; sleep 0.05; done
export DOCKER_CONFIG=$WORK/docker-config HOME=$WORK
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
# The stock CLI over the API (TLS with client certificates).
dk() { (source "$WORK/state/certs/client/env"; exec /usr/bin/docker "$@"); }
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# A layer of `mib` incompressible MiB.
pad_layer() {
  local mib=$1 out=$2
  mkdir -p "$WORK/pad$mib/pad"
  head -c "${mib}M" /dev/urandom >"$WORK/pad$mib/pad/data"
  tar -C "$WORK/pad$mib" -cf "$out" pad
  rm -rf "$WORK/pad$mib"
}

echo "== image_bench: building images"
python3 "$MAKE_IMAGE" save "$WORK/small.tar" bench/small:1 \
  --config '{"Env":["PATH=/bin"],"Cmd":["true"]}'
pad_layer 1024 "$WORK/pad1g.tar"
python3 "$MAKE_IMAGE" save-with "$WORK/big.tar" bench/big:1 "$WORK/pad1g.tar" \
  --config '{"Env":["PATH=/bin"],"Cmd":["true"]}'
rm -f "$WORK/pad1g.tar"
pad_layer 500 "$WORK/pad500.tar"
python3 "$MAKE_IMAGE" save-with "$WORK/500.tar" bench/500:1 "$WORK/pad500.tar" \
  --config '{"Env":["PATH=/bin"],"Cmd":["true"]}'
rm -f "$WORK/pad500.tar"
ctl load -q -i "$WORK/small.tar" >/dev/null
ctl load -q -i "$WORK/big.tar" >/dev/null
rm -f "$WORK/big.tar"

echo "== run --rm IMAGE true: 1 GiB image against 1 MiB image ($runs runs each, interleaved)"
small=() big=() dsmall=() dbig=()
for i in $(seq 1 "$runs"); do
  t=$(ms); ctl run --rm bench/small:1 true; small+=($(( $(ms) - t )))
  t=$(ms); ctl run --rm bench/big:1 true; big+=($(( $(ms) - t )))
  t=$(ms); dk run --rm bench/small:1 true; dsmall+=($(( $(ms) - t )))
  t=$(ms); dk run --rm bench/big:1 true; dbig+=($(( $(ms) - t )))
done
s=$(printf '%s\n' "${small[@]}" | median)
b=$(printf '%s\n' "${big[@]}" | median)
ds=$(printf '%s\n' "${dsmall[@]}" | median)
db=$(printf '%s\n' "${dbig[@]}" | median)
echo "tetherctl run 1 MiB image: ${small[*]} ms (median $s)"
echo "tetherctl run 1 GiB image: ${big[*]} ms (median $b)"
echo "tetherctl run ratio 1 GiB / 1 MiB: $(echo "scale=3; $b / $s" | bc) (target <= 1.1)"
echo "docker run 1 MiB image: ${dsmall[*]} ms (median $ds)"
echo "docker run 1 GiB image: ${dbig[*]} ms (median $db)"
echo "docker run ratio 1 GiB / 1 MiB: $(echo "scale=3; $db / $ds" | bc) (target <= 1.1)"

echo "== load of a 500 MiB image against tar -x of the same tarball"
size_mib=$(( $(stat -c %s "$WORK/500.tar") / 1048576 ))
sync
t=$(ms); ctl load -q -i "$WORK/500.tar" >/dev/null; sync; load_ms=$(( $(ms) - t ))
mkdir "$WORK/untar"
t=$(ms); tar -xf "$WORK/500.tar" -C "$WORK/untar"; sync; tar_ms=$(( $(ms) - t ))
rm -rf "$WORK/untar"
# The same load again through the API, over TLS (the image removed first,
# or the store would only move its tag).
ctl rmi bench/500:1 >/dev/null
sync
t=$(ms); dk load -q -i "$WORK/500.tar" >/dev/null; sync; dload_ms=$(( $(ms) - t ))
load_rate=$(echo "scale=1; $size_mib * 1000 / $load_ms" | bc)
dload_rate=$(echo "scale=1; $size_mib * 1000 / $dload_ms" | bc)
tar_rate=$(echo "scale=1; $size_mib * 1000 / $tar_ms" | bc)
echo "tetherctl load: ${size_mib} MiB in $load_ms ms = $load_rate MiB/s"
echo "docker load: ${size_mib} MiB in $dload_ms ms = $dload_rate MiB/s"
echo "tar -x: ${size_mib} MiB in $tar_ms ms = $tar_rate MiB/s"
echo "tetherctl load / tar -x throughput: $(echo "scale=3; $load_rate / $tar_rate" | bc)"
echo "docker load / tar -x throughput: $(echo "scale=3; $dload_rate / $tar_rate" | bc)"

echo "== disk used by 100 containers of the 500 MiB image"
for i in $(seq 1 100); do ctl create --name "c$i" bench/500:1 true >/dev/null; done
disk=$(ctl image inspect bench/500:1 | python3 -c \
  'import json,sys; print(json.load(sys.stdin)[0]["GraphDriver"]["Data"]["BaseDisk"])')
image_kib=$(du -k "$disk" | cut -f1)
overlays_kib=$(du -ck "$WORK"/state/containers/*/rootfs.qcow2 | tail -1 | cut -f1)
echo "base disk: $(( image_kib / 1024 )) MiB on disk ($(( $(stat -c %s "$disk") / 1048576 )) MiB apparent)"
echo "100 overlays: $(( overlays_kib / 1024 )) MiB, $(( overlays_kib / 100 )) KiB each"
echo "total / image: $(echo "scale=3; ($image_kib + $overlays_kib) / $image_kib" | bc)"
t=$(ms); ctl start c1 >/dev/null; ctl wait c1 >/dev/null; run1=$(( $(ms) - t ))
echo "after one container ran (${run1} ms): its overlay is $(du -k "$WORK"/state/containers/$(ctl inspect c1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])')/rootfs.qcow2 | cut -f1) KiB"
