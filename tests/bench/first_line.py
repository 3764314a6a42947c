#!/usr/bin/python3
"""Runs a command and times a line of its standard output.

    first_line.py [--pidfile-glob GLOB | --cpu-self] [--line TEXT]
                  [--timeout S] -- CMD [ARGS...]

Prints "MS CPU_MS LINE": milliseconds from launch to the first complete line
on CMD's stdout (with --line, the first that is TEXT once carriage returns
and terminal escapes are removed, as on a serial console), the CPU
milliseconds (user + system, all threads) sampled when that line arrived,
of the process whose pid is in the one file GLOB matches or, with
--cpu-self, of CMD itself (0 with neither), and the line. The command then
runs to its end; its exit status becomes ours. Exits 1 with a message when
no such line comes within --timeout seconds (default 120), or the command
does not end within that time after it, killing the command.
"""
import argparse
import glob
import os
import re
import select
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1bc|\r")


def pid_cpu_ms(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the command name, which may hold spaces.
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 // CLK_TCK
    except (OSError, ValueError):
        return -1


def pidfile_cpu_ms(pattern):
    files = glob.glob(pattern)
    if len(files) != 1:
        return -1
    try:
        with open(files[0]) as f:
            return pid_cpu_ms(int(f.read().strip()))
    except (OSError, ValueError):
        return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pidfile-glob", default="")
    ap.add_argument("--cpu-self", action="store_true")
    ap.add_argument("--line", default=None)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")
    want = None if args.line is None else args.line.encode()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    fd = proc.stdout.fileno()
    buf = b""
    deadline = start + args.timeout
    found = None
    while found is None:
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], left)[0] if left > 0 else []
            if not ready:
                proc.kill()
                proc.wait()
                what = "no line" if want is None else f"no line [{args.line}]"
                sys.exit(f"first_line: {what} from {cmd[0]} within {args.timeout:g} s")
            chunk = os.read(fd, 4096)
            if not chunk:
                proc.wait()
                sys.exit(f"first_line: {cmd[0]} exited {proc.returncode} without the line")
            buf += chunk
        ms = int((time.monotonic() - start) * 1000)
        if args.cpu_self:
            cpu = pid_cpu_ms(proc.pid)
        elif args.pidfile_glob:
            cpu = pidfile_cpu_ms(args.pidfile_glob)
        else:
            cpu = 0
        line, buf = buf.split(b"\n", 1)
        if want is None or ESCAPES.sub(b"", line) == want:
            found = ESCAPES.sub(b"", line).decode(errors="replace")
    # To its end, so it is not stopped by a full pipe; bounded.
    end = time.monotonic() + args.timeout
    while True:
        left = end - time.monotonic()
        ready = select.select([fd], [], [], left)[0] if left > 0 else []
        if not ready:
            proc.kill()
            proc.wait()
            sys.exit(f"first_line: {cmd[0]} did not end within {args.timeout:g} s of the line")
        if not os.read(fd, 65536):
            break
    try:
        rc = proc.wait(timeout=max(end - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        sys.exit(f"first_line: {cmd[0]} closed its stdout but did not end")
    print(ms, cpu, found, flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
