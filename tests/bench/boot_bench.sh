#!/usr/bin/env bash
# Container VM boot, against the floor: the same kernel and initramfs
# whose /init is a busybox script that prints `floor: up` and powers off,
# timed from QEMU's launch to that line on the console. Interleaved in one
# run so machine noise hits all alike:
#   - tether, linked (the issue's figure): `tetherctl run --rm -- echo
#     ready` against a running attachd, from the command's start to `ready`
#     on its stdout, i.e. through QEMU, the tether's link and attachd;
#   - tether, console: the container's `ready` on the console of a VM with
#     no endpoint;
#   - floor + modules: the floor loading the module sets a linked VM loads
#     (load, virtio, console), to price that step on its own.
# Prints medians of wall and QEMU CPU time, the ratios (target: the tether
# adds under 15%), the images' sizes and the guest memory in use after boot
# (`free -k` as the container command).
#
#   boot_bench.sh BUILD_DIR [RUNS]      (RUNS: 5)
set -euo pipefail
BUILD=${1:?usage: boot_bench.sh BUILD_DIR [RUNS]}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
export TETHER_IMAGE_DIR=$BUILD/share/tether
if [ ! -s "$TETHER_IMAGE_DIR/initramfs.cpio.lz4" ]; then
  "$here/../../initramfs/build.sh" "$BUILD" initramfs >/dev/null
fi
# attachd for the linked runs; stopped by PID (SIGTERM stops its VMs).
STATE=$(mktemp -d /tmp/tether-boot-bench.XXXXXX)
ATTACHD_PID=""
stop_attachd() {
  if [ -n "$ATTACHD_PID" ]; then
    kill -TERM "$ATTACHD_PID" 2>/dev/null || true
    wait "$ATTACHD_PID" 2>/dev/null || true
  fi
  rm -rf "$STATE"
}
trap stop_attachd EXIT
source "$here/../e2e/qemu_lib.sh"
CMDLINE=$(cat "$TETHER_IMAGE_DIR/cmdline")
setpriv --pdeathsig TERM -- "$BUILD/bin/attachd" --state-dir "$STATE" \
  --listen 127.0.0.1:0 2>"$STATE/attachd.log" &
ATTACHD_PID=$!
for _ in $(seq 1 100); do [ -S "$STATE/attachd.sock" ] && break; sleep 0.05; done
[ -S "$STATE/attachd.sock" ] || { cat "$STATE/attachd.log" >&2; exit 1; }

# linked: sets MS and CPU for one `tetherctl run --rm -- echo ready`.
linked() {
  local line
  read -r MS CPU line < <(/usr/bin/python3 "$here/first_line.py" \
    --pidfile-glob "$STATE/containers/*/qemu.pid" -- \
    "$BUILD/bin/tetherctl" --state-dir "$STATE" run --rm -- /bin/echo ready)
  if [ "$line" != ready ] || [ "$CPU" -lt 0 ]; then
    echo "boot_bench: tetherctl run printed [$line], not ready," \
      "or its QEMU's CPU time was unreadable ($CPU)" >&2
    tail -n 20 "$STATE/attachd.log" >&2
    exit 1
  fi
}

