#!/usr/bin/env bash
# Interactive latency: keystroke echo through `tetherctl attach` on a tty
# session running cat, against `ssh -tt` to a throwaway sshd running cat,
# same run, keystrokes taking turns so load from elsewhere hits both alike.
# Two passes, one attachd: tetherctl handing its terminal to attachd (the
# default), then relaying it (TETHERCTL_TERMINAL_HANDOFF=0), each against
# a fresh ssh. Prints p50/p99 and the ratios.
set -euo pipefail
BIN=${1:?usage: attach_latency_bench.sh BIN_DIR [COUNT]}
COUNT=${2:-500}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
source "$here/bench_lib.sh"

start_bench_attachd
ctl create -t -i --name lat -- cat >/dev/null
ctl config lat > "$WORK/lat.json"
"$BIN/tether" --config "$WORK/lat.json" >"$WORK/tether.log" 2>&1 &
PIDS+=($!)
start_sshd "$WORK/ssh"

echo "keystroke echo latency ($COUNT keystrokes each, taking turns with ssh;" \
  "$LINK_CIPHER both; microseconds):"
for handoff in 1 0; do
  read -r t50 t99 s50 s99 < <(/usr/bin/python3 "$here/echo_latency.py" \
    "$COUNT" env TETHERCTL_TERMINAL_HANDOFF=$handoff \
    "$BIN/tetherctl" --state-dir "$WORK/state" attach lat \
    --vs "${SSH_CMD[@]}" -tt cat)
  label="tetherctl attach (handoff)"
  [ $handoff = 1 ] || label="tetherctl attach (relayed)"
  printf '  %-28s p50 %6s  p99 %6s\n' "$label" "$t50" "$t99"
  printf '  %-28s p50 %6s  p99 %6s\n' "ssh -tt cat" "$s50" "$s99"
  printf '  ratio tether/OpenSSH: p50 %s  p99 %s%s\n' \
    "$(echo "scale=2; $t50 / $s50" | bc)" "$(echo "scale=2; $t99 / $s99" | bc)" \
    "$([ $handoff = 1 ] && echo ' (target <= 1.0)')"
done
