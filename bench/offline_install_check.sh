#!/usr/bin/env bash
# Proves the offline installation end to end and reports its figures:
#   1. ./install.sh --bundle DIR             (this machine, with the package registries)
#   2. in a network namespace with no network at all (unshare -n): unpack the bundle's source into a
#      fresh folder, ./install.sh --offline DIR (fresh .venv), then `onprem paraphrase` on an example
#      transcript (2 pages) and `onprem export`, under a throwaway HOME.
# Needs root or unprivileged user namespaces for `unshare -n`; exits 3 (skipped) when not permitted.
# Usage: bench/offline_install_check.sh [WORKDIR]    (default: a new temporary folder, removed after)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if ! unshare -n true 2>/dev/null; then
  echo "offline_install_check: skipped: unshare -n is not permitted here" >&2
  exit 3
fi
work=${1:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
umask 077
python=$(python3 -c 'import sys; print(sys.executable)')
bundle="$work/bundle"
t0=$(date +%s)
"$repo/install.sh" --bundle "$bundle"
t1=$(date +%s)

# Everything in the bundle is the owner's only.
loose=$(find "$bundle" \( -type f -perm /077 \) -o \( -type d -perm /077 \) | head -3)
[ -z "$loose" ] || { echo "offline_install_check: FAIL: readable by others: $loose" >&2; exit 1; }

mkdir -p "$work/offline/onprem" "$work/offline/home"
tar -xzf "$bundle/onprem-src.tar.gz" -C "$work/offline/onprem"
# A clean environment: no pip settings, no caches, no proxies; only what a fresh login has.
unshare -n env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/offline/home" \
  LANG=C.UTF-8 PYTHON="$python" BUNDLE="$bundle" bash -euo pipefail -c '
    cd "$HOME/../onprem"
    if ip -o link show up 2>/dev/null | grep -qv " lo:"; then echo "network interfaces are up" >&2; exit 1; fi
    start=$(date +%s)
    ./install.sh --offline "$BUNDLE"
    echo "offline install: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    .venv/bin/onprem --db "$HOME/airgap.db" paraphrase examples/transcripts/grief_support_notes.md
    .venv/bin/onprem --db "$HOME/airgap.db" export --include-flagged --out "$HOME/pairs.jsonl"
    .venv/bin/onprem --db "$HOME/airgap.db" stats --json > "$HOME/stats.json"
    echo "paraphrase + export: $(( $(date +%s) - start )) s"
    pages=$(.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))[\"pages\"])" "$HOME/stats.json")
    [ "$pages" -ge 2 ] || { echo "expected 2 pages, got $pages" >&2; exit 1; }
    stat -c "%a %n" "$HOME/airgap.db" "$HOME/pairs.jsonl" .venv/../models
  ' | tee "$work/offline.log"
t2=$(date +%s)
size=$(du -sh "$bundle" | cut -f1)
mb=$(du -sm "$bundle" | cut -f1)
echo "offline_install_check: ok: bundle $size (${mb} MB, $(wc -l < "$bundle/MANIFEST.sha256") files) in $((t1 - t0)) s;" \
     "offline install + paraphrase under unshare -n in $((t2 - t1)) s; total $((t2 - t0)) s"
