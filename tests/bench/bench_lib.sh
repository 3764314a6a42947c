# Shared by the attach benchmarks. Source it after setting BIN and WORK:
# it stops every process in PIDS, every PID listed in the files of
# PIDS_FILES (one a line; written as processes start, so a run cut short
# still names them), and sshd, and removes WORK on exit.
PIDS=()
PIDS_FILES=()
bench_cleanup() {
  local f listed=()
  for f in "${PIDS_FILES[@]:-}"; do
    [ -n "$f" ] && [ -f "$f" ] && mapfile -t -O "${#listed[@]}" listed <"$f"
  done
  # Our own children (pidns_launch makes them so): the shell reaps them.
  # Some may have exited already: kill's status is no error here.
  [ "${#listed[@]}" -gt 0 ] && { kill -KILL "${listed[@]}" 2>/dev/null || true; }
  for p in "${PIDS[@]:-}" "${SSHD_PID:-}"; do
    [ -n "$p" ] && { kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; } || true
  done
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# An attachd on a loopback port with its state in WORK; ctl talks to it.
# start_bench_attachd [ARGS...]: attachd on a private state dir, with ARGS.
start_bench_attachd() {
  "$BIN/attachd" --state-dir "$WORK/state" --listen 127.0.0.1:0 "$@" 2>"$WORK/attachd.log" &
  PIDS+=($!)
  local i
  for i in $(seq 1 100); do [ -S "$WORK/state/attachd.sock" ] && break; sleep 0.05; done
}
ctl() { "$BIN/tetherctl" --state-dir "$WORK/state" "$@"; }

# The cipher the tether offers first (attach/link/ssh_client.cc), which
# attachd's libssh accepts: the OpenSSH peer uses the same one.
LINK_CIPHER=aes256-gcm@openssh.com

# A throwaway OpenSSH server on a loopback port, the peer for throughput
# and latency: sets SSH_BASE (ssh and its options, no cipher, no host) and
# SSH_CMD (SSH_BASE quiet, with LINK_CIPHER, user and host).
start_sshd() {
  local dir=$1
  mkdir -p "$dir" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  SSHD_PORT=$(( 20000 + RANDOM % 20000 ))
  cat > "$dir/sshd_config" <<CFG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
CFG
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
  SSHD_PID=$!
  SSH_BASE=(ssh -p "$SSHD_PORT" -i "$dir/client_key" -o StrictHostKeyChecking=no
            -o UserKnownHostsFile=/dev/null)
  # hmac-sha2-256 is the link's MAC when a cipher needs one (AES-GCM does
  # not), so both sides of a comparison encrypt the same way.
  SSH_CMD=("${SSH_BASE[@]}" -o LogLevel=ERROR -c "$LINK_CIPHER"
           -m hmac-sha2-256 root@127.0.0.1)
  local i
  for i in $(seq 1 100); do
    "${SSH_CMD[@]}" true 2>/dev/null && return 0
    sleep 0.1
  done
  echo "sshd did not come up: $(cat "$dir/sshd.log")" >&2
  return 1
}
