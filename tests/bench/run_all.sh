#!/usr/bin/env bash
# `make bench`: every benchmark, each against its peer in the same run.
set -euo pipefail
build=${1:?usage: run_all.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
"$here/startup_bench.sh" "$build/bin/tether"
"$here/memory_bench.sh" "$build/bin/tether"
"$here/size_report.py" "$build/tether/tether.map" 12 15
"$here/attach_throughput_bench.sh" "$build/bin" "${BENCH_MIB:-1024}"
"$here/pprof_overhead_bench.sh" "$build/bin" "${BENCH_MIB:-1024}" 3
"$here/attach_latency_bench.sh" "$build/bin" 500
"$here/attach_scale_bench.sh" "$build/bin" "${BENCH_TETHERS:-10000}" "${BENCH_EXECS:-200}"
"$here/attach_flood_bench.sh" "$build/bin" "${BENCH_FLOOD:-1500}"
"$here/boot_bench.sh" "$build" "${BENCH_BOOTS:-9}"
"$here/docker_api_bench.sh" "$build" "${BENCH_RUNS:-5}" "${BENCH_MIB:-1024}" "${BENCH_CONTAINERS:-1000}"
"$here/image_bench.sh" "$build" "${BENCH_IMAGE_RUNS:-3}"
"$here/admin_bench.sh" "$build/bin" "${BENCH_CONTAINERS:-1000}" "${BENCH_MIB:-1024}"
