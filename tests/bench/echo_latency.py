#!/usr/bin/python3
"""Keystroke echo latency through interactive commands on ptys.

  echo_latency.py COUNT CMD [ARGS...] [--vs CMD2 [ARGS...]]...

Runs each command on a new pty, sends one byte at a time and times until
the byte comes back (the remote tty's echo). With --vs, the commands run
at once and their keystrokes take turns, so a busy machine slows all alike.
Prints "p50_us p99_us" per command on one line. Used for tetherctl attach
against ssh -tt.
"""
import os
import pty
import select
import sys
import time


class Echo:
    """One command on a pty, echoing what it is sent."""

    def __init__(self, cmd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(cmd[0], cmd)
        self.samples = []

    def wait_ready(self):
        # Let the session come up: keep probing until an echo arrives.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            os.write(self.fd, b"r")
            r, _, _ = select.select([self.fd], [], [], 0.5)
            if r and b"r" in os.read(self.fd, 4096):
                time.sleep(0.3)
                self.drain(0.05)
                return
        print("no echo within 30 s", file=sys.stderr)
        sys.exit(1)

    def drain(self, timeout):
        while select.select([self.fd], [], [], timeout)[0]:
            os.read(self.fd, 4096)

    def sample(self, ch):
        t0 = time.monotonic_ns()
        os.write(self.fd, ch)
        got = b""
        while ch not in got:
            r, _, _ = select.select([self.fd], [], [], 5)
            if not r:
                print("echo lost", file=sys.stderr)
                sys.exit(1)
            got += os.read(self.fd, 4096)
        self.samples.append((time.monotonic_ns() - t0) / 1000)
        # Swallow the rest of this round (the cat's copy of the byte).
        time.sleep(0.002)
        self.drain(0)

    def stop(self):
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)

    def percentiles(self):
        s = sorted(self.samples)
        p99 = s[min(len(s) - 1, int(len(s) * 0.99))]
        return f"{s[len(s) // 2]:.0f} {p99:.0f}"


def main():
    count = int(sys.argv[1])
    args = sys.argv[2:]
    cmds = [[]]
    for a in args:
        if a == "--vs":
            cmds.append([])
        else:
            cmds[-1].append(a)
    echoes = []
    try:
        for cmd in cmds:
            echoes.append(Echo(cmd))
            echoes[-1].wait_ready()
        for i in range(count):
            ch = b"abcdefghij"[i % 10:i % 10 + 1]
            for e in echoes:
                e.sample(ch)
        print(" ".join(e.percentiles() for e in echoes))
    finally:
        for e in echoes:
            e.stop()


if __name__ == "__main__":
    main()
