#!/usr/bin/env bash
# The Os seam (STYLE): process, mount and system calls appear only in
# base/. Anything else calling them directly cannot be unit tested without
# root or PID 1. The static tether must also never reach NSS.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
syscalls='(fork|vfork|execve|execvp|execv|waitpid|wait4|waitid|kill|mount|umount2?|reboot|sethostname|setuid|setgid|setgroups|prctl|setrlimit|pivot_root|chroot|finit_module|symlink)'
hits=$(grep -rnE "(::|[^_a-zA-Z.>])${syscalls}\(" --include=*.cc --include=*.h \
         tether guestinfo | grep -v '_test\.cc:' | grep -vE '^\S+:[0-9]+:\s*//' || true)
if [ -n "$hits" ]; then
  echo "system calls outside base/ (use base::Os):"
  echo "$hits"
  status=1
fi
nss='(getpwnam|getpwuid|getgrnam|getgrgid|getgrouplist|initgroups|getaddrinfo|gethostbyname|getnameinfo)'
# base/static_no_nss.cc defines the failing __wrap_ stand-ins for them.
hits=$(grep -rnE "${nss}(_r)?\(" --include=*.cc --include=*.h base tether guestinfo \
         | grep -v '_test\.cc:' | grep -v '^base/static_no_nss\.cc:' \
         | grep -vE '^\S+:[0-9]+:\s*//' || true)
if [ -n "$hits" ]; then
  echo "NSS calls in code linked into the static tether:"
  echo "$hits"
  status=1
fi
[ $status -eq 0 ] && echo "os seam: clean"
exit $status
