#!/usr/bin/env bash
# Start-up cost: `tether -- /bin/true` against `tini -- /bin/true` and
# `dumb-init /bin/true`, in batches of 10 that take turns so machine noise
# hits all three alike. Prints the median batch per run and the ratios to
# tini (medians: a batch that another engineer's build stalls says
# nothing about start-up; the mean is printed beside for comparison).
set -euo pipefail
TETHER=${1:?usage: startup_bench.sh TETHER [ITERATIONS]}
N=${2:-300}
TINI=$(command -v tini-static || command -v tini)
DUMB=$(command -v dumb-init)

# time_batch CMD...: total nanoseconds for one batch of 10 runs.
time_batch() {
  local s e i
  s=$(date +%s%N)
  for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null; done
  e=$(date +%s%N)
  echo $((e - s))
}

b_true=() b_tether=() b_tini=() b_dumb=()
for _ in $(seq 1 $((N / 10))); do
  b_true+=("$(time_batch /bin/true)")
  b_tether+=("$(time_batch "$TETHER" -- /bin/true)")
  b_tini+=("$(time_batch "$TINI" -s -- /bin/true)")
  b_dumb+=("$(time_batch "$DUMB" /bin/true)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
sum() { local t=0 v; for v in "$@"; do t=$((t + v)); done; echo "$t"; }
# us BATCH_NS: microseconds per run.
us() { echo "scale=1; $1 / 10000" | bc; }
m_true=$(median "${b_true[@]}") m_tether=$(median "${b_tether[@]}")
m_tini=$(median "${b_tini[@]}") m_dumb=$(median "${b_dumb[@]}")
mean_ratio=$(echo "scale=2; $(sum "${b_tether[@]}") / $(sum "${b_tini[@]}")" | bc)
echo "startup ($N runs each, batches of 10 taking turns; median per run):"
printf '  %-28s %8s us\n' "/bin/true alone (floor)" "$(us "$m_true")"
printf '  %-28s %8s us\n' "tether -- /bin/true" "$(us "$m_tether")"
printf '  %-28s %8s us\n' "$(basename "$TINI") -- /bin/true" "$(us "$m_tini")"
printf '  %-28s %8s us\n' "dumb-init /bin/true" "$(us "$m_dumb")"
printf '  ratio tether/tini:      %s (target <= 1.2; of the means %s)\n' \
  "$(echo "scale=2; $m_tether / $m_tini" | bc)" "$mean_ratio"
printf '  ratio tether/dumb-init: %s\n' \
  "$(echo "scale=2; $m_tether / $m_dumb" | bc)"
