#!/usr/bin/python3
"""Keystroke echo latency through an interactive command on a pty.

Runs CMD on a new pty, sends one byte at a time and times until the byte
comes back (the remote tty's echo). Prints p50 and p99 in microseconds as
"p50_us p99_us". Used for tetherctl attach and for ssh -tt, same run.
"""
import os
import pty
import select
import sys
import time


def main():
    count = int(sys.argv[1])
    cmd = sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    try:
        # Let the session come up: keep probing until an echo arrives.
        deadline = time.monotonic() + 30
        ready = False
        while time.monotonic() < deadline and not ready:
            os.write(fd, b"r")
            r, _, _ = select.select([fd], [], [], 0.5)
            if r and b"r" in os.read(fd, 4096):
                ready = True
        if not ready:
            print("no echo within 30 s", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.3)
        while select.select([fd], [], [], 0.05)[0]:
            os.read(fd, 4096)
        samples = []
        for i in range(count):
            ch = b"abcdefghij"[i % 10:i % 10 + 1]
            t0 = time.monotonic_ns()
            os.write(fd, ch)
            got = b""
            while ch not in got:
                r, _, _ = select.select([fd], [], [], 5)
                if not r:
                    print("echo lost", file=sys.stderr)
                    sys.exit(1)
                got += os.read(fd, 4096)
            samples.append((time.monotonic_ns() - t0) / 1000)
            # Swallow the rest of this round (the cat's copy of the byte).
            time.sleep(0.002)
            while select.select([fd], [], [], 0)[0]:
                os.read(fd, 4096)
        samples.sort()
        p50 = samples[len(samples) // 2]
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        print(f"{p50:.0f} {p99:.0f}")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
