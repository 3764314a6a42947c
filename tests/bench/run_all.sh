#!/usr/bin/env bash
# `make bench`: every benchmark, each against its peer in the same run.
set -euo pipefail
build=${1:?usage: run_all.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
"$here/startup_bench.sh" "$build/bin/tether"
"$here/memory_bench.sh" "$build/bin/tether"
