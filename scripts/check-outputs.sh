#!/usr/bin/env bash
# check-outputs.sh OUTDIR [--bbox W,S,E,N] [--strict]
#
# Runs the map-tool validators (../shared/tools, see its README; install them
# once with install-validators) on every eventmap output file in OUTDIR:
#   *.geojson            check-geojson, qgis-load, ogrinfo -ro -so -al
#   *.geojsons/.geojsonl each text parses as a Feature; ogrinfo (GeoJSONSeq driver)
#   *.csv                check-csv; ogrinfo with X/Y_POSSIBLE_NAMES=longitude/latitude,
#                        and separately with GEOM_POSSIBLE_NAMES=wkt
# Feature counts must agree: every file of one layer (incidents, events, statements)
# holds as many features/rows as its .geojson, and GDAL reads them all.
# Exit 0 when everything passes (checker warnings allowed unless --strict),
# 1 on any failure, 2 on usage errors or missing validators.
# Tools directory: $EVENTMAP_TOOLS, else ../shared/tools or ../../shared/tools
# next to this checkout.
set -uo pipefail

usage() { sed -n '2,16p' "$0"; exit 2; }
[ $# -ge 1 ] || usage
OUT="$1"; shift
BBOX=() STRICT=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bbox) [ $# -ge 2 ] || usage; BBOX=(--bbox "$2"); shift 2 ;;
    --strict) STRICT=(--strict); shift ;;
    *) usage ;;
  esac
done
[ -d "$OUT" ] || { echo "check-outputs: not a directory: $OUT"; exit 2; }

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${EVENTMAP_TOOLS:-}"
if [ -z "$TOOLS" ]; then
  for t in "$REPO/../shared/tools" "$REPO/../../shared/tools"; do
    [ -x "$t/check-geojson" ] && { TOOLS="$(cd "$t" && pwd)"; break; }
  done
fi
[ -n "$TOOLS" ] && [ -x "$TOOLS/check-geojson" ] \
  || { echo "check-outputs: validators not found; set EVENTMAP_TOOLS"; exit 2; }
command -v ogrinfo >/dev/null || { echo "check-outputs: ogrinfo missing; run $TOOLS/install-validators"; exit 2; }
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3

FAILS=0 FILES=0
fail() { echo "FAIL  $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok    $*"; }

# Run a checker, show its WARN/FAIL lines and its summary line.
# The FAIL lines are left in $LAST_FAILS.
LAST_FAILS=""
run_checker() {
  local log rc
  log="$(mktemp)"
  "$@" >"$log" 2>&1; rc=$?
  grep -E '^\s*(WARN|FAIL)' "$log" | sed 's/^\s*/      /' | head -20
  echo "      $(tail -n 1 "$log")"
  LAST_FAILS="$(grep -E '^\s*FAIL' "$log" | sed 's/^\s*//')"
  rm -f "$log"
  return $rc
}

# Feature count GDAL reports (sum over layers).
ogr_count() {
  ogrinfo -ro -so -al "$@" 2>/dev/null | awk -F': ' '/^Feature Count/ {n += $2} END {print n + 0}'
}

# Features in a FeatureCollection / texts in a sequence (also checks they parse).
json_count() {
  "$PY" - "$1" <<'PY'
import json, sys
p = sys.argv[1]
data = open(p, encoding="utf-8").read()
if p.endswith(".geojson"):
    print(len(json.loads(data)["features"]))
else:
    texts = [t for t in data.split("\x1e") if t.strip()] if p.endswith(".geojsons") else data.splitlines()
    for t in texts:
        f = json.loads(t)
        assert f["type"] == "Feature" and isinstance(f["id"], str), t[:80]
    print(len(texts))
PY
}

csv_rows() {
  "$PY" - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    print(sum(1 for _ in csv.reader(f)) - 1)
PY
}

declare -A EXPECT
shopt -s nullglob
# FeatureCollections first: they set each layer's expected count.
for f in "$OUT"/*.geojson "$OUT"/*.geojsons "$OUT"/*.geojsonl "$OUT"/*.csv; do
  FILES=$((FILES + 1))
  name="$(basename "$f")"; stem="${name%%.*}"
  echo "== $name"
  case "$name" in
    *.geojson)
      n="$(json_count "$f")" || { fail "$name does not parse"; continue; }
      EXPECT[$stem]="$n"
      run_checker "$TOOLS/check-geojson" "${BBOX[@]}" "${STRICT[@]}" "$f" || fail "check-geojson $name"
      if [ "$n" -gt 0 ]; then
        run_checker "$TOOLS/qgis-load" "${STRICT[@]}" "$f" || fail "qgis-load $name"
      fi
      g="$(ogr_count "$f")"
      [ "$g" = "$n" ] && ok "ogrinfo: $g features" || fail "ogrinfo reads $g of $n features in $name"
      ;;
    *.geojsons|*.geojsonl)
      n="$(json_count "$f")" || { fail "$name: a text is not a GeoJSON Feature"; continue; }
      if [ "$n" -eq 0 ]; then
        [ -s "$f" ] && fail "$name: no features but not empty" || ok "empty sequence (0 bytes; GDAL cannot open an empty file)"
      else
        g="$(ogr_count "$f")"
        [ "$g" = "$n" ] && ok "ogrinfo (GeoJSONSeq): $g features" || fail "ogrinfo reads $g of $n features in $name"
      fi
      ;;
    *.csv)
      n="$(csv_rows "$f")" || { fail "$name does not parse"; continue; }
      if ! run_checker "$TOOLS/check-csv" "${BBOX[@]}" "${STRICT[@]}" "$f"; then
        # QGIS's delimited-text provider cannot detect a WKT geometry type
        # without a row, so a header-only CSV (eventmap's empty layer) is
        # never a valid wktField layer. Accept exactly that failure.
        if [ "$n" -eq 0 ] && [ "$LAST_FAILS" = "FAIL  WKT: layer NOT valid in QGIS" ]; then
          echo "known QGIS cannot open a header-only CSV as a WKT layer (no row to detect the type); lon/lat layer is valid"
        else
          fail "check-csv $name"
        fi
      fi
      xy="$(ogr_count -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude "$f")"
      wkt="$(ogr_count -oo GEOM_POSSIBLE_NAMES=wkt "$f")"
      [ "$xy" = "$n" ] && ok "ogrinfo lon/lat: $xy features" || fail "ogrinfo lon/lat reads $xy of $n rows in $name"
      [ "$wkt" = "$n" ] && ok "ogrinfo wkt: $wkt features" || fail "ogrinfo wkt reads $wkt of $n rows in $name"
      ;;
  esac
  if [ "${name##*.}" != geojson ] && [ -n "${EXPECT[$stem]:-}" ] && [ "${n:-x}" != "${EXPECT[$stem]}" ]; then
    fail "$name has $n features/rows, $stem.geojson has ${EXPECT[$stem]}"
  fi
done

if [ "$FILES" -eq 0 ]; then echo "check-outputs: no output files in $OUT"; exit 2; fi
if [ "$FAILS" -gt 0 ]; then
  echo "check-outputs: FAIL $OUT | $FILES file(s) | $FAILS failure(s)"; exit 1
fi
echo "check-outputs: PASS $OUT | $FILES file(s)"
