#!/usr/bin/env bash
# A primary that leaves 1,000 orphans behind: the tether, as PID 1 of the
# namespace, reaps every one; none is a zombie when the primary looks.
source "$(dirname "$0")/lib.sh"

cat > "$WORK/storm.sh" <<'SCRIPT'
i=0
while [ $i -lt 1000 ]; do
  (sleep 0.1 &)   # The subshell exits at once: sleep is orphaned.
  i=$((i + 1))
done
sleep 1.5
zombies=0
for s in /proc/[0-9]*/stat; do
  state=$(sed 's/.*) //' "$s" 2>/dev/null | cut -d' ' -f1) || continue
  [ "$state" = Z ] && zombies=$((zombies + 1))
done
echo "zombies=$zombies"
SCRIPT
out=$(in_ns "$TETHER" -- sh "$WORK/storm.sh")
expect_eq "no zombies after 1,000 orphans" "zombies=0" "$out"

# The same when the tether is not PID 1 but a subreaper (tini-like use
# under another init): orphans come back to it and are reaped.
cat > "$WORK/check.sh" <<'SCRIPT'
i=0
while [ $i -lt 200 ]; do (sleep 0.1 &); i=$((i + 1)); done
sleep 1.5
ps -o stat= --ppid "$PPID" | grep -c Z || true
SCRIPT
out=$(timeout -s KILL 60 "$TETHER" -- sh "$WORK/check.sh")
expect_eq "subreaper leaves no zombies" "0" "$out"
