#!/usr/bin/env bash
# The serial transport: the tether talks to a character device (a pty
# here, a virtio-serial port in a VM) whose other side socat connects to
# attachd's TCP port, as a hypervisor's serial-over-network does.
source "$(dirname "$0")/attach_lib.sh"
start_attachd

ctl create --name serial -- sh -c 'echo over-serial; echo err-serial >&2; exit 6' >/dev/null
ctl config serial > "$WORK/tcp.json"
port=$(attachd_port "$WORK/tcp.json")
socat "PTY,link=$WORK/ttyS0,raw,echo=0" "TCP:127.0.0.1:$port" 2>"$WORK/socat.log" &
BG_PIDS+=($!)
for i in $(seq 1 100); do [ -e "$WORK/ttyS0" ] && break; sleep 0.05; done
[ -e "$WORK/ttyS0" ] || fail "socat made no pty"
sed "s|\"address\": *\"tcp:[^\"]*\"|\"address\": \"serial:$WORK/ttyS0\"|" \
  "$WORK/tcp.json" > "$WORK/serial.json"
grep -q "serial:" "$WORK/serial.json" || fail "could not rewrite the address"
bg_ns 60 "$TETHER" --config "$WORK/serial.json" >"$WORK/serial.log" 2>&1 &
BG_PIDS+=($!)
expect_eq "exit code over serial" 6 "$(ctl wait serial)"
expect_eq "stdout over serial" "over-serial" "$(ctl logs serial 2>/dev/null)"
expect_eq "stderr over serial" "err-serial" "$(ctl logs serial 2>&1 >/dev/null)"
