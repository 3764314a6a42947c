#!/usr/bin/env python3
"""Repeats, after ctest's summary, what each failed test said about why.

ctest --output-on-failure prints a failed test's output where the test
ended, often thousands of lines above the summary; a CI log that keeps
only its head and tail loses it. This prints, last, each failed test's
GoogleTest failures (the assertion and the lines under it, and the
[  FAILED  ] list) or, for a test that is not a GoogleTest binary, the
end of its output.

Usage: ctest_failures.py BUILD_DIR
"""
import re
import sys

# A CI log may keep only its last few dozen lines: the summary stays short,
# with the names of the failed cases last.
TAIL_LINES = 15  # For a test without GoogleTest markers.
FAILURE_LINES = 5  # Kept under each "file:line: Failure".
DETAIL_LINES = 24  # In all, over every failed test.


def blocks(log):
    """Yields (name, output lines, passed) for each test in LastTest.log."""
    name, out, inside = None, [], False
    for line in log:
        m = re.match(r"^\d+/\d+ Testing: (.+)$", line)
        if m:
            name, out, inside = m.group(1), [], False
        elif line == "Output:":
            inside = True
        elif line == "<end of output>":
            inside = False
        elif inside:
            out.append(line)
        elif name is not None and line.startswith("Test "):
            if line.startswith("Test time"):
                continue
            yield name, out, line == "Test Passed."
            name = None


def gtest_failures(out):
    """(why, cases): the assertions that failed in `out`, with the lines
    under each, and the names of the failed cases."""
    why, cases, left = [], [], 0
    for line in out:
        if re.search(r":\d+: Failure$", line):
            why.append(line)
            left = FAILURE_LINES
        elif line.startswith("[  FAILED  ]") or line.startswith("[ RUN      ]"):
            left = 0
            m = re.match(r"^\[  FAILED  \] (\S+) \(\d+ ms\)$", line)
            if m:
                cases.append(m.group(1))
        elif left > 0:
            why.append(line)
            left -= 1
    return why, cases


def main():
    path = sys.argv[1] + "/Testing/Temporary/LastTest.log"
    try:
        with open(path, errors="replace") as f:
            log = [l.rstrip("\n") for l in f]
    except OSError as e:
        print(f"ctest_failures: {e}")
        return
    failed = [(n, o) for n, o, ok in blocks(log) if not ok]
    if not failed:
        return
    details, names = [], []
    for name, out in failed:
        why, cases = gtest_failures(out)
        details.append(f"---- {name}")
        details += ["  " + l for l in (why or out[-TAIL_LINES:])]
        names.append(name + (": " + " ".join(cases) if cases else ""))
    print("\n==== why each failed test failed (in full: " + path + ")")
    if len(details) > DETAIL_LINES:
        details = details[:DETAIL_LINES] + ["  [...]"]
    for line in details:
        print(line)
    print("==== failed: " + "; ".join(names))


if __name__ == "__main__":
    main()
