#!/usr/bin/python3
"""Runs a command and times its first line of standard output.

    first_line.py [--pidfile-glob GLOB] [--timeout S] -- CMD [ARGS...]

Prints "MS CPU_MS LINE": milliseconds from launch to the first complete line
on CMD's stdout, the CPU milliseconds (user + system, all threads) of the
process whose pid is in the one file GLOB matches, sampled when the line
arrived (0 without --pidfile-glob), and the line. The command then runs to
its end; its exit status becomes ours. Exits 1 with a message when no line
comes within --timeout seconds (default 120), killing the command.
"""
import argparse
import glob
import os
import select
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pattern):
    if not pattern:
        return 0
    files = glob.glob(pattern)
    if len(files) != 1:
        return -1
    try:
        with open(files[0]) as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the command name, which may hold spaces.
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 // CLK_TCK
    except (OSError, ValueError):
        return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pidfile-glob", default="")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    buf = b""
    deadline = start + args.timeout
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        ready = select.select([proc.stdout], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            proc.kill()
            proc.wait()
            sys.exit(f"first_line: no line from {cmd[0]} within {args.timeout:g} s")
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            proc.wait()
            sys.exit(f"first_line: {cmd[0]} exited {proc.returncode} without a line")
        buf += chunk
    ms = int((time.monotonic() - start) * 1000)
    cpu = cpu_ms(args.pidfile_glob)
    line = buf.split(b"\n", 1)[0].decode(errors="replace")
    proc.stdout.read()  # To its end, so it is not stopped by a full pipe.
    rc = proc.wait()
    print(ms, cpu, line, flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
