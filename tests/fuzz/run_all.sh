#!/usr/bin/env bash
# Bounded coverage-guided runs of every fuzz target: `make fuzz`.
# FUZZ_SECONDS (default 30) per target; a crash fails the run.
set -euo pipefail
bin=${1:?usage: run_all.sh BIN_DIR}
here=$(cd "$(dirname "$0")" && pwd)
secs=${FUZZ_SECONDS:-30}
status=0
for corpus in "$here"/corpus/*/; do
  name=$(basename "$corpus")
  [ -x "$bin/$name" ] || { echo "missing fuzz target $name"; status=1; continue; }
  work=$(mktemp -d)
  cp -r "$corpus". "$work"/
  echo "== $name: ${secs}s"
  if ! "$bin/$name" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
       -artifact_prefix="$bin/$name-" "$work" 2>"$bin/$name.log"; then
    echo "FAILED: $name (see $bin/$name.log)"; tail -30 "$bin/$name.log"; status=1
  else
    grep -E '^(#[0-9]+.*(DONE|pulse)|Done)' "$bin/$name.log" | tail -1 || true
  fi
  rm -rf "$work"
done
exit $status
