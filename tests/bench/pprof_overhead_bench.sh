#!/usr/bin/env bash
# Profiling overhead (docs/pprof.md): attach throughput as in
# attach_throughput_bench.sh (a session writing SIZE bytes, tether ->
# attachd -> log), in the same run, three ways, alternating round by round:
#   off      pprof off (debug 0)
#   idle     pprof on (debug 2: heap sampling, listener), no request
#   profile  pprof on with a 100 Hz CPU profile running the whole time
# Prints the median MiB/s of each, the tether's CPU time (user + system,
# which other load on the machine disturbs less than wall time), and the
# ratios to `off`.
set -euo pipefail
BIN=${1:?usage: pprof_overhead_bench.sh BIN_DIR [MIB] [ROUNDS]}
MIB=${2:-512}
ROUNDS=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d -p /dev/shm tether-bench.XXXXXX)
source "$here/bench_lib.sh"

now() { date +%s%N; }
rate() { echo "scale=1; $MIB * 1000000000 / $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
port=$(( 30000 + RANDOM % 20000 ))

# run MODE: one transfer in a fresh container; prints "WALL_NS CPU_MS".
run() {
  local mode=$1 name="b$RANDOM$RANDOM"
  ctl create --name "$name" -- sh -c "head -c $((MIB * 1048576)) /dev/zero" >/dev/null
  ctl config "$name" > "$WORK/$name.json"
  if [ "$mode" != off ]; then
    sed -i -e 's/"debug": 0/"debug": 2/' \
      -e "s/\"listen\": \"\"/\"listen\": \"127.0.0.1:$port\"/" "$WORK/$name.json"
  fi
  local t0 pid prof=""
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$WORK/$name.time" \
    "$BIN/tether" --config "$WORK/$name.json" --drain-timeout 600000 \
    2>>"$WORK/tether.log" &
  pid=$!
  if [ "$mode" = profile ]; then
    # The listener is up before the link dials; the profile then covers
    # the transfer, and ends with the tether.
    until curl -s -o /dev/null "http://127.0.0.1:$port/debug/pprof/cmdline"; do
      sleep 0.005
    done
    curl -s -o /dev/null "http://127.0.0.1:$port/debug/pprof/profile?seconds=60&hz=100" &
    prof=$!
  fi
  wait "$pid"
  local wall=$(( $(now) - t0 ))
  echo "$wall $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/$name.time")"
  [ -n "$prof" ] && { wait "$prof" || true; }
  local logged
  logged=$(ctl logs "$name" | wc -c)
  [ "$logged" -eq $((MIB * 1048576)) ] || echo "warning: $mode log holds $logged bytes" >&2
  ctl rm "$name" >/dev/null
}

start_bench_attachd
declare -A wall cpu
for r in $(seq 1 "$ROUNDS"); do
  for mode in off idle profile; do
    run "$mode" > "$WORK/result"  # Synchronous: runs must not overlap.
    read -r w c < "$WORK/result"
    wall[$mode]+="$w "
    cpu[$mode]+="$c "
  done
done
grep -q 'CPU profile for 60 s' "$WORK/tether.log" ||
  { echo "no CPU profile ran: $(tail -5 "$WORK/tether.log")"; exit 1; }

med() { echo $1 | tr ' ' '\n' | median; }
ratio() { echo "scale=3; $1 / $2" | bc | sed 's/^\./0./'; }
echo "pprof overhead on attach throughput, $MIB MiB, median of $ROUNDS rounds:"
printf '  %-32s %8s %10s %9s %9s\n' "" "MiB/s" "tether CPU" "time/off" "CPU/off"
for mode in off idle profile; do
  case $mode in
    off) label="pprof off" ;;
    idle) label="pprof on, idle (heap sampling)" ;;
    profile) label="100 Hz CPU profile running" ;;
  esac
  w=$(med "${wall[$mode]}") c=$(med "${cpu[$mode]}")
  printf '  %-32s %8s %8s ms %9s %9s\n' "$label" "$(rate "$w")" "$c" \
    "$(ratio "$w" "$(med "${wall[off]}")")" "$(ratio "$c" "$(med "${cpu[off]}")")"
done
echo "  target: the profile costs < 5% (time/off < 1.05)"
