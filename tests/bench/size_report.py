#!/usr/bin/env python3
"""Where the static tether's bytes go, from its link map.

    size_report.py BUILD/tether/tether.map [ARCHIVES [MEMBERS]]

Sums the input sections the linker kept (after --gc-sections) per archive
and per archive member, split into code, read-only data, data, unwind
tables (.eh_frame, .gcc_except_table) and .bss, which takes no file space.
Prints the ARCHIVES (default 20) largest archives and the MEMBERS (default
25) largest members. `nm --size-sort` says which symbol; the map's
"Archive member included to satisfy reference" list says why a member is
there (docs/vm-image.md, "A lean tether").
"""
import collections
import re
import sys

# " .text.foo  0xADDR  0xSIZE  /path/lib.a(member.o)" on one line, or the
# section name alone with the rest on the next line when it is long.
ONE_LINE = re.compile(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
NAME_ONLY = re.compile(r"^ (\S+)$")
REST = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
OUTPUT_SECTION = re.compile(r"^(\.[\w.]+|__libc\w*)\b")
NOT_LOADED = (".comment", ".symtab", ".strtab", ".shstrtab")


def kind_of(section):
    if section.startswith((".bss", ".tbss")) or "COMMON" in section:
        return "bss"
    if section.startswith((".eh_frame", ".gcc_except")):
        return "unwind"
    if section.startswith(".text"):
        return "code"
    if section.startswith(".rodata"):
        return "rodata"
    return "data"


def input_sections(lines):
    """Yields (section, size, file) for each kept, loaded input section."""
    start = next(i for i, l in enumerate(lines)
                 if l.startswith("Linker script and memory map"))
    output, pending = None, None
    for line in lines[start:]:
        if line.startswith("Cross Reference Table"):
            return
        m = OUTPUT_SECTION.match(line)
        if m:
            output = m.group(1)
        if output is None or output.startswith(".debug") or output in NOT_LOADED:
            continue
        m = ONE_LINE.match(line)
        if m:
            section, addr, size, where = m.groups()
        else:
            m = NAME_ONLY.match(line)
            if m:
                pending = m.group(1)
                continue
            m = REST.match(line)
            if not (m and pending):
                pending = None
                continue
            section = pending
            addr, size, where = m.groups()
        pending = None
        if int(size, 16) and int(addr, 16):
            yield section, int(size, 16), where


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lines = open(sys.argv[1]).read().split("\n")
    n_archives = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    n_members = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    per_archive = collections.Counter()
    per_member = collections.Counter()
    kinds = collections.defaultdict(collections.Counter)
    for section, size, where in input_sections(lines):
        m = re.match(r"(.*?)\((.*)\)$", where)
        archive, member = (m.group(1), m.group(2)) if m else (where, where)
        archive = archive.split("/")[-1]
        per_archive[archive] += size
        per_member[(archive, member.split("/")[-1])] += size
        kinds[archive][kind_of(section)] += size
    total = sum(per_archive.values())
    in_file = total - sum(k["bss"] for k in kinds.values())
    print(f"kept sections: {total} bytes, {in_file} in the file (no .bss)")
    print(f"{'bytes':>9}  {'archive':<28} {'code':>8} {'rodata':>7} "
          f"{'data':>7} {'unwind':>7} {'bss':>7}")
    for archive, size in per_archive.most_common(n_archives):
        k = kinds[archive]
        print(f"{size:9d}  {archive:<28} {k['code']:8d} {k['rodata']:7d} "
              f"{k['data']:7d} {k['unwind']:7d} {k['bss']:7d}")
    print(f"\nlargest members:")
    for (archive, member), size in per_member.most_common(n_members):
        print(f"{size:9d}  {archive}({member})")


if __name__ == "__main__":
    main()
