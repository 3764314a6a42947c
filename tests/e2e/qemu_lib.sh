# QEMU harness for end-to-end tests of the container VM (source it).
#
#   source tests/e2e/qemu_lib.sh           # needs TETHER_IMAGE_DIR
#   qemu_start --config cfg.json           # -kernel vmlinux -initrd initramfs
#   qemu_wait_line hello                   # a whole console line, bounded
#   qemu_wait_exit; echo "$QEMU_STATUS"    # the VM powers off by itself
#
# QEMU runs as documented in notes/vm_contract.md. Every QEMU started here
# dies with the test: an EXIT trap SIGKILLs it by PID, and QEMU gets
# SIGKILL from the kernel if the test shell itself is killed (pdeathsig),
# for instance by a ctest timeout. Waits fail fast when the console shows
# a kernel panic and print the console's tail on every failure.
#
# Environment:
#   TETHER_IMAGE_DIR   share/tether of a build (vmlinux, initramfs.cpio.lz4,
#                      floor-initramfs.cpio.lz4, tether.iso, cmdline)
#   TETHER_QEMU_ACCEL  kvm or tcg to skip the probe (default: probe once)
#   QEMU_BOOT_TIMEOUT  seconds a wait may take (default 90: TCG on a busy
#                      2-core machine)
#   QEMU_WORK          where consoles go (default: a temp dir, removed at exit)

: "${TETHER_IMAGE_DIR:?set TETHER_IMAGE_DIR to BUILD/share/tether}"
QEMU_BIN=${QEMU_BIN:-qemu-system-x86_64}
QEMU_BOOT_TIMEOUT=${QEMU_BOOT_TIMEOUT:-90}
if [ -z "${QEMU_WORK:-}" ]; then
  QEMU_WORK=$(mktemp -d /tmp/tether-qemu.XXXXXX)
  _QEMU_OWN_WORK=1
fi
QEMU_PIDS=()      # Every QEMU started, for the EXIT trap.
QEMU_CMD=()       # Set by qemu_command.
QEMU_PID=""       # The last one started; the waits default to it.
QEMU_CONSOLE=""   # Its console file.
QEMU_STATUS=""    # Set by qemu_wait_exit.
QEMU_CPU_MS=0     # QEMU's CPU time at the last poll of a wait.
_QEMU_CLK_TCK=$(getconf CLK_TCK)

_qemu_fail() {
  echo "qemu_lib: FAIL: $*" >&2
  return 1
}

# qemu_kill_all: SIGKILL every QEMU this shell started and reap it.
qemu_kill_all() {
  local p
  for p in "${QEMU_PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  QEMU_PIDS=()
  if [ -n "${_QEMU_OWN_WORK:-}" ]; then rm -rf "$QEMU_WORK"; fi
}

# Chains onto an EXIT trap the test already has instead of replacing it
# (source this file after any library that sets its own trap, or call
# qemu_kill_all from that trap).
_qemu_prev_trap=:
if [ -n "$(trap -p EXIT)" ]; then
  eval "_qemu_trap_words=($(trap -p EXIT))"
  _qemu_prev_trap=${_qemu_trap_words[2]}
fi
# shellcheck disable=SC2064
trap "qemu_kill_all; $_qemu_prev_trap" EXIT

# qemu_console_tail [N]: the last N (30) lines of the console, to stderr.
qemu_console_tail() {
  [ -n "$QEMU_CONSOLE" ] && [ -e "$QEMU_CONSOLE" ] || return 0
  echo "---- console tail ($QEMU_CONSOLE) ----" >&2
  _qemu_clean <"$QEMU_CONSOLE" | tail -n "${1:-30}" >&2
  echo "---- end of console ----" >&2
}

# The console as plain lines: no CR, no terminal escape sequences.
_qemu_clean() {
  sed -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g'
}

# qemu_accel: prints kvm or tcg. /dev/kvm existing is not enough: nested
# KVM can open and then hang or abort a real boot, so where the CPU claims
# virtualization the floor image is booted once under KVM and the verdict
# cached for this host boot.
qemu_accel() {
  if [ -n "${TETHER_QEMU_ACCEL:-}" ]; then
    echo "$TETHER_QEMU_ACCEL"
    return
  fi
  # As attachd decides (KvmUsable): no vmx/svm flag, no working KVM. Here
  # /dev/kvm opens, yet the CPU shows neither and guests hang.
  if ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; } ||
    ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
    echo tcg
    return
  fi
  local boot cache verdict=tcg log pid i
  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
  cache=${TMPDIR:-/tmp}/tether-qemu-accel.$boot
  case "$(cat "$cache" 2>/dev/null)" in
    kvm | tcg) cat "$cache"; return ;;
  esac
  log=$(mktemp /tmp/tether-kvm-probe.XXXXXX)
  setpriv --pdeathsig KILL -- "$QEMU_BIN" -M pc -accel kvm -m 128 -smp 1 \
    -nodefaults -no-user-config -display none -no-reboot -nic none \
    -kernel "$TETHER_IMAGE_DIR/vmlinux" \
    -initrd "$TETHER_IMAGE_DIR/floor-initramfs.cpio.lz4" \
    -append "$(cat "$TETHER_IMAGE_DIR/cmdline")" \
    -serial "file:$log" >/dev/null 2>&1 &
  pid=$!
  for i in $(seq 1 150); do  # 15 s: a working KVM boots this in one.
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if _qemu_clean <"$log" | grep -x 'floor: up' >/dev/null; then verdict=kvm; fi
  rm -f "$log"
  echo "$verdict" >"$cache.$$" && mv -f "$cache.$$" "$cache"
  echo "$verdict"
}

