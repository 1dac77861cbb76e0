#!/usr/bin/env bash
# How long llama-cpp-python takes to build from source, as ./install.sh builds it, against the
# package's default build (every target, including the multimodal library onprem never loads).
# Cold builds: pip's cache is bypassed. Prints both times and their ratio from one run.
#   bench/install_build.sh            (about 10-20 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*"\(llama-cpp-python[^"]*\)".*/\1/p' pyproject.toml | head -1)
pip=.venv/bin/python
[ -x "$pip" ] || pip=python3
args=$(sed -n 's/^llama_cmake_args="\(.*\)"$/\1/p' install.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() {  # build LABEL CMAKE_ARGS
  local t0 t1
  t0=$(date +%s)
  CMAKE_ARGS="$2" "$pip" -m pip wheel --quiet --no-cache-dir --no-deps -w "$work/$1" "$version" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  t1=$(date +%s)
  echo "$1 $((t1 - t0)) $(du -k "$work/$1"/*.whl | cut -f1)"
}
echo "building $version twice on $(nproc) cores; install.sh's CMake options: ${args}"
d=$(build default "")
o=$(build onprem "$args")
read -r _ dt dk <<<"$d"
read -r _ ot ok <<<"$o"
printf '%-28s %8s %10s\n' build seconds "wheel KB"
printf '%-28s %8d %10d\n' "package default" "$dt" "$dk"
printf '%-28s %8d %10d\n' "install.sh (${args})" "$ot" "$ok"
python3 -c "print(f'ratio onprem/default: {$ot / $dt:.2f}')"
