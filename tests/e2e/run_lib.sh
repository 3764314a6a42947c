# Helpers for the `tetherctl run` end-to-end tests: real container VMs
# under QEMU, owned by an attachd on a loopback port with its own state
# directory. Everything started here is stopped by PID on exit, pass or
# fail: attachd (SIGTERM stops its VMs; then SIGKILL), and any QEMU whose
# pidfile is in this test's state directory.
set -euo pipefail

ATTACHD=${ATTACHD:?set ATTACHD}
TETHERCTL=${TETHERCTL:?set TETHERCTL}
TETHER_IMAGE_DIR=${TETHER_IMAGE_DIR:?set TETHER_IMAGE_DIR}
export TETHER_IMAGE_DIR TETHER_ATTACHD=$ATTACHD
WORK=$(mktemp -d /tmp/tether-e2e.XXXXXX)
STATE=$WORK/state
START=$(date +%s)

for f in vmlinux initramfs.cpio.lz4; do
  [ -s "$TETHER_IMAGE_DIR/$f" ] || {
    echo "FAIL: no $TETHER_IMAGE_DIR/$f (build the VM image: make initramfs)" >&2
    exit 1
  }
done

# The QEMUs of this test's containers (of every state directory under
# $WORK), checked against their command line so a recycled pid is never
# hit.
our_qemus() {
  local f pid
  for f in "$WORK"/*/containers/*/qemu.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null) || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$WORK/" && echo "$pid"
  done
  return 0
}

no_qemus() { [ -z "$(our_qemus)" ]; }

attachd_pid() { cat "$STATE/attachd.pid" 2>/dev/null || true; }

cleanup() {
  local rc=$? p i f
  # Every attachd of this test (SIGTERM stops its VMs), by its pidfile.
  for f in "$WORK"/*/attachd.pid; do
    p=$(cat "$f" 2>/dev/null) || continue
    if [ -n "$p" ] && kill -TERM "$p" 2>/dev/null; then
      for i in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  for p in $(our_qemus) ${EXTRA_PIDS:-}; do kill -KILL "$p" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    echo "--- attachd.log" >&2; tail -n 30 "$STATE/attachd.log" >&2 2>/dev/null || true
    for f in "$STATE"/containers/*/console.log; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -c 2000 "$f" >&2; echo >&2; }
    done
  fi
  rm -rf "$WORK"
  echo "($(( $(date +%s) - START )) s)"
  # Again after the logs, where a tail of the output shows it.
  [ -z "${FAILED:-}" ] || echo "FAIL: $FAILED" >&2
}
trap cleanup EXIT

fail() { FAILED="$*"; echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
expect_eq() { [ "$2" == "$3" ] || fail "$1: expected [$2], got [$3]"; pass "$1"; }

# ctl ARGS...: tetherctl on this test's state dir, killed after 150 s (a
# TCG boot under a loaded ctest takes 10-30 s).
ctl() { timeout -s KILL 150 "$TETHERCTL" --state-dir "$STATE" "$@"; }

# A free loopback port for an attachd that must come back on the same one
# (tests/free_port.py says why it is below the ephemeral range).
free_port() {
  python3 "$(dirname "${BASH_SOURCE[0]}")/../free_port.py"
}

# start_attachd PORT [ARGS...]: attachd in the background; waits for it.
start_attachd() {
  local port=$1 i
  shift
  mkdir -p "$STATE"
  "$ATTACHD" --state-dir "$STATE" --listen "127.0.0.1:$port" \
    --pidfile "$STATE/attachd.pid" "$@" >>"$STATE/attachd.log" 2>&1 &
  disown  # Its SIGKILL is the test's doing, not news for bash to print.
  for i in $(seq 1 200); do
    [ -S "$STATE/attachd.sock" ] && [ -s "$STATE/attachd.pid" ] && return 0
    sleep 0.05
  done
  fail "attachd did not start"
}

# wait_for CMD... : retries CMD every 0.2 s for up to 120 s.
wait_for() {
  local i
  for i in $(seq 1 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  fail "timed out waiting for: $*"
}
