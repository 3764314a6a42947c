#!/usr/bin/env bash
# modules.sh KVER DEST SET=MODULE[,MODULE...]...: copies the named kernel
# modules of KVER and everything they depend on into DEST (flat,
# decompressed) and writes DEST/SET.order for each set: its modules and
# their dependencies, dependencies first, one file name a line. The tether
# loads the sets its config needs, in that order, with finit_module
# (tether/init/kernel_modules.h); a module in two sets is one file.
#
# Dependencies come from modules.dep, the list depmod wrote for KVER; the
# walk is depth first in the order given, so the output is deterministic.
source "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: modules.sh KVER DEST SET=MODULE[,MODULE...]..."
kver=$1
dest=$2
shift 2
moddir=/lib/modules/$kver
[ -r "$moddir/modules.dep" ] ||
  die "no $moddir/modules.dep (is the kernel package for $kver installed?)"

# Module names use _ and - interchangeably; file names are canonical here.
canon() {
  local n=${1##*/}
  n=${n%%.ko*}
  echo "${n//-/_}"
}

# One awk pass turns each "path: dep..." line into "name path dep-name...";
# a shell loop forking per line would take tens of seconds.
declare -A path_of deps_of
while read -r name file deps; do
  path_of[$name]=$file
  deps_of[$name]=$deps
done < <(awk -F': *' '
  function canon(p, n) {
    n = p; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub(/-/, "_", n)
    return n
  }
  { line = canon($1) " " $1
    k = split($2, d, " ")
    for (i = 1; i <= k; i++) line = line " " canon(d[i])
    print line }' "$moddir/modules.dep")

declare -A state  # absent: not seen; 1: being visited; 2: emitted.
order=()
visit() {
  local m=$1 d
  case "${state[$m]:-}" in
    2) return ;;
    1) die "dependency cycle through $m in $moddir/modules.dep" ;;
  esac
  [ -n "${path_of[$m]:-}" ] ||
    die "module $m not found in $moddir/modules.dep (built in, or not in this kernel?)"
  state[$m]=1
  for d in ${deps_of[$m]}; do visit "$d"; done
  state[$m]=2
  order+=("$m")
}

mkdir -p "$dest"
declare -A copied
for spec in "$@"; do
  set_name=${spec%%=*}
  [[ "$spec" == *=* && "$set_name" =~ ^[a-z]+$ ]] ||
    die "not SET=MODULE[,MODULE...]: $spec"
  state=() order=()
  mods=${spec#*=}
  for m in ${mods//,/ }; do visit "$(canon "$m")"; done
  : >"$dest/$set_name.order"
  for m in "${order[@]}"; do
    echo "$m.ko" >>"$dest/$set_name.order"
    [ -z "${copied[$m]:-}" ] || continue
    copied[$m]=1
    src=$moddir/${path_of[$m]}
    out=$dest/$m.ko
    case "$src" in
      *.ko) cp "$src" "$out" ;;
      *.ko.xz) need xz xz-utils; xz -dc "$src" >"$out" ;;
      *.ko.zst) need zstd zstd; zstd -qdc "$src" >"$out" ;;
      *.ko.gz) gzip -dc "$src" >"$out" ;;
      *) die "unknown module format: $src" ;;
    esac
    chmod 0644 "$out"
  done
done
