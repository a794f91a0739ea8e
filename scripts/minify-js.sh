#!/usr/bin/env bash
# Trunk's post_build hook: in release builds, minify the JS glue wasm-bindgen wrote
# for the embed and the host app (esbuild; trunk's own JS minifier cannot parse it).
# The embed's and the host app's sizes are budgeted by scripts/sizes.sh.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
cd "$TRUNK_STAGING_DIR"
for file in threeds-web.js threeds-host.js; do
  [ -f "$file" ] || continue
  esbuild "$file" --minify --format=esm --log-level=warning --outfile="$file.min"
  mv "$file.min" "$file"
done
