#!/usr/bin/env bash
# tether_static_link: what must not be reachable in the static tether, read
# from its link map with the cross-reference table (-Wl,-Map,--cref);
# docs/vm-image.md, "A lean tether".
#   static_link_check.sh TETHER.MAP
# - glibc's NSS and resolver: the archive members holding getaddrinfo,
#   gethostbyname, getpwuid_r, getnameinfo and the NSS dispatcher are not
#   linked at all (their callers in OpenSSL and libuv bind to the failing
#   stand-ins of base/static_no_nss.cc);
# - the dynamic loader: nothing references dlopen, dlsym or iconv_open
#   (glibc still carries its own dlopen, for iconv modules that its stdio
#   could load, and which no caller reaches);
# - OpenSSL: no member of libcrypto.a or libssl.a at all; the link's
#   crypto is libssh2's libsodium back-end (third_party/libssh2/src/
#   libsodium.c), and only libsodium.a's members for its algorithms;
# - the standard streams: ios_base::Init is a no-op stand-in
#   (base/static_no_iostream.cc), so std::cout and the others must not
#   exist (their members, ios_init.o and globals_io.o, not linked);
# - protobuf-lite's common.o, whose iostream formatters keep libstdc++'s
#   locale machinery (attach/protobuf_log_static.cc stands in for it), and
#   extension_set.o (attach/protobuf_no_extensions.cc).
set -euo pipefail
map=${1:?usage: static_link_check.sh TETHER.MAP}
grep -q '^Cross Reference Table' "$map" ||
  { echo "$map has no cross-reference table (link with -Wl,--cref)"; exit 1; }
status=0
for member in \
    'libc.a(getaddrinfo.o)' 'libc.a(gethstbynm.o)' 'libc.a(gethstbynm_r.o)' \
    'libc.a(getpwuid_r.o)' 'libc.a(getnameinfo.o)' 'libc.a(nsswitch.o)' \
    'libc.a(nss_module.o)' \
    'libcrypto.a(' 'libssl.a(' \
    'libstdc++.a(ios_init.o)' 'libstdc++.a(globals_io.o)' \
    'libprotobuf-lite.a(common.o)' 'libprotobuf-lite.a(extension_set.o)'; do
  if grep -qF -- "$member" "$map"; then
    echo "linked, but must not be: $member, pulled in by"
    grep -F -A1 -- "$member" "$map" | sed -n 2p
    status=1
  fi
done
grep -qF 'libsodium.a(' "$map" ||
  { echo "libsodium.a is not linked: where is the link's crypto?"; status=1; }
# In the table a symbol's first file defines it and the lines after it,
# indented, reference it.
referrers() {
  awk -v sym="$1" '
    /^Cross Reference Table/ { table = 1; next }
    !table { next }
    /^[^ ]/ { inside = ($1 == sym); next }
    inside && /^ / { print $1 }' "$map"
}
for sym in dlopen dlsym iconv_open getaddrinfo \
           gethostbyname getpwuid_r getnameinfo; do
  refs=$(referrers "$sym")
  if [ -n "$refs" ]; then
    echo "referenced, but must not be: $sym, by"
    sed 's/^/  /' <<<"$refs"
    status=1
  fi
done
[ $status -eq 0 ] &&
  echo "static link: no NSS or resolver, nothing calls dlopen; no" \
    "OpenSSL; no standard streams; protobuf-lite without common.o" \
    "or extension_set.o"
exit $status
