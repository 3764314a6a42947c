#!/usr/bin/python3
"""Drives an interactive command on a pty, the way a person at a terminal would.

  pty_session.py [STEP...] -- CMD [ARGS...]

Steps run in order:
  --size ROWSxCOLS   set the terminal size (before the command starts: its
                     first size; later: a resize, which SIGWINCHes it)
  --send TEXT        type TEXT (backslash escapes such as \\r are decoded)
  --expect REGEX     wait until the output since the last --expect matches
  --timeout SECONDS  for the --expect steps that follow (default 60)
  --shell CMD        run CMD with sh, $PTY set to the terminal's path (the
                     side the command has); fails the session unless it
                     exits 0

Exits with the command's exit code once every step passed and the command
ended; exits 99 naming the step, with what the terminal showed, when an
--expect times out or the command ends first.
"""
import codecs
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time


def parse(argv):
    if "--" not in argv:
        sys.exit("usage: pty_session.py [STEP...] -- CMD [ARGS...]")
    at = argv.index("--")
    steps, cmd = argv[:at], argv[at + 1:]
    if len(steps) % 2 or not cmd:
        sys.exit("pty_session.py: each step takes one value; CMD is required")
    return [(steps[i], steps[i + 1]) for i in range(0, len(steps), 2)], cmd


def set_size(fd, value):
    rows, cols = (int(n) for n in value.lower().split("x"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def terminal_path(pid):
    return os.readlink("/proc/%d/fd/0" % pid)


def fail(step, seen):
    sys.stderr.write("pty_session: %s %r failed; the terminal showed:\n%s\n" %
                     (step[0], step[1], seen.decode(errors="replace")[-2000:]))
    sys.exit(99)


def main():
    steps, cmd = parse(sys.argv[1:])
    first_size = None
    if steps and steps[0][0] == "--size":
        first_size = steps.pop(0)[1]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    if first_size:
        set_size(fd, first_size)
    seen = b""  # Output since the last satisfied --expect.
    timeout = 60.0
    ended = False
    for step in steps:
        kind, value = step
        if kind == "--size":
            set_size(fd, value)
        elif kind == "--send":
            os.write(fd, codecs.decode(value, "unicode_escape").encode())
        elif kind == "--shell":
            env = dict(os.environ, PTY=terminal_path(pid))
            if subprocess.run(["sh", "-c", value], env=env).returncode != 0:
                fail(step, seen)
        elif kind == "--timeout":
            timeout = float(value)
        elif kind == "--expect":
            pattern = re.compile(value.encode())
            deadline = time.monotonic() + timeout
            while not pattern.search(seen):
                left = deadline - time.monotonic()
                if left <= 0 or ended:
                    fail(step, seen)
                if select.select([fd], [], [], left)[0]:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:  # EIO: the command closed the terminal.
                        data = b""
                    if not data:
                        ended = True
                    seen += data
            m = pattern.search(seen)
            seen = seen[m.end():]
        else:
            sys.exit("pty_session.py: unknown step " + kind)
    # Drain until the command ends, so it never blocks on a full terminal.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if select.select([fd], [], [], 0.2)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                pass
    fail(("end of", cmd[0]), seen)


if __name__ == "__main__":
    sys.exit(main())
