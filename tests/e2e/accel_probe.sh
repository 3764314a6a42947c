#!/usr/bin/env bash
# Decides once which accelerator the QEMU tests use (qemu_accel caches the
# verdict for this host boot) and says which.
set -euo pipefail
source "$(dirname "$0")/qemu_lib.sh"
echo "QEMU accelerator: $(qemu_accel)"