# boot LINE QEMU_START_ARGS...: sets MS to the milliseconds from launch to
# LINE on the console and CPU to QEMU's CPU milliseconds then; returns once
# QEMU has exited. The console is a pipe read as it is written, as the
# linked run reads tetherctl's stdout, so no column waits for a poll.
boot() {
  local line=$1 got
  shift
  qemu_command --console /dev/stdout "$@"
  read -r MS CPU got < <(/usr/bin/python3 "$here/first_line.py" --cpu-self \
    --line "$line" --timeout "$QEMU_BOOT_TIMEOUT" -- "${QEMU_CMD[@]}") || true
  if [ "${got:-}" != "$line" ] || [ "${CPU:--1}" -lt 0 ]; then
    echo "boot_bench: no [$line] on the console, or QEMU's CPU time was" \
      "unreadable (${CPU:-})" >&2
    exit 1
  fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load_before=$(cut -d' ' -f1 /proc/loadavg)
qemu_config "$QEMU_WORK/ready.json" -- /bin/echo ready
floor=$TETHER_IMAGE_DIR/floor-initramfs.cpio.lz4
t_tether=() t_floor=() t_mods=() t_linked=()
c_tether=() c_floor=() c_mods=() c_linked=()
for i in $(seq 1 "$RUNS"); do
  boot 'floor: up' --initrd "$floor"
  t_floor+=("$MS") c_floor+=("$CPU")
  linked
  t_linked+=("$MS") c_linked+=("$CPU")
  boot ready --config "$QEMU_WORK/ready.json"
  t_tether+=("$MS") c_tether+=("$CPU")
  boot 'floor: up' --initrd "$floor" --append "$CMDLINE floor.modules=1"
  t_mods+=("$MS") c_mods+=("$CPU")
  echo "  run $i (wall/cpu ms): floor ${t_floor[-1]}/${c_floor[-1]}," \
    "linked ${t_linked[-1]}/${c_linked[-1]}," \
    "console ${t_tether[-1]}/${c_tether[-1]}," \
    "floor+modules ${t_mods[-1]}/${c_mods[-1]}" >&2
done

# Memory: the container reports it itself. "used" excludes buffers/cache.
qemu_config "$QEMU_WORK/free.json" -- /bin/free -k
qemu_start --config "$QEMU_WORK/free.json"
qemu_wait_regex 'Mem: .*'
qemu_wait_exit
read -r mem_total mem_used < <(qemu_console_lines | awk '$1 == "Mem:" && !seen++ {print $2, $3}')

size() { stat -c %s "$1"; }
kib() { echo $((($1 + 512) / 1024)); }
ratio() { echo "scale=3; $1 / $2" | bc; }
# report WHAT FLOOR MODS CONSOLE LINKED (medians)
report() {
  echo "container VM boot, $1 ($(qemu_accel), median of $RUNS):"
  printf '  %-40s %7s ms\n' "floor (busybox /init, console)" "$2" \
    "floor + loading the linked VM's modules" "$3" \
    "tether, echo ready on the console" "$4" \
    "tether, echo ready at attachd (run)" "$5"
  printf '  ratio linked tether/floor: %s (target <= 1.1)\n' "$(ratio "$5" "$2")"
  printf '  console tether/floor: %s; floor+modules/floor: %s\n' \
    "$(ratio "$4" "$2")" "$(ratio "$3" "$2")"
}
report "first output line, wall" "$(median "${t_floor[@]}")" \
  "$(median "${t_mods[@]}")" "$(median "${t_tether[@]}")" \
  "$(median "${t_linked[@]}")"
report "QEMU CPU time to the first line" "$(median "${c_floor[@]}")" \
  "$(median "${c_mods[@]}")" "$(median "${c_tether[@]}")" \
  "$(median "${c_linked[@]}")"
echo "images:"
printf '  %-34s %7s KiB\n' "initramfs.cpio.lz4" "$(kib "$(size "$TETHER_IMAGE_DIR/initramfs.cpio.lz4")")"
printf '  %-34s %7s KiB\n' "floor-initramfs.cpio.lz4" "$(kib "$(size "$floor")")"
init_bytes=$(lz4 -dc "$TETHER_IMAGE_DIR/initramfs.cpio.lz4" | cpio -i --to-stdout --quiet init | wc -c)
printf '  %-34s %7s KiB\n' "/init (tether, uncompressed)" "$(kib "$init_bytes")"
if [ -e "$TETHER_IMAGE_DIR/tether.iso" ]; then
  printf '  %-34s %7s KiB\n' "tether.iso" "$(kib "$(size "$TETHER_IMAGE_DIR/tether.iso")")"
fi
echo "guest memory after boot (free -k in the container, -m 256):"
printf '  used %s KiB of %s KiB\n' "$mem_used" "$mem_total"
# Wall times stretch on a loaded host (TCG is CPU bound); say how loaded.
echo "host load average: $load_before at the start, $(cut -d' ' -f1 /proc/loadavg) at the end ($(nproc) CPUs)"
