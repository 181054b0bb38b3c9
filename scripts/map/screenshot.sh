#!/usr/bin/env bash
# Regenerate docs/map.png, the README's picture of the seeds' map: the
# browser test's screenshot (1280x800, an evidence popup open).
#   scripts/map/screenshot.sh [BIN]
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/map/browser-test.sh "${1:-${CARGO_TARGET_DIR:-target}/release/eventmap}" docs/map.png
