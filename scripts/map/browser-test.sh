#!/usr/bin/env bash
# The map's real-browser test: Debian chromium, driven by playwright-core
# (tests/browser), opens output/map.html from file:// with the network off.
# Installs chromium (apt-get) and playwright-core (npm ci) when missing.
#
#   scripts/map/browser-test.sh [BIN] [SCREENSHOT.png]
#
# BIN is the eventmap binary [default: target/release/eventmap]; the
# screenshot goes to target/browser/map.png by default (scripts/map/screenshot.sh
# writes docs/map.png). Also checks a map of hostile text and the opening
# time of a 50,000-feature map (EVENTMAP_MAP_OPEN_MS, default 3000).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/eventmap}"
SHOT="${2:-target/browser/map.png}"
export DEBIAN_FRONTEND=noninteractive

if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (Debian)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing node and npm (Debian)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

mkdir -p target/browser
"$BIN" map tests/fixtures/map/hostile.geojson -o target/browser/hostile.html --quiet
FIXTURE_LAYERS=tests/fixtures/map/incidents.geojson,tests/fixtures/map/events.geojson,tests/fixtures/map/statements.geojson
"$BIN" map ${FIXTURE_LAYERS//,/ } -o target/browser/fixture.html --quiet
python3 scripts/map/synthetic.py 50000 target/browser/big.geojson >/dev/null
"$BIN" map target/browser/big.geojson -o target/browser/big.html --quiet

# the layers output/map.html shows at first (its events layer, beside the
# incidents, starts switched off; the fixture map checks the events)
LAYERS=$(for f in incidents statements; do
  if [ -f "output/$f.geojson" ]; then printf "%s," "output/$f.geojson"; fi; done)
HIDDEN=""
if [ -f output/events.geojson ] && [ -f output/incidents.geojson ]; then HIDDEN=output/events.geojson; fi
node tests/browser/map.test.js \
  --map output/map.html \
  --layers "${LAYERS%,}" \
  --hidden "$HIDDEN" \
  --screenshot "$SHOT" \
  --hostile target/browser/hostile.html \
  --fixture target/browser/fixture.html --fixture-layers "$FIXTURE_LAYERS" \
  --big target/browser/big.html
