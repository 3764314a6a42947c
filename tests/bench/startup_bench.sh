#!/usr/bin/env bash
# Start-up cost: `tether -- /bin/true` against `tini -- /bin/true` and
# `dumb-init /bin/true`, interleaved in one run so machine noise hits all
# three alike. Prints the mean per run and the ratios to tini.
set -euo pipefail
TETHER=${1:?usage: startup_bench.sh TETHER [ITERATIONS]}
N=${2:-300}
TINI=$(command -v tini-static || command -v tini)
DUMB=$(command -v dumb-init)

# time_runs CMD...: total nanoseconds for one batch of 10 runs.
time_batch() {
  local s e i
  s=$(date +%s%N)
  for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null; done
  e=$(date +%s%N)
  echo $((e - s))
}

t_tether=0 t_tini=0 t_dumb=0 t_true=0
for _ in $(seq 1 $((N / 10))); do
  t_true=$((t_true + $(time_batch /bin/true)))
  t_tether=$((t_tether + $(time_batch "$TETHER" -- /bin/true)))
  t_tini=$((t_tini + $(time_batch "$TINI" -s -- /bin/true)))
  t_dumb=$((t_dumb + $(time_batch "$DUMB" /bin/true)))
done
us() { echo "scale=1; $1 / $N / 1000" | bc; }
echo "startup ($N runs each, mean wall time per run):"
printf '  %-28s %8s us\n' "/bin/true alone (floor)" "$(us $t_true)"
printf '  %-28s %8s us\n' "tether -- /bin/true" "$(us $t_tether)"
printf '  %-28s %8s us\n' "$(basename "$TINI") -- /bin/true" "$(us $t_tini)"
printf '  %-28s %8s us\n' "dumb-init /bin/true" "$(us $t_dumb)"
printf '  ratio tether/tini:      %s (target <= 1.2)\n' \
  "$(echo "scale=2; $t_tether / $t_tini" | bc)"
printf '  ratio tether/dumb-init: %s\n' \
  "$(echo "scale=2; $t_tether / $t_dumb" | bc)"
