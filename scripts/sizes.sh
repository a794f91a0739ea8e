#!/usr/bin/env bash
# Sizes of what a checkout page loads, from the release build in dist/ (trunk build --release):
#   embed: the JS API (one ES module), loaded by the checkout page
#   host:  the SDK host app's JS + wasm (+ its boot script), loaded inside the host frame
# Sizes are gzip -9, in bytes; the budgets are below (1 KB = 1000 bytes).
#   scripts/sizes.sh check    fail when a budget is exceeded
#   scripts/sizes.sh report   print a Markdown table row per bundle
set -euo pipefail
cd "$(dirname "$0")/.."

EMBED_BUDGET=7950
HOST_BUDGET=57950

[ -f dist/index.html ] || { echo "sizes: no dist/index.html; run 'trunk build --release' first" >&2; exit 1; }
embed_js=threeds-web.js
[ -f "dist/$embed_js" ] || { echo "sizes: dist/ has no $embed_js" >&2; exit 1; }

gz() { gzip -9c "dist/$1" | wc -c; }
raw() { wc -c <"dist/$1"; }
sum() { local total=0; for f in "$@"; do total=$((total + $(gz "$f"))); done; echo "$total"; }
sum_raw() { local total=0; for f in "$@"; do total=$((total + $(raw "$f"))); done; echo "$total"; }

embed_files=("$embed_js")
host_files=(threeds-host.js threeds-host_bg.wasm host-boot.js)
embed=$(sum "${embed_files[@]}")
host=$(sum "${host_files[@]}")

case "${1:-check}" in
  report)
    echo "| bundle | files | raw bytes | gzip -9 bytes | budget |"
    echo "| --- | --- | ---: | ---: | ---: |"
    echo "| embed | JS | $(sum_raw "${embed_files[@]}") | $embed | $EMBED_BUDGET |"
    echo "| host app | JS + wasm + boot | $(sum_raw "${host_files[@]}") | $host | $HOST_BUDGET |"
    ;;
  check)
    status=0
    printf 'size: embed %d bytes gzipped (budget %d)\n' "$embed" "$EMBED_BUDGET"
    printf 'size: host app %d bytes gzipped (budget %d)\n' "$host" "$HOST_BUDGET"
    [ "$embed" -le "$EMBED_BUDGET" ] || { echo "size: the embed is over its budget" >&2; status=1; }
    [ "$host" -le "$HOST_BUDGET" ] || { echo "size: the host app is over its budget" >&2; status=1; }
    exit $status
    ;;
  *) echo "usage: scripts/sizes.sh check|report" >&2; exit 2 ;;
esac
