# A throwaway OpenSSH server on a loopback port, the peer for throughput
# and latency benchmarks. Source it; it sets SSH_CMD and stops sshd on exit.
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
  # The cipher and MAC libssh2 1.10 and libssh 0.10 negotiate, so both
  # sides of the comparison encrypt the same way.
  SSH_CMD=(ssh -p "$SSHD_PORT" -i "$dir/client_key" -o StrictHostKeyChecking=no
           -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
           -c aes128-ctr -m hmac-sha2-256 root@127.0.0.1)
  local i
  for i in $(seq 1 100); do
    "${SSH_CMD[@]}" true 2>/dev/null && return 0
    sleep 0.1
  done
  echo "sshd did not come up: $(cat "$dir/sshd.log")" >&2
  return 1
}