# qemu_start [OPTIONS] [-- QEMU_ARGS...]: starts a container VM in the
# background; sets QEMU_PID and QEMU_CONSOLE. Call it in the test's own
# shell, never in $(...): QEMU dies with the shell that started it.
qemu_start() {
  qemu_command "$@" || return 1
  : >"$QEMU_CONSOLE"
  "${QEMU_CMD[@]}" >>"$QEMU_WORK/qemu.stderr" 2>&1 &
  QEMU_PID=$!
  QEMU_PIDS+=("$QEMU_PID")
  QEMU_STATUS=""
  QEMU_CPU_MS=0
  QEMU_STARTED_NS=$(date +%s%N)
}

# qemu_command [OPTIONS] [-- QEMU_ARGS...]: sets QEMU_CMD to the command
# line qemu_start runs (QEMU under setpriv, so that it dies with the
# process that starts it) and QEMU_CONSOLE to its console. For a caller
# that starts QEMU itself: a benchmark reading the console from a pipe
# (`--console /dev/stdout`) sees each line as it is written.
#   --config FILE       fw_cfg opt/tether/config
#   --initrd FILE       initramfs (default: the tether's); with the vmlinux
#   --kernel FILE       kernel for -kernel (default: vmlinux)
#   --append STRING     kernel command line (default: the image's cmdline)
#   --iso FILE          boot this ISO with -cdrom instead of -kernel
#   --attach-port PORT  wire org.tether.attach to 127.0.0.1:PORT
#   --memory MB         guest memory (default 256)
#   --console FILE      console log (default: under QEMU_WORK)
qemu_command() {
  local config="" kernel="$TETHER_IMAGE_DIR/vmlinux"
  local initrd="$TETHER_IMAGE_DIR/initramfs.cpio.lz4" append="" iso=""
  local port="" memory=256 console=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --config) config=$2; shift 2 ;;
      --kernel) kernel=$2; shift 2 ;;
      --initrd) initrd=$2; shift 2 ;;
      --append) append=$2; shift 2 ;;
      --iso) iso=$2; shift 2 ;;
      --attach-port) port=$2; shift 2 ;;
      --memory) memory=$2; shift 2 ;;
      --console) console=$2; shift 2 ;;
      --) shift; break ;;
      *) _qemu_fail "qemu_command: unknown option $1"; return 1 ;;
    esac
  done
  [ -n "$append" ] || append=$(cat "$TETHER_IMAGE_DIR/cmdline")
  [ -n "$console" ] || console=$QEMU_WORK/console.${#QEMU_PIDS[@]}.log
  local args=(-M pc -accel "$(qemu_accel)" -m "$memory" -smp 1
    -nodefaults -no-user-config -display none -no-reboot -nic none
    -serial "file:$console" -device virtio-serial-pci)
  # -display none, not the contract's -nographic: with -nographic SeaBIOS
  # also writes its banner to the serial port, without a newline before
  # the guest's first line.
  if [ -n "$iso" ]; then
    [ -r "$iso" ] || { _qemu_fail "no ISO $iso"; return 1; }
    args+=(-cdrom "$iso")
  else
    [ -r "$kernel" ] || { _qemu_fail "no kernel $kernel"; return 1; }
    [ -r "$initrd" ] || { _qemu_fail "no initramfs $initrd"; return 1; }
    args+=(-kernel "$kernel" -initrd "$initrd" -append "$append")
  fi
  if [ -n "$port" ]; then
    args+=(-chardev "socket,id=attach,host=127.0.0.1,port=$port,reconnect=1"
      -device virtserialport,chardev=attach,name=org.tether.attach)
  fi
  if [ -n "$config" ]; then
    [ -r "$config" ] || { _qemu_fail "no config $config"; return 1; }
    args+=(-fw_cfg "name=opt/tether/config,file=$config")
  fi
  QEMU_CMD=(setpriv --pdeathsig KILL -- "$QEMU_BIN" "${args[@]}" "$@")
  QEMU_CONSOLE=$console
}

