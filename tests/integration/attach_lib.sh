# Helpers for attach-link tests: an attachd on a loopback port with its
# own state dir, tetherctl against it, and tethers in PID namespaces. All
# processes started here are stopped by PID on exit (lib.sh's cleanup).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ATTACHD=${ATTACHD:?set ATTACHD}
TETHERCTL=${TETHERCTL:?set TETHERCTL}
STATE=$WORK/state
PORT=""

# start_attachd [PORT]: starts (or restarts) attachd; waits for its socket.
# start_attachd [PORT [ARGS...]]: attachd on PORT (0: any), with ARGS.
start_attachd() {
  local port=${1:-0}
  shift || true
  rm -f "$STATE/attachd.sock"
  "$ATTACHD" --state-dir "$STATE" --listen "127.0.0.1:$port" "$@" \
    >>"$WORK/attachd.log" 2>&1 &
  ATTACHD_PID=$!
  BG_PIDS+=("$ATTACHD_PID")
  local i
  for i in $(seq 1 200); do
    [ -S "$STATE/attachd.sock" ] && break
    sleep 0.025
  done
  [ -S "$STATE/attachd.sock" ] || { cat "$WORK/attachd.log" >&2; fail "attachd did not start"; }
}

ctl() { timeout -s KILL 60 "$TETHERCTL" --state-dir "$STATE" "$@"; }

# create_started NAME CREATE-ARGS... : creates a container, writes its
# config to $WORK/NAME.json and starts its tether (PID 1 of a namespace)
# in the background. Sets TETHER_NS_PID.
start_tether() {
  local name=$1
  ctl config "$name" > "$WORK/$name.json"
  bg_ns 120 "$TETHER" --config "$WORK/$name.json" \
    >"$WORK/$name.tether.log" 2>&1 &
  TETHER_NS_PID=$!
  BG_PIDS+=("$TETHER_NS_PID")
}

# The port attachd really listens on (it may have picked one).
attachd_port() {
  sed -n 's/.*"address": *"tcp:127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$1" | head -1
}

# wait_for_output FILE PATTERN [SECONDS]
wait_for_output() {
  local i
  for i in $(seq 1 $(( ${3:-10} * 20 ))); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "timed out waiting for '$2' in $1: $(tail -c 300 "$1" 2>/dev/null)"
}
