#!/usr/bin/env bash
# Score eventmap on one or more sets of real articles kept outside the
# repository (publishers' rights), each a directory with `articles/` (the
# .txt files and index.csv) and `gold.json` coded to ../shared/CODEBOOK.md.
# usage: scripts/eval/score_sets.sh [BIN] SETDIR...
#        BIN defaults to target/release/eventmap when the first argument is a directory.
# Example (the fifth round's fresh sets): scripts/eval/score_sets.sh /tmp/realC /tmp/realD
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=target/release/eventmap
if [ $# -gt 0 ] && [ -f "$1" ] && [ -x "$1" ]; then BIN=$1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [BIN] SETDIR..." >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for d in "$@"; do
  if [ ! -f "$d/gold.json" ] || [ ! -d "$d/articles" ]; then
    echo "$d: no gold.json or articles/ here, skipped" >&2
    continue
  fi
  out="$T/$(basename "$d")"
  "$BIN" extract "$d/articles" --out-dir "$out" --quiet >/dev/null 2>&1 || true
  printf '%s: ' "$(basename "$d")"
  python3 ../shared/eval/score.py "$d/gold.json" "$out/incidents.geojson" | tail -n 2 | tr '\n' ' '
  echo
done