# _qemu_sample_cpu: QEMU_CPU_MS = QEMU's CPU time so far (all threads).
# CPU time survives a loaded machine better than wall time. Sampled by the
# waits' polls, so it is low by one poll (50 ms) at most.
_qemu_sample_cpu() {
  local f
  if { read -r -a f <"/proc/$QEMU_PID/stat"; } 2>/dev/null; then
    QEMU_CPU_MS=$(((f[13] + f[14]) * 1000 / _QEMU_CLK_TCK))
  fi
}

# _qemu_wait_for GREP_ARGS PATTERN WHAT [TIMEOUT]: polls the console for a
# whole line; fails on a panic, on QEMU's exit and on the timeout. grep
# reads to the end (no -q): under pipefail an early exit could SIGPIPE the
# sed before it and turn a match into a failure.
_qemu_wait_for() {
  local how=$1 pattern=$2 what=$3 timeout=${4:-$QEMU_BOOT_TIMEOUT}
  local deadline=$(($(date +%s) + timeout))
  while :; do
    _qemu_sample_cpu
    if _qemu_clean <"$QEMU_CONSOLE" | grep "$how" -- "$pattern" >/dev/null; then
      return 0
    fi
    if grep -qaE 'Kernel panic|not syncing' "$QEMU_CONSOLE"; then
      qemu_console_tail
      _qemu_fail "kernel panic while waiting for $what"
      return 1
    fi
    if ! kill -0 "$QEMU_PID" 2>/dev/null; then
      # It may have written the line just before it exited.
      _qemu_clean <"$QEMU_CONSOLE" | grep "$how" -- "$pattern" >/dev/null &&
        return 0
      qemu_console_tail
      tail -n 5 "$QEMU_WORK/qemu.stderr" >&2 2>/dev/null || true
      _qemu_fail "QEMU exited before $what"
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      qemu_console_tail
      _qemu_fail "no $what on the console within ${timeout}s"
      return 1
    fi
    sleep 0.05
  done
}

# qemu_wait_line LINE [TIMEOUT]: waits for a console line equal to LINE.
qemu_wait_line() {
  _qemu_wait_for -Fx "$1" "line [$1]" "${2:-}"
}

# qemu_wait_regex ERE [TIMEOUT]: waits for a whole console line matching
# the extended regular expression ERE.
qemu_wait_regex() {
  _qemu_wait_for -Ex "$1" "a line matching /$1/" "${2:-}"
}

# qemu_wait_exit [TIMEOUT]: waits for QEMU to end by itself (the guest
# powered off); sets QEMU_STATUS and QEMU_CPU_MS. On the timeout QEMU is
# killed and the wait fails.
qemu_wait_exit() {
  local timeout=${1:-$QEMU_BOOT_TIMEOUT}
  local deadline=$(($(date +%s) + timeout))
  while kill -0 "$QEMU_PID" 2>/dev/null; do
    _qemu_sample_cpu
    if [ "$(date +%s)" -ge "$deadline" ]; then
      kill -KILL "$QEMU_PID" 2>/dev/null || true
      wait "$QEMU_PID" 2>/dev/null || true
      qemu_console_tail
      _qemu_fail "QEMU did not exit within ${timeout}s (killed)"
      return 1
    fi
    sleep 0.05
  done
  QEMU_STATUS=0
  wait "$QEMU_PID" || QEMU_STATUS=$?
}

# qemu_console_lines: the console so far, as clean lines (for asserts).
qemu_console_lines() {
  _qemu_clean <"$QEMU_CONSOLE"
}

# qemu_elapsed_ms: milliseconds since the last qemu_start.
qemu_elapsed_ms() {
  echo $((($(date +%s%N) - QEMU_STARTED_NS) / 1000000))
}

# _qemu_json_string S: S as a JSON string literal.
_qemu_json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# qemu_config FILE [--debug N] [--name NAME] -- CMD ARGS...: writes a
# config with no endpoint whose primary session runs CMD (the tether then
# prints the container's output on the console).
qemu_config() {
  local file=$1 debug=0 name=e2e a args="" sep=""
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --debug) debug=$2; shift 2 ;;
      --name) name=$2; shift 2 ;;
      --) shift; break ;;
      *) _qemu_fail "qemu_config: unknown option $1"; return 1 ;;
    esac
  done
  [ $# -ge 1 ] || { _qemu_fail "qemu_config: no command"; return 1; }
  for a in "$@"; do
    args+="$sep$(_qemu_json_string "$a")"
    sep=", "
  done
  cat >"$file" <<JSON
{ "version": 1,
  "id": "e2e0000000000000000000000000000000000000000000000000000000000000",
  "name": "$name", "debug": $debug,
  "sessions": [ { "id": "main", "primary": true,
                  "path": $(_qemu_json_string "$1"), "args": [ $args ],
                  "env": ["PATH=/bin:/sbin"] } ] }
JSON
}
