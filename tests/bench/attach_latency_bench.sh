#!/usr/bin/env bash
# Interactive latency: keystroke echo through `tetherctl attach` on a tty
# session running cat, against `ssh -tt` to a throwaway sshd running cat,
# same run, keystrokes taking turns. tetherctl runs twice, on two
# containers: handing its terminal to attachd (the default) and relaying it
# (TETHERCTL_TERMINAL_HANDOFF=0). Prints p50/p99 and the ratios.
set -euo pipefail
BIN=${1:?usage: attach_latency_bench.sh BIN_DIR [COUNT]}
COUNT=${2:-500}
here=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
source "$here/bench_lib.sh"

start_bench_attachd
for name in lat relay; do
  ctl create -t -i --name $name -- cat >/dev/null
  ctl config $name > "$WORK/$name.json"
  "$BIN/tether" --config "$WORK/$name.json" >"$WORK/$name.tether.log" 2>&1 &
  PIDS+=($!)
done
start_sshd "$WORK/ssh"
# All at once, keystrokes taking turns: load from elsewhere hits all alike.
read -r t50 t99 r50 r99 s50 s99 < <(/usr/bin/python3 "$here/echo_latency.py" \
  "$COUNT" "$BIN/tetherctl" --state-dir "$WORK/state" attach lat \
  --vs env TETHERCTL_TERMINAL_HANDOFF=0 \
  "$BIN/tetherctl" --state-dir "$WORK/state" attach relay \
  --vs "${SSH_CMD[@]}" -tt cat)

echo "keystroke echo latency ($COUNT keystrokes each, alternating;" \
  "$LINK_CIPHER both; microseconds):"
printf '  %-28s p50 %6s  p99 %6s\n' "tetherctl attach (tty)" "$t50" "$t99"
printf '  %-28s p50 %6s  p99 %6s\n' "  the same, relayed" "$r50" "$r99"
printf '  %-28s p50 %6s  p99 %6s\n' "ssh -tt cat" "$s50" "$s99"
printf '  ratio tether/OpenSSH: p50 %s  p99 %s (target <= 1.0)\n' \
  "$(echo "scale=2; $t50 / $s50" | bc)" "$(echo "scale=2; $t99 / $s99" | bc)"
