# Shared helpers for the tether's black-box tests. Each test runs the tether
# as PID 1 of a fresh PID namespace (unshare --pid --fork --mount-proc), so
# it reaps and kills only inside that namespace; everything is bounded by
# timeouts and cleaned up on exit, pass or fail.
set -euo pipefail

TETHER=${TETHER:?set TETHER to the tether binary}
WORK=$(mktemp -d /tmp/tether-it.XXXXXX)
BG_PIDS=()
cleanup() {
  local p
  for p in "${BG_PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

pass() { echo "ok: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  [ "$2" == "$3" ] || fail "$1: expected [$2], got [$3]"
  pass "$1"
}

# expect_match WHAT REGEX TEXT
expect_match() {
  [[ "$3" =~ $2 ]] || fail "$1: [$3] does not match /$2/"
  pass "$1"
}

# in_ns CMD...: runs CMD as PID 1 of a new PID namespace, 60 s at most.
in_ns() {
  timeout -s KILL 60 unshare --pid --fork --kill-child --mount-proc "$@"
}

# bg_ns SECONDS CMD... &: CMD as PID 1 of a new PID namespace in the
# background, SECONDS at most; $! is the pid that cleanup kills. Killing it
# kills the namespace too: unshare dies with timeout (pdeathsig) and takes
# its child along (--kill-child). A tether whose endpoint is gone retries
# forever, so without this it would outlive the test.
bg_ns() {
  local secs=$1
  shift
  exec timeout -s KILL "$secs" setpriv --pdeathsig KILL -- \
    unshare --pid --fork --kill-child --mount-proc "$@"
}

# rc_of CMD...: prints the exit code of CMD without tripping set -e.
rc_of() {
  local rc=0
  "$@" || rc=$?
  echo "$rc"
}

# ns_child_pid UNSHARE_PID: the host pid of the process unshare forked.
ns_child_pid() {
  local u=$1 c="" i
  for i in $(seq 1 200); do
    c=$(cat "/proc/$u/task/$u/children" 2>/dev/null | awk '{print $1}')
    [ -n "$c" ] && { echo "$c"; return 0; }
    sleep 0.01
  done
  fail "no child of unshare $u"
}

# wait_for_file PATH [SECONDS]
wait_for_file() {
  local i
  for i in $(seq 1 $(( ${2:-10} * 20 ))); do
    [ -s "$1" ] && return 0
    sleep 0.05
  done
  fail "timed out waiting for $1"
}
