#!/usr/bin/env bash
# Score the dev set (../shared/eval/dev) in two fixed halves: "read" (A: the
# articles a rule writer may read) and "held-out" (B: scored only). The split
# is by position in the sorted file list: even positions A, odd positions B.
# usage: scripts/eval/dev_halves.sh [BIN]   (default target/release/eventmap)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/eventmap}
DEV=../shared/eval/dev
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN" extract "$DEV/articles" --out-dir "$T/all" --quiet || true
python3 - "$DEV/gold.json" "$T" <<'PY'
import json, sys, os
gold = json.load(open(sys.argv[1])); T = sys.argv[2]
pred = json.load(open(os.path.join(T, "all", "incidents.geojson")))
files = sorted(gold["docs"].keys()) if isinstance(gold["docs"], dict) else sorted(d["file"] for d in gold["docs"])
halves = {"A": set(files[0::2]), "B": set(files[1::2])}
for h, keep in halves.items():
    g = dict(gold)
    if isinstance(gold["docs"], dict):
        g["docs"] = {k: v for k, v in gold["docs"].items() if k in keep}
    else:
        g["docs"] = [d for d in gold["docs"] if d["file"] in keep]
    p = dict(pred); p["features"] = [f for f in pred["features"] if f["properties"]["source_file"] in keep]
    json.dump(g, open(os.path.join(T, h + ".gold.json"), "w"))
    json.dump(p, open(os.path.join(T, h + ".geojson"), "w"))
PY
for h in A B; do
  printf 'half %s (%s): ' "$h" "$([ $h = A ] && echo read || echo held-out)"
  python3 "$DEV/../score.py" "$T/$h.gold.json" "$T/$h.geojson" | tail -n 1
done
printf 'all: '
python3 "$DEV/../score.py" "$DEV/gold.json" "$T/all/incidents.geojson" | tail -n 1
